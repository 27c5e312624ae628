"""What the review service knows about Salesforce records and Tasks: plain values, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# Key prefixes of the objects a reviewer may choose (see SALESFORCE.md, ids).
KEY_PREFIXES: dict[str, str] = {"001": "Account", "003": "Contact", "500": "Case", "00Q": "Lead"}
TASK_PREFIX = "00T"


@dataclass(frozen=True)
class RecordInfo:
    """A record as read back from Salesforce just now (`deleted` covers merged-away records too)."""

    id: str
    type: str
    name: str
    account_id: str | None = None
    account_type: str | None = None
    deleted: bool = False
    case_number: str | None = None


@dataclass(frozen=True)
class TaskState:
    """A Task's current relation: Name (`who_ids`, primary first), Related To, and when it last changed."""

    id: str
    cxone_contact_id: str | None
    what_id: str | None
    who_ids: tuple[str, ...]
    last_modified: datetime | None
    description: str | None = None


@dataclass(frozen=True)
class Relation:
    """The relation a reviewer asks for: a WhatId (Account or Case) and WhoIds (Contacts)."""

    what_id: str | None
    who_ids: tuple[str, ...] = ()
    note: str | None = None  # contact details appended to the Task's notes (relate to organisation)

    def same_as(self, task: TaskState) -> bool:
        return _eq(self.what_id, task.what_id) and [_id15(w) for w in self.who_ids] == [
            _id15(w) for w in task.who_ids
        ]


def _id15(value: str | None) -> str | None:
    return value[:15] if value else None


def _eq(a: str | None, b: str | None) -> bool:
    return _id15(a) == _id15(b)
