"""SOQL through simple-salesforce: shapes, filters, relationships, pagination, errors, escaping."""

from __future__ import annotations

import pytest
from simple_salesforce import Salesforce, SalesforceMalformedRequest, format_soql

from cxrecon_local.sandbox import Sandbox
from cxrecon_local.sandbox.schema import to18


def test_query_shape_and_parent_relationships(sf: Salesforce) -> None:
    res = sf.query(
        "SELECT Id, Name, Account.Name, Account.Parent.Name FROM Contact WHERE LastName = 'builder'"
    )
    assert res["totalSize"] == 1 and res["done"] is True
    rec = res["records"][0]
    assert rec["attributes"] == {
        "type": "Contact",
        "url": f"/services/data/v62.0/sobjects/Contact/{rec['Id']}",
    }
    assert rec["Name"] == "Bob Builder"
    assert rec["Account"]["attributes"]["type"] == "Account"
    assert rec["Account"]["Name"] == "Acme Installers"
    assert rec["Account"]["Parent"] is None


def test_fifteen_char_reference_matches_eighteen(sf: Salesforce) -> None:
    full = to18("001000000000002")
    res = sf.query(f"SELECT Id, Account.Parent.Type FROM Contact WHERE AccountId = '{full}'")
    assert [r["Id"] for r in res["records"]] == ["003000000000001"]
    assert res["records"][0]["Account"]["Parent"]["Type"] == "Installer"


def test_where_operators(sf: Salesforce) -> None:
    def ids(where: str) -> list[str]:
        return [
            r["Id"] for r in sf.query(f"SELECT Id FROM Contact WHERE {where} ORDER BY LastName")["records"]
        ]

    assert ids("Email != null") == ["003000000000002", "003000000000001"]
    assert ids("AccountId = null") == ["003000000000003"]
    assert ids("LastName IN ('Dots', 'builder')") == ["003000000000002", "003000000000003"]
    assert ids("LastName NOT IN ('Dots')") == ["003000000000002", "003000000000001"]
    assert ids("Name LIKE 'a%'") == ["003000000000001"]
    assert ids("LastName LIKE '_ots'") == ["003000000000003"]
    # An OR of LIKEs on one field is answered by one combined pattern: the same rows as one by one
    assert ids("LastName LIKE '_ots' OR LastName LIKE 'BUIL%'") == ["003000000000002", "003000000000003"]
    assert ids("Name LIKE 'a%' OR Name LIKE 'zz%'") == ["003000000000001"]
    assert ids("LastName LIKE 'Do_' OR LastName LIKE 'x%'") == []
    assert ids("LastName LIKE '_ots' OR FirstName LIKE 'Ann'") == ["003000000000003", "003000000000001"]
    assert ids("(LastName = 'Dots' OR FirstName = 'Ann') AND NOT Email = null") == ["003000000000001"]
    assert ids("LastName > 'C' AND LastName <= 'Dots'") == ["003000000000003"]
    assert ids("CreatedDate > 2020-01-01T00:00:00Z") == [
        "003000000000002",
        "003000000000003",
        "003000000000001",
    ]
    assert ids("CreatedDate = LAST_N_DAYS:2") == ["003000000000002", "003000000000003", "003000000000001"]


def test_order_limit_offset_count(sf: Salesforce) -> None:
    res = sf.query("SELECT LastName FROM Contact ORDER BY Email DESC NULLS LAST LIMIT 2 OFFSET 1")
    assert [r["LastName"] for r in res["records"]] == ["O'Brien", "Dots"]
    res = sf.query("SELECT LastName FROM Contact ORDER BY Email ASC")
    assert [r["LastName"] for r in res["records"]] == ["Dots", "O'Brien", "Builder"]
    count = sf.query("SELECT COUNT() FROM Contact WHERE AccountId != null")
    assert count == {"totalSize": 2, "done": True, "records": []}


def test_injection_shaped_values_are_data(sf: Salesforce) -> None:
    res = sf.query(format_soql("SELECT Id, LastName FROM Contact WHERE LastName = {}", "O'Brien"))
    assert [r["LastName"] for r in res["records"]] == ["O'Brien"]
    res = sf.query(format_soql("SELECT Id FROM Contact WHERE LastName = {}", "x' OR Name != '"))
    assert res["totalSize"] == 0
    res = sf.query(format_soql("SELECT Id FROM Contact WHERE LastName LIKE '{:like}'", "O'B%"))
    assert res["totalSize"] == 0  # % escaped: literal
    res = sf.query(format_soql("SELECT Id FROM Contact WHERE LastName LIKE '{:like}%'", "O'B"))
    assert res["totalSize"] == 1


