"""sObject and field definitions, Salesforce ids (15/18 chars, key prefixes) and timestamps."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

SUFFIX_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_ID_RE = re.compile(r"^[0-9A-Za-z]{15}(?:[0-9A-Za-z]{3})?$")
TEXT_TYPES = {"string", "textarea", "email", "phone", "url", "picklist", "id", "reference"}
# The fields SOSL's NAME group searches (when an object has them), and what a "word" of them is.
NAME_FIELDS = ("Name", "FirstName", "LastName", "Company", "CaseNumber")
WORD_RE = re.compile(r"[^\W_]+")


def id_suffix(id15: str) -> str:
    """The 3-character case-safety suffix of a 15-character id: one character per 5-character run."""
    return _suffix_char(id15[0:5]) + _suffix_char(id15[5:10]) + _suffix_char(id15[10:15])


@lru_cache(maxsize=1 << 16)
def _suffix_char(run: str) -> str:
    """Cached: the runs repeat (a key prefix, then ids made in sequence), and every new record and
    every id a request names needs its suffix."""
    bits = 0
    for pos, ch in enumerate(run):
        if "A" <= ch <= "Z":
            bits |= 1 << pos
    return SUFFIX_CHARS[bits]


def to18(value: object) -> str | None:
    """The canonical 18-character form of a 15/18-character id, or None when it is not a valid id."""
    return _to18(value) if isinstance(value, str) else None


@lru_cache(maxsize=1 << 16)
def _to18(value: str) -> str | None:
    """Cached: every filter, projection and write normalises the same few thousand ids over and over."""
    if not _ID_RE.match(value):
        return None
    suffix = id_suffix(value[:15])
    if len(value) == 18 and value[15:].upper() != suffix:
        return None
    return value[:15] + suffix


def make_id(prefix: str, counter: int) -> str:
    """A valid 18-character id with the given key prefix."""
    digits = ""
    n = counter
    while n:
        n, rem = divmod(n, 62)
        digits = BASE62[rem] + digits
    id15 = prefix + "5g" + digits.rjust(10, "0")
    return id15 + id_suffix(id15)


_SECOND: list[tuple[int, str]] = [(-1, "")]  # the last second formatted by sf_now, and its text


def sf_now() -> str:
    """Now as Salesforce formats datetimes: 2026-11-23T05:52:59.000+0000.

    Every write stamps three fields with it, so the date-and-time part is formatted once per second."""
    sec, ms = divmod(time.time_ns() // 1_000_000, 1000)
    cached = _SECOND[0]
    if cached[0] != sec:
        cached = (sec, time.strftime("%Y-%m-%dT%H:%M:%S.", time.gmtime(sec)))
        _SECOND[0] = cached
    return f"{cached[1]}{ms:03d}+0000"


@dataclass
class FieldDef:
    name: str
    type: str = "string"
    length: int = 255
    label: str = ""
    reference_to: list[str] = field(default_factory=list)
    createable: bool = True
    updateable: bool = True
    nillable: bool = True
    required: bool = False
    external_id: bool = False
    unique: bool = False
    custom: bool = False
    picklist: list[str] = field(default_factory=list)
    restricted: bool = False
    default: Any = None

    @property
    def relationship_name(self) -> str | None:
        if self.type != "reference":
            return None
        if self.name.endswith("__c"):
            return self.name[:-3] + "__r"
        return self.name[:-2] if self.name.endswith("Id") else None

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "label": self.label or self.name,
            "length": self.length if self.type in TEXT_TYPES else 0,
            "externalId": self.external_id,
            "unique": self.unique,
            "idLookup": self.name == "Id" or self.external_id,
            "createable": self.createable,
            "updateable": self.updateable,
            "nillable": self.nillable and not self.required,
            "custom": self.custom,
            "referenceTo": list(self.reference_to),
            "relationshipName": self.relationship_name,
            "restrictedPicklist": self.restricted,
            "defaultValue": self.default,
            "picklistValues": [
                {"active": True, "defaultValue": v == self.default, "label": v, "value": v}
                for v in self.picklist
            ],
        }


@dataclass
class ObjectDef:
    name: str
    key_prefix: str
    fields: dict[str, FieldDef] = field(default_factory=dict)  # lower-case name -> field
    custom: bool = False
    writable: bool = True  # createable/updateable/deletable through the API
    # Facts computed from `fields` (e.g. which fields are indexed), kept until a field is added.
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def add(self, fdef: FieldDef) -> FieldDef:
        self.fields[fdef.name.lower()] = fdef
        self.derived.clear()
        return fdef

    def field(self, name: str) -> FieldDef | None:
        return self.fields.get(name.lower())

    def relationship(self, name: str) -> FieldDef | None:
        lname = name.lower()
        for fdef in self.fields.values():
            rel = fdef.relationship_name
            if rel is not None and rel.lower() == lname:
                return fdef
        return None

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.name,
            "keyPrefix": self.key_prefix,
            "custom": self.custom,
            "createable": self.writable,
            "updateable": self.writable,
            "deletable": self.writable,
            "queryable": True,
            "searchable": self.name in ("Account", "Contact", "Lead", "Case", "User"),
            "fields": [f.describe() for f in self.fields.values()],
        }


def _s(name: str, length: int = 255, **kw: Any) -> FieldDef:
    return FieldDef(name, "string", length, **kw)


def _ro(name: str, ftype: str = "string", **kw: Any) -> FieldDef:
    return FieldDef(name, ftype, createable=False, updateable=False, **kw)


def _ref(name: str, *targets: str, **kw: Any) -> FieldDef:
    return FieldDef(name, "reference", 18, reference_to=list(targets), **kw)


def _pick(name: str, values: list[str], **kw: Any) -> FieldDef:
    return FieldDef(name, "picklist", 255, picklist=values, **kw)


TASK_STATUSES = [
    ("Not Started", False),
    ("In Progress", False),
    ("Completed", True),
    ("Waiting on someone else", False),
    ("Deferred", False),
]
PHONE_FIELDS = ("Phone", "MobilePhone", "HomePhone", "OtherPhone")
# Stamped with the User the request's access token acts as (see `org.acting_user`).
AUDIT_USER_FIELDS = ("CreatedById", "LastModifiedById")


def new_object(name: str, prefix: str, fields: list[FieldDef], *, writable: bool = True) -> ObjectDef:
    obj = ObjectDef(name, prefix, custom=name.endswith("__c"), writable=writable)
    obj.add(FieldDef("Id", "id", 18, createable=False, updateable=False, nillable=False))
    for fdef in fields:
        obj.add(fdef)
    obj.add(_ro("IsDeleted", "boolean", nillable=False))
    for ts in ("CreatedDate", "LastModifiedDate", "SystemModstamp"):
        obj.add(_ro(ts, "datetime", nillable=False))
    for audit in AUDIT_USER_FIELDS:
        obj.add(_ro(audit, "reference", length=18, reference_to=["User"]))
    return obj


def build_schema(omit: dict[str, list[str]] | None = None) -> dict[str, ObjectDef]:
    """The ready-made schema, keyed by lower-case object name, minus `omit` fields."""
    objs = [
        new_object(
            "Account",
            "001",
            [
                _s("Name", required=True),
                _pick("Type", ["Installer", "Homeowner", "Customer", "Partner"]),
                _ref("ParentId", "Account"),
                FieldDef("Website", "url"),
                FieldDef("Phone", "phone", 40),
            ],
        ),
        new_object(
            "Contact",
            "003",
            [
                _s("FirstName", 40),
                _s("LastName", 80, required=True),
                _ro("Name", length=121),
                FieldDef("Email", "email", 80),
                *(FieldDef(p, "phone", 40) for p in PHONE_FIELDS),
                _ref("AccountId", "Account"),
                _s("Legacy_Key__c", external_id=True, custom=True),
            ],
        ),
        new_object(
            "Lead",
            "00Q",
            [
                _s("FirstName", 40),
                _s("LastName", 80, required=True),
                _ro("Name", length=121),
                _s("Company", required=True),
                FieldDef("Email", "email", 80),
                FieldDef("Phone", "phone", 40),
                FieldDef("MobilePhone", "phone", 40),
                _pick(
                    "Status",
                    ["Open - Not Contacted", "Working - Contacted", "Closed - Converted"],
                    default="Open - Not Contacted",
                ),
            ],
        ),
        new_object(
            "Case",
            "500",
            [
                _ro("CaseNumber", length=30),
                _s("Subject"),
                _pick("Status", ["New", "Working", "Escalated", "Closed"], default="New"),
                _ro("IsClosed", "boolean"),
                _ref("AccountId", "Account"),
                _ref("ContactId", "Contact"),
                FieldDef("Description", "textarea", 32000),
            ],
        ),
        new_object(
            "User",
            "005",
            [
                _s("Name", 121),
                _s("FirstName", 40),
                _s("LastName", 80),
                FieldDef("Email", "email", 128),
                _s("Username", 80),
                FieldDef("IsActive", "boolean", default=True),
                _s("FederationIdentifier", 512),
            ],
        ),
        new_object("Group", "00G", [_s("Name", 40), _s("Type", 40)]),
        new_object(
            "Task",
            "00T",
            [
                _s("Subject"),
                _pick("Status", [s for s, _ in TASK_STATUSES], default="Not Started"),
                _pick("Priority", ["High", "Normal", "Low"], default="Normal"),
                FieldDef("ActivityDate", "date"),
                FieldDef("Description", "textarea", 32000),
                _ref("OwnerId", "User", "Group"),
                _ref("WhoId", "Contact", "Lead"),
                _ref("WhatId", "Account", "Case"),
                _ro("AccountId", "reference", reference_to=["Account"]),
                _pick("CallType", ["Inbound", "Internal", "Outbound"], restricted=True),
                _s("CallDisposition"),
                FieldDef("CallDurationInSeconds", "int"),
                _s("CallObject"),
                _pick(
                    "TaskSubtype",
                    ["Task", "Email", "ListEmail", "Cadence", "Call", "LinkedIn"],
                    updateable=False,
                ),
                _ro("IsClosed", "boolean"),
                FieldDef("TaskWhoIds", "junctionidlist", reference_to=["Contact", "Lead"]),
                _s("CXone_Contact_Id__c", external_id=True, unique=True, custom=True),
            ],
        ),
        new_object(
            "TaskRelation",
            "0RT",
            [
                _ref("TaskId", "Task"),
                _ref("RelationId", "Contact", "Lead", "Account", "Case"),
                _ref("AccountId", "Account"),
                FieldDef("IsWhat", "boolean"),
            ],
            writable=False,
        ),
        new_object(
            "TaskStatus",
            "01J",
            [_s("MasterLabel"), FieldDef("IsClosed", "boolean"), FieldDef("SortOrder", "int")],
            writable=False,
        ),
    ]
    schema = {o.name.lower(): o for o in objs}
    for obj_name, names in (omit or {}).items():
        obj = schema.get(obj_name.lower())
        for fname in names:
            if obj is not None:
                obj.fields.pop(fname.lower(), None)
                obj.derived.clear()
    return schema


def name_fields(obj: ObjectDef) -> list[str]:
    """The object's fields in SOSL's NAME group, in schema order."""
    names: list[str] | None = obj.derived.get("name_fields")
    if names is None:
        names = obj.derived["name_fields"] = [f.name for f in obj.fields.values() if f.name in NAME_FIELDS]
    return names


def field_words(value: Any) -> list[str]:
    """A field value's words as name search sees them: lower-cased runs of letters and digits."""
    return [] if value is None else WORD_RE.findall(str(value).lower())


def infer_field(name: str, value: Any) -> FieldDef:
    """A lenient field definition for a seed field the schema lacks."""
    if isinstance(value, bool):
        ftype = "boolean"
    elif isinstance(value, int):
        ftype = "int"
    elif isinstance(value, float):
        ftype = "double"
    else:
        ftype = "string"
    return FieldDef(name, ftype, 131072 if ftype == "string" else 0, custom=name.endswith("__c"))
