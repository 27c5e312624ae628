"""Evaluating parsed SOQL over the store in Python: field paths, filters, ordering, projection."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .errors import bad
from .org import Org, pick_indexed, ref_indexed
from .schema import WORD_RE, FieldDef, ObjectDef, name_fields, to18
from .soql import BoolOp, Compare, InList, Like, Lit, Select, parse
from .values import format_datetime, parse_datetime

_NO_COLUMN = (
    "No such column '{f}' on entity '{o}'. If you are attempting to use a custom field, be sure to "
    "append the '__c' after the custom field name. Please reference your WSDL or the describe call "
    "for the appropriate names."
)
_LIT_FOR = {
    "date": {"date", "range"},
    "datetime": {"datetime", "date", "range"},
    "boolean": {"bool"},
    "int": {"number"},
    "double": {"number"},
}


@dataclass
class BoundPath:
    rels: list[FieldDef]  # reference fields traversed
    names: list[str]  # canonical output names: relationship names then the leaf field
    leaf: FieldDef | None  # None = polymorphic "Type"


def bind(org: Org, obj: ObjectDef, dotted: str) -> BoundPath:
    parts = dotted.split(".")
    if len(parts) > 1 and parts[0].lower() == obj.name.lower():
        parts = parts[1:]
    rels: list[FieldDef] = []
    names: list[str] = []
    targets = [obj]
    for part in parts[:-1]:
        rel = next((r for r in (t.relationship(part) for t in targets) if r is not None), None)
        if rel is None:
            raise bad(
                "INVALID_FIELD",
                f"Didn't understand relationship '{part}' in field path. If you are "
                "attempting to use a custom relationship, be sure to append the '__r' after the custom "
                "relationship name.",
            )
        rels.append(rel)
        names.append(str(rel.relationship_name))
        targets = [o for o in (org.obj(t) for t in rel.reference_to) if o is not None]
    leaf_name = parts[-1]
    if rels and len(rels[-1].reference_to) > 1 and leaf_name.lower() == "type":
        return BoundPath(rels, [*names, "Type"], None)
    leaf = next((f for f in (t.field(leaf_name) for t in targets) if f is not None), None)
    if leaf is None or leaf.type == "junctionidlist":
        raise bad("INVALID_FIELD", _NO_COLUMN.format(f=leaf_name, o=targets[0].name if targets else obj.name))
    return BoundPath(rels, [*names, leaf.name], leaf)


class Evaluator:
    def __init__(self, org: Org, obj: ObjectDef, version: str) -> None:
        self.org = org
        self.obj = obj
        self.version = version
        self._paths: dict[str, BoundPath] = {}
        self._parents: dict[str, tuple[str, dict[str, Any]] | None] = {}
        self._in_sets: dict[int, frozenset[Any] | None] = {}
        self._likes: dict[int, re.Pattern[str]] = {}
        self._like_anys: dict[int, tuple[BoundPath, re.Pattern[str]] | None] = {}

    def path(self, dotted: str) -> BoundPath:
        if dotted not in self._paths:
            self._paths[dotted] = bind(self.org, self.obj, dotted)
        return self._paths[dotted]

    def parent(self, ref: Any) -> tuple[str, dict[str, Any]] | None:
        pk = to18(ref)
        if pk is None:
            return None
        if pk not in self._parents:
            row = self.org.store.peek(pk)
            self._parents[pk] = None if row is None or row.deleted else (row.sobject, row.data)
        return self._parents[pk]

    def value(self, rec: dict[str, Any], bp: BoundPath) -> Any:
        cur: dict[str, Any] | None = rec
        sobject = self.obj.name
        for rel in bp.rels:
            hit = self.parent(cur.get(rel.name)) if cur is not None else None
            if hit is None:
                return None
            sobject, cur = hit
        if cur is None:
            return None
        return sobject if bp.leaf is None else cur.get(bp.leaf.name)

    # ---- filtering ---------------------------------------------------------------------------
    def check(self, node: Any) -> None:
        """Bind every path and check literal types like Salesforce does."""
        if isinstance(node, BoolOp):
            for arg in node.args:
                self.check(arg)
            return
        bp = self.path(node.path)
        ftype = bp.leaf.type if bp.leaf else "string"
        lits = node.values if isinstance(node, InList) else [node.value]
        for lit in lits:
            allowed = _LIT_FOR.get(ftype, {"string"})
            if lit.kind != "null" and lit.kind not in allowed:
                quoted = "should" if "string" in allowed else "should not"
                raise bad(
                    "INVALID_FIELD",
                    f"value of filter criterion for field '{node.path}' must be of type "
                    f"{ftype} and {quoted} be enclosed in quotes",
                )
        if isinstance(node, Like) and ftype in _LIT_FOR:
            raise bad("INVALID_FIELD", f"invalid operator on field: {node.path}")

    def norm(self, value: Any, leaf: FieldDef | None) -> Any:
        if value is None:
            return None
        ftype = leaf.type if leaf else "string"
        if ftype in ("id", "reference"):
            return to18(value) or str(value)
        if ftype == "datetime":
            parsed = parse_datetime(str(value)) if "T" in str(value) else None
            return format_datetime(parsed) if parsed else str(value)
        if isinstance(value, str):
            return value.casefold()
        return value

    def matches(self, rec: dict[str, Any], node: Any) -> bool:
        if isinstance(node, BoolOp):
            if node.op == "and":
                return all(self.matches(rec, a) for a in node.args)
            if node.op == "or":
                like_any = self._like_any(node)
                if like_any is not None:
                    raw = self.value(rec, like_any[0])
                    return raw is not None and like_any[1].fullmatch(str(raw)) is not None
                return any(self.matches(rec, a) for a in node.args)
            return not self.matches(rec, node.args[0])
        bp = self.path(node.path)
        raw = self.value(rec, bp)
        if isinstance(node, Like):
            return raw is not None and self._like(node).fullmatch(str(raw)) is not None
        value = self.norm(raw, bp.leaf)
        if isinstance(node, InList):
            plain = self._in_set(node, bp)
            if plain is not None:
                found = value in plain
            else:
                found = any(self._equal(value, lit, bp) for lit in node.values)
            return not found if node.negate else found
        return self._compare(value, node, bp)

    def _like(self, node: Like) -> re.Pattern[str]:
        """The LIKE pattern compiled once per query, not looked up in `re`'s cache per record."""
        key = id(node)
        if key not in self._likes:
            self._likes[key] = re.compile(node.value.like, re.I | re.S)
        return self._likes[key]

    def _like_any(self, node: BoolOp) -> tuple[BoundPath, re.Pattern[str]] | None:
        """For `f LIKE 'a' OR f LIKE 'b' OR ...` (one field; installer websites by email domain), the
        field and one pattern matching any of them, compiled once per query: a record then costs one
        regex call, not one per LIKE. None for any other OR."""
        key = id(node)
        if key not in self._like_anys:
            likes = [a for a in node.args if isinstance(a, Like)]
            paths = {a.path.lower() for a in likes}
            self._like_anys[key] = (
                (
                    self.path(likes[0].path),
                    re.compile("|".join(f"(?:{a.value.like})" for a in likes), re.I | re.S),
                )
                if len(likes) == len(node.args) > 1 and len(paths) == 1
                else None
            )
        return self._like_anys[key]

    def _in_set(self, node: InList, bp: BoundPath) -> frozenset[Any] | None:
        """The normalised literals of an IN list, computed once per query: plain equality then costs
        one set lookup per record, not one comparison per literal. None when a literal needs more than
        equality (date ranges, a date against a datetime field)."""
        key = id(node)
        if key not in self._in_sets:
            datetime_field = bp.leaf is not None and bp.leaf.type == "datetime"
            simple = all(
                lit.kind != "range" and not (lit.kind == "date" and datetime_field) for lit in node.values
            )
            self._in_sets[key] = frozenset(self._lit(lit, bp) for lit in node.values) if simple else None
        return self._in_sets[key]

    def _lit(self, lit: Lit, bp: BoundPath) -> Any:
        return self.norm(lit.value, bp.leaf)

    def _equal(self, value: Any, lit: Lit, bp: BoundPath) -> bool:
        if lit.kind == "range":
            return value is not None and bool(lit.value[0] <= str(value)[:10] <= lit.value[1])
        if lit.kind == "date" and bp.leaf is not None and bp.leaf.type == "datetime":
            return value is not None and str(value)[:10] == lit.value
        return bool(value == self._lit(lit, bp))

    def _compare(self, value: Any, node: Compare, bp: BoundPath) -> bool:
        op, lit = node.op, node.value
        if op == "=":
            return self._equal(value, lit, bp)
        if op == "!=":
            return not self._equal(value, lit, bp)
        if value is None or lit.kind == "null":
            return False
        if lit.kind == "range":
            lo, hi = lit.value
            key = str(value)[:10]
            return bool({"<": key < lo, "<=": key <= hi, ">": key > hi, ">=": key >= lo}[op])
        other = self._lit(lit, bp)
        try:
            return bool(
                {"<": value < other, "<=": value <= other, ">": value > other, ">=": value >= other}[op]
            )
        except TypeError:
            return False

    # ---- shaping -----------------------------------------------------------------------------
    def attributes(self, sobject: str, rec: dict[str, Any]) -> dict[str, str]:
        return {"type": sobject, "url": f"/services/data/v{self.version}/sobjects/{sobject}/{rec.get('Id')}"}

    def project(self, rec: dict[str, Any], fields: list[str]) -> dict[str, Any]:
        out: dict[str, Any] = {"attributes": self.attributes(self.obj.name, rec)}
        for dotted in fields:
            bp = self.path(dotted)
            target: dict[str, Any] = out
            cur: dict[str, Any] | None = rec
            for rel, name in zip(bp.rels, bp.names, strict=False):
                hit = self.parent(cur.get(rel.name)) if cur is not None else None
                if hit is None:
                    target.setdefault(name, None)
                    cur = None
                    break
                sobject, cur = hit
                if target.get(name) is None:
                    target[name] = {"attributes": self.attributes(sobject, cur)}
                target = target[name]
            if cur is not None:
                target[bp.names[-1]] = self.value(rec, bp)
        return out


