"""SOQL filters the sandbox answers from its lookup indexes return what a full read returns.

`LookupField = 'id'` / `IN (...)` (e.g. the open cases of some accounts) reads only the records the
`ref:<field>` index names, in the order a full read would return them; External ID, email and picklist
(`Type = 'Installer'`) filters use their own indexes, and one-word values of name fields (`CaseNumber`)
the word index. A null literal needs the full read: no index holds nulls.
"""

from __future__ import annotations

import pytest
from simple_salesforce import Salesforce

from cxrecon_local.sandbox import query

ACME, HOME = "001000000000001", "001000000000002"


def _ids(sf: Salesforce, soql: str, include_deleted: bool = False) -> list[str]:
    return [str(r["Id"]) for r in sf.query_all(soql, include_deleted=include_deleted)["records"]]


def test_lookup_filter_matches_a_full_read(sf: Salesforce, monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(5):
        sf.Case.create({"Subject": f"open {n}", "AccountId": ACME if n % 2 else HOME})
    sf.Case.create({"Subject": "closed", "AccountId": ACME, "Status": "Closed"})
    sf.Contact.create({"LastName": "Later", "AccountId": ACME})
    queries = [
        f"SELECT Id, Subject FROM Case WHERE IsClosed = false AND AccountId IN ('{ACME}', '{HOME}')",
        f"SELECT Id FROM Case WHERE AccountId = '{ACME}'",
        f"SELECT Id FROM Contact WHERE AccountId IN ('{ACME}AAA', '{HOME}')",
        "SELECT Id FROM Contact WHERE AccountId = 'not an id'",
        f"SELECT Id FROM Account WHERE ParentId = '{ACME}'",
    ]
    indexed = [sf.query_all(q)["records"] for q in queries]
    monkeypatch.setattr(query, "_ref_kind", lambda obj, cond: None)
    assert [sf.query_all(q)["records"] for q in queries] == indexed
    assert [len(records) for records in indexed] == [6, 3, 3, 0, 1]


def test_lookup_filter_follows_updates_and_deletes(sf: Salesforce) -> None:
    bob = "003000000000002"
    assert _ids(sf, f"SELECT Id FROM Contact WHERE AccountId = '{ACME}'") == [bob]
    sf.Contact.update(bob, {"AccountId": HOME})
    assert _ids(sf, f"SELECT Id FROM Contact WHERE AccountId = '{ACME}'") == []
    assert _ids(sf, f"SELECT Id FROM Contact WHERE AccountId = '{HOME}'") == ["003000000000001", bob]
    sf.Contact.delete(bob)
    assert _ids(sf, f"SELECT Id FROM Contact WHERE AccountId = '{HOME}'") == ["003000000000001"]
    soql = f"SELECT Id FROM Contact WHERE AccountId = '{HOME}'"
    assert _ids(sf, soql, include_deleted=True) == ["003000000000001", bob]


def test_null_literals_read_every_record(sf: Salesforce) -> None:
    keyed = sf.Contact.create({"LastName": "Keyed", "Legacy_Key__c": "K-1"})["id"]
    unkeyed = ["003000000000001", "003000000000002", "003000000000003"]
    assert _ids(sf, "SELECT Id FROM Contact WHERE Legacy_Key__c = null") == unkeyed
    assert _ids(sf, "SELECT Id FROM Contact WHERE Legacy_Key__c IN ('k-1', null)") == [*unkeyed, keyed]
    assert _ids(sf, "SELECT Id FROM Contact WHERE AccountId IN (null)") == ["003000000000003", keyed]
    assert _ids(sf, "SELECT Id FROM Contact WHERE Email = null") == ["003000000000003", keyed]


def test_picklist_and_name_field_filters_match_a_full_read(
    sf: Salesforce, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(3):
        sf.Account.create({"Name": f"Installer {n}", "Type": "Installer", "Website": f"i{n}.example"})
    sf.Account.create({"Name": "Home", "Type": "Homeowner"})
    sf.Account.create({"Name": "Untyped"})
    numbers = [
        str(
            sf.query(f"SELECT CaseNumber FROM Case WHERE Id = '{sf.Case.create({'Subject': s})['id']}'")[
                "records"
            ][0]["CaseNumber"]
        )
        for s in ("a", "b", "c")
    ]
    queries = [
        "SELECT Id, Name FROM Account WHERE Type = 'Installer' "
        "AND (Website LIKE '%i1%' OR Website LIKE '%i2%')",
        "SELECT Id FROM Account WHERE Type = 'installer'",  # SOQL compares strings case-insensitively
        "SELECT Id FROM Account WHERE Type IN ('Homeowner', 'Partner')",
        f"SELECT Id, Subject FROM Case WHERE CaseNumber IN ('{numbers[0]}', '{numbers[2]}', '99999999')",
        f"SELECT Id FROM Case WHERE CaseNumber = '{numbers[1]}'",
        "SELECT Id FROM Contact WHERE LastName = 'Rivera Household'",  # two words: not from the index
    ]
    indexed = [sf.query_all(q)["records"] for q in queries]
    monkeypatch.setattr(query, "_value_kind", lambda obj, cond: None)
    assert [sf.query_all(q)["records"] for q in queries] == indexed
    assert [len(records) for records in indexed] == [2, 4, 2, 2, 1, 0]  # with the fixture org's accounts


def test_picklist_filter_follows_updates(sf: Salesforce) -> None:
    acc = sf.Account.create({"Name": "Later Installer", "Type": "Homeowner"})["id"]
    assert acc[:15] not in {i[:15] for i in _ids(sf, "SELECT Id FROM Account WHERE Type = 'Installer'")}
    sf.Account.update(acc, {"Type": "Installer"})
    assert acc[:15] in {i[:15] for i in _ids(sf, "SELECT Id FROM Account WHERE Type = 'Installer'")}
    sf.Account.update(acc, {"Type": None})
    assert acc[:15] not in {i[:15] for i in _ids(sf, "SELECT Id FROM Account WHERE Type = 'Installer'")}
