"""Task upserts through sObject Collections packed into one composite call."""

from __future__ import annotations

from typing import Any

from cxrecon.domain.writes import TaskWrite
from cxrecon.salesforce import SalesforceGateway

from .conftest import ACME, AGENT, ANA, BOB, CASE_OPEN, sf_id


def _writes(n: int, *, exists: bool, subject: str) -> list[TaskWrite]:
    return [
        TaskWrite(
            cxone_contact_id=f"cx-{i:04d}",
            fields={
                "Subject": subject,
                "Status": "Completed",
                "Priority": "Normal",
                "OwnerId": AGENT,
                "WhoId": ANA if i % 2 else BOB,
                "WhatId": CASE_OPEN if i % 3 == 0 else ACME,
                "ActivityDate": "2026-11-20",
                "Description": f"Interaction {i}",
                "CallType": "Inbound",
                "CallDisposition": "Resolved",
                "CallDurationInSeconds": 60 + i,
                "CallObject": f"cxone-{i}",
            },
            create_only={"TaskSubtype": "Call"},
            exists=exists,
        )
        for i in range(n)
    ]


def test_450_tasks_are_created_then_updated_in_one_call_each(sb: Any, gateway: SalesforceGateway) -> None:
    gateway.ensure_ready()
    before = sb.api_calls
    created = gateway.upsert_tasks(_writes(450, exists=False, subject="Inbound call"))
    create_calls = sb.api_calls - before
    assert [r.cxone_contact_id for r in created] == [f"cx-{i:04d}" for i in range(450)]
    assert all(r.success and r.created is True and r.task_id for r in created)

    before = sb.api_calls
    updated = gateway.upsert_tasks(_writes(450, exists=True, subject="Inbound call (reconciled)"))
    update_calls = sb.api_calls - before
    print(f"API calls for 450 task upserts: create {create_calls}, update {update_calls}")
    assert create_calls == 1 and update_calls == 1
    assert all(r.success and r.created is False for r in updated)
    assert [r.task_id for r in updated] == [r.task_id for r in created]

    tasks = {t["CXone_Contact_Id__c"]: t for t in sb.dump()["Task"]}
    assert len(tasks) == 450
    t7 = tasks["cx-0007"]
    assert t7["Subject"] == "Inbound call (reconciled)"
    assert t7["WhoId"] == ANA and t7["WhatId"] == ACME and t7["OwnerId"] == AGENT
    assert t7["TaskSubtype"] == "Call" and t7["CallDurationInSeconds"] == 67
    assert t7["Status"] == "Completed"


def test_a_record_error_fails_only_that_record(sb: Any, gateway: SalesforceGateway) -> None:
    writes = _writes(3, exists=False, subject="Call")
    missing_case = sf_id("500", 999)
    writes[1] = writes[1].model_copy(update={"fields": {**writes[1].fields, "WhatId": missing_case}})
    results = gateway.upsert_tasks(writes)
    assert [r.success for r in results] == [True, False, True]
    failed = results[1]
    assert failed.cxone_contact_id == "cx-0001"
    assert failed.error_code and not failed.retryable
    assert {t["CXone_Contact_Id__c"] for t in sb.dump()["Task"]} == {"cx-0000", "cx-0002"}


def test_row_locks_come_back_as_retryable_record_results(sb: Any, gateway: SalesforceGateway) -> None:
    gateway.ensure_ready()
    sb.faults.fail_next(1, "UNABLE_TO_LOCK_ROW")
    results = gateway.upsert_tasks(_writes(2, exists=False, subject="Call"))
    assert [(r.success, r.error_code, r.retryable) for r in results] == [
        (False, "UNABLE_TO_LOCK_ROW", True)
    ] * 2
    assert all(r.success for r in gateway.upsert_tasks(_writes(2, exists=False, subject="Call")))


def test_a_whole_request_outage_is_retried(sb: Any, gateway: SalesforceGateway) -> None:
    gateway.ensure_ready()
    sb.faults.fail_next(1, "503")
    results = gateway.upsert_tasks(_writes(201, exists=False, subject="Call"))
    assert len(results) == 201 and all(r.success for r in results)


def test_nothing_to_write_costs_nothing(sb: Any, gateway: SalesforceGateway) -> None:
    gateway.ensure_ready()
    before = sb.api_calls
    assert gateway.upsert_tasks([]) == []
    assert sb.api_calls == before
