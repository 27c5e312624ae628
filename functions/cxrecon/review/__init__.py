"""The review console's core: reviewers' actions over ports, with the safety rules (see service.py)."""

from cxrecon.review.exceptions import (
    AlreadyDecided,
    ClaimLost,
    InvalidInput,
    NotFound,
    ReviewError,
    StaleItem,
)
from cxrecon.review.models import ApplyRequest, ApplyResult, RelinkRequest
from cxrecon.review.records import RecordInfo, Relation, TaskState
from cxrecon.review.service import QueueStats, ReviewService
from cxrecon.review.sweep import SweepReport, sweep

__all__ = [
    "AlreadyDecided",
    "ApplyRequest",
    "ApplyResult",
    "ClaimLost",
    "InvalidInput",
    "NotFound",
    "QueueStats",
    "RecordInfo",
    "Relation",
    "RelinkRequest",
    "ReviewError",
    "ReviewService",
    "StaleItem",
    "SweepReport",
    "TaskState",
    "sweep",
]