@pytest.mark.parametrize(
    ("soql", "code", "text"),
    [
        ("SELECT Id FROM", "MALFORMED_QUERY", "unexpected token"),
        ("SELECT Id FROM Contact WHERE Name = 'unterminated", "MALFORMED_QUERY", "unterminated"),
        ("SELECT Id, Foo FROM Contact", "INVALID_FIELD", "No such column 'Foo' on entity 'Contact'"),
        ("SELECT Id FROM Contact WHERE Bogus__r.Name = 'x'", "INVALID_FIELD", "relationship 'Bogus__r'"),
        ("SELECT Id FROM Nope__c", "INVALID_TYPE", "sObject type 'Nope__c' is not supported"),
        ("SELECT Id FROM Task WHERE ActivityDate = '2024-01-01'", "INVALID_FIELD", "must be of type date"),
    ],
)
def test_query_errors(sf: Salesforce, soql: str, code: str, text: str) -> None:
    with pytest.raises(SalesforceMalformedRequest) as err:
        sf.query(soql)
    assert err.value.status == 400
    assert err.value.content[0]["errorCode"] == code
    assert text in err.value.content[0]["message"]
    assert err.value.content[0]["fields"] == []


def test_canonical_casing(sf: Salesforce) -> None:
    res = sf.query("select id, lastname, account.name from contact where lastname = 'Builder'")
    rec = res["records"][0]
    assert set(rec) == {"attributes", "Id", "LastName", "Account"}
    assert rec["attributes"]["type"] == "Contact"


def test_uri_too_long(sb: Sandbox) -> None:
    ids = ",".join(f"'003000000{i:06d}'" for i in range(1500))
    resp = sb.http_session().get(
        f"{sb.url}/services/data/v62.0/query",
        params={"q": f"SELECT Id FROM Contact WHERE Id IN ({ids})"},
        headers={"Authorization": f"Bearer {sb.session_id}"},
    )
    assert resp.status_code == 414


def test_pagination_and_query_all(sb: Sandbox, sf: Salesforce) -> None:
    with sb.org.store.lock:
        sb.org.seed(
            {"Contact": [{"LastName": f"Bulk{i:05d}", "Phone": f"212555{i:04d}"} for i in range(4500)]}
        )
    q = "SELECT Id, LastName FROM Contact WHERE LastName LIKE 'Bulk%' ORDER BY LastName"
    first = sf.query(q)
    assert first["totalSize"] == 4500 and first["done"] is False and len(first["records"]) == 2000
    assert first["nextRecordsUrl"].startswith("/services/data/v62.0/query/01g")
    assert first["nextRecordsUrl"].endswith("-2000")
    calls = sb.api_calls
    names = [r["LastName"] for r in sf.query_all_iter(q, headers={"Sforce-Query-Options": "batchSize=200"})]
    assert names == [f"Bulk{i:05d}" for i in range(4500)]
    assert sb.api_calls - calls == 23  # 4500 / 200 pages
    assert len(sf.query_all(q)["records"]) == 4500

    victim = first["records"][0]["Id"]
    sf.Contact.delete(victim)
    assert sf.query("SELECT COUNT() FROM Contact WHERE LastName LIKE 'Bulk%'")["totalSize"] == 4499
    deleted = sf.query_all(f"SELECT Id, IsDeleted FROM Contact WHERE Id = '{victim}'", include_deleted=True)
    assert deleted["records"][0]["IsDeleted"] is True
    assert sf.query(f"SELECT Id FROM Contact WHERE Id = '{victim}'")["totalSize"] == 0


def test_polymorphic_relationships(sf: Salesforce) -> None:
    sf.Task.create(
        {
            "Subject": "x",
            "WhoId": "003000000000001",
            "WhatId": "500000000000001",
            "OwnerId": "005000000000001",
        }
    )
    rec = sf.query("SELECT Who.Name, What.Type, Owner.Name, Account.Name FROM Task")["records"][0]
    assert rec["Who"]["attributes"]["type"] == "Contact" and rec["Who"]["Name"] == "Ann O'Brien"
    assert rec["What"]["Type"] == "Case" and rec["Owner"]["Name"] == "Agent Smith"
    assert rec["Account"]["Name"] == "Home of Ann"
    assert sf.query("SELECT COUNT(Id) FROM Contact")["records"][0]["expr0"] == 3
