"""Reviewer input, checked before anything is read or written. Pure."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from cxrecon.review.exceptions import InvalidInput, StaleItem
from cxrecon.review.records import KEY_PREFIXES, TASK_PREFIX, RecordInfo, Relation

_ID = re.compile(r"^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$")
_CASE_NUMBER = re.compile(r"^[0-9]{1,10}$")
_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_OTHER_PREFIXES = {"005": "User", TASK_PREFIX: "Task", "006": "Opportunity", "00G": "Queue"}
MAX_WHOS = 50
NO_RELATION_REASONS = {
    "wrong_number": "Wrong number",
    "spam": "Spam",
    "internal_test": "Internal test",
    "other": "Other",
}


def _checksum(id15: str) -> str:
    out = ""
    for start in range(0, 15, 5):
        bits = sum(1 << i for i, ch in enumerate(id15[start : start + 5]) if ch.isupper())
        out += _SUFFIX[bits]
    return out


def is_salesforce_id(text: str) -> bool:
    """A 15-character id, or an 18-character one whose last three characters match its checksum."""
    if not _ID.match(text):
        return False
    return len(text) == 15 or text[15:].upper() == _checksum(text[:15])


def parse_ref(text: str) -> tuple[str, str]:
    """`("id", id)` or `("case", number)` for what a reviewer typed; InvalidInput otherwise."""
    value = text.strip().lstrip("#")
    if _CASE_NUMBER.match(value):
        return "case", value
    if not is_salesforce_id(value):
        shown = value[:40] or "(empty)"
        raise InvalidInput(f"“{shown}” is neither a Salesforce id (15 or 18 characters) nor a case number.")
    kind = KEY_PREFIXES.get(value[:3])
    if kind is None:
        other = _OTHER_PREFIXES.get(value[:3], "another kind of record")
        raise InvalidInput(f"{value} is a {other} id: choose an Account, a Contact or a Case.")
    return "id", value


def relation_for(
    refs: Sequence[str], records: Mapping[str, RecordInfo], *, org: bool = False, note: str | None = None
) -> Relation:
    """The relation for the chosen records (ids resolved to `records`, keyed by 15-character id).

    Contacts become the Task's Name (first is primary, up to 50). At most one Account or Case becomes
    Related To; a Case and its own Account together mean the Case. With no Account or Case, the first
    contact's Account is used: a Task is always related to at least an Account.
    """
    chosen: list[RecordInfo] = []
    for ref in dict.fromkeys(refs):
        record = records.get(ref[:15])
        if record is None:
            raise InvalidInput(f"{ref} does not exist in Salesforce.")
        if record.deleted:
            raise StaleItem(f"{record.type} {record.name or record.id} was deleted or merged; choose again.")
        chosen.append(record)
    if not chosen:
        raise InvalidInput("Choose at least one record.")
    leads = [r for r in chosen if r.type == "Lead"]
    if leads:
        raise InvalidInput(
            f"{leads[0].name or leads[0].id} is a Lead: convert it first, or choose an Account."
        )
    whos = tuple(r.id for r in chosen if r.type == "Contact")
    if len(whos) > MAX_WHOS:
        raise InvalidInput(f"At most {MAX_WHOS} contacts can be related to one Task.")
    whats = [r for r in chosen if r.type in ("Account", "Case")]
    cases = [r for r in whats if r.type == "Case"]
    if len(cases) == 1 and all(
        r.type == "Case" or r.id[:15] == (cases[0].account_id or "")[:15] for r in whats
    ):
        whats = cases
    if len(whats) > 1:
        raise InvalidInput("Choose one Account or one Case for “Related To”, not several.")
    if org:
        if whos or not whats or whats[0].type != "Account":
            raise InvalidInput("“Relate to organisation” needs exactly one organisation Account.")
        return Relation(what_id=whats[0].id, note=note)
    what = whats[0].id if whats else None
    if what is None:
        what = next((r.account_id for r in chosen if r.type == "Contact" and r.account_id), None)
    if what is None:
        raise InvalidInput("The contact has no Account: choose an Account or a Case as well.")
    return Relation(what_id=what, who_ids=whos)
