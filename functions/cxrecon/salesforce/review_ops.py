"""What the review console needs from Salesforce: records by id (type-checked by key prefix, deleted
ones included so they can be reported), a case by number, a Task's current relation, and the update
that relates a Task."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import partial
from typing import Any

from simple_salesforce.api import Salesforce
from simple_salesforce.format import format_soql

from cxrecon.review.records import KEY_PREFIXES, RecordInfo, Relation, TaskState
from cxrecon.salesforce.client import SalesforceCall
from cxrecon.salesforce.writes import EXTERNAL_ID_FIELD

_FIELDS = {
    "Account": "Id, Name, Type, IsDeleted",
    "Contact": "Id, Name, AccountId, IsDeleted",
    "Case": "Id, CaseNumber, Subject, AccountId, IsDeleted",
    "Lead": "Id, Name, IsDeleted",
}
_TASK_FIELDS = f"Id, WhoId, WhatId, LastModifiedDate, Description, {EXTERNAL_ID_FIELD}"
CASE_NUMBER_WIDTH = 8


def _select(fields: str, sobject: str) -> str:
    return f"SELECT {fields} FROM {sobject}"  # noqa: S608 - constant field lists; values go through format_soql


def _query(sf: Salesforce, soql: str, *, include_deleted: bool = False) -> list[dict[str, Any]]:
    return list(sf.query_all(soql, include_deleted=include_deleted).get("records", []))


def _record(sobject: str, row: dict[str, Any]) -> RecordInfo:
    name = row.get("Name") or (f"Case {row['CaseNumber']}" if sobject == "Case" else "")
    if sobject == "Case" and row.get("Subject"):
        name = f"{name}: {row['Subject']}"
    return RecordInfo(
        id=str(row["Id"]),
        type=sobject,
        name=str(name),
        account_id=row.get("AccountId") or (row["Id"] if sobject == "Account" else None),
        account_type=row.get("Type") if sobject == "Account" else None,
        deleted=bool(row.get("IsDeleted")),
        case_number=row.get("CaseNumber"),
    )


def get_records(call: SalesforceCall, ids: Sequence[str]) -> dict[str, RecordInfo]:
    """Records by id, deleted ones included; unknown prefixes and missing ids are simply absent.
    Keys are the 15-character ids, so 15- and 18-character forms both find their record."""
    by_type: dict[str, list[str]] = {}
    for record_id in dict.fromkeys(ids):
        sobject = KEY_PREFIXES.get(record_id[:3])
        if sobject:
            by_type.setdefault(sobject, []).append(record_id)
    found: dict[str, RecordInfo] = {}
    for sobject, wanted in by_type.items():
        soql = format_soql(_select(_FIELDS[sobject], sobject) + " WHERE Id IN {}", wanted)
        for row in call(partial(_query, soql=soql, include_deleted=True)):
            record = _record(sobject, row)
            found[record.id[:15]] = record
    return found


def find_case(call: SalesforceCall, number: str) -> RecordInfo | None:
    """The live case with this number (as typed, or zero-padded to Salesforce's eight digits)."""
    numbers = list(dict.fromkeys([number, number.zfill(CASE_NUMBER_WIDTH)]))
    soql = format_soql(_select(_FIELDS["Case"], "Case") + " WHERE CaseNumber IN {}", numbers)
    rows = call(partial(_query, soql=soql))
    return _record("Case", rows[0]) if rows else None


def _sf_datetime(value: Any) -> datetime | None:
    if not value:
        return None
    text = str(value)
    if text.endswith("+0000"):
        text = text[:-5] + "+00:00"
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def read_task(call: SalesforceCall, *, task_id: str | None, cxone_contact_id: str) -> TaskState | None:
    """A Task (by id, else by CXone contact id) and its Name contacts, primary first."""
    if task_id:
        soql = format_soql(_select(_TASK_FIELDS, "Task") + " WHERE Id = {}", task_id)
    else:
        soql = format_soql(
            _select(_TASK_FIELDS, "Task") + f" WHERE {EXTERNAL_ID_FIELD} = {{}}", cxone_contact_id
        )
    rows = call(partial(_query, soql=soql))
    if not rows:
        return None
    row = rows[0]
    relations = call(
        partial(
            _query,
            soql=format_soql(
                "SELECT RelationId FROM TaskRelation WHERE TaskId = {} AND IsWhat = false", row["Id"]
            ),
        )
    )
    primary = row.get("WhoId")
    others = [str(r["RelationId"]) for r in relations if str(r["RelationId"])[:15] != str(primary or "")[:15]]
    return TaskState(
        id=str(row["Id"]),
        cxone_contact_id=row.get(EXTERNAL_ID_FIELD),
        what_id=row.get("WhatId"),
        who_ids=tuple([str(primary)] if primary else []) + tuple(others),
        last_modified=_sf_datetime(row.get("LastModifiedDate")),
        description=row.get("Description"),
    )


def _update(sf: Salesforce, task_id: str, fields: dict[str, Any]) -> None:
    task: Any = sf.Task
    task.update(task_id, fields)


def relate_task(call: SalesforceCall, task: TaskState, relation: Relation) -> None:
    """Set the Task's Related To and Name contacts (the whole set, replacing the old one); append the
    relation's note to the Task's notes unless it is there already. TaskSubtype is never sent."""
    fields: dict[str, Any] = {
        "WhatId": relation.what_id,
        "WhoId": relation.who_ids[0] if relation.who_ids else None,
        "TaskWhoIds": list(relation.who_ids),
    }
    if relation.note and relation.note not in (task.description or ""):
        fields["Description"] = "\n\n".join(p for p in (task.description, relation.note) if p)[:32_000]
    call(partial(_update, task_id=task.id, fields=fields))