def candidates(org: Org, sel: Select, obj: ObjectDef, include_deleted: bool) -> list[dict[str, Any]]:
    """Rows to filter: an Id/TaskId equality or IN at the top of WHERE narrows the scan."""
    conds = sel.where.args if isinstance(sel.where, BoolOp) and sel.where.op == "and" else [sel.where]
    for cond in conds:
        if (
            isinstance(cond, Compare | InList)
            and not (isinstance(cond, InList) and cond.negate)
            and (isinstance(cond, InList) or cond.op == "=")
            and cond.path.lower() in ("id", "taskid")
        ):
            lits = cond.values if isinstance(cond, InList) else [cond.value]
            keys = [k for k in (to18(lit.value) for lit in lits) if k]
            if cond.path.lower() == "taskid" and obj.name == "TaskRelation":
                keys = [pk for k in keys for pk in org.store.index_pks(obj.name, "task", k, include_deleted)]
            elif cond.path.lower() != "id":
                continue
            rows = org.store.get_many(keys)
            return [
                r.data for r in rows.values() if r.sobject == obj.name and (include_deleted or not r.deleted)
            ]
        indexed = _index_kind(obj, cond)
        if indexed is not None:
            lits = cond.values if isinstance(cond, InList) else [cond.value]
            lowered = sorted({str(lit.value).lower() for lit in lits})
            pks = [pk for k in lowered for pk in org.store.index_pks(obj.name, indexed, k, include_deleted)]
            rows = org.store.get_many(pks)
            return [r.data for pk, r in sorted(rows.items()) if r.sobject == obj.name]
        ref = _ref_kind(obj, cond)
        if ref is not None:
            lits = cond.values if isinstance(cond, InList) else [cond.value]
            keys = [to18(lit.value) or str(lit.value) for lit in lits]
            return org.store.index_rows(obj.name, ref, keys, include_deleted)
        kind = _value_kind(obj, cond)
        if kind is not None:
            lits = cond.values if isinstance(cond, InList) else [cond.value]
            return org.store.index_rows(
                obj.name, kind, [str(lit.value).lower() for lit in lits], include_deleted
            )
    return org.store.scan(obj.name, include_deleted)


