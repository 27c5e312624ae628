"""Review requests and answers at the API boundary (pydantic): what the page and the CLI send."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Action = Literal["relate", "org", "no_relation"]
NoRelationReason = Literal["wrong_number", "spam", "internal_test", "other"]


class ApplyRequest(BaseModel):
    """`relate`: the chosen records (ids or case numbers; candidates are sent by id). `org`: one
    organisation Account, with the contact details written into the notes. `no_relation`: a reason."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    action: Action
    records: list[str] = Field(default_factory=list, max_length=51)
    reason: NoRelationReason | None = None
    comment: str | None = Field(default=None, max_length=500)

    def key(self) -> str:
        """The same key for the same action: a second apply of it is a no-op."""
        if self.action == "no_relation":
            return f"no_relation:{self.reason}"
        return f"{self.action}:" + ",".join(r[:15] if len(r) >= 15 else r for r in self.records)


class RelinkRequest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    records: list[str] = Field(min_length=1, max_length=51)


class ApplyResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    item_id: str
    status: str
    message: str
    changed: bool
    what_id: str | None = None
    who_ids: list[str] = []
