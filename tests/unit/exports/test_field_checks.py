"""Where a row's bad value is, as the rejection reason names it."""

from __future__ import annotations

from cxrecon.exports.fields import find_bad_encoding, find_oversized, fits

BAD = "caf\udce9"  # an undecodable byte, as surrogateescape reads it


def test_a_clean_row_has_no_finding() -> None:
    row = {"id": "1", "tags": ["a", "b"], "author": {"fullName": "Zoë Müller"}, "n": 4, "none": None}
    assert find_oversized(row, 20) is None
    assert find_bad_encoding(row) is None


def test_the_first_long_value_is_named_by_its_path() -> None:
    row = {"id": "1", "recipients": [{"name": "ok"}, {"name": "ok"}, {"name": "y" * 30}], "preview": "z" * 30}
    assert find_oversized(row, 20) == "recipients[2].name"
    assert find_oversized({"preview": "z" * 30}, 20) == "preview"
    assert find_oversized("z" * 30, 20) == "value"
    assert find_oversized(["ok", ["ok", "z" * 30]], 20) == "[1][1]"


def test_a_long_field_name_is_named_by_its_first_40_characters() -> None:
    assert find_oversized({"k" * 60: 1}, 20) == "k" * 40 + "…"
    assert find_oversized({"author": {"k" * 60: "x"}}, 20) == "author." + "k" * 40 + "…"


def test_undecodable_bytes_are_found_in_values_and_in_field_names() -> None:
    assert (
        find_bad_encoding({"id": "1", "customFields": [{"ident": "x", "value": BAD}]})
        == "customFields[0].value"
    )
    assert find_bad_encoding({"author": {BAD: "x"}}) == "author"
    assert find_bad_encoding({BAD: "x"}) == "a field name"
    assert find_bad_encoding(BAD) == "value"


def test_a_row_fits_exactly_when_neither_walk_finds_anything() -> None:
    rows: list[object] = [
        {"id": "1", "tags": ["a", "b"], "n": 4, "ok": True, "none": None, "name": "Zoë"},
        {"id": "1", "recipients": [{"name": "y" * 30}]},
        {"id": "1", "author": {BAD: "x"}},
        {"k" * 30: 1},
        {"id": "1", "customFields": [{"ident": "x", "value": BAD}]},
        ["ok", ("ok", "z" * 21)],
        "z" * 20,
        BAD,
    ]
    for row in rows:
        assert fits(row, 20) == (find_bad_encoding(row) is None and find_oversized(row, 20) is None), row
