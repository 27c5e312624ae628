"""Queueing review items against moto: durable in the ledger first, sent once, counted once."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pyarrow.parquet as pq
import pytest

from cxrecon.adapters.ledger import ReviewLedger
from cxrecon.adapters.s3 import S3Store
from cxrecon.adapters.sqs import SqsQueue
from cxrecon.domain.directory import Directory
from cxrecon.domain.interaction import Channel, Interaction
from cxrecon.pipeline.messages import ReviewMessage
from cxrecon.pipeline.reconcile import ReconcileDeps, _queue_reviews
from cxrecon.review import ReviewService, sweep
from cxrecon.review.aws import S3DecisionSink, SqsReviewQueue
from cxrecon_local.stack import LocalStack, start_local_stack

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    with start_local_stack() as local:
        yield local


def _ledger(stack: LocalStack) -> ReviewLedger:
    return ReviewLedger(stack.client("dynamodb"), stack.resources["LedgerTable"])


def _deps(stack: LocalStack) -> ReconcileDeps:
    return ReconcileDeps(
        store=S3Store(stack.client("s3")),
        ledger=_ledger(stack),
        review_queue=SqsQueue(stack.client("sqs"), stack.resources["ReviewQueue"]),
        salesforce=None,  # type: ignore[arg-type] - queueing reviews never calls Salesforce
        directory=Directory,
        outputs_bucket=stack.resources["OutputsBucket"],
        region="US",
        now=lambda: NOW,
    )


def _review(item_id: str, file_id: str) -> ReviewMessage:
    ix = Interaction(interaction_id=item_id, channel=Channel.CALL, started_at=NOW, source_file="f.csv")
    return ReviewMessage(
        item_id=item_id, interaction=ix, reason="no_match", reason_text="", candidates=(), evidence=(),
        task_id=None, file_id=file_id, queued_at=NOW,
    )  # fmt: skip


def _drain(stack: LocalStack) -> list[dict[str, Any]]:
    sqs = stack.client("sqs")
    bodies = []
    while messages := sqs.receive_message(
        QueueUrl=stack.resources["ReviewQueue"], MaxNumberOfMessages=10
    ).get("Messages"):
        for m in messages:
            bodies.append(m)
            sqs.delete_message(QueueUrl=stack.resources["ReviewQueue"], ReceiptHandle=m["ReceiptHandle"])
    return bodies


def _open_rows(stack: LocalStack, key: str) -> list[str]:
    body = stack.client("s3").get_object(Bucket=stack.resources["OutputsBucket"], Key=key)["Body"].read()
    return sorted(r["interaction_id"] for r in pq.read_table(io.BytesIO(body)).to_pylist())


def _sent_ids(stack: LocalStack) -> list[str]:
    return sorted(json.loads(m["Body"])["item_id"] for m in _drain(stack))


def _attrs(item_id: str, file_id: str) -> dict[str, str]:
    return {"reason": "no_match", "file_id": file_id, "body": _review(item_id, file_id).model_dump_json()}


def test_a_retried_chunk_sends_only_what_was_never_sent_and_keeps_every_open_row(stack: LocalStack) -> None:
    deps = _deps(stack)
    first, second = _review("r-1", "file-a"), _review("r-2", "file-a")
    # GIVEN an attempt that recorded and sent the first item, then crashed
    assert deps.ledger.add_review_items([("r-1", NOW.isoformat(), _attrs("r-1", "file-a"))], batch="first")
    deps.ledger.mark_batch_sent("first", NOW.isoformat())
    # WHEN the chunk is retried
    _queue_reviews([first, second], deps, "00000")
    # THEN only the unsent item goes out, and the chunk's open rows name both
    assert [m["Body"] for m in _drain(stack)] == [second.model_dump_json()]
    assert _open_rows(stack, "review_items/dt=2026-11-20/file-a-00000-queued.parquet") == ["r-1", "r-2"]


def test_an_item_another_file_queued_is_neither_resent_nor_reopened(stack: LocalStack) -> None:
    deps = _deps(stack)
    _queue_reviews([_review("r-9", "file-b")], deps, "00000")
    _drain(stack)
    _queue_reviews([_review("r-9", "file-c"), _review("r-10", "file-c")], deps, "00000")
    assert [m["Body"] for m in _drain(stack)] == [_review("r-10", "file-c").model_dump_json()]
    assert _open_rows(stack, "review_items/dt=2026-11-20/file-c-00000-queued.parquet") == ["r-10"]


def test_items_are_recorded_in_transactions_and_a_conflict_drops_only_the_items_sent_before(
    stack: LocalStack,
) -> None:
    ledger = _ledger(stack)
    ids = [f"t-{i:03d}" for i in range(250)]  # three transactions' worth
    attrs = {"reason": "no_match", "file_id": "file-t"}
    # GIVEN items recorded and stamped sent before (as the sweep stamps what it re-sends), in every
    # transaction, and one recorded but never sent
    sent_before = ["t-000", "t-099", "t-100", "t-249"]
    assert ledger.add_review_items([(i, NOW.isoformat(), attrs) for i in [*sent_before, "t-150"]])
    for item_id in sent_before:
        ledger.put_review_body(item_id, "{}", NOW.isoformat())
    # WHEN the whole run is recorded
    recorded = ledger.add_review_items([(i, NOW.isoformat(), attrs) for i in ids], batch="whole-run")
    # THEN everything but the sent items is recorded (the unsent one again), in order
    assert recorded == [i for i in ids if i not in sent_before]
    # AND marking the batch sent reaches every one of them
    ledger.mark_batch_sent("whole-run", NOW.isoformat())
    states = ledger.review_states(ids)
    assert len(states) == 250 and all(s.sent for s in states.values())
    # AND the stamped ones are never recorded again
    assert ledger.add_review_items([(i, NOW.isoformat(), attrs) for i in sent_before]) == []


def test_one_marker_marks_a_chunks_items_sent_and_a_redelivery_sends_nothing(stack: LocalStack) -> None:
    deps = _deps(stack)
    ledger = _ledger(stack)
    reviews = [_review("b-1", "file-m"), _review("b-2", "file-m")]
    _queue_reviews(reviews, deps, "00000")
    assert _sent_ids(stack) == ["b-1", "b-2"]
    # The items were not rewritten to say so: their batch was marked sent, once.
    items = [ledger.get_review_item(i) or {} for i in ("b-1", "b-2")]
    assert all("sent_at" not in item for item in items)
    assert items[0]["batch_id"] == items[1]["batch_id"]
    assert ledger.sent_batches([items[0]["batch_id"]]) == {items[0]["batch_id"]: NOW.isoformat()}
    # WHEN the chunk message is delivered again
    _queue_reviews(reviews, deps, "00000")
    # THEN nothing is sent twice
    assert _sent_ids(stack) == []


def test_items_an_attempt_recorded_but_never_marked_sent_are_sent_again(stack: LocalStack) -> None:
    deps = _deps(stack)
    # GIVEN an attempt that recorded two items (and maybe sent them), then crashed before its marker
    recorded = deps.ledger.add_review_items(
        [(i, NOW.isoformat(), _attrs(i, "file-r")) for i in ("c-1", "c-2")], batch="crashed-attempt"
    )
    assert recorded == ["c-1", "c-2"]
    assert not any(s.sent for s in deps.ledger.review_states(["c-1", "c-2"]).values())
    # WHEN the chunk is retried
    _queue_reviews([_review("c-1", "file-r"), _review("c-2", "file-r")], deps, "00000")
    # THEN both go out (a duplicate the console tolerates, never a loss), and now count as sent
    assert _sent_ids(stack) == ["c-1", "c-2"]
    assert all(s.sent for s in deps.ledger.review_states(["c-1", "c-2"]).values())


def test_an_item_a_reviewer_holds_is_never_rewritten_by_a_late_attempt(stack: LocalStack) -> None:
    ledger = _ledger(stack)
    # GIVEN an item whose message went out and was claimed before its batch was marked sent
    assert ledger.add_review_items([("k-1", NOW.isoformat(), _attrs("k-1", "file-k"))], batch="early")
    until = (NOW + timedelta(minutes=10)).isoformat()
    assert ledger.claim_review_item("k-1", "lead@example.com", now=NOW.isoformat(), until=until)
    # WHEN a late attempt of the same chunk records it again
    assert ledger.add_review_items([("k-1", NOW.isoformat(), _attrs("k-1", "file-k"))], batch="late") == []
    # THEN the reviewer still holds it
    item = ledger.get_review_item("k-1") or {}
    assert (item["status"], item["claimed_by"], item["batch_id"]) == ("claimed", "lead@example.com", "early")


def test_the_sweep_resends_only_open_items_no_one_marked_sent(stack: LocalStack) -> None:
    deps = _deps(stack)
    _queue_reviews([_review("s-1", "file-s")], deps, "00000")  # recorded, sent, batch marked
    deps.ledger.add_review_items([("s-2", NOW.isoformat(), _attrs("s-2", "file-s"))], batch="never-marked")
    _drain(stack)
    service = ReviewService(
        _ledger(stack),
        SqsReviewQueue(stack.client("sqs"), stack.resources["ReviewQueue"], stack.resources["ReviewDLQ"]),
        None,  # type: ignore[arg-type] - the sweep never calls Salesforce
        S3DecisionSink(S3Store(stack.client("s3")), stack.resources["OutputsBucket"]),
        now=lambda: NOW + timedelta(hours=1),
    )
    report = sweep(service)
    assert "s-2" in report.requeued and "s-1" not in report.requeued
    assert "s-2" in _sent_ids(stack)
    # The re-sent item now carries its own sent_at: the next sweep leaves it alone.
    assert "s-2" not in sweep(service).requeued
