"""Builds the review service from the container (the same wiring in Lambda, the CLI and locally)."""

from __future__ import annotations

from cxrecon.adapters.ledger import ReviewLedger
from cxrecon.bootstrap import Container
from cxrecon.review.aws import S3DecisionSink, SqsReviewQueue
from cxrecon.review.ports import DecisionSink
from cxrecon.review.service import ReviewService, StatsCache

# Queue counts per ledger table, kept briefly: they read the whole status index (not on the claim path).
_STATS: dict[str, StatsCache] = {}
STATS_SECONDS = 15.0


def review_service(app: Container, *, sink: DecisionSink | None = None) -> ReviewService:
    settings = app.settings
    return ReviewService(
        ReviewLedger(app.dynamodb, settings.ledger_table),
        SqsReviewQueue(app.sqs, settings.review_queue_url, settings.review_dlq_url),
        app.salesforce,
        sink or S3DecisionSink(app.store, settings.outputs_bucket),
        now=app.now,
        claim_seconds=settings.review_claim_seconds,
        retention_seconds=settings.review_retention_seconds,
        stats_cache=_STATS.setdefault(settings.ledger_table, StatsCache(STATS_SECONDS)),
    )
