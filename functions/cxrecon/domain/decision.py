"""Decisions are data: an outcome, a stable reason code, and the evidence behind it."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Outcome(StrEnum):
    RELATED = "related"
    RELATED_TO_ORG = "related_to_org"
    ALREADY_RELATED = "already_related"
    QUEUED_FOR_REVIEW = "queued_for_review"
    REJECTED = "rejected"
    SKIPPED = "skipped"


AUTO_RELATED = frozenset({Outcome.RELATED, Outcome.RELATED_TO_ORG})


class Evidence(BaseModel):
    """One signal that matched (or was deliberately ignored): `signal` matched `record_id` via `how`.

    `value` is masked before it leaves the core's callers into logs; in decisions and review messages
    it is kept as the export gave it, because reviewers need it.
    """

    model_config = ConfigDict(frozen=True)

    signal: str  # phone, email, case_number, thread_ref, name, directory, email_domain, existing_task
    how: str  # e.g. "Contact.MobilePhone", "Account.Website", "similarity 0.93", "excluded: no_reply"
    record_id: str | None = None


class Candidate(BaseModel):
    """A record a reviewer may pick, best first, with the evidence that points at it."""

    model_config = ConfigDict(frozen=True)

    record_type: str  # Contact, Account, Case, Lead
    record_id: str
    name: str = ""
    account_id: str | None = None
    account_name: str | None = None
    score: float = 0.0
    evidence: tuple[Evidence, ...] = ()


class Decision(BaseModel):
    """What the core decided for one interaction. The pipeline adds task ids and timestamps."""

    model_config = ConfigDict(frozen=True)

    interaction_id: str
    outcome: Outcome
    reason: str
    who_ids: tuple[str, ...] = ()
    what_id: str | None = None
    candidates: tuple[Candidate, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    # Contact details written into the Task notes when the person is not in Salesforce.
    contact_note: str | None = None
    # Set when a Task should be written (created or updated); False for already_related/skipped.
    write_task: bool = True
    existing_task_id: str | None = None

    @property
    def candidate_ids(self) -> list[str]:
        return [c.record_id for c in self.candidates]
