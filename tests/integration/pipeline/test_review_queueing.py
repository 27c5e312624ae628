"""Queueing review items against moto: durable in the ledger first, sent once, counted once."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pyarrow.parquet as pq
import pytest

from cxrecon.adapters.ledger import Ledger
from cxrecon.adapters.s3 import S3Store
from cxrecon.adapters.sqs import SqsQueue
from cxrecon.domain.directory import Directory
from cxrecon.domain.interaction import Channel, Interaction
from cxrecon.pipeline.messages import ReviewMessage
from cxrecon.pipeline.reconcile import ReconcileDeps, _queue_reviews
from cxrecon_local.stack import LocalStack, start_local_stack

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    with start_local_stack() as local:
        yield local


def _deps(stack: LocalStack) -> ReconcileDeps:
    return ReconcileDeps(
        store=S3Store(stack.client("s3")),
        ledger=Ledger(stack.client("dynamodb"), stack.resources["LedgerTable"]),
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


def test_a_retried_chunk_sends_only_what_was_never_sent_and_keeps_every_open_row(stack: LocalStack) -> None:
    deps = _deps(stack)
    first, second = _review("r-1", "file-a"), _review("r-2", "file-a")
    # GIVEN an attempt that recorded and sent the first item, then crashed
    assert deps.ledger.add_review_item("r-1", NOW.isoformat(), {"reason": "no_match", "file_id": "file-a"})
    deps.ledger.mark_review_sent("r-1", NOW.isoformat())
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
    ledger = _deps(stack).ledger
    ids = [f"t-{i:03d}" for i in range(250)]  # three transactions' worth
    attrs = {"reason": "no_match", "file_id": "file-t"}
    # GIVEN items recorded and sent before, in every transaction, and one recorded but never sent
    sent_before = ["t-000", "t-099", "t-100", "t-249"]
    for item_id in [*sent_before, "t-150"]:
        assert ledger.add_review_item(item_id, NOW.isoformat(), attrs)
    ledger.mark_reviews_sent(sent_before, NOW.isoformat())
    # WHEN the whole run is recorded
    recorded = ledger.add_review_items([(i, NOW.isoformat(), attrs) for i in ids])
    # THEN everything but the sent items is recorded (the unsent one again), in order
    assert recorded == [i for i in ids if i not in sent_before]
    # AND marking them sent reaches every one of them
    ledger.mark_reviews_sent(recorded, NOW.isoformat())
    states = ledger.review_states(ids)
    assert len(states) == 250 and all(s.sent for s in states.values())
    # AND a second delivery records nothing
    assert ledger.add_review_items([(i, NOW.isoformat(), attrs) for i in ids]) == []
