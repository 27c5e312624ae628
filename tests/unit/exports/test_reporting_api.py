from __future__ import annotations

import json
from datetime import UTC, datetime

from cxrecon.domain.interaction import Channel, Direction, Interaction
from cxrecon.exports import ExportFormat, read_export

from .support import FIXTURES, by_id, read_bytes, read_fixture, rejections


def test_completed_contacts_document_maps_every_field_of_a_call() -> None:
    rows = read_fixture("reporting_completed.json")
    assert rejections(rows) == []
    call = by_id(rows)["501234567"]
    assert call.master_interaction_id == "501234560"
    assert call.channel is Channel.CALL
    assert call.direction is Direction.INBOUND
    assert call.started_at == datetime(2024, 5, 1, 13, 45, tzinfo=UTC)
    assert call.ended_at == datetime(2024, 5, 1, 13, 50, 30, tzinfo=UTC)
    assert call.duration_seconds == 330
    assert call.customer_phone == "+1 (415) 555-0142"
    assert call.customer_email is None
    assert call.agent_id == "1234"
    assert call.agent_name == "Ana Lopez"
    assert call.skill == "Billing Inbound"
    assert call.disposition == "Resolved"
    assert call.notes == "Customer asked about case 00012345"
    assert call.reference_texts == ("vip", "renewal")
    assert call.abandoned is False
    assert call.reached_agent is True
    assert call.source_file == "reporting_completed.json"
    assert call.source_line == 5


def test_outbound_email_takes_the_customer_from_to_addr_and_the_disposition_id_as_text() -> None:
    email = by_id(read_fixture("reporting_completed.json"))["501234568"]
    assert email.channel is Channel.EMAIL
    assert email.direction is Direction.OUTBOUND
    assert email.customer_email == "Pat.Customer@Example.org"
    assert email.customer_phone is None
    assert email.started_at == datetime(2024, 5, 1, 7, 0, tzinfo=UTC)
    assert email.duration_seconds == 45
    assert email.disposition == "22"
    assert email.subject is not None and "ref:_00D5g00abc" in email.subject
    assert email.source_line == 26


def test_abandoned_chat_without_agent_keeps_the_visitor_name_and_did_not_reach_an_agent() -> None:
    chat = by_id(read_fixture("reporting_completed.json"))["501234569"]
    assert chat.channel is Channel.CHAT
    assert chat.customer_name == "Jamie Visitor"
    assert chat.customer_phone is None and chat.customer_email is None
    assert chat.started_at == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)  # naive → UTC
    assert chat.abandoned is True
    assert chat.reached_agent is False
    assert chat.agent_id is None


def test_old_all_string_exports_are_read_as_ndjson() -> None:
    rows = read_fixture("reporting_old_strings.ndjson")
    assert rejections(rows) == []
    first, second = by_id(rows)["700001"], by_id(rows)["700002"]
    assert first.channel is Channel.CALL
    assert first.duration_seconds == 120
    assert first.abandoned is False and first.reached_agent is True
    assert first.disposition is None  # "0" means no disposition
    assert first.source_line == 1
    assert second.channel is Channel.VOICEMAIL
    assert second.direction is Direction.OUTBOUND
    assert second.customer_phone == "4155550143"  # outbound: the customer is toAddr
    assert second.abandoned is True and second.reached_agent is False
    assert second.source_line == 2


def test_a_bare_json_array_of_contacts_is_a_reporting_api_export() -> None:
    records = [
        {
            "contactId": 1,
            "mediaTypeName": "Phone Call",
            "fromAddr": "4155550142",
            "contactStart": "2024-01-01",
        },
        {"contactId": 2, "mediaTypeName": "VOICEMAIL", "fromAddr": "x", "contactStart": "2024-01-01T00:00Z"},
    ]
    stream_rows = read_export(__import__("io").BytesIO(json.dumps(records, indent=1).encode()), "a.json")
    rows = list(stream_rows)
    assert [row.interaction_id for row in rows] == ["1", "2"]
    assert getattr(stream_rows, "format", None) is ExportFormat.REPORTING_API
    assert [row.source_line for row in rows] == [2, 8]
    assert isinstance(rows[1], Interaction) and rows[1].customer_phone is None


def test_media_type_names_and_codes_are_case_insensitive() -> None:
    cases = {
        "Work Item": Channel.WORK_ITEM,
        "sms": Channel.SMS,
        "SOCIAL": Channel.SOCIAL,
        "9": Channel.DIGITAL,
    }
    lines = [
        json.dumps({"contactId": str(i), "mediaTypeName": name, "contactStart": "2024-01-01T00:00:00Z"})
        for i, name in enumerate(cases)
    ]
    rows = read_bytes("\n".join(lines).encode())
    assert [row.channel for row in rows] == list(cases.values())


def test_a_phone_like_chat_address_is_a_phone_and_an_opaque_call_address_is_dropped() -> None:
    lines = [
        {"contactId": "1", "mediaType": 3, "fromAddr": "415-555-0142", "contactStart": "2024-01-01"},
        {"contactId": "2", "mediaType": 4, "fromAddr": "Anonymous", "contactStart": "2024-01-01"},
    ]
    rows = by_id(read_bytes("\n".join(json.dumps(line) for line in lines).encode()))
    assert rows["1"].customer_phone == "415-555-0142" and rows["1"].customer_name is None
    assert rows["2"].customer_phone is None and rows["2"].customer_name is None


def test_fixture_directory_exists() -> None:
    assert (FIXTURES / "reporting_completed.json").is_file()
