"""The one model every CXone export format is read into."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Channel(StrEnum):
    CALL = "call"
    VOICEMAIL = "voicemail"
    CHAT = "chat"
    EMAIL = "email"
    SMS = "sms"
    WORK_ITEM = "work_item"
    SOCIAL = "social"
    DIGITAL = "digital"


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class Party(BaseModel):
    """Another person on the interaction (an email recipient, a conference leg)."""

    model_config = ConfigDict(frozen=True)

    email: str | None = None
    phone: str | None = None
    name: str | None = None
    is_primary: bool = False


class Interaction(BaseModel):
    """One handled (or abandoned) CXone contact, whatever format it came from.

    Customer identity fields hold what the export said (trimmed, not yet normalised): normalisation is
    the domain's job, because its rules (default region, unusable identities) are configuration.
    """

    model_config = ConfigDict(frozen=True)

    interaction_id: str = Field(min_length=1, max_length=64)
    master_interaction_id: str | None = None
    channel: Channel
    direction: Direction = Direction.INBOUND
    started_at: datetime
    ended_at: datetime | None = None
    duration_seconds: int | None = Field(default=None, ge=0)
    customer_phone: str | None = None
    customer_email: str | None = None
    customer_name: str | None = None
    other_parties: tuple[Party, ...] = ()
    agent_id: str | None = None
    agent_name: str | None = None
    agent_email: str | None = None
    skill: str | None = None
    disposition: str | None = None
    notes: str | None = None
    subject: str | None = None
    # Free text where a case number or a Salesforce email thread reference may appear: tags, custom field
    # values, a preview. Subject and notes are searched too.
    reference_texts: tuple[str, ...] = ()
    abandoned: bool = False
    reached_agent: bool = True
    source_file: str = ""
    source_line: int = Field(default=0, ge=0)


class Rejection(BaseModel):
    """A row that could not become an Interaction. `reason` is a stable code, `detail` says what to fix."""

    model_config = ConfigDict(frozen=True)

    source_file: str
    source_line: int
    reason: str
    detail: str
    interaction_id: str | None = None
    master_interaction_id: str | None = None
    channel: str | None = None
