from __future__ import annotations

import json
from datetime import UTC, datetime

from cxrecon.domain.interaction import Channel, Direction, Party, Rejection

from .support import by_id, read_bytes, read_fixture, rejections


def test_dfo_email_case_maps_every_field() -> None:
    rows = read_fixture("dfo_cases.json")
    assert rejections(rows) == []
    case = by_id(rows)["1001"]
    assert case.master_interaction_id == "4000001"
    assert case.channel is Channel.EMAIL
    assert case.direction is Direction.INBOUND
    assert case.started_at == datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
    assert case.ended_at == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert case.customer_email == "pat@example.org"
    assert case.customer_name == "Pat Customer"
    assert case.other_parties == (
        Party(email="support@company.example", name="Support", is_primary=True),
        Party(email="lee@example.org", name="Lee Colleague"),
    )
    assert case.agent_id == "1235"
    assert case.agent_email == "bo.chen@company.example"
    assert case.agent_name == "Bo Chen"
    assert case.subject == "Invoice question"
    assert case.notes == "Hello, about my invoice"
    assert case.reference_texts == ("billing", "refund", "caseNumber: 00012345", "Hello, about my invoice")
    assert case.reached_agent is True and case.abandoned is False
    assert case.source_line == 2


def test_dfo_chat_uses_only_the_name_and_falls_back_to_the_user_id() -> None:
    chat = by_id(read_fixture("dfo_cases.json"))["1002"]
    assert chat.channel is Channel.CHAT
    assert chat.customer_name == "Jamie Visitor"
    assert chat.customer_phone is None and chat.customer_email is None
    assert chat.agent_id == "56" and chat.agent_name == "Cy"


def test_dfo_channel_object_and_trashed_unassigned_case_did_not_reach_an_agent() -> None:
    rows = by_id(read_fixture("dfo_cases.json"))
    sms, whatsapp = rows["1003"], rows["1004"]
    assert sms.channel is Channel.SMS and sms.customer_phone == "+14155550142"
    assert sms.reached_agent is False
    assert whatsapp.channel is Channel.SOCIAL and whatsapp.customer_phone == "14155550177"
    assert whatsapp.reached_agent is True


def test_dfo_cases_container_and_a_custom_bot_channel_is_digital() -> None:
    doc = {"cases": [{"id": "9", "channelId": "custom_bot_1", "createdAt": "2024-01-01T00:00:00Z"}]}
    (row,) = read_bytes(json.dumps(doc).encode())
    assert row.channel is Channel.DIGITAL


def test_dfo_channel_of_no_known_family_is_rejected_as_unknown_channel() -> None:
    doc = [
        {"id": "9", "channelId": "fax_1", "createdAt": "2024-01-01T00:00:00Z"},
        {"id": "10", "channelId": "chat_1", "createdAt": "2024-01-01T00:00:00Z"},
    ]
    rejected, accepted = read_bytes(json.dumps(doc).encode())
    assert isinstance(rejected, Rejection) and rejected.reason == "unknown_channel"
    assert accepted.channel is Channel.CHAT


def test_dfo_without_any_channel_is_rejected_as_unknown_channel() -> None:
    records = [
        {"id": "1", "channelId": "chat_1", "createdAt": "2024-01-01T00:00:00Z"},
        {"id": "2", "authorEndUserIdentity": {"fullName": "X"}, "createdAt": "2024-01-01T00:00:00Z"},
    ]
    rows = read_bytes(json.dumps(records).encode())
    (rejection,) = rejections(rows)
    assert (rejection.reason, rejection.interaction_id) == ("unknown_channel", "2")
