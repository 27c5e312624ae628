"""The review service: claim, extend, apply, dismiss, skip and relink, with the safety rules.

- Nothing is lost: the ledger holds every item; an item is closed only after its Salesforce write and
  its decision row succeeded, and only then is its message deleted.
- No double work: a claim is a conditional update in the ledger, and the message stays invisible while
  the claim lives; a second apply of the same action is a no-op.
- No stale writes: the chosen records and the Task are read again just before writing.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cxrecon.pipeline.messages import ReviewMessage
from cxrecon.pipeline.rows import DecisionRow
from cxrecon.review.exceptions import AlreadyDecided, ClaimLost, InvalidInput, NotFound, StaleItem
from cxrecon.review.models import ApplyRequest, ApplyResult
from cxrecon.review.ports import DecisionSink, ReviewItemChange, ReviewQueue, ReviewSalesforce, ReviewStore
from cxrecon.review.records import RecordInfo, Relation, TaskState
from cxrecon.review.validation import NO_RELATION_REASONS, parse_ref, relation_for

OPEN, CLAIMED, RESOLVED, DISMISSED = "open", "claimed", "resolved", "dismissed"
CLOSED = (RESOLVED, DISMISSED)


class StatsCache:
    """The queue counts, kept for `seconds` (0: never kept); thread-safe enough for a console."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self._value: tuple[float, tuple[int, int, str | None]] | None = None

    def get(self, compute: Callable[[], tuple[int, int, str | None]]) -> tuple[int, int, str | None]:
        at = self.clock()
        if self._value is None or at - self._value[0] >= self.seconds:
            self._value = (at, compute())
        return self._value[1]


@dataclass(frozen=True)
class QueueStats:
    open: int
    claimed: int
    oldest_queued_at: str | None
    oldest_age_seconds: float | None


def contact_note(message: ReviewMessage) -> str | None:
    """The caller's details as an agent would type them into the notes (relate to organisation)."""
    ix = message.interaction
    lines = [
        f"{label}: {value}"
        for label, value in (
            ("Name", ix.customer_name),
            ("Email", ix.customer_email),
            ("Phone", ix.customer_phone),
        )
        if value
    ]
    return "\n".join(["Contact not in Salesforce:", *lines]) if lines else None


