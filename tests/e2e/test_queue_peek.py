"""Peeking at a queue (what `cxrecon run` writes to review/items.jsonl) leaves every message in place
and pushes none towards its DLQ, however many there are."""

from __future__ import annotations

import json

from .conftest import local_pipeline


def test_peeking_twice_at_more_than_a_receive_worth_of_messages_moves_nothing() -> None:
    with local_pipeline() as lp:
        sqs = lp.stack.client("sqs")
        bodies = [{"item_id": f"i-{n:02d}"} for n in range(25)]  # 3 receives' worth; maxReceiveCount 5
        for start in range(0, 25, 10):
            sqs.send_message_batch(
                QueueUrl=lp.resource("ReviewQueue"),
                Entries=[
                    {"Id": str(i), "MessageBody": json.dumps(b)} for i, b in enumerate(bodies[start:][:10])
                ],
            )
        for _ in range(2):
            assert sorted(m["item_id"] for m in lp.queue_messages("ReviewQueue")) == [
                b["item_id"] for b in bodies
            ]
        assert lp.queue_messages("ReviewDLQ") == []
