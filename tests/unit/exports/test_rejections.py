from __future__ import annotations

import json

from cxrecon.domain.interaction import Interaction, Rejection

from .support import read_bytes, rejections

PHONE, EMAIL, NAME = "4155550142", "pat.private@example.org", "Patricia Secretname"


def _line(**overrides: object) -> str:
    record: dict[str, object] = {
        "contactId": "1",
        "mediaTypeName": "Call",
        "fromAddr": PHONE,
        "contactStart": "2024-05-01T13:45:00Z",
    }
    record.update(overrides)
    return json.dumps({key: value for key, value in record.items() if value is not None}, ensure_ascii=False)


def _outcomes(rows: list[Interaction | Rejection]) -> list[tuple[int, str]]:
    return [(row.source_line, row.reason if isinstance(row, Rejection) else "ok") for row in rows]


def test_each_bad_row_is_rejected_with_its_line_and_the_rest_of_the_file_continues() -> None:
    lines = [
        _line(contactId="1"),
        _line(contactId=None),
        _line(contactId="3", mediaTypeName="Fax"),
        _line(contactId="4", contactStart="yesterday"),
        _line(contactId="5", totalDurationSeconds="about a minute"),
        "[1, 2]",
        "{not json",
        _line(contactId="1"),
        _line(contactId="9", dispositionNotes="x" * 101),
        _line(contactId="x" * 65),
        _line(contactId="11", isOutbound="maybe"),
        _line(contactId="12"),
    ]
    rows = read_bytes("\n".join(lines).encode(), max_field_chars=100)
    assert _outcomes(rows) == [
        (1, "ok"),
        (2, "missing_id"),
        (3, "unknown_channel"),
        (4, "malformed_date"),
        (5, "malformed_row"),
        (6, "malformed_row"),
        (7, "malformed_row"),
        (8, "duplicate_id"),
        (9, "oversized_field"),
        (10, "oversized_field"),
        (11, "malformed_row"),
        (12, "ok"),
    ]
    by_line = {row.source_line: row for row in rejections(rows)}
    assert by_line[3].interaction_id == "3"
    assert by_line[4].channel == "call"
    assert by_line[8].interaction_id == "1"
    assert "dispositionNotes" in by_line[9].detail
    assert all(row.source_file == "export.bin" for row in rows)


def test_rejection_details_never_echo_customer_phone_email_or_name() -> None:
    personal = {"fromAddr": PHONE, "toAddr": EMAIL, "firstName": NAME}
    lines = [
        _line(contactId=None, **personal),
        _line(contactId="2", mediaTypeName="Fax", **personal),
        _line(contactId="3", contactStart=PHONE, **personal),
        _line(contactId="4", fromAddr=PHONE * 20),
        _line(contactId="5", fromAddr={"phone": PHONE}),
        _line(contactId="6", isOutbound=EMAIL),
        _line(contactId="7", totalDurationSeconds=NAME),
    ]
    rows = read_bytes("\n".join(lines).encode(), max_field_chars=100)
    assert len(rejections(rows)) == 7
    for rejection in rejections(rows):
        for secret in (PHONE, EMAIL, NAME, "Patricia"):
            assert secret not in rejection.detail


def test_a_row_with_invalid_utf8_in_an_otherwise_utf8_file_is_rejected_as_bad_encoding() -> None:
    good = _line(contactId="1", firstName="Zoë").encode()
    bad = _line(contactId="2", firstName="Ren?e").encode().replace(b"?", b"\xe9")
    later = _line(contactId="3").encode()
    rows = read_bytes(b"\n".join([good, bad, later]))
    assert _outcomes(rows) == [(1, "ok"), (2, "bad_encoding"), (3, "ok")]
    assert rejections(rows)[0].interaction_id == "2"


def test_a_csv_row_with_invalid_utf8_is_rejected_as_bad_encoding() -> None:
    header = b"Contact_ID,Media_Name,Contact_Name,Start_Date,Start_Time\n"
    rows = read_bytes(
        header
        + "1,Call,Zoë,05/01/2024,10:00:00\n".encode()
        + b"2,Call,Ren\xe9e,05/01/2024,10:00:00\n"
        + b"3,Call,,05/01/2024,10:00:00\n"
    )
    assert _outcomes(rows) == [(2, "ok"), (3, "bad_encoding"), (4, "ok")]


def test_csv_rejections_for_dates_ids_and_oversized_fields() -> None:
    header = "Contact_ID,Media_Name,Start_Date,Start_Time,Notes\n"
    body = [
        ",Call,05/01/2024,10:00:00,",
        "2,Call,13/45/2024,10:00:00,",
        "3,Call,05/01/2024,25:61,",
        "4,Call,05/01/2024,10:00:00," + "n" * 50,
        "5,Call,05/01/2024,10:00:00,",
        "5,Call,05/01/2024,10:00:00,",
    ]
    rows = read_bytes((header + "\n".join(body) + "\n").encode(), max_field_chars=40)
    assert _outcomes(rows) == [
        (2, "missing_id"),
        (3, "malformed_date"),
        (4, "malformed_date"),
        (5, "oversized_field"),
        (6, "ok"),
        (7, "duplicate_id"),
    ]


def test_a_json_array_element_that_is_not_an_object_is_a_malformed_row() -> None:
    data = b'[\n"just text",\n' + _line().encode() + b"\n]"
    rows = read_bytes(data)
    assert _outcomes(rows) == [(2, "malformed_row"), (3, "ok")]