def _indexable(obj: ObjectDef, cond: Any) -> FieldDef | None:
    """The field of a `field = 'x'` / `field IN ('x', ...)` condition whose literals are all strings
    (an index holds no entry for null, so `= null` needs the scan), else None."""
    if not isinstance(cond, Compare | InList) or (isinstance(cond, InList) and cond.negate):
        return None
    if isinstance(cond, Compare) and cond.op != "=":
        return None
    lits = cond.values if isinstance(cond, InList) else [cond.value]
    if any(lit.kind != "string" for lit in lits):
        return None
    return obj.field(cond.path) if "." not in cond.path else None


def _index_kind(obj: ObjectDef, cond: Any) -> str | None:
    """The lookup index that answers `field = 'x'` / `field IN (...)`, for External ID and email fields
    (the index `Org.reindex` keeps). The WHERE clause is still evaluated on what it returns."""
    fdef = _indexable(obj, cond)
    if fdef is None:
        return None
    if fdef.external_id:
        return "ext:" + fdef.name.lower()
    return "email" if fdef.type == "email" else None


def _ref_kind(obj: ObjectDef, cond: Any) -> str | None:
    """The `ref:<field>` index that answers `LookupField = 'id'` / `IN (...)` (e.g. open cases of some
    accounts). Its rows come back in scan order, and the WHERE clause is still evaluated on them."""
    fdef = _indexable(obj, cond)
    if fdef is None or fdef.type != "reference" or not ref_indexed(obj, fdef):
        return None
    return "ref:" + fdef.name.lower()


