"""SOSL through simple-salesforce: phone digits, email, names, escaping, limits."""

from __future__ import annotations

import pytest
from simple_salesforce import Salesforce, SalesforceMalformedRequest


def _ids(res: dict) -> list[str]:  # type: ignore[type-arg]
    return sorted(r["Id"] for r in res["searchRecords"])


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("4155550101", ["003000000000001"]),  # stored "(415) 555-0101"
        ("+14155550102", ["003000000000002"]),  # stored "+1 415.555.0102"
        ("4155550102", ["003000000000002"]),
        ('"(415) 555-0103"', ["003000000000003"]),  # stored "415-555-0103" (HomePhone)
        ("\\(415\\)555\\-0103", ["003000000000003"]),
        ("4155550104", ["003000000000003"]),  # stored "14155550104" (OtherPhone)
        ("4155559999", []),
    ],
)
def test_phone_search_matches_digits(sf: Salesforce, term: str, expected: list[str]) -> None:
    res = sf.search(f"FIND {{{term}}} IN PHONE FIELDS RETURNING Contact(Id, Name, Phone)")
    assert _ids(res) == expected
    for rec in res["searchRecords"]:
        assert rec["attributes"]["type"] == "Contact"
        assert set(rec) == {"attributes", "Id", "Name", "Phone"}


def test_phone_or_batch_across_objects(sf: Salesforce) -> None:
    res = sf.search(
        "FIND {4155550100 OR 4155550101 OR 4155550105} IN PHONE FIELDS "
        "RETURNING Contact(Id, AccountId), Account(Id, Name), Lead(Id)"
    )
    types = sorted((r["attributes"]["type"], r["Id"]) for r in res["searchRecords"])
    assert types == [
        ("Account", "001000000000001"),
        ("Contact", "003000000000001"),
        ("Lead", "00Q000000000001"),
    ]


def test_email_search_is_case_insensitive(sf: Salesforce) -> None:
    res = sf.search("FIND {ann.obrien@example.COM} IN EMAIL FIELDS RETURNING Contact(Id, Email)")
    assert _ids(res) == ["003000000000001"]
    assert res["searchRecords"][0]["Email"] == "Ann.OBrien@Example.com"
    assert _ids(sf.search("FIND {nobody@example.com} IN EMAIL FIELDS RETURNING Contact(Id)")) == []


def test_name_search_where_and_limit(sf: Salesforce) -> None:
    assert _ids(sf.search("FIND {bob} IN NAME FIELDS RETURNING Contact(Id)")) == ["003000000000002"]
    assert _ids(sf.search('FIND {"bob builder"} IN NAME FIELDS RETURNING Contact(Id)')) == ["003000000000002"]
    res = sf.search(
        "FIND {Acme OR Ann} IN NAME FIELDS RETURNING Account(Id WHERE Type = 'Installer'), "
        "Contact(Id, Account.Name LIMIT 1)"
    )
    assert _ids(res) == ["001000000000001", "003000000000001"]


def test_sosl_escaped_reserved_characters_are_data(sf: Salesforce) -> None:
    res = sf.search("FIND {O\\'Brien} IN NAME FIELDS RETURNING Contact(Id)")
    assert _ids(res) == ["003000000000001"]
    res = sf.search("FIND {x\\' OR Name \\!\\= \\'} IN ALL FIELDS RETURNING Contact(Id)")
    assert _ids(res) == []
    assert sf.search("FIND {nothing\\}here} RETURNING Contact(Id)") == {"searchRecords": []}


def test_search_errors(sf: Salesforce) -> None:
    with pytest.raises(SalesforceMalformedRequest) as err:
        sf.search("FIND {unterminated RETURNING Contact(Id)")
    assert err.value.content[0]["errorCode"] == "MALFORMED_SEARCH"
    long_batch = " OR ".join(f"415555{i:04d}" for i in range(400))
    with pytest.raises(SalesforceMalformedRequest) as err:
        sf.search(f"FIND {{{long_batch}}} IN PHONE FIELDS RETURNING Contact(Id)")
    assert err.value.content[0]["errorCode"] == "MALFORMED_SEARCH"
    with pytest.raises(SalesforceMalformedRequest) as err:
        sf.search("FIND {ann} RETURNING Contact(Id, Nope__c)")
    assert err.value.content[0]["errorCode"] == "INVALID_FIELD"
