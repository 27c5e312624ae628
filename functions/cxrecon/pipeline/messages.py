"""Queue message bodies: the chunk hand-off and the review item. Pydantic at the boundary."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from cxrecon.domain.decision import Candidate, Evidence
from cxrecon.domain.interaction import Interaction

REVIEW_MESSAGE_VERSION = 1


class ChunkMessage(BaseModel):
    """Ingest → Reconcile: one chunk of a file, stored in S3 (a claim check: SQS bodies are small)."""

    model_config = ConfigDict(frozen=True)

    file_id: str
    index: int
    bucket: str
    key: str
    count: int
    source_file: str
    # The `dt` partition of the chunk's decision rows: the UTC day the file first started, fixed here so
    # that a retry on a later day overwrites the rows of an earlier attempt instead of adding a second
    # set under another day. None in messages from before the field (the decision day is used then).
    dt: str | None = None


class ReviewMessage(BaseModel):
    """What a reviewer needs to decide one interaction: the interaction, why it was queued, and the
    ranked candidates with the evidence that matched each."""

    model_config = ConfigDict(frozen=True)

    version: int = REVIEW_MESSAGE_VERSION
    item_id: str
    interaction: Interaction
    reason: str
    reason_text: str
    candidates: tuple[Candidate, ...]
    evidence: tuple[Evidence, ...]
    task_id: str | None
    file_id: str
    queued_at: datetime