def _value_kind(obj: ObjectDef, cond: Any) -> str | None:
    """The index that answers `field = 'x'` / `IN (...)` on a picklist (`pick:<field>`, e.g. Account
    Type) or, when every value is one word, on a NAME-group field (`word`, e.g. Case.CaseNumber: a
    superset, since a record has the words of all its name fields). Rows come back in scan order, and
    the WHERE clause is still evaluated on them."""
    fdef = _indexable(obj, cond)
    if fdef is None:
        return None
    if fdef.type == "picklist" and pick_indexed(obj):
        return "pick:" + fdef.name.lower()
    lits = cond.values if isinstance(cond, InList) else [cond.value]
    if fdef.name in name_fields(obj) and all(WORD_RE.fullmatch(str(lit.value).lower()) for lit in lits):
        return "word"
    return None


def run_query(org: Org, soql: str, include_deleted: bool, version: str) -> tuple[list[dict[str, Any]], int]:
    """(records, totalSize) for a SOQL statement."""
    sel = parse(soql)
    obj = org.obj(sel.sobject)
    if obj is None:
        raise bad(
            "INVALID_TYPE",
            f"sObject type '{sel.sobject}' is not supported. If you are attempting to use "
            "a custom object, be sure to append the '__c' after the entity name.",
        )
    ev = Evaluator(org, obj, version)
    for dotted in [*sel.fields, *(o[0] for o in sel.order), *([sel.aggregate] if sel.aggregate else [])]:
        ev.path(dotted)
    if sel.where is not None:
        ev.check(sel.where)
    with org.store.lock:
        rows = candidates(org, sel, obj, include_deleted)
        if sel.where is not None:
            rows = [r for r in rows if ev.matches(r, sel.where)]
        for dotted, desc, nulls_first in reversed(sel.order):
            bp = ev.path(dotted)
            keyed = [(ev.norm(ev.value(r, bp), bp.leaf), r) for r in rows]
            present = sorted((k for k in keyed if k[0] is not None), key=lambda kr: kr[0], reverse=desc)
            nulls = [k for k in keyed if k[0] is None]
            rows = [r for _, r in (nulls + present if nulls_first else present + nulls)]
        rows = rows[sel.offset :]
        if sel.limit is not None:
            rows = rows[: sel.limit]
        if sel.count:
            return [], len(rows)
        if sel.aggregate:
            bp = ev.path(sel.aggregate)
            n = sum(1 for r in rows if ev.value(r, bp) is not None)
            return [{"attributes": {"type": "AggregateResult"}, "expr0": n}], 1
        return [ev.project(r, sel.fields) for r in rows], len(rows)
