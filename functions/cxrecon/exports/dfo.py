"""CXone Digital (DFO) case objects, as exported from the Digital "cases" API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cxrecon.domain.interaction import Channel, Direction, Party

from .fields import (
    RowError,
    flag,
    identifier,
    iso_datetime,
    join_name,
    looks_like_email,
    looks_like_phone,
    strings,
    text,
)

__all__ = ["is_dfo_record", "map_dfo_record"]

_CHANNEL_HINTS_KEYS = ("channelId", "channelType", "realExternalPlatformId", "id", "name", "platform")
# Checked in order: the first word found in the channel description wins.
_CHANNEL_WORDS: tuple[tuple[str, Channel], ...] = (
    ("email", Channel.EMAIL),
    ("mail", Channel.EMAIL),
    ("livechat", Channel.CHAT),
    ("chat", Channel.CHAT),
    ("sms", Channel.SMS),
    ("whatsapp", Channel.SOCIAL),
    ("messenger", Channel.SOCIAL),
    ("facebook", Channel.SOCIAL),
    ("twitter", Channel.SOCIAL),
    ("instagram", Channel.SOCIAL),
    ("linkedin", Channel.SOCIAL),
    ("viber", Channel.SOCIAL),
    ("telegram", Channel.SOCIAL),
    ("apple", Channel.SOCIAL),
    ("google", Channel.SOCIAL),
)
# Generic Digital First Omnichannel channels (custom bots, web messaging, other messengers): digital.
_DIGITAL_WORDS = ("digital", "custom", "web", "messaging", "bot", "line", "wechat", "kakao", "rcs", "dfo")
_DFO_KEYS = ("channelId", "authorEndUserIdentity", "channel", "threadIdOnExternalPlatform")
_DISCARDED_STATUSES = frozenset({"trashed", "spam", "deleted"})


def is_dfo_record(record: Mapping[str, Any]) -> bool:
    return "id" in record and any(key in record for key in _DFO_KEYS)


def map_dfo_record(record: Mapping[str, Any], known: dict[str, str | None]) -> dict[str, Any]:
    """Interaction fields for one DFO case. Raises RowError."""
    case_id = identifier(record.get("id"), "id")
    if case_id is None:
        raise RowError("missing_id", "id is missing or empty; every case needs its DFO case id.")
    known["interaction_id"] = case_id
    master_id = identifier(record.get("interactionId"), "interactionId") or identifier(
        record.get("contactId"), "contactId"
    )
    known["master_interaction_id"] = master_id

    channel = _channel(record)
    known["channel"] = channel.value

    started_at = iso_datetime(record.get("createdAt"), "createdAt")
    if started_at is None:
        raise RowError("malformed_date", "createdAt is missing; it must be an ISO-8601 date-time.")
    ended_at = iso_datetime(record.get("closedAt"), "closedAt")

    author = _mapping(record.get("authorEndUserIdentity"), "authorEndUserIdentity")
    customer_email = customer_phone = None
    customer_name = None
    if author:
        external_id = text(author.get("idOnExternalPlatform"), "authorEndUserIdentity.idOnExternalPlatform")
        if external_id is not None:
            if looks_like_email(external_id):
                customer_email = external_id
            elif channel is not Channel.CHAT and looks_like_phone(external_id):
                customer_phone = external_id
        customer_name = text(author.get("fullName"), "authorEndUserIdentity.fullName") or join_name(
            text(author.get("firstName"), "authorEndUserIdentity.firstName"),
            text(author.get("lastName"), "authorEndUserIdentity.lastName"),
        )

    assignee = _mapping(record.get("inboxAssigneeUser") or record.get("inboxAssignee"), "inboxAssigneeUser")
    agent_id = agent_name = agent_email = None
    if assignee:
        agent_id = (
            identifier(assignee.get("agentId"), "inboxAssigneeUser.agentId")
            or identifier(assignee.get("incontactId"), "inboxAssigneeUser.incontactId")
            or identifier(assignee.get("id"), "inboxAssigneeUser.id")
        )
        agent_email = text(assignee.get("emailAddress"), "inboxAssigneeUser.emailAddress")
        agent_name = (
            text(assignee.get("fullName"), "inboxAssigneeUser.fullName")
            or join_name(
                text(assignee.get("firstName"), "inboxAssigneeUser.firstName"),
                text(assignee.get("lastName"), "inboxAssigneeUser.lastName"),
            )
            or text(assignee.get("nickname"), "inboxAssigneeUser.nickname")
        )

    status = (text(_status(record.get("status")), "status") or "").lower()
    reached_agent = not (not assignee and status in _DISCARDED_STATUSES)

    preview = text(record.get("preview"), "preview")
    direction_text = (text(record.get("direction"), "direction") or "").lower()
    outbound = direction_text in ("outbound", "outgoing")
    outbound = outbound or bool(flag(record.get("isOutbound"), "isOutbound"))

    return {
        "interaction_id": case_id,
        "master_interaction_id": master_id,
        "channel": channel,
        "direction": Direction.OUTBOUND if outbound else Direction.INBOUND,
        "started_at": started_at,
        "ended_at": ended_at,
        "customer_phone": customer_phone,
        "customer_email": customer_email,
        "customer_name": customer_name,
        "other_parties": _recipients(record.get("recipients"), customer_email, customer_phone),
        "agent_id": agent_id,
        "agent_name": agent_name,
        "agent_email": agent_email,
        "notes": preview,
        "subject": text(record.get("subject"), "subject") or text(record.get("title"), "title"),
        "reference_texts": strings(
            [*_tags(record.get("tags")), *_custom_fields(record.get("customFields")), preview]
        ),
        "abandoned": False,
        "reached_agent": reached_agent,
    }


def _mapping(value: Any, field: str) -> Mapping[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise RowError("malformed_row", f"{field} must be a JSON object.")
    return value or None


def _status(value: Any) -> Any:
    if isinstance(value, Mapping):
        return value.get("name") or value.get("status")
    return value


def _channel(record: Mapping[str, Any]) -> Channel:
    hints: list[str] = []
    for key in ("channelId", "channelType"):
        value = record.get(key)
        if isinstance(value, str | int):
            hints.append(str(value))
    channel_value = record.get("channel")
    if isinstance(channel_value, str):
        hints.append(channel_value)
    elif isinstance(channel_value, Mapping):
        for key in _CHANNEL_HINTS_KEYS:
            value = channel_value.get(key)
            if isinstance(value, str | int):
                hints.append(str(value))
    elif channel_value is not None:
        raise RowError("malformed_row", "channel must be a channel id or a channel object.")
    description = " ".join(hints).strip().lower()
    if not description:
        raise RowError("unknown_channel", "channelId is missing (and there is no channel object).")
    for word, channel in _CHANNEL_WORDS:
        if word in description:
            return channel
    if any(word in description for word in _DIGITAL_WORDS):
        return Channel.DIGITAL
    # A channel this pipeline does not know (fax, a typo): rejected, so it is seen and fixed rather
    # than recorded as something it may not be.
    raise RowError(
        "unknown_channel", "channelId names no known CXone Digital channel (email, chat, SMS, social)."
    )


def _recipients(value: Any, customer_email: str | None, customer_phone: str | None) -> tuple[Party, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise RowError("malformed_row", "recipients must be a list of objects.")
    customer = {(customer_email or "").lower(), customer_phone or ""} - {""}
    parties: list[Party] = []
    for index, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise RowError("malformed_row", f"recipients[{index}] must be a JSON object.")
        address = text(item.get("idOnExternalPlatform"), f"recipients[{index}].idOnExternalPlatform")
        name = text(item.get("name"), f"recipients[{index}].name")
        primary = bool(flag(item.get("isPrimary"), f"recipients[{index}].isPrimary"))
        email = phone = None
        if address is not None:
            if address.lower() in customer:
                continue
            if "@" in address:
                email = address
            elif looks_like_phone(address):
                phone = address
        if email is None and phone is None and name is None:
            continue
        party = Party(email=email, phone=phone, name=name, is_primary=primary)
        if party not in parties:
            parties.append(party)
    return tuple(parties)


def _tags(value: Any) -> list[str | None]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise RowError("malformed_row", "tags must be a list.")
    found: list[str | None] = []
    for item in value:
        if isinstance(item, Mapping):
            found.append(text(item.get("name") or item.get("title"), "tags"))
        else:
            found.append(text(item, "tags"))
    return found


def _custom_fields(value: Any) -> list[str | None]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise RowError("malformed_row", "customFields must be a list of {ident, value} objects.")
    found: list[str | None] = []
    for index, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise RowError("malformed_row", f"customFields[{index}] must be a JSON object.")
        ident = text(item.get("ident"), f"customFields[{index}].ident")
        field_value = item.get("value")
        if isinstance(field_value, list):
            parts = (text(part, f"customFields[{index}].value") for part in field_value)
            rendered = ", ".join(part for part in parts if part)
        else:
            rendered = text(field_value, f"customFields[{index}].value") or ""
        if rendered:
            found.append(f"{ident}: {rendered}" if ident else rendered)
    return found
