"""Small builders for the decision core's inputs: an org slice indexed as the gateway indexes it."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from cxrecon.domain.directory import Directory
from cxrecon.domain.interaction import Channel, Interaction
from cxrecon.domain.lookups import OrgView
from cxrecon.domain.normalise import normalise_email, normalise_phone
from cxrecon.domain.records import (
    AccountRec,
    CaseRec,
    ContactRec,
    DirectoryEntry,
    TaskRec,
    UserRec,
)

HOME_A = AccountRec(id="001A00000000001AAA", name="Smith Household", type="Homeowner")
HOME_B = AccountRec(id="001A00000000002AAA", name="Jones Household", type="Homeowner")
NORTH_VALLEY = AccountRec(
    id="001A00000000003AAA",
    name="North Valley Solar",
    type="Installer",
    website="https://www.northvalley.com",
)
SUNRISE = AccountRec(
    id="001A00000000004AAA", name="Sunrise Installers", type="Installer", website="sunrise.io"
)

JANE = ContactRec(
    id="003A00000000001AAA",
    name="Jane Smith",
    email="jane@example.org",
    phones=("(415) 555-0100",),
    account_id=HOME_A.id,
)
JOHN = ContactRec(
    id="003A00000000002AAA",
    name="John Smith",
    email="john@example.org",
    phones=("415.555.0100",),
    account_id=HOME_A.id,
)
BOB = ContactRec(
    id="003A00000000003AAA",
    name="Bob Jones",
    email="bob@example.net",
    phones=("+1 510 555 0111", "(415) 555-0300"),
    account_id=HOME_B.id,
)
REP = ContactRec(
    id="003A00000000004AAA",
    name="Rita Rep",
    email="rita@northvalley.com",
    phones=("4155550200",),
    account_id=NORTH_VALLEY.id,
)
SHARED_1 = ContactRec(id="003A00000000005AAA", name="Sam Lee", phones=("6505550123",), account_id=HOME_A.id)
SHARED_2 = ContactRec(id="003A00000000006AAA", name="Sam Lee", phones=("650-555-0123",), account_id=HOME_B.id)

CASE_A = CaseRec(id="500A00000000001AAA", case_number="00001234", account_id=HOME_A.id, contact_id=JANE.id)
CASE_B = CaseRec(id="500A00000000002AAA", case_number="00005678", account_id=HOME_B.id, contact_id=BOB.id)
CLOSED_A = CaseRec(id="500A00000000003AAA", case_number="00000042", account_id=HOME_A.id, is_closed=True)

AGENT = UserRec(id="005A00000000001AAA", name="Alice Agent", federation_id="111")
INTEGRATION = UserRec(id="005A00000000009AAA", name="cxrecon Integration")

ALL_ACCOUNTS = (HOME_A, HOME_B, NORTH_VALLEY, SUNRISE)
ALL_CONTACTS = (JANE, JOHN, BOB, REP, SHARED_1, SHARED_2)
ALL_CASES = (CASE_A, CASE_B, CLOSED_A)


def view(
    *,
    contacts: tuple[ContactRec, ...] = ALL_CONTACTS,
    cases: tuple[CaseRec, ...] = ALL_CASES,
    tasks: tuple[TaskRec, ...] = (),
    accounts: tuple[AccountRec, ...] = ALL_ACCOUNTS,
    names: dict[str, tuple[ContactRec, ...]] | None = None,
) -> OrgView:
    by_phone: dict[str, list[ContactRec]] = defaultdict(list)
    by_email: dict[str, list[ContactRec]] = defaultdict(list)
    for contact in contacts:
        for phone in contact.phones:
            e164 = normalise_phone(phone)
            if e164 and contact not in by_phone[e164]:
                by_phone[e164].append(contact)
        email = normalise_email(contact.email)
        if email:
            by_email[email].append(contact)
    orgs: dict[str, list[AccountRec]] = defaultdict(list)
    for account in accounts:
        if account.is_organisation and account.website:
            domain = account.website.lower().split("//")[-1].removeprefix("www.").split("/")[0]
            orgs[domain].append(account)
    return OrgView(
        contacts_by_phone={k: tuple(v) for k, v in by_phone.items()},
        contacts_by_email={k: tuple(v) for k, v in by_email.items()},
        contacts_by_name=names or {},
        contacts_by_id={c.id: c for c in contacts},
        cases_by_number={c.case_number: c for c in cases},
        cases_by_id={c.id: c for c in cases},
        accounts={a.id: a for a in accounts},
        installer_orgs_by_domain={k: tuple(v) for k, v in orgs.items()},
        open_cases_by_account={
            a.id: tuple(c for c in cases if c.account_id == a.id and not c.is_closed) for a in accounts
        },
        tasks_by_cxone_id={t.cxone_contact_id or "": t for t in tasks},
        users_by_federation_id={u.federation_id: u for u in (AGENT,) if u.federation_id},
        users_by_name={AGENT.name.casefold(): (AGENT,)},
        integration_user_id=INTEGRATION.id,
    )


def interaction(interaction_id: str = "1001", **fields: Any) -> Interaction:
    base: dict[str, Any] = {
        "interaction_id": interaction_id,
        "channel": Channel.CALL,
        "started_at": datetime(2026, 11, 20, 10, 0, tzinfo=UTC),
        "agent_id": "111",
        "source_file": "test.json",
        "source_line": 1,
    }
    base.update(fields)
    return Interaction(**base)


def directory(*entries: DirectoryEntry) -> Directory:
    return Directory(entries)
