"""Pure translation of Salesforce response rows into the domain's record types.

Rows are the JSON objects of query or search results; their `attributes` are ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import phonenumbers

from cxrecon.domain.records import AccountRec, CaseRec, ContactRec, LeadRec, TaskRec, UserRec

Row = Mapping[str, Any]
R = TypeVar("R", ContactRec, LeadRec)
PHONE_FIELDS = ("Phone", "MobilePhone", "HomePhone", "OtherPhone")


def _s(row: Row, key: str) -> str | None:
    value = row.get(key)
    return None if value is None or value == "" else str(value)


def _phones(row: Row) -> tuple[str, ...]:
    return tuple(str(row[f]) for f in PHONE_FIELDS if row.get(f))


def contact_rec(row: Row) -> ContactRec:
    return ContactRec(
        id=str(row["Id"]),
        name=_s(row, "Name") or "",
        first_name=_s(row, "FirstName"),
        last_name=_s(row, "LastName"),
        email=_s(row, "Email"),
        phones=_phones(row),
        account_id=_s(row, "AccountId"),
    )


def lead_rec(row: Row) -> LeadRec:
    return LeadRec(
        id=str(row["Id"]),
        name=_s(row, "Name") or "",
        email=_s(row, "Email"),
        phones=_phones(row),
        company=_s(row, "Company"),
    )


def case_rec(row: Row) -> CaseRec:
    return CaseRec(
        id=str(row["Id"]),
        case_number=str(row.get("CaseNumber") or ""),
        account_id=_s(row, "AccountId"),
        contact_id=_s(row, "ContactId"),
        is_closed=bool(row.get("IsClosed")),
        status=_s(row, "Status"),
        subject=_s(row, "Subject"),
    )


def account_rec(row: Row) -> AccountRec:
    return AccountRec(
        id=str(row["Id"]),
        name=_s(row, "Name") or "",
        type=_s(row, "Type"),
        parent_id=_s(row, "ParentId"),
        website=_s(row, "Website"),
    )


def user_rec(row: Row) -> UserRec:
    return UserRec(
        id=str(row["Id"]),
        name=_s(row, "Name") or "",
        email=_s(row, "Email"),
        federation_id=_s(row, "FederationIdentifier"),
        is_active=row.get("IsActive") is not False,
    )


def task_rec(row: Row) -> TaskRec:
    """A Task row; `who_ids` holds only the primary WhoId until TaskRelation rows are merged in."""
    who = _s(row, "WhoId")
    return TaskRec(
        id=str(row["Id"]),
        cxone_contact_id=_s(row, "CXone_Contact_Id__c"),
        who_ids=(who,) if who else (),
        what_id=_s(row, "WhatId"),
        owner_id=_s(row, "OwnerId"),
        status=_s(row, "Status"),
        is_closed=bool(row.get("IsClosed")),
        subtype=_s(row, "TaskSubtype"),
        last_modified_by_id=_s(row, "LastModifiedById"),
    )


def to_e164(raw: str, region: str) -> str | None:
    """`raw` as E.164 when it parses as a phone number (stored in any format), else None."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def phone_search_term(e164: str) -> str:
    """The digits a phone search looks for: national digits for +1 numbers, all digits otherwise."""
    digits = "".join(ch for ch in e164 if ch.isdigit())
    return digits[1:] if e164.startswith("+1") and len(digits) == 11 else digits
