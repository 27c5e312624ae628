from __future__ import annotations

from urllib.parse import quote

import pytest

from cxrecon.salesforce.soql import (
    _encoded_len,
    batched_in_clauses,
    batched_or_clauses,
    external_id_segment,
    query_url,
    sosl_escape,
    sosl_or_batches,
    sosl_phrase,
    sosl_term_groups,
)


def test_values_are_quoted_and_escaped_never_pasted() -> None:
    [clause] = batched_in_clauses(["O'Brien", "x' OR Name != '"], field="LastName", base_query_len=100)
    assert clause == "LastName IN ('O\\'Brien','x\\' OR Name != \\'')"


def test_backslashes_and_newlines_are_escaped() -> None:
    [clause] = batched_in_clauses(["a\\b", "c\nd"], field="Name", base_query_len=0)
    assert clause == "Name IN ('a\\\\b','c\\nd')"


def test_in_lists_are_split_so_every_encoded_query_fits_the_uri_limit() -> None:
    values = [f"user{i:05d}+tag@example-{i}.com" for i in range(3_000)]
    head = "SELECT Id, Name, Email FROM Contact WHERE "
    base = len(query_url("62.0", head))
    clauses = batched_in_clauses(values, field="Email", base_query_len=base)
    assert len(clauses) > 1
    for clause in clauses:
        assert len(query_url("62.0", head + clause)) <= 16_384
        assert len(head + clause) <= 100_000
    covered = [v for c in clauses for v in c[len("Email IN (") : -1].split(",")]
    assert len(covered) == 3_000
    # Packed tightly: splitting wastes less than a few percent.
    assert len(clauses) <= 1 + sum(len(quote(f"'{v}'", safe="")) + 3 for v in values) // (16_384 - base)


def test_duplicates_are_dropped() -> None:
    assert batched_in_clauses(["b", "a", "b"], field="Id", base_query_len=0) == ["Id IN ('a','b')"]


def test_a_value_too_long_for_any_query_is_left_out_and_the_others_are_queried() -> None:
    # No filterable field holds 20,000 characters (or 5,000 encoded to 30,000 bytes): it cannot match.
    assert batched_in_clauses(["x" * 20_000, "b", "\u00e9" * 5_000], field="Name", base_query_len=0) == [
        "Name IN ('b')"
    ]
    assert batched_in_clauses(["x" * 20_000], field="Name", base_query_len=0) == []


def test_a_search_term_too_long_for_any_search_is_left_out() -> None:
    assert sosl_term_groups(["Jane Smith", "x" * 4_000, "Bo"], phrases=True) == [["Bo", "Jane Smith"]]
    assert batched_or_clauses(["A = 1", "B = '" + "x" * 20_000 + "'"], base_query_len=0) == ["(A = 1)"]


def test_or_clauses_group_preformatted_conditions() -> None:
    groups = batched_or_clauses(["A = 1", "B = 2"], base_query_len=0)
    assert groups == ["(A = 1 OR B = 2)"]
    many = batched_or_clauses([f"Website LIKE '%d{i}.example%'" for i in range(2_000)], base_query_len=500)
    assert len(many) > 1 and all(len(quote(g, safe="")) + 500 <= 16_384 for g in many)


@pytest.mark.parametrize("ch", list("?&|!{}[]()^~*:\\\"'+-"))
def test_every_sosl_reserved_character_is_escaped(ch: str) -> None:
    assert sosl_escape(f"a{ch}b") == f"a\\{ch}b"


def test_sosl_phrases_are_quoted_and_escaped() -> None:
    assert sosl_phrase('Ann "AJ" O\'Neil-Smith') == '"Ann \\"AJ\\" O\\\'Neil\\-Smith"'


def test_sosl_batches_stay_well_under_the_operator_limit() -> None:
    terms = [f"{4155550000 + i}" for i in range(1_000)]
    batches = sosl_or_batches(terms)
    assert len(batches) == 5  # 14 characters a term: 249 terms a batch
    assert all(b.startswith("FIND {") and b.endswith("}") and len(b) <= 3_500 for b in batches)
    groups = sosl_term_groups(terms)
    assert sorted(t for g in groups for t in g) == sorted(terms)
    assert batches[0] == "FIND {" + " OR ".join(groups[0]) + "}"


def test_sosl_injection_cannot_close_the_find_clause() -> None:
    [batch] = sosl_or_batches(["x} RETURNING User(Id"])
    assert batch == "FIND {x\\} RETURNING User\\(Id}"


def test_external_id_path_segment_is_url_encoded() -> None:
    assert external_id_segment("a/b c?d#e") == "a%2Fb%20c%3Fd%23e"


@pytest.mark.parametrize(
    "text",
    ["", "plain_Text-1.~", "O'Brien & Sons", "a b+c/d?e=f#g%h", "Zoë Müller", "東京", "x\ny\tz", "😀 emoji"],
)
def test_the_encoded_length_is_the_length_quote_gives(text: str) -> None:
    assert _encoded_len(text) == len(quote(text, safe=""))
