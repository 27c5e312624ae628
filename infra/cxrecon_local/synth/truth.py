"""The truth model: what a careful senior agent, following the procedures and issue 4's rules, would do."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Kind = Literal["unambiguous", "ambiguous", "skip", "reject"]
Outcome = Literal["related", "related_to_org", "already_related", "queued_for_review", "skipped", "rejected"]

KINDS: tuple[Kind, ...] = ("unambiguous", "ambiguous", "skip", "reject")
OUTCOMES: tuple[Outcome, ...] = (
    "related",
    "related_to_org",
    "already_related",
    "queued_for_review",
    "skipped",
    "rejected",
)


class Truth(BaseModel):
    """The label of one interaction.

    - `kind`: `unambiguous` (a careful agent can relate it with certainty from the data), `ambiguous`
      (needs a human), `skip` (never reached an agent), `reject` (unusable row).
    - `what_id` / `who_ids`: the true relation (primary person first). For `ambiguous` ones this is what
      the reviewer should end up choosing, when the data lets anyone know; `None`/`()` otherwise.
    - `acceptable_candidates`: for `ambiguous` ones, the record ids a reviewer would pick; a queued
      decision counts for recall@3 when any of them is among its first three candidates. Empty when no
      record in the org can be the answer (e.g. an unknown homeowner): leave those out of recall@3.
    - `owner_id`: the User who should own the Task (the agent's User by FederationIdentifier, else the
      integration user); `None` for skip/reject.
    """

    model_config = ConfigDict(frozen=True)

    interaction_id: str
    kind: Kind
    scenario: str
    expected_outcome: Outcome
    what_id: str | None = None
    who_ids: tuple[str, ...] = ()
    acceptable_candidates: tuple[str, ...] = ()
    source_file: str = ""
    channel: str = ""
    owner_id: str | None = None
    rule: str = ""
    note: str = ""
