from __future__ import annotations

from datetime import UTC, datetime

from cxrecon.domain.interaction import Channel, Direction, Interaction

from .support import by_id, read_bytes, read_fixture, rejections

HEADER = "Contact_ID,Media_Name,ANI_Dialnum,Contact_Name,Start_Date,Start_Time,Disposition_Notes"


def test_data_download_csv_maps_every_field_of_a_call() -> None:
    rows = read_fixture("data_download.csv")
    assert rejections(rows) == []
    call = by_id(rows)["900001"]
    assert call.master_interaction_id == "900001"
    assert call.channel is Channel.CALL
    assert call.direction is Direction.INBOUND
    assert call.customer_name == "Pat Customer"
    assert call.customer_phone == "(415) 555-0142"
    assert call.skill == "Billing Inbound"
    assert call.agent_id == "1234"
    assert call.agent_name == "Lopez, Ana"
    assert call.disposition == "Resolved"
    assert call.started_at == datetime(2024, 5, 1, 13, 45, tzinfo=UTC)
    assert call.duration_seconds == 330
    assert call.notes == "Called about invoice, case 00012345"
    assert call.abandoned is False and call.reached_agent is True
    assert (call.source_file, call.source_line) == ("data_download.csv", 2)


def test_email_row_with_a_twelve_hour_clock_and_outbound_direction() -> None:
    email = by_id(read_fixture("data_download.csv"))["900002"]
    assert email.channel is Channel.EMAIL
    assert email.customer_email == "pat@example.org"
    assert email.customer_name is None
    assert email.direction is Direction.OUTBOUND
    assert email.started_at == datetime(2024, 5, 1, 13, 5, 7, tzinfo=UTC)


def test_abandoned_row_without_an_agent_did_not_reach_one() -> None:
    call = by_id(read_fixture("data_download.csv"))["900003"]
    assert call.abandoned is True and call.reached_agent is False
    assert call.agent_id is None and call.master_interaction_id == "900000"


def test_headers_match_case_insensitively_with_spaces_and_extra_columns_ignored() -> None:
    data = b" contact id ,MEDIA_NAME, Start_Date ,start_time,Whatever\n1,Voice Mail,01/02/2024,07:08:09,x\n"
    (row,) = read_bytes(data)
    assert isinstance(row, Interaction)
    assert row.channel is Channel.VOICEMAIL
    assert row.started_at == datetime(2024, 1, 2, 7, 8, 9, tzinfo=UTC)


def test_crlf_line_ends_and_a_quoted_newline_keep_the_record_line_numbers() -> None:
    data = (
        f"{HEADER}\r\n"
        '1,Call,4155550142,Ann,05/01/2024,10:00:00,"first line\r\nsecond line"\r\n'
        "2,Call,4155550143,Bob,05/01/2024,10:05:00,\r\n"
    ).encode()
    rows = read_bytes(data)
    assert [(row.interaction_id, row.source_line) for row in rows] == [("1", 2), ("2", 4)]
    first = rows[0]
    assert isinstance(first, Interaction) and first.notes == "first line\r\nsecond line"


def test_csv_with_quoted_newline_keeps_the_record_line_number_of_later_rejections() -> None:
    data = (
        f'{HEADER}\n1,Call,4155550142,Ann,05/01/2024,10:00:00,"a\nb\nc"\n2,Fax,,,05/01/2024,10:00:00,\n'
    ).encode()
    rows = read_bytes(data)
    assert rows[1].source_line == 5 and rejections(rows)[0].reason == "unknown_channel"


def test_utf8_bom_is_not_part_of_the_first_header() -> None:
    data = b"\xef\xbb\xbf" + f"{HEADER}\n1,Chat,,Zoë,05/01/2024,10:00:00,\n".encode()
    (row,) = read_bytes(data)
    assert isinstance(row, Interaction) and row.customer_name == "Zoë"


def test_latin1_csv_is_decoded_as_windows_1252() -> None:
    data = f"{HEADER}\n1,Call,4155550142,José Müller,05/01/2024,10:00:00,caf\u00e9 \u2019ok\u2019\n".encode(
        "cp1252"
    )
    (row,) = read_bytes(data)
    assert isinstance(row, Interaction)
    assert row.customer_name == "José Müller"
    assert row.notes == "café \u2019ok\u2019"


def test_semicolon_delimited_export_is_read() -> None:
    data = b"Contact_ID;Media_Name;Start_Date;Start_Time\n1;SMS;05/01/2024;10:00\n"
    (row,) = read_bytes(data)
    assert isinstance(row, Interaction) and row.channel is Channel.SMS


def test_wrong_column_count_rejects_only_that_row() -> None:
    data = (
        f"{HEADER}\n1,Call,4155550142,Ann,05/01/2024,10:00:00,\n2,Call,oops\n3,Call,,,05/01/2024,10:00:00,\n"
    )
    rows = read_bytes(data.encode())
    assert [(row.source_line, type(row).__name__) for row in rows] == [
        (2, "Interaction"),
        (3, "Rejection"),
        (4, "Interaction"),
    ]
    assert rejections(rows)[0].reason == "malformed_row"


def test_csv_abandon_and_duration_variants() -> None:
    data = (
        b"Contact_ID,Media_Name,Start_Date,Start_Time,Abandon,Duration,Agent_No\n"
        b"1,Call,05/01/2024,10:00:00,1,0:01:05,0\n"
        b"2,Call,05/01/2024,10:00:00,True,7.0,\n"
        b"3,Call,05/01/2024,10:00:00,N,,15\n"
    )
    rows = by_id(read_bytes(data))
    assert rows["1"].abandoned and rows["1"].duration_seconds == 65 and not rows["1"].reached_agent
    assert rows["2"].abandoned and rows["2"].duration_seconds == 7
    assert not rows["3"].abandoned and rows["3"].duration_seconds is None and rows["3"].reached_agent
