"""Reconcile one chunk: fetch the org slice, decide, write Tasks, queue reviews, record decisions.

Idempotent by construction: Tasks are upserted by CXone contact id, decision files have deterministic
names, review items are recorded once in the ledger, and the chunk's counts are added exactly once.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import datetime

from aws_lambda_powertools import Logger

from cxrecon.adapters.parquet import (
    ReviewItemRow,
    decision_key,
    decisions_to_parquet,
    review_items_key,
    review_items_to_parquet,
)
from cxrecon.config import SERVICE
from cxrecon.domain.decision import Decision, Evidence, Outcome
from cxrecon.domain.interaction import Interaction
from cxrecon.domain.lookups import OrgView
from cxrecon.domain.rules.owner import task_owner
from cxrecon.domain.task_content import task_write
from cxrecon.domain.writes import TaskWrite, WriteResult
from cxrecon.pipeline.accounting import fail_file, finalise_file
from cxrecon.pipeline.chunk_decisions import decide_with_lookups
from cxrecon.pipeline.chunks import decode_chunk
from cxrecon.pipeline.isolation import StepFailure, isolate
from cxrecon.pipeline.messages import ChunkMessage, ReviewMessage
from cxrecon.pipeline.reasons import reason_text
from cxrecon.pipeline.reconcile_deps import ReconcileDeps, SalesforcePort
from cxrecon.pipeline.rows import PIPELINE, DecisionRow
from cxrecon.salesforce.exceptions import OrgNotReady

# Where they were defined before they had modules of their own; callers still import them from here.
__all__ = [
    "ReconcileDeps",
    "RetryableWriteFailure",
    "SalesforcePort",
    "decide_with_lookups",
    "reconcile_chunk",
]

logger = Logger(service=SERVICE, child=True)


class RetryableWriteFailure(Exception):
    """Some Task writes failed transiently (row lock, limit): the whole chunk is retried by SQS."""


def _apply_results(decision: Decision, result: WriteResult | None) -> tuple[Decision, str | None, str | None]:
    """A refused write becomes a review item with Salesforce's error: it never disappears."""
    if result is None:
        return decision, decision.existing_task_id, None
    if result.success:
        return decision, result.task_id, None
    error = f"{result.error_code}: {result.error_message}"
    failed = decision.model_copy(
        update={
            "outcome": Outcome.QUEUED_FOR_REVIEW,
            "reason": "salesforce_error",
            "evidence": (*decision.evidence, Evidence(signal="salesforce", how=result.error_code or "error")),
        }
    )
    return failed, decision.existing_task_id, error


def reconcile_chunk(message: ChunkMessage, deps: ReconcileDeps) -> Counter[str]:
    if deps.ledger.chunk_done(message.file_id, message.index):
        logger.info("chunk already reconciled", extra={"file_id": message.file_id, "chunk": message.index})
        finalise_file(message.file_id, deps.ledger, deps.store, deps.outputs_bucket, deps.now)
        return Counter()
    calls_before = deps.salesforce.api_calls
    interactions = decode_chunk(deps.store.get_bytes(message.bucket, message.key))
    failures: dict[str, StepFailure] = {}
    try:
        decided, view = decide_with_lookups(interactions, deps, failures, file_id=message.file_id)
        results = _write_tasks(decided, view, deps, failures, message.file_id)
    except OrgNotReady as exc:
        # One clear message for the whole file instead of INVALID_FIELD on every record; the message
        # is re-raised so it ends in the DLQ, to be replayed once an admin has fixed the org.
        fail_file(
            message.file_id,
            str(exc),
            ledger=deps.ledger,
            store=deps.store,
            bucket=deps.outputs_bucket,
            now=deps.now,
        )
        raise
    transient = [r for r in results.values() if r.retryable and not r.success]
    if transient:
        raise RetryableWriteFailure(
            f"{len(transient)} Task writes failed transiently ({transient[0].error_code})"
        )

    decided_at = deps.now()
    decision_of = {ix.interaction_id: d for ix, d in decided}

    def outputs(legs: list[Interaction]) -> list[tuple[DecisionRow, ReviewMessage | None]]:
        made = []
        for ix in legs:
            final, task_id, error = _apply_results(
                decision_of[ix.interaction_id], results.get(ix.interaction_id)
            )
            row = DecisionRow.from_decision(
                ix, final, file_id=message.file_id, decided_at=decided_at, task_id=task_id, error=error
            )
            queued = final.outcome == Outcome.QUEUED_FOR_REVIEW
            made.append(
                (row, _review_message(ix, final, task_id, message.file_id, decided_at) if queued else None)
            )
        return made

    kept = [ix for ix, _ in decided if ix.interaction_id not in failures]
    made = isolate("decision row", kept, outputs, failures, file_id=message.file_id)
    rows = [row for _, part in made for row, _ in part]
    reviews = [review for _, part in made for _, review in part if review is not None]
    rows += [
        DecisionRow.from_failure(
            ix,
            failures[ix.interaction_id].error,
            file_id=message.file_id,
            decided_at=decided_at,
            task_id=(r.task_id if (r := results.get(ix.interaction_id)) else None),
        )
        for ix in interactions
        if ix.interaction_id in failures
    ]

    day = message.dt or decided_at.date().isoformat()
    key = decision_key(day, message.file_id, f"{message.index:05d}")
    deps.store.put_bytes(deps.outputs_bucket, key, decisions_to_parquet(rows))
    _queue_reviews(reviews, deps, f"{message.index:05d}", day=day)
    outcomes = Counter(row.outcome for row in rows)
    calls = deps.salesforce.api_calls - calls_before
    if deps.ledger.complete_chunk(
        message.file_id, message.index, outcomes, calls, processing_failures=len(failures)
    ):
        finalise_file(message.file_id, deps.ledger, deps.store, deps.outputs_bucket, deps.now)
    logger.info(
        "chunk reconciled",
        extra={
            "file_id": message.file_id,
            "chunk": message.index,
            "outcomes": dict(outcomes),
            "processing_failures": len(failures),
            "salesforce_calls": calls,
        },
    )
    return outcomes


