"""What goes into the Task for a decision: Subject, type, owner, status, relation and notes."""

from __future__ import annotations

from cxrecon.domain.decision import Decision, Outcome
from cxrecon.domain.interaction import Channel, Direction, Interaction
from cxrecon.domain.writes import FieldValue, TaskWrite

CLOSED_STATUS = "Completed"
SUBJECT_MAX = 255
TEXT_MAX = 255
DESCRIPTION_MAX = 32_000

_SUBJECTS = {
    Channel.CALL: "Call",
    Channel.VOICEMAIL: "Voicemail",
    Channel.CHAT: "Chat",
    Channel.EMAIL: "Email",
    Channel.SMS: "SMS",
    Channel.WORK_ITEM: "Work item",
    Channel.SOCIAL: "Social message",
    Channel.DIGITAL: "Digital message",
}
_SUBTYPES = {Channel.CALL: "Call", Channel.VOICEMAIL: "Call", Channel.EMAIL: "Email"}
_CALL_CHANNELS = frozenset({Channel.CALL, Channel.VOICEMAIL})


def _subject(ix: Interaction) -> str:
    label = _SUBJECTS[ix.channel]
    if ix.direction == Direction.OUTBOUND:
        label = f"Outbound {label.lower()}"
    return (f"{label}: {ix.subject}" if ix.subject else label)[:SUBJECT_MAX]


def _description(ix: Interaction, decision: Decision) -> str | None:
    parts = [p for p in (ix.notes, decision.contact_note) if p]
    return "\n\n".join(parts)[:DESCRIPTION_MAX] if parts else None


def _relation(decision: Decision) -> dict[str, FieldValue]:
    if decision.outcome not in (Outcome.RELATED, Outcome.RELATED_TO_ORG):
        return {}  # a queued Task stays unrelated until a reviewer decides
    fields: dict[str, FieldValue] = {"WhatId": decision.what_id}
    if len(decision.who_ids) > 1:
        fields["TaskWhoIds"] = list(decision.who_ids)
    else:
        fields["WhoId"] = decision.who_ids[0] if decision.who_ids else None
    return fields


def task_write(ix: Interaction, decision: Decision, owner_id: str | None) -> TaskWrite:
    """The upsert for one decided interaction. An existing Task keeps its owner (rule 14: an email
    handled by several agents may keep the original assignee) and its subtype (not updatable)."""
    exists = decision.existing_task_id is not None
    fields: dict[str, FieldValue] = {
        "Subject": _subject(ix),
        "Status": CLOSED_STATUS,
        "Priority": "Normal",
        "ActivityDate": ix.started_at.date().isoformat(),
        "Description": _description(ix, decision),
        "CallObject": ix.interaction_id[:TEXT_MAX],
        **_relation(decision),
    }
    if ix.channel in _CALL_CHANNELS:
        fields["CallType"] = "Outbound" if ix.direction == Direction.OUTBOUND else "Inbound"
        fields["CallDurationInSeconds"] = ix.duration_seconds
    if ix.disposition:
        fields["CallDisposition"] = ix.disposition[:TEXT_MAX]
    create_only: dict[str, FieldValue] = {"TaskSubtype": _SUBTYPES.get(ix.channel, "Task")}
    if owner_id:
        create_only["OwnerId"] = owner_id
    return TaskWrite(
        cxone_contact_id=ix.interaction_id, fields=fields, create_only=create_only, exists=exists
    )
