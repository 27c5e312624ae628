"""The sweep: nothing queued for review is ever lost.

- a claim that expired goes back to open;
- an open item whose message went to the ReviewDLQ is sent again, and the dead letter dropped;
- an open item whose message was never sent (neither the item nor its batch marked sent), or is about
  to expire (SQS keeps messages 14 days at most), is sent again from the body kept in the ledger.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cxrecon.review.ports import QueueMessage
from cxrecon.review.service import CLAIMED, CLOSED, OPEN, ReviewService


@dataclass
class SweepReport:
    released: list[str] = field(default_factory=list)
    requeued: list[str] = field(default_factory=list)
    dropped: int = 0


def requeue_dead_letters(service: ReviewService, letters: list[QueueMessage], report: SweepReport) -> None:
    """Re-send the items of dead letters that are still undecided; drop the others."""
    now = service.now().isoformat()
    for letter in letters:
        try:
            item_id = str(json.loads(letter.body)["item_id"])
        except (ValueError, KeyError, TypeError):
            item_id = ""
        record = service.store.get_review_item(item_id) if item_id else None
        if record is not None and record.get("status") not in CLOSED:
            body = str(record.get("body") or letter.body)
            service.queue.send(body)
            service.store.put_review_body(item_id, body, now)
            report.requeued.append(item_id)
            service.requeued(record)
        else:
            report.dropped += 1
        if letter.receipt:  # an SQS event source deletes its own messages
            service.queue.delete_dead(letter.receipt)


def sweep(service: ReviewService) -> SweepReport:
    report = SweepReport()
    now = service.now()
    for item in service.store.review_items(CLAIMED):
        if str(item.get("claim_expires", "")) < now.isoformat():
            item_id = str(item["pk"]).removeprefix("REVIEW#")
            if service.store.release_review_item(item_id, str(item.get("claimed_by"))) is not None:
                report.released.append(item_id)
    requeue_dead_letters(service, service.queue.dead_letters(), report)
    margin = min(timedelta(days=1), timedelta(seconds=service.retention_seconds / 10))
    expiring = now - timedelta(seconds=service.retention_seconds) + margin
    opened = service.store.review_items(OPEN)
    # Items the pipeline queued carry no `sent_at` of their own: their batch was marked sent.
    batches = service.store.sent_batches(
        {str(i["batch_id"]) for i in opened if "sent_at" not in i and i.get("batch_id")}
    )
    for item in opened:
        item_id = str(item["pk"]).removeprefix("REVIEW#")
        sent = item.get("sent_at") or batches.get(str(item.get("batch_id")))
        if item_id in report.requeued or not item.get("body"):
            continue
        if sent is None or datetime.fromisoformat(str(sent)) < expiring:
            service.queue.send(str(item["body"]))
            service.store.put_review_body(item_id, str(item["body"]), now.isoformat())
            report.requeued.append(item_id)
            service.requeued(item)
    return report