def _write_tasks(
    decided: list[tuple[Interaction, Decision]],
    view: OrgView,
    deps: ReconcileDeps,
    failures: dict[str, StepFailure],
    file_id: str,
) -> dict[str, WriteResult]:
    """Upsert the Tasks of `decided`; a conversation whose Task content cannot be built is added to
    `failures` and nothing is written for it."""
    decision_of = {ix.interaction_id: d for ix, d in decided}

    def contents(legs: list[Interaction]) -> list[TaskWrite]:
        return [
            task_write(ix, decision_of[ix.interaction_id], task_owner(ix, view))
            for ix in legs
            if decision_of[ix.interaction_id].write_task
        ]

    built = isolate("task content", [ix for ix, _ in decided], contents, failures, file_id=file_id)
    writes = [write for _, part in built for write in part]
    if not writes:
        return {}
    deps.salesforce.ensure_ready()
    return {r.cxone_contact_id: r for r in deps.salesforce.upsert_tasks(writes)}


def _review_message(
    ix: Interaction, decision: Decision, task_id: str | None, file_id: str, at: datetime
) -> ReviewMessage:
    return ReviewMessage(
        item_id=ix.interaction_id,
        interaction=ix,
        reason=decision.reason,
        reason_text=reason_text(decision.reason),
        candidates=decision.candidates,
        evidence=decision.evidence,
        task_id=task_id,
        file_id=file_id,
        queued_at=at,
    )


def _queue_reviews(
    reviews: list[ReviewMessage], deps: ReconcileDeps, chunk: str, *, day: str | None = None
) -> None:
    """Each review item is recorded durably in the ledger first, then sent, then marked sent: a retry
    re-sends only what was never sent, and nothing queued exists only in SQS. Batched: a chunk's
    reviews cost a few ledger calls, not a few per item. The items this attempt records carry one
    batch token of its own, so marking them sent is one write, and what an earlier attempt recorded
    but never marked still reads as unsent. `day` is the chunk's partition (as for its decisions)."""
    if not reviews:
        return
    states = deps.ledger.review_states([r.item_id for r in reviews])
    pending = [r for r in reviews if not (r.item_id in states and states[r.item_id].sent)]
    bodies = {r.item_id: r.model_dump_json() for r in pending}
    batch = f"{reviews[0].file_id}#{chunk}#{uuid.uuid4().hex}"
    recorded = set(
        deps.ledger.add_review_items(
            # The body too: the review sweep re-sends it when the message expired or dead-lettered.
            [
                (
                    r.item_id,
                    r.queued_at.isoformat(),
                    {"reason": r.reason, "file_id": r.file_id, "body": bodies[r.item_id]},
                )
                for r in pending
            ],
            batch=batch,
        )
    )
    fresh = [r for r in pending if r.item_id in recorded]
    # An item this file queued on an earlier attempt is still this chunk's; one another file queued
    # (the same interaction exported twice) is not, and must not reopen a resolved item.
    ours = [
        r
        for r in reviews
        if r.item_id in recorded or (r.item_id in states and states[r.item_id].file_id == r.file_id)
    ]
    if ours:
        # The `open` rows of the review_items table, one file per chunk, rewritten whole by a retry.
        opened = [
            ReviewItemRow(
                interaction_id=r.item_id,
                status="open",
                reason=r.reason,
                queued_at=r.queued_at,
                changed_at=r.queued_at,
                changed_by=PIPELINE,
                file_id=r.file_id,
            )
            for r in ours
        ]
        opened_on = day or ours[0].queued_at.date().isoformat()
        key = review_items_key(opened_on, f"{ours[0].file_id}-{chunk}-queued")
        deps.store.put_bytes(deps.outputs_bucket, key, review_items_to_parquet(opened))
    if fresh:
        deps.review_queue.send_many([bodies[r.item_id] for r in fresh])
        deps.ledger.mark_batch_sent(batch, deps.now().isoformat())
