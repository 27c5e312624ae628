"""fetch_org_view against the sandbox: what it finds, and how few API calls it spends."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from cxrecon.domain.interaction import Channel, Interaction
from cxrecon.domain.lookup_keys import name_keys
from cxrecon.domain.lookups import LookupKeys, OrgView
from cxrecon.domain.writes import TaskWrite
from cxrecon.salesforce import SalesforceGateway

from .conftest import (
    ACME,
    AGENT,
    ANA,
    BOB,
    CARL,
    CASE_CLOSED,
    CASE_OPEN,
    HOME,
    INTEGRATION,
    INTEGRATION_USER,
    LEAD,
    SUNIO,
    make_factory,
    org_snapshot,
)


def test_contacts_are_found_by_phone_whatever_the_stored_format(gateway: SalesforceGateway) -> None:
    phones = {"+14155550100", "+14155550101", "+14155550102", "+49301234567", "+14155559999"}
    view = gateway.fetch(LookupKeys(phones=frozenset(phones)))
    assert [c.id for c in view.contacts_by_phone["+14155550100"]] == [ANA]  # (415) 555-0100
    assert [c.id for c in view.contacts_by_phone["+14155550101"]] == [ANA]  # +1 415 555 0101 (mobile)
    assert [c.id for c in view.contacts_by_phone["+14155550102"]] == [BOB]  # 415.555.0102
    assert [c.id for c in view.contacts_by_phone["+49301234567"]] == [CARL]  # +49 30 1234567
    assert "+14155559999" not in view.contacts_by_phone
    assert set(view.accounts) >= {HOME, ACME}


def test_leads_are_found_by_phone_and_email(gateway: SalesforceGateway) -> None:
    view = gateway.fetch(
        LookupKeys(phones=frozenset({"+16505550123"}), emails=frozenset({"lee@prospect.example"}))
    )
    assert [lead.id for lead in view.leads_by_phone["+16505550123"]] == [LEAD]
    assert [lead.id for lead in view.leads_by_email["lee@prospect.example"]] == [LEAD]


def test_contacts_are_found_by_mixed_case_email(gateway: SalesforceGateway) -> None:
    view = gateway.fetch(LookupKeys(emails=frozenset({"ana.rivera@example.com", "nobody@example.com"})))
    assert [c.id for c in view.contacts_by_email["ana.rivera@example.com"]] == [ANA]
    assert "nobody@example.com" not in view.contacts_by_email


def test_cases_by_number_and_id_bring_their_accounts_and_open_cases(gateway: SalesforceGateway) -> None:
    view = gateway.fetch(
        LookupKeys(case_numbers=frozenset({"00001002"}), case_ids=frozenset({CASE_OPEN[:15]}))
    )
    assert view.cases_by_number["00001002"].id == CASE_CLOSED
    assert view.cases_by_number["00001002"].is_closed
    assert view.cases_by_id[CASE_OPEN[:15]].case_number == "00001001"
    assert {ACME, HOME} <= set(view.accounts)
    assert [c.id for c in view.open_cases_by_account[HOME]] == [CASE_OPEN]
    assert ACME not in view.open_cases_by_account  # its only case is closed


def test_installer_orgs_match_the_website_domain_exactly(gateway: SalesforceGateway) -> None:
    view = gateway.fetch(LookupKeys(email_domains=frozenset({"acme-solar.com", "sun.io"})))
    assert [a.id for a in view.installer_orgs_by_domain["acme-solar.com"]] == [ACME]
    # brightsun.io contains "sun.io" but is another domain.
    assert [a.id for a in view.installer_orgs_by_domain["sun.io"]] == [SUNIO]
    assert view.accounts[ACME].is_organisation


def test_users_by_federation_id_and_active_name_and_the_integration_user(gateway: SalesforceGateway) -> None:
    view = gateway.fetch(
        LookupKeys(agent_ids=frozenset({"cx-agent-17", "cx-agent-03"}), agent_names=frozenset({"dana agent"}))
    )
    assert view.users_by_federation_id["cx-agent-17"].id == AGENT
    assert not view.users_by_federation_id["cx-agent-03"].is_active  # inactive users are reported as such
    assert view.integration_user_id == INTEGRATION


def test_users_by_name_are_active_only(gateway: SalesforceGateway) -> None:
    view = gateway.fetch(LookupKeys(agent_names=frozenset({"Dana Agent"})))
    assert [u.id for u in view.users_by_name["dana agent"]] == [AGENT]


def test_contacts_by_typed_name(gateway: SalesforceGateway) -> None:
    view = gateway.fetch(LookupKeys(names=frozenset({"Bob O'Brien", "Ana Rivera"})))
    assert [c.id for c in view.contacts_by_name["bob o'brien"]] == [BOB]
    assert [c.id for c in view.contacts_by_name["ana rivera"]] == [ANA]


def _name_searches(sb: Any, gateway: SalesforceGateway, typed: list[str]) -> tuple[OrgView, int]:
    gateway.ensure_ready()
    before = sb.api_calls
    chats = [
        Interaction(
            interaction_id=f"chat-{n}",
            channel=Channel.CHAT,
            started_at=datetime(2024, 5, 1, tzinfo=UTC),
            customer_name=name,
            source_file="chats.csv",
        )
        for n, name in enumerate(typed)
    ]
    view = gateway.fetch_names(name_keys(chats))
    return view, sb.api_calls - before


def test_typed_names_found_as_phrases_cost_one_search(sb: Any, gateway: SalesforceGateway) -> None:
    # GIVEN typed names that are right but swapped, or a nickname of the stored first name
    view, spent = _name_searches(sb, gateway, ["Rivera, Ana", "Robert O'Brien"])
    # THEN one SOSL search found both (plus one composite call for their accounts)
    assert [c.id for c in view.contacts_by_name["rivera ana"]] == [ANA]
    assert [c.id for c in view.contacts_by_name["bob brien"]] == [BOB]
    assert HOME in view.accounts
    assert spent == 1 + 1


def test_a_typed_name_no_phrase_finds_is_searched_word_by_word(sb: Any, gateway: SalesforceGateway) -> None:
    # GIVEN a typo in the last name: no phrase finds anyone
    view, spent = _name_searches(sb, gateway, ["Ana Rivere", "Carl Nobody"])
    # THEN its words are searched in a second SOSL call, and only people who can rank are kept
    assert [c.id for c in view.contacts_by_name["ana"]] == [ANA]
    assert CARL not in {c.id for cs in view.contacts_by_name.values() for c in cs}
    assert spent == 2 + 1


def test_existing_tasks_come_with_all_their_who_ids(gateway: SalesforceGateway) -> None:
    [result] = gateway.upsert_tasks(
        [
            TaskWrite(
                cxone_contact_id="cx-1", fields={"Subject": "Call", "TaskWhoIds": [BOB, ANA], "WhatId": ACME}
            )
        ]
    )
    assert result.success, result
    view = gateway.fetch(LookupKeys(cxone_contact_ids=frozenset({"cx-1", "cx-unknown"})))
    task = view.tasks_by_cxone_id["cx-1"]
    assert task.who_ids == (BOB, ANA)
    assert task.what_id == ACME and task.id == result.task_id
    assert "cx-unknown" not in view.tasks_by_cxone_id


def test_empty_keys_cost_only_the_integration_user_lookup(sb: Any, gateway: SalesforceGateway) -> None:
    gateway.ensure_ready()
    before = sb.api_calls
    view = gateway.fetch(LookupKeys())
    assert view.integration_user_id == INTEGRATION
    assert sb.api_calls - before == 1


def test_a_thousand_keys_cost_at_most_six_api_calls(sb: Any, gateway: SalesforceGateway) -> None:
    keys = LookupKeys(
        phones=frozenset({f"+1415555{n:04d}" for n in range(300)}),
        emails=frozenset({f"customer.{n}@example.com" for n in range(300)} | {"ana.rivera@example.com"}),
        names=frozenset({f"Person {n}" for n in range(50)}),
        case_numbers=frozenset({f"{n:08d}" for n in range(1000, 1100)}),
        cxone_contact_ids=frozenset({f"{700000000 + n}" for n in range(200)}),
        agent_ids=frozenset({f"cx-agent-{n}" for n in range(25)}),
        agent_names=frozenset({f"Agent {n}" for n in range(10)}),
        email_domains=frozenset({f"installer{n}.example" for n in range(15)} | {"acme-solar.com"}),
    )
    gateway.ensure_ready()
    before_sb, before_gw = sb.api_calls, gateway.api_calls
    view = gateway.fetch(keys)
    spent = sb.api_calls - before_sb
    print(f"API calls for a {sum(len(v) for v in keys.model_dump().values())}-key fetch: {spent}")
    assert spent == gateway.api_calls - before_gw
    assert spent <= 6
    assert [c.id for c in view.contacts_by_phone["+14155550100"]] == [ANA]
    assert "00001001" in view.cases_by_number
    assert [a.id for a in view.installer_orgs_by_domain["acme-solar.com"]] == [ACME]


def test_results_beyond_one_batch_follow_next_records_url(
    start_sandbox: Callable[..., Any], keypair: tuple[bytes, bytes]
) -> None:
    org = org_snapshot()
    org["Case"] += [
        {"CaseNumber": f"{n:08d}", "AccountId": ACME, "Status": "New", "IsClosed": False, "Subject": "Bulk"}
        for n in range(5000, 7100)
    ]
    sb = start_sandbox(org=org)
    gateway = SalesforceGateway(make_factory(sb, keypair[0]), integration_username=INTEGRATION_USER)
    gateway.ensure_ready()
    before = sb.api_calls
    view = gateway.fetch(LookupKeys(account_ids=frozenset({ACME})))
    assert len(view.open_cases_by_account[ACME]) == 2100
    assert sb.api_calls - before == 3  # first round, second round, one query_more
