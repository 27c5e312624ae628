"""The org: schema + store, and record writes with a real org's validation and derived fields."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from .errors import SalesforceError, bad, not_found
from .schema import (
    AUDIT_USER_FIELDS,
    TASK_STATUSES,
    FieldDef,
    ObjectDef,
    build_schema,
    field_words,
    infer_field,
    make_id,
    name_fields,
    new_object,
    sf_now,
    to18,
)
from .store import Row, Store
from .tasks import TaskRelations
from .values import coerce, phone_digits

# The User id the current request acts as: set per request by the app, read when stamping audit fields.
acting_user: ContextVar[str | None] = ContextVar("acting_user", default=None)

BUILTIN = {"account", "contact", "lead", "case", "user", "group", "task", "taskrelation", "taskstatus"}
# Bumped whenever `Org.reindex` writes new kinds of entries: a database file written by an older sandbox
# is then reindexed once when opened, so searches and filters never miss its records.
INDEX_VERSION = "3"
READ_ONLY_MSG = (
    "Unable to create/update fields: {}. Please check the security settings of this field and "
    "verify that it is read/write for your user profile or permission set."
)


def ref_indexed(obj: ObjectDef, fdef: FieldDef) -> bool:
    """Whether `reindex` keeps a `ref:<field>` entry for this lookup field, so `field IN (ids)` (e.g. the
    open cases of some accounts) reads only its hits. Not on the audit fields (every record points at
    the same few users), nor on Task and TaskRelation: every upsert run writes them in bulk, and they
    are looked up by External ID and by the `task` index (TaskRelation.TaskId) instead."""
    return fdef.name not in AUDIT_USER_FIELDS and obj.name not in ("Task", "TaskRelation")


def pick_indexed(obj: ObjectDef) -> bool:
    """Whether `reindex` keeps `pick:<field>` entries for the object's picklists, so `Type =
    'Installer'` reads only installers. Not on Task and TaskRelation (bulk-written, see `ref_indexed`)."""
    return obj.name not in ("Task", "TaskRelation")


def _indexed_fields(obj: ObjectDef) -> list[tuple[str, str]]:
    """(field, index kind) pairs `index_entries` reads, in schema order; computed once per schema."""
    plan: list[tuple[str, str]] | None = obj.derived.get("indexed_fields")
    if plan is None:
        plan = []
        for fdef in obj.fields.values():
            if fdef.external_id:
                plan.append((fdef.name, "ext:" + fdef.name.lower()))
            if fdef.type == "phone":
                plan.append((fdef.name, "phone"))
            if fdef.type == "email":
                plan.append((fdef.name, "email"))
            if fdef.type == "reference" and ref_indexed(obj, fdef):
                plan.append((fdef.name, "ref:" + fdef.name.lower()))
            if fdef.type == "picklist" and pick_indexed(obj):
                plan.append((fdef.name, "pick:" + fdef.name.lower()))
        obj.derived["indexed_fields"] = plan
    return plan


def _defaults(obj: ObjectDef) -> list[tuple[str, Any]]:
    """(field, default) of the fields that have one; computed once per schema."""
    plan: list[tuple[str, Any]] | None = obj.derived.get("defaults")
    if plan is None:
        plan = obj.derived["defaults"] = [
            (f.name, f.default) for f in obj.fields.values() if f.default is not None
        ]
    return plan


def _required(obj: ObjectDef) -> list[tuple[str, Any]]:
    """(field, default) of the required fields; computed once per schema."""
    plan: list[tuple[str, Any]] | None = obj.derived.get("required")
    if plan is None:
        plan = obj.derived["required"] = [(f.name, f.default) for f in obj.fields.values() if f.required]
    return plan


class MultipleMatches(SalesforceError):
    def __init__(self, urls: list[str]) -> None:
        super().__init__(300, "MULTIPLE_CHOICES", "More than one record matches the external id")
        self.urls = urls


def load_org(path: str | Path) -> dict[str, Any]:
    """Read an org snapshot file."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: an org snapshot is a JSON object of sObject name -> records")
    return data


class Org:
    def __init__(self, store: Store, omit_fields: dict[str, list[str]] | None = None) -> None:
        self.store = store
        self.schema: dict[str, ObjectDef] = build_schema(omit_fields)
        self._restore_declared()
        self.tasks = TaskRelations(self)
        self._ensure_index()

    # ---- schema ---------------------------------------------------------------------------------
    def obj(self, name: str) -> ObjectDef | None:
        return self.schema.get(name.lower())

    def require_obj(self, name: str) -> ObjectDef:
        obj = self.obj(name)
        if obj is None:
            raise not_found(f"The requested resource does not exist: sObject type '{name}' is not supported.")
        return obj

    def by_prefix(self, pk: str) -> ObjectDef | None:
        return next((o for o in self.schema.values() if o.key_prefix == pk[:3]), None)

    def _restore_declared(self) -> None:
        declared = json.loads(self.store.get_meta("declared") or "{}")
        for name, spec in declared.items():
            obj = self.schema.get(name.lower()) or new_object(name, spec["prefix"], [])
            self.schema[name.lower()] = obj
            for fname, ftype in spec["fields"].items():
                if obj.field(fname) is None:
                    obj.add(
                        FieldDef(
                            fname, ftype, 131072 if ftype == "string" else 0, custom=fname.endswith("__c")
                        )
                    )

    def _ensure_index(self) -> None:
        """Rebuild every record's index entries when the store was indexed by an older `reindex`."""
        if self.store.get_meta("index:version") == INDEX_VERSION:
            return
        with self.store.lock, self.store.transaction():
            for obj in self.schema.values():
                for data in self.store.scan(obj.name, include_deleted=True):
                    self.reindex(obj, str(to18(data["Id"])), data)
            self.store.set_meta("index:version", INDEX_VERSION)

    def _save_declared(self, declared: dict[str, dict[str, Any]]) -> None:
        old = json.loads(self.store.get_meta("declared") or "{}")
        for name, spec in declared.items():
            old.setdefault(name, {"prefix": spec["prefix"], "fields": {}})["fields"].update(spec["fields"])
        self.store.set_meta("declared", json.dumps(old))

    # ---- reads ----------------------------------------------------------------------------------
    def get_row(self, record_id: str, obj: ObjectDef | None = None, include_deleted: bool = False) -> Row:
        pk = to18(record_id)
        row = self.store.get(pk) if pk else None
        if row is None or (row.deleted and not include_deleted) or (obj and row.sobject != obj.name):
            raise not_found()
        return row

    # ---- seeding --------------------------------------------------------------------------------
    def seed(self, org: dict[str, Any]) -> None:
        """Load a snapshot leniently (unknown fields/objects are declared on the fly)."""
        self.tasks.forget_statuses()
        try:
            self._seed(org)
        finally:
            self.tasks.forget_statuses()

    def _seed(self, org: dict[str, Any]) -> None:
        with self.store.lock, self.store.transaction():
            declared: dict[str, dict[str, Any]] = {}
            if not self.store.scan("TaskStatus", True) and "taskstatus" not in {k.lower() for k in org}:
                for order, (label, closed) in enumerate(TASK_STATUSES, 1):
                    self._seed_one(
                        self.schema["taskstatus"],
                        {"MasterLabel": label, "IsClosed": closed, "SortOrder": order},
                        declared,
                    )
            tasks: list[str] = []
            seeded_relations: set[str] = set()
            for name, records in org.items():
                obj = self._seed_object(name, records, declared)
                for rec in records:
                    pk = self._seed_one(obj, rec, declared)
                    if obj.name == "Task":
                        tasks.append(pk)
                    elif obj.name == "TaskRelation" and to18(rec.get("TaskId")):
                        seeded_relations.add(str(to18(rec.get("TaskId"))))
            for pk in tasks:
                self.tasks.after_write(pk, None, keep_relations=pk in seeded_relations)
            self._save_declared(declared)

    def _seed_object(self, name: str, records: list[dict[str, Any]], declared: dict[str, Any]) -> ObjectDef:
        obj = self.obj(name)
        if obj is None:
            given = [to18(r.get("Id")) for r in records if to18(r.get("Id"))]
            prefix = str(given[0])[:3] if given else f"a0{chr(65 + len(self.schema) % 26)}"
            obj = new_object(name, prefix, [])
            self.schema[name.lower()] = obj
            declared[name] = {"prefix": prefix, "fields": {}}
        return obj

    def _seed_one(self, obj: ObjectDef, rec: dict[str, Any], declared: dict[str, Any]) -> str:
        data: dict[str, Any] = {}
        for key, value in rec.items():
            if key in ("attributes", "TaskWhoIds"):
                continue
            fdef = obj.field(key)
            if fdef is None:
                fdef = obj.add(infer_field(key, value))
                declared.setdefault(obj.name, {"prefix": obj.key_prefix, "fields": {}})["fields"][
                    fdef.name
                ] = fdef.type
            try:
                data[fdef.name] = coerce(fdef, value)
            except SalesforceError:
                data[fdef.name] = value
        given = data.get("Id")
        if given is not None and to18(given) is None:
            raise ValueError(f"{obj.name} record has an invalid Id: {given!r}")
        pk = self._finish_new(obj, data, seeding=True)
        if obj.name == "Task" and rec.get("TaskWhoIds"):
            self.tasks.pending_whos[pk] = [str(w) for w in rec["TaskWhoIds"]]
        return pk

    # ---- writes ---------------------------------------------------------------------------------
    def _check_fields(
        self, obj: ObjectDef, body: dict[str, Any], creating: bool, existing: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        if not obj.writable:
            raise bad("INVALID_TYPE_FOR_OPERATION", f"entity type {obj.name} does not support this operation")
        out: dict[str, Any] = {}
        for key, value in body.items():
            if key == "attributes":
                continue
            fdef = obj.field(key)
            if fdef is None:
                raise bad("INVALID_FIELD", f"No such column '{key}' on sobject of type {obj.name}", [key])
            if (
                fdef.name == "Id"
                and not creating
                and existing is not None
                and to18(value) == to18(existing["Id"])
            ):
                continue
            allowed = fdef.createable if creating else fdef.updateable
            if (
                fdef.name == "TaskSubtype"
                and not creating
                and existing is not None
                and value == existing.get("TaskSubtype")
            ):
                continue
            if not allowed:
                raise bad("INVALID_FIELD_FOR_INSERT_UPDATE", READ_ONLY_MSG.format(fdef.name), [fdef.name])
            if fdef.type == "junctionidlist":
                out[fdef.name] = value
                continue
            out[fdef.name] = coerce(fdef, value)
        return out

    def _check_refs(self, obj: ObjectDef, values: dict[str, Any]) -> None:
        for name, value in values.items():
            fdef = obj.fields[name.lower()]
            if fdef.type != "reference" or value is None:
                continue
            row = self.store.peek(str(to18(value)))
            ok = (
                row is not None
                and not row.deleted
                and (
                    row.sobject in fdef.reference_to
                    or (fdef.name == "WhatId" and row.sobject.lower() not in BUILTIN)
                )
            )
            if not ok:
                raise bad(
                    "INVALID_CROSS_REFERENCE_KEY",
                    f"invalid cross reference id: {fdef.name}: {value}",
                    [fdef.name],
                )

    def _check_unique(
        self, obj: ObjectDef, data: dict[str, Any], pk: str | None, checked: str | None = None
    ) -> None:
        """DUPLICATE_VALUE when a unique field's value is taken (`checked`: a field the caller just
        looked up, e.g. an upsert's external id)."""
        for fdef in obj.fields.values():
            value = data.get(fdef.name)
            if fdef.unique and value is not None and fdef.name != checked:
                hits = [
                    p
                    for _, p in self.store.lookup(obj.name, "ext:" + fdef.name.lower(), [str(value).lower()])
                    if p != pk
                ]
                if hits:
                    raise bad(
                        "DUPLICATE_VALUE",
                        f"duplicate value found: {fdef.name} duplicates value on record with id: {hits[0]}",
                        [fdef.name],
                    )

    def _derive(self, obj: ObjectDef, data: dict[str, Any], seeding: bool) -> None:
        if obj.name in ("Contact", "Lead") or (obj.name == "User" and not (seeding and data.get("Name"))):
            name = " ".join(p for p in (data.get("FirstName"), data.get("LastName")) if p)
            data["Name"] = name or data.get("Name")
        if obj.name == "Case" and not (seeding and "IsClosed" in data):
            data["IsClosed"] = data.get("Status") == "Closed"

    def _missing(self, obj: ObjectDef, data: dict[str, Any], *, creating: bool = False) -> None:
        """REQUIRED_FIELD_MISSING naming every required field `data` leaves empty (when `creating`, a
        field's default fills it)."""
        missing = [
            name
            for name, default in _required(obj)
            if data.get(name, default if creating else None) in (None, "")
        ]
        if missing:
            raise bad(
                "REQUIRED_FIELD_MISSING", f"Required fields are missing: [{', '.join(missing)}]", missing
            )

    def _finish_new(
        self,
        obj: ObjectDef,
        data: dict[str, Any],
        seeding: bool,
        prepare: Callable[[dict[str, Any]], None] | None = None,
    ) -> str:
        """Insert a new record: defaults, derived fields, then `prepare` (derivations that need the
        defaults, e.g. a task's IsClosed from its Status), Id and audit fields."""
        for name, default in _defaults(obj):
            if data.get(name) is None:
                data[name] = default
        if obj.name == "Case" and not data.get("CaseNumber"):
            data["CaseNumber"] = f"{self.store.next_counter('CaseNumber') + 999:08d}"
        elif obj.name == "Case" and str(data["CaseNumber"]).isdigit():
            current = int(self.store.get_meta("counter:CaseNumber") or 0)
            self.store.set_meta("counter:CaseNumber", str(max(current, int(data["CaseNumber"]) - 999)))
        self._derive(obj, data, seeding)
        if prepare is not None:
            prepare(data)
        now = sf_now()
        for ts in ("CreatedDate", "LastModifiedDate", "SystemModstamp"):
            data.setdefault(ts, now)
        if not seeding:
            data["CreatedById"] = data["LastModifiedById"] = acting_user.get()
        data["IsDeleted"] = bool(data.get("IsDeleted", False))
        if data.get("Id") is None:
            # A new id, past any a seeded record already holds (the insert says when it is taken).
            while True:
                pk = make_id(obj.key_prefix, self.store.next_counter("id"))
                record = {"Id": pk, **data}
                if self.store.insert(pk, obj.name, record, unless_taken=True):
                    break
            data = record
        else:
            self.store.insert(str(to18(data["Id"])), obj.name, data)
        pk = str(to18(data["Id"]))
        self.store.set_index(pk, obj.name, self.index_entries(obj, data), new=True)
        return pk

    def reindex(
        self, obj: ObjectDef, pk: str, data: dict[str, Any], old: dict[str, Any] | None = None
    ) -> None:
        """Rewrite the record's lookup entries (after every insert and update). `old` is the record as it
        was: when it had the same entries, nothing is rewritten (most updates touch no indexed field)."""
        entries = self.index_entries(obj, data)
        if old is None or entries != self.index_entries(obj, old):
            self.store.set_index(pk, obj.name, entries)

    def index_entries(self, obj: ObjectDef, data: dict[str, Any]) -> list[tuple[str, str]]:
        """The (kind, key) lookup entries of a record.

        Kinds: `ext:<field>` External IDs and `email` (lower-cased), `phone` (digits), `ref:<field>`
        lookups (see `ref_indexed`; 18-char ids), `pick:<field>` picklist values (lower-cased; see
        `pick_indexed`), `task` TaskRelation.TaskId, and `word` the words of its NAME-group fields
        (`field_words`), which SOSL name searches and name-field filters intersect."""
        entries: list[tuple[str, str]] = []
        for name, kind in _indexed_fields(obj):
            value = data.get(name)
            if value is None:
                continue
            if kind == "phone":
                digits = phone_digits(value)
                if digits:
                    entries.append((kind, digits))
            elif kind.startswith("ref:"):
                entries.append((kind, to18(value) or str(value)))
            else:
                entries.append((kind, str(value).lower()))
        if obj.name == "TaskRelation" and to18(data.get("TaskId")):
            entries.append(("task", str(to18(data.get("TaskId")))))
        words = {word for name in name_fields(obj) for word in field_words(data.get(name))}
        entries.extend(("word", word) for word in sorted(words))
        return entries

    def create(self, obj: ObjectDef, body: dict[str, Any], *, unique_checked: str | None = None) -> str:
        if "Id" in body or "id" in {k.lower() for k in body}:
            raise bad("INVALID_FIELD_FOR_INSERT_UPDATE", "cannot specify Id in an insert call", ["Id"])
        data = self._check_fields(obj, body, creating=True)
        whos = data.pop("TaskWhoIds", None)
        self._missing(obj, data, creating=True)
        self._check_refs(obj, data)
        self._check_unique(obj, data, None, unique_checked)
        if obj.name == "Task":
            self.tasks.validate_whos(whos, data)
        with self.store.transaction():
            if obj.name != "Task":
                return self._finish_new(obj, data, seeding=False)
            task_whos: list[str] = []

            def prepare(new: dict[str, Any]) -> None:
                task_whos.extend(self.tasks.prepare_new(new, whos))

            pk = self._finish_new(obj, data, seeding=False, prepare=prepare)
            self.tasks.add_relations(pk, task_whos, data.get("WhatId"))
        return pk

    def update(self, obj: ObjectDef, record_id: str, body: dict[str, Any]) -> str:
        row = self.get_row(record_id, obj)
        changes = self._check_fields(obj, body, creating=False, existing=row.data)
        whos = changes.pop("TaskWhoIds", None)
        data = {**row.data, **changes}
        self._missing(obj, data)
        self._check_refs(obj, changes)
        self._check_unique(obj, data, row.pk)
        if obj.name == "Task":
            self.tasks.validate_whos(whos, data)
        self._derive(obj, data, seeding=False)
        data["LastModifiedDate"] = data["SystemModstamp"] = sf_now()
        data["LastModifiedById"] = acting_user.get()
        with self.store.transaction():
            self.store.update(row.pk, data)
            self.reindex(obj, row.pk, data, old=row.data)
            if obj.name == "Task":
                self.tasks.after_write(row.pk, whos, old=row.data)
        return str(data["Id"])

    def upsert(self, obj: ObjectDef, field_name: str, value: str, body: dict[str, Any]) -> tuple[str, bool]:
        fdef = obj.field(field_name)
        if fdef is not None and fdef.name == "Id":
            return self.update(obj, value, body), False
        if fdef is None or not fdef.external_id:
            raise not_found(f"Provided external ID field does not exist or is not accessible: {field_name}")
        if any(k.lower() == "id" for k in body):
            raise bad("INVALID_FIELD", "Id is not allowed in an upsert body", ["Id"])
        matches = self.store.lookup(obj.name, "ext:" + fdef.name.lower(), [value.lower()])
        if len(matches) > 1:
            raise MultipleMatches([self.url(obj.name, p) for _, p in matches])
        clean = {k: v for k, v in body.items() if k.lower() != fdef.name.lower()}
        if matches:
            row = self.store.peek(matches[0][1])
            assert row is not None
            return self.update(obj, str(row.data["Id"]), clean), False
        return self.create(obj, {**clean, fdef.name: value}, unique_checked=fdef.name), True

    def delete(self, obj: ObjectDef | None, record_id: str) -> None:
        row = self.get_row(record_id, obj, include_deleted=True)
        target = self.schema[row.sobject.lower()]
        if row.deleted:
            raise bad("ENTITY_IS_DELETED", "entity is deleted", [])
        if not target.writable:
            raise bad("INVALID_TYPE_FOR_OPERATION", f"entity type {target.name} does not support delete")
        with self.store.transaction():
            data = {**row.data, "IsDeleted": True, "LastModifiedDate": sf_now()}
            self.store.update(row.pk, data)
            if target.name == "Task":
                self.tasks.delete_relations(row.pk)

    def url(self, sobject: str, record_id: str, version: str = "62.0") -> str:
        return f"/services/data/v{version}/sobjects/{sobject}/{record_id}"

    def dump(self) -> dict[str, Any]:
        with self.store.lock:
            out: dict[str, Any] = {}
            for obj in self.schema.values():
                rows = self.store.scan(obj.name)
                if rows or obj.name in ("Account", "Contact", "Case", "User", "Task", "TaskRelation"):
                    out[obj.name] = [{k: v for k, v in r.items() if v is not None} for r in rows]
            return out
