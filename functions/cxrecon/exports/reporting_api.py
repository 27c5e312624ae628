"""CXone Reporting API "completed contacts" records (`GET /contacts/completed`).

Both the typed JSON of current APIs and the all-strings records of older exports ("False", "4", "123")
are accepted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cxrecon.domain.interaction import Channel, Direction

from .fields import (
    RowError,
    describe,
    duration_between,
    flag,
    identifier,
    iso_datetime,
    join_name,
    looks_like_email,
    looks_like_phone,
    media_channel,
    optional_id,
    seconds,
    strings,
    text,
)

__all__ = ["is_reporting_record", "map_reporting_record"]


def is_reporting_record(record: Mapping[str, Any]) -> bool:
    return "contactId" in record


def map_reporting_record(record: Mapping[str, Any], known: dict[str, str | None]) -> dict[str, Any]:
    """Interaction fields for one completed-contact record. Raises RowError.

    `known` receives the ids and channel as soon as they are read, for a Rejection's context.
    """
    contact_id = identifier(record.get("contactId"), "contactId")
    if contact_id is None:
        raise RowError("missing_id", "contactId is missing or empty; every contact needs its CXone id.")
    known["interaction_id"] = contact_id
    master_id = identifier(record.get("masterContactId"), "masterContactId")
    known["master_interaction_id"] = master_id

    channel = _channel(record)
    known["channel"] = channel.value

    started_at = iso_datetime(record.get("contactStart"), "contactStart")
    if started_at is None:
        raise RowError("malformed_date", "contactStart is missing; it must be an ISO-8601 date-time.")
    ended_at = iso_datetime(record.get("contactEnd"), "contactEnd")

    outbound = flag(record.get("isOutbound"), "isOutbound") or False
    direction = Direction.OUTBOUND if outbound else Direction.INBOUND

    duration = seconds(record.get("totalDurationSeconds"), "totalDurationSeconds")
    if duration is None:
        duration = duration_between(started_at, ended_at)

    abandoned = bool(flag(record.get("abandoned"), "abandoned")) or bool(
        flag(record.get("isAbandoned"), "isAbandoned")
    )
    agent_id = optional_id(record.get("agentId"), "agentId")
    agent_seconds = seconds(record.get("agentSeconds"), "agentSeconds")
    reached_agent = not (agent_id is None and (abandoned or agent_seconds == 0))

    customer = text(record.get("toAddr" if outbound else "fromAddr"), "toAddr" if outbound else "fromAddr")
    customer_email = customer_phone = customer_name = None
    if customer is not None:
        if "@" in customer:
            customer_email = customer
        elif looks_like_phone(customer):
            customer_phone = customer
        elif channel is Channel.CHAT and not looks_like_email(customer):
            customer_name = customer

    disposition = text(record.get("primaryDispositionName"), "primaryDispositionName") or optional_id(
        record.get("primaryDispositionId"), "primaryDispositionId"
    )

    return {
        "interaction_id": contact_id,
        "master_interaction_id": master_id,
        "channel": channel,
        "direction": direction,
        "started_at": started_at,
        "ended_at": ended_at,
        "duration_seconds": duration,
        "customer_phone": customer_phone,
        "customer_email": customer_email,
        "customer_name": customer_name,
        "agent_id": agent_id,
        "agent_name": text(record.get("agentName"), "agentName")
        or join_name(text(record.get("firstName"), "firstName"), text(record.get("lastName"), "lastName")),
        "skill": text(record.get("skillName"), "skillName"),
        "disposition": disposition,
        "notes": text(record.get("dispositionNotes"), "dispositionNotes"),
        "subject": text(record.get("subject"), "subject"),
        "reference_texts": _tags(record.get("tags")),
        "abandoned": abandoned,
        "reached_agent": reached_agent,
    }


def _channel(record: Mapping[str, Any]) -> Channel:
    name = record.get("mediaTypeName")
    code = record.get("mediaType")
    channel = media_channel(name) or media_channel(code)
    if channel is not None:
        return channel
    if name in (None, "") and code in (None, ""):
        raise RowError("unknown_channel", "mediaType and mediaTypeName are both missing; one is needed.")
    shown = name if name not in (None, "") else code
    raise RowError(
        "unknown_channel",
        f"media type {describe(shown)!r} is not a known channel "
        "(expected Email, Chat, Call, Voice Mail, Work Item, SMS, Social or Digital).",
    )


def _tags(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return strings(part.strip() for part in value.split(","))
    if isinstance(value, list):
        found: list[str | None] = []
        for item in value:
            if isinstance(item, Mapping):
                found.append(text(item.get("tagName") or item.get("name"), "tags"))
            else:
                found.append(text(item, "tags"))
        return strings(found)
    raise RowError("malformed_row", "tags must be a list of tag names.")