class ReviewService:
    def __init__(
        self,
        store: ReviewStore,
        queue: ReviewQueue,
        salesforce: ReviewSalesforce,
        sink: DecisionSink,
        *,
        now: Callable[[], datetime],
        claim_seconds: int = 600,
        retention_seconds: int = 1_209_600,
        stats_cache: StatsCache | None = None,
    ) -> None:
        self.store = store
        self.queue = queue
        self.salesforce = salesforce
        self.sink = sink
        self.now = now
        self.claim_seconds = claim_seconds
        self.retention_seconds = retention_seconds
        self.stats_cache = stats_cache or StatsCache(0)

    # --- reading ---------------------------------------------------------------------------------
    def stats(self) -> QueueStats:
        """Depth and age of the queue. Counting reads the whole status index, so the counts are kept for
        `stats_cache` seconds (shared by the services of one process); the age is always current."""
        open_, claimed, queued = self.stats_cache.get(self._count)
        age = (self.now() - datetime.fromisoformat(queued)).total_seconds() if queued else None
        return QueueStats(open_, claimed, queued, age)

    def _count(self) -> tuple[int, int, str | None]:
        oldest = self.store.review_items(OPEN, limit=1)
        queued = str(oldest[0]["queued_at"]) if oldest else None
        return self.store.count_review_items(OPEN), self.store.count_review_items(CLAIMED), queued

    def item(self, item_id: str) -> dict[str, Any]:
        record = self.store.get_review_item(item_id)
        if record is None:
            raise NotFound(f"No review item for interaction {item_id}.")
        return record

    @staticmethod
    def message_of(record: dict[str, Any]) -> ReviewMessage:
        return ReviewMessage.model_validate_json(str(record["body"]))

    def lookup(self, text: str) -> RecordInfo:
        """Live validation of what a reviewer typed: it exists, and it is an Account, Contact or Case."""
        kind, value = parse_ref(text)
        if kind == "case":
            case = self.salesforce.find_case(value)
            if case is None:
                raise InvalidInput(f"There is no case number {value}.")
            return case
        record = self.salesforce.get_records([value]).get(value[:15])
        if record is None:
            raise InvalidInput(f"{value} does not exist in Salesforce.")
        if record.deleted:
            raise StaleItem(f"{record.type} {record.name or record.id} was deleted or merged.")
        return record

    def task_of(self, message: ReviewMessage) -> TaskState | None:
        return self.salesforce.read_task(task_id=message.task_id, cxone_contact_id=message.item_id)

    # --- claiming --------------------------------------------------------------------------------
    def _times(self) -> tuple[str, str]:
        now = self.now()
        return now.isoformat(), (now + timedelta(seconds=self.claim_seconds)).isoformat()

    def claim_next(self, reviewer: str) -> dict[str, Any] | None:
        """The reviewer's live claim if they hold one, else the next message whose item they can claim."""
        for held in self.store.held_review_ids(reviewer):
            try:
                return self._extend(held, reviewer)
            except ClaimLost:
                self.store.forget_hold(reviewer, held)  # expired or taken over: take the next one
        now, until = self._times()
        for _ in range(20):
            message = self.queue.receive(visibility_seconds=self.claim_seconds)
            if message is None:
                return None
            try:
                item_id = str(json.loads(message.body)["item_id"])
            except (ValueError, KeyError, TypeError):
                continue  # not a review message: it ends in the DLQ, where the sweep drops it
            claimed = self.store.claim_review_item(
                item_id, reviewer, now=now, until=until, receipt=message.receipt
            )
            if claimed is not None:
                if "body" not in claimed:  # an item recorded before bodies were kept
                    self.store.put_review_body(item_id, message.body, str(claimed.get("sent_at", now)))
                    claimed["body"] = message.body
                self._changed(claimed, CLAIMED, reviewer)
                return claimed
            current = self.store.get_review_item(item_id)
            if current is None or current.get("status") in CLOSED:
                self.queue.delete(message.receipt)  # a duplicate of a decided item
        return None

    def claim(self, item_id: str, reviewer: str) -> dict[str, Any]:
        """Claim one item by id (its message, if any, is re-hidden when next received)."""
        now, until = self._times()
        claimed = self.store.claim_review_item(item_id, reviewer, now=now, until=until)
        if claimed is None:
            current = self.item(item_id)
            if current.get("status") in CLOSED:
                raise AlreadyDecided(f"Already {current['status']} by {current.get('resolved_by')}.")
            raise ClaimLost(f"{current.get('claimed_by')} is working on this item.")
        return claimed

    def extend(self, item_id: str, reviewer: str) -> str:
        return str(self._extend(item_id, reviewer)["claim_expires"])

    def _extend(self, item_id: str, reviewer: str) -> dict[str, Any]:
        """Extend the reviewer's claim and its message's invisibility: the item as it is now."""
        now, until = self._times()
        record = self.store.extend_review_claim(item_id, reviewer, now=now, until=until)
        if record is None:
            raise ClaimLost("Your claim on this item expired or was taken over: load the next item.")
        if record.get("receipt"):
            self.queue.extend(str(record["receipt"]), self.claim_seconds)
        return record

    def release(self, item_id: str, reviewer: str) -> ApplyResult:
        """Skip for now: the item goes back to the queue, untouched."""
        released = self.store.release_review_item(item_id, reviewer)
        if released is None:
            raise ClaimLost("This item is not claimed by you.")
        if released.get("receipt"):
            self.queue.extend(str(released["receipt"]), 0)
        self._changed(released, OPEN, reviewer, action="skip")
        return ApplyResult(
            item_id=item_id, status=OPEN, message="Skipped: the item is back in the queue.", changed=False
        )

    # --- deciding --------------------------------------------------------------------------------
    def resolve_refs(self, refs: list[str]) -> tuple[list[str], dict[str, RecordInfo]]:
        """Typed ids and case numbers → ids and the records read just now (deleted ones included)."""
        ids: list[str] = []
        records: dict[str, RecordInfo] = {}
        for ref in refs:
            kind, value = parse_ref(ref)
            if kind == "case":
                case = self.salesforce.find_case(value)
                if case is None:
                    raise InvalidInput(f"There is no case number {value}.")
                records[case.id[:15]] = case
                value = case.id
            ids.append(value)
        records.update(self.salesforce.get_records([i for i in ids if i[:15] not in records]))
        return ids, records

    def apply(self, item_id: str, reviewer: str, request: ApplyRequest) -> ApplyResult:
        if request.action == "no_relation" and request.reason is None:
            raise InvalidInput("Say why no relation is needed (wrong number, spam, internal test, other).")
        record = self.item(item_id)
        action = request.key()
        status = str(record.get("status"))
        if status in CLOSED:
            if record.get("action") == action:
                return ApplyResult(
                    item_id=item_id,
                    status=status,
                    changed=False,
                    message=f"Already done by {record.get('resolved_by')}: nothing changed.",
                )
            raise AlreadyDecided(
                f"Already {status} by {record.get('resolved_by')}. "
                "To change it, use relink on this interaction."
            )
        if status != CLAIMED or record.get("claimed_by") != reviewer:
            holder = record.get("claimed_by")
            raise ClaimLost(
                f"{holder} is working on this item." if status == CLAIMED else "Load this item first."
            )
        record = self._extend(item_id, reviewer)  # the claim outlives the write below
        message = self.message_of(record)
        if request.action == "no_relation":
            row = self._row(
                message,
                reviewer,
                outcome="skipped",
                reason=f"no_relation_{request.reason}",
                relation=None,
                task=None,
            )
            text = f"Marked “no relation needed” ({NO_RELATION_REASONS[str(request.reason)]})."
            return self._close(record, reviewer, DISMISSED, action, row=row, text=text)
        org = request.action == "org"
        ids, records = self.resolve_refs(request.records)
        relation = relation_for(ids, records, org=org, note=contact_note(message) if org else None)
        task = self.task_of(message)
        if task is None:
            raise StaleItem("The Task for this interaction is not in Salesforce: it cannot be related yet.")
        if not relation.same_as(task):  # equal: our own earlier write, before a crash
            if task.last_modified and task.last_modified > message.queued_at:
                raise StaleItem(
                    f"The Task was changed in Salesforce at {task.last_modified:%Y-%m-%d %H:%M} UTC, "
                    "after this item was queued. Check it in Salesforce; the item stays open."
                )
            self.salesforce.relate_task(task, relation)
        row = self._row(
            message,
            reviewer,
            outcome="related_to_org" if org else "related",
            reason="reviewer_org" if org else "reviewer_pick",
            relation=relation,
            task=task,
        )
        names = ", ".join(records[i[:15]].name for i in ids if i[:15] in records)
        return self._close(record, reviewer, RESOLVED, action, row=row, text=f"Related to {names}.")

    def _close(
        self, record: dict[str, Any], reviewer: str, status: str, action: str, *, row: DecisionRow, text: str
    ) -> ApplyResult:
        item_id = str(record["pk"]).removeprefix("REVIEW#")
        self.sink.write_decision(row, f"review-{item_id}-{hashlib.sha256(action.encode()).hexdigest()[:12]}")
        closed = self.store.close_review_item(
            item_id, reviewer, status=status, action=action, now=self.now().isoformat()
        )
        if closed is None:
            raise ClaimLost("Your claim on this item was taken over before it could be closed.")
        if record.get("receipt"):
            self.queue.delete(str(record["receipt"]))
        self._changed(closed, status, reviewer, action=action)
        return ApplyResult(
            item_id=item_id,
            status=status,
            message=text,
            changed=True,
            what_id=row.what_id,
            who_ids=row.who_ids,
        )

    def relink(self, interaction_id: str, reviewer: str, refs: list[str]) -> ApplyResult:
        """Correct a past decision (the pipeline's or a reviewer's): update the Task, add a decision row.
        Earlier rows stay as history."""
        record = self.store.get_review_item(interaction_id)
        if record is not None and record.get("status") in (OPEN, CLAIMED):
            raise InvalidInput("This interaction is waiting in the review queue: decide it there.")
        message = self.message_of(record) if record and record.get("body") else None
        task = self.salesforce.read_task(
            task_id=message.task_id if message else None, cxone_contact_id=interaction_id
        )
        if task is None:
            raise NotFound(f"No Task in Salesforce for interaction {interaction_id}.")
        ids, records = self.resolve_refs(refs)
        relation = relation_for(ids, records)
        if relation.same_as(task):
            return ApplyResult(
                item_id=interaction_id,
                status="related",
                changed=False,
                message="The Task is already related like this: nothing changed.",
            )
        self.salesforce.relate_task(task, relation)
        at = self.now()
        row = self._row(
            message,
            reviewer,
            outcome="related",
            reason="relink",
            relation=relation,
            task=task,
            interaction_id=interaction_id,
            at=at,
        )
        self.sink.write_decision(row, f"relink-{interaction_id}-{at:%Y%m%dT%H%M%S%f}")
        names = ", ".join(records[i[:15]].name for i in ids if i[:15] in records)
        return ApplyResult(
            item_id=interaction_id,
            status="related",
            changed=True,
            message=f"Relinked to {names}.",
            what_id=row.what_id,
            who_ids=row.who_ids,
        )

    # --- records ---------------------------------------------------------------------------------
    def _row(
        self,
        message: ReviewMessage | None,
        reviewer: str,
        *,
        outcome: str,
        reason: str,
        relation: Relation | None,
        task: TaskState | None,
        interaction_id: str | None = None,
        at: datetime | None = None,
    ) -> DecisionRow:
        ix = message.interaction if message else None
        return DecisionRow(
            interaction_id=ix.interaction_id if ix else str(interaction_id),
            master_interaction_id=ix.master_interaction_id if ix else None,
            channel=ix.channel.value if ix else None,
            direction=ix.direction.value if ix else None,
            started_at=ix.started_at if ix else None,
            agent_id=ix.agent_id if ix else None,
            agent_name=ix.agent_name if ix else None,
            skill=ix.skill if ix else None,
            source_file=ix.source_file if ix else "",
            source_line=ix.source_line if ix else 0,
            file_id=message.file_id if message else "manual",
            outcome=outcome,
            reason=reason,
            task_id=task.id if task else (message.task_id if message else None),
            who_ids=list(relation.who_ids) if relation else [],
            what_id=relation.what_id if relation else None,
            candidates=[c.record_id for c in message.candidates] if message else [],
            decided_at=at or self.now(),
            decided_by=reviewer,
            previous_what_id=task.what_id if task else None,
            previous_who_ids=list(task.who_ids) if task else None,
        )

    def requeued(self, record: dict[str, Any]) -> None:
        self._changed(record, "requeued", "sweep")

    def _changed(self, record: dict[str, Any], status: str, reviewer: str, action: str | None = None) -> None:
        self.sink.review_item_changed(
            ReviewItemChange(
                item_id=str(record["pk"]).removeprefix("REVIEW#"),
                status=status,
                reviewer=reviewer,
                at=self.now().isoformat(),
                action=action,
                reason=record.get("reason"),
                queued_at=record.get("queued_at"),
                file_id=record.get("file_id"),
            )
        )
