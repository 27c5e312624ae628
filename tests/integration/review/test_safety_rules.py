"""The review console's safety rules, against moto and the Salesforce sandbox."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import pyarrow.parquet as pq
import pytest

from cxrecon.review import (
    AlreadyDecided,
    ApplyRequest,
    ClaimLost,
    InvalidInput,
    ReviewService,
    StaleItem,
    sweep,
)
from cxrecon_local.local_pipeline import LocalPipeline


def _task(local: LocalPipeline, task_id: str) -> dict[str, object]:
    sf = local.sandbox.client()
    return dict(sf.query(f"SELECT Id, WhoId, WhatId FROM Task WHERE Id = '{task_id}'")["records"][0])


def _decision_rows(local: LocalPipeline, item_id: str) -> list[dict[str, object]]:
    s3 = local.stack.client("s3")
    rows = []
    for obj in s3.list_objects_v2(Bucket=local.outputs_bucket, Prefix="decisions/").get("Contents", []):
        body = s3.get_object(Bucket=local.outputs_bucket, Key=obj["Key"])["Body"].read()
        rows += [r for r in pq.read_table(io.BytesIO(body)).to_pylist() if r["interaction_id"] == item_id]
    return rows


def _contact_candidates(service: ReviewService, item_id: str) -> list[str]:
    message = service.message_of(service.item(item_id))
    return [c.record_id for c in message.candidates if c.record_type == "Contact"]


def test_two_reviewers_never_hold_the_same_item(service: ReviewService) -> None:
    a = service.claim_next("a@example.com")
    b = service.claim_next("b@example.com")
    assert a is not None and b is not None and a["pk"] != b["pk"]
    a_id = str(a["pk"]).removeprefix("REVIEW#")
    with pytest.raises(ClaimLost):
        service.claim(a_id, "b@example.com")
    with pytest.raises(ClaimLost):
        service.apply(a_id, "b@example.com", ApplyRequest(action="no_relation", reason="spam"))
    assert service.item(a_id)["claimed_by"] == "a@example.com"
    service.release(a_id, "a@example.com")
    service.release(str(b["pk"]).removeprefix("REVIEW#"), "b@example.com")


def test_apply_relates_the_task_writes_a_row_and_a_second_apply_is_a_no_op(
    service: ReviewService, console: LocalPipeline
) -> None:
    item_id = "600000000047"
    service.claim(item_id, "lead@example.com")
    contact = _contact_candidates(service, item_id)[0]
    first = service.apply(item_id, "lead@example.com", ApplyRequest(action="relate", records=[contact]))
    assert first.changed and first.status == "resolved"
    task_id = service.message_of(service.item(item_id)).task_id
    assert task_id is not None
    assert str(_task(console, task_id)["WhoId"])[:15] == contact[:15]
    calls = console.sandbox.api_calls
    second = service.apply(item_id, "lead@example.com", ApplyRequest(action="relate", records=[contact]))
    assert not second.changed and console.sandbox.api_calls == calls
    (row,) = [r for r in _decision_rows(console, item_id) if r["decided_by"] == "lead@example.com"]
    assert row["who_ids"] == [contact] and row["previous_who_ids"] == [] and row["outcome"] == "related"
    with pytest.raises(AlreadyDecided):
        service.apply(item_id, "lead@example.com", ApplyRequest(action="no_relation", reason="spam"))


def test_bad_input_changes_nothing(service: ReviewService, console: LocalPipeline) -> None:
    item_id = "600000000049"
    service.claim(item_id, "lead@example.com")
    before = console.sandbox.dump()["Task"]
    for records in (["not-an-id"], ["005Hs0000000001IAA"], ["99999999"]):
        with pytest.raises(InvalidInput):
            service.apply(item_id, "lead@example.com", ApplyRequest(action="relate", records=records))
    assert console.sandbox.dump()["Task"] == before
    assert service.item(item_id)["status"] == "claimed"
    service.release(item_id, "lead@example.com")


def test_a_deleted_record_or_a_changed_task_keeps_the_item_open(
    service: ReviewService, console: LocalPipeline
) -> None:
    item_id = "600000000056"
    service.claim(item_id, "lead@example.com")
    first, *_ = _contact_candidates(service, item_id)
    sf = console.sandbox.client()
    sf.Contact.delete(first)
    with pytest.raises(StaleItem, match="deleted or merged"):
        service.apply(item_id, "lead@example.com", ApplyRequest(action="relate", records=[first]))
    task_id = str(service.message_of(service.item(item_id)).task_id)
    sf.Task.update(task_id, {"Subject": "Changed by an agent"})
    account = next(
        c.record_id
        for c in service.message_of(service.item(item_id)).candidates
        if c.record_type == "Account"
    )
    with pytest.raises(StaleItem, match="changed in Salesforce"):
        service.apply(item_id, "lead@example.com", ApplyRequest(action="relate", records=[account]))
    assert service.item(item_id)["status"] == "claimed"
    assert _task(console, task_id)["WhatId"] is None


def test_relink_updates_the_task_and_keeps_the_old_row(
    service: ReviewService, console: LocalPipeline
) -> None:
    item_id = "600000000119"
    service.claim(item_id, "lead@example.com")
    message = service.message_of(service.item(item_id))
    accounts = [c.record_id for c in message.candidates if c.record_type in ("Account", "Case")]
    service.apply(item_id, "lead@example.com", ApplyRequest(action="relate", records=[accounts[0]]))
    other = next(
        a
        for a in service.message_of(service.item(item_id)).candidates
        if a.record_type == "Account" and a.record_id != accounts[0]
    )
    result = service.relink(item_id, "ops@example.com", [other.record_id])
    assert result.changed
    assert str(_task(console, str(message.task_id))["WhatId"])[:15] == other.record_id[:15]
    rows = sorted(_decision_rows(console, item_id), key=lambda r: r["decided_at"])
    assert [r["decided_by"] for r in rows] == ["lead@example.com", "ops@example.com"]  # both kept
    assert rows[-1]["previous_what_id"][:15] == accounts[0][:15]


def test_sweep_requeues_dead_letters_stale_messages_and_expired_claims(
    service: ReviewService, console: LocalPipeline
) -> None:
    sqs = console.stack.client("sqs")
    queue, dlq = console.resource("ReviewQueue"), console.resource("ReviewDLQ")
    # a claim that expired
    service.claim("600000000163", "gone@example.com")
    expired = ReviewService(
        service.store,
        service.queue,
        service.salesforce,
        service.sink,
        now=lambda: datetime.now(UTC) + timedelta(hours=2),
        claim_seconds=60,
        retention_seconds=3600,
    )
    # a message that went to the DLQ
    body = service.item("600000000169")["body"]
    sqs.send_message(QueueUrl=dlq, MessageBody=str(body))
    report = sweep(expired)
    assert "600000000163" in report.released
    assert "600000000169" in report.requeued
    # with a one-hour retention, every open message is about to expire two hours later: all re-sent
    assert set(report.requeued) >= {"600000000122"}
    assert (
        int(
            sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["All"])["Attributes"][
                "ApproximateNumberOfMessages"
            ]
        )
        == 0
    )
    assert json.loads(str(body))["item_id"] == "600000000169"
    assert queue
