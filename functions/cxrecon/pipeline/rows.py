"""Output records: one decision row per interaction per decision (the `decisions` table contract)."""

from __future__ import annotations

import json
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from cxrecon.domain.decision import Decision, Outcome
from cxrecon.domain.interaction import Interaction, Rejection

PIPELINE = "pipeline"
# The reason of an interaction a reconcile step failed for (`pipeline.isolation`).
PROCESSING_FAILED = "processing_failed"


class DecisionRow(BaseModel):
    """A row of `decisions/` (see the data dictionary in docs/data-dictionary.md)."""

    model_config = ConfigDict(frozen=True)

    interaction_id: str
    master_interaction_id: str | None = None
    channel: str | None = None
    direction: str | None = None
    started_at: datetime | None = None
    agent_id: str | None = None
    agent_name: str | None = None
    skill: str | None = None
    source_file: str
    source_line: int
    file_id: str
    outcome: str
    reason: str
    task_id: str | None = None
    who_ids: list[str] = []
    what_id: str | None = None
    candidates: list[str] = []
    evidence: str = "[]"  # JSON list of {signal, how, record_id}
    error: str | None = None
    decided_at: datetime
    decided_by: str = PIPELINE
    previous_what_id: str | None = None
    previous_who_ids: list[str] | None = None

    @classmethod
    def from_decision(
        cls,
        ix: Interaction,
        decision: Decision,
        *,
        file_id: str,
        decided_at: datetime,
        task_id: str | None = None,
        error: str | None = None,
    ) -> DecisionRow:
        return cls(
            interaction_id=ix.interaction_id,
            master_interaction_id=ix.master_interaction_id,
            channel=ix.channel.value,
            direction=ix.direction.value,
            started_at=ix.started_at,
            agent_id=ix.agent_id,
            agent_name=ix.agent_name,
            skill=ix.skill,
            source_file=ix.source_file,
            source_line=ix.source_line,
            file_id=file_id,
            outcome=decision.outcome.value,
            reason=decision.reason,
            task_id=task_id or decision.existing_task_id,
            who_ids=list(decision.who_ids),
            what_id=decision.what_id,
            candidates=decision.candidate_ids,
            evidence=json.dumps([e.model_dump(exclude_none=True) for e in decision.evidence]),
            error=error,
            decided_at=decided_at,
        )

    @classmethod
    def from_failure(
        cls, ix: Interaction, error: str, *, file_id: str, decided_at: datetime, task_id: str | None = None
    ) -> DecisionRow:
        """The row of an interaction a reconcile step failed for (`pipeline.isolation`): rejected as
        `processing_failed`, `error` naming the step. Only the interaction's identity is copied, so this
        row can be built when the decision's could not. `task_id` is set when its Task was written."""
        return cls(
            interaction_id=ix.interaction_id,
            master_interaction_id=ix.master_interaction_id,
            channel=ix.channel.value,
            direction=ix.direction.value,
            started_at=ix.started_at,
            source_file=ix.source_file,
            source_line=ix.source_line,
            file_id=file_id,
            outcome=Outcome.REJECTED.value,
            reason=PROCESSING_FAILED,
            task_id=task_id,
            error=error,
            decided_at=decided_at,
        )

    @classmethod
    def from_rejection(cls, rejection: Rejection, *, file_id: str, decided_at: datetime) -> DecisionRow:
        return cls(
            interaction_id=rejection.interaction_id or f"{rejection.source_file}:{rejection.source_line}",
            master_interaction_id=rejection.master_interaction_id,
            channel=rejection.channel,
            source_file=rejection.source_file,
            source_line=rejection.source_line,
            file_id=file_id,
            outcome="rejected",
            reason=rejection.reason,
            error=rejection.detail,
            decided_at=decided_at,
        )
