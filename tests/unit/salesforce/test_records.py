from __future__ import annotations

import pytest

from cxrecon.domain.records import ContactRec
from cxrecon.salesforce.indexes import index_by_phone, name_matches, website_domain
from cxrecon.salesforce.records import (
    contact_rec,
    phone_search_term,
    task_rec,
    to_e164,
)


@pytest.mark.parametrize(
    "stored", ["(415) 555-0100", "415.555.0100", "+1 415 555 0100", "4155550100", "1-415-555-0100"]
)
def test_phones_stored_in_any_format_normalise_to_e164(stored: str) -> None:
    assert to_e164(stored, "US") == "+14155550100"


def test_unparseable_phones_are_ignored() -> None:
    assert to_e164("call me", "US") is None


def test_phone_search_terms_use_national_digits_for_nanp_only() -> None:
    assert phone_search_term("+14155550100") == "4155550100"
    assert phone_search_term("+447700900123") == "447700900123"


def test_only_exact_e164_matches_are_indexed() -> None:
    rows = [
        {
            "attributes": {"type": "Contact"},
            "Id": "003A",
            "Phone": "(415) 555-0100",
            "MobilePhone": "415 555 0199",
        },
        {"attributes": {"type": "Contact"}, "Id": "003B", "Phone": "+44 415 555 0100"},
    ]
    index = index_by_phone(rows, {"+14155550100", "+14155550199"}, "US", contact_rec)
    assert [c.id for c in index["+14155550100"]] == ["003A"]
    assert [c.id for c in index["+14155550199"]] == ["003A"]
    assert set(index) == {"+14155550100", "+14155550199"}


def test_attributes_are_ignored_and_blank_fields_are_none() -> None:
    rec = contact_rec(
        {"attributes": {"type": "Contact", "url": "/x"}, "Id": "003A", "Name": "A B", "Email": ""}
    )
    assert rec == ContactRec(id="003A", name="A B")


def test_task_who_ids_start_with_the_primary_who() -> None:
    assert task_rec({"Id": "00T1", "WhoId": "003A", "IsClosed": True}).who_ids == ("003A",)
    assert task_rec({"Id": "00T1", "WhoId": None}).who_ids == ()


@pytest.mark.parametrize(
    ("website", "domain"),
    [
        ("https://www.SolarPros.com/about", "solarpros.com"),
        ("solarpros.com", "solarpros.com"),
        ("http://solarpros.com:8080", "solarpros.com"),
        ("www.solarpros.com.", "solarpros.com"),
        ("", None),
        (None, None),
    ],
)
def test_website_domains_are_normalised(website: str | None, domain: str | None) -> None:
    assert website_domain(website) == domain


def test_names_match_when_every_searched_word_is_in_the_contact_name() -> None:
    contact = ContactRec(id="003A", name="Maria de la Cruz", first_name="Maria", last_name="de la Cruz")
    assert name_matches("maria cruz", contact)
    assert not name_matches("maria lopez", contact)
