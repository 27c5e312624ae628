"""sObject Collections and Composite through simple-salesforce's restful()."""

from __future__ import annotations

import pytest
from simple_salesforce import Salesforce, SalesforceMalformedRequest

from cxrecon_local.sandbox import Sandbox


def _tasks(sb: Sandbox) -> dict[str, dict]:  # type: ignore[type-arg]
    return {t["CXone_Contact_Id__c"]: t for t in sb.dump()["Task"] if "CXone_Contact_Id__c" in t}


def test_collection_create_update_delete(sb: Sandbox, sf: Salesforce) -> None:
    body = {
        "allOrNone": False,
        "records": [
            {"attributes": {"type": "Account"}, "Name": "Col A"},
            {"attributes": {"type": "Contact"}, "LastName": "Col B", "AccountId": "001000000000001"},
            {"attributes": {"type": "Contact"}, "FirstName": "no last name"},
        ],
    }
    res = sf.restful("composite/sobjects", method="POST", json=body)
    assert [r["success"] for r in res] == [True, True, False]
    assert res[0]["id"].startswith("001") and res[1]["id"].startswith("003") and res[0]["errors"] == []
    assert "id" not in res[2]
    assert res[2]["errors"] == [
        {
            "statusCode": "REQUIRED_FIELD_MISSING",
            "message": "Required fields are missing: [LastName]",
            "fields": ["LastName"],
        }
    ]
    names = {a["Name"] for a in sb.dump()["Account"]}
    assert "Col A" in names

    upd = sf.restful(
        "composite/sobjects",
        method="PATCH",
        json={
            "allOrNone": False,
            "records": [
                {"attributes": {"type": "Contact"}, "Id": res[1]["id"], "Email": "colb@example.com"},
                {"attributes": {"type": "Contact"}, "Id": "003000000000099", "Email": "x@example.com"},
            ],
        },
    )
    assert upd[0] == {"id": res[1]["id"], "success": True, "errors": []}
    assert upd[1]["success"] is False and upd[1]["errors"][0]["statusCode"] == "NOT_FOUND"
    assert sf.Contact.get(res[1]["id"])["Email"] == "colb@example.com"

    dele = sf.restful(
        "composite/sobjects",
        method="DELETE",
        params={"ids": f"{res[0]['id']},{res[1]['id']},bogus", "allOrNone": "false"},
    )
    assert [d["success"] for d in dele] == [True, True, False]
    assert dele[2]["errors"][0]["statusCode"] == "MALFORMED_ID"
    assert sf.query(f"SELECT COUNT() FROM Contact WHERE Id = '{res[1]['id']}'")["totalSize"] == 0


def test_collection_all_or_none_rolls_back(sb: Sandbox, sf: Salesforce) -> None:
    before = sb.dump()
    res = sf.restful(
        "composite/sobjects",
        method="POST",
        json={
            "allOrNone": True,
            "records": [
                {"attributes": {"type": "Account"}, "Name": "Rolled"},
                {"attributes": {"type": "Contact"}, "LastName": "Bad", "AccountId": "001000000000099"},
                {"attributes": {"type": "Account"}, "Name": "Rolled too"},
            ],
        },
    )
    assert [r["success"] for r in res] == [False, False, False]
    assert res[0]["errors"][0]["statusCode"] == "ALL_OR_NONE_OPERATION_ROLLED_BACK"
    assert res[1]["errors"][0]["statusCode"] == "INVALID_CROSS_REFERENCE_KEY"
    assert sb.dump() == before


def test_collection_upsert_by_external_id(sb: Sandbox, sf: Salesforce) -> None:
    def records(n: int, status: str) -> list[dict]:  # type: ignore[type-arg]
        return [
            {
                "attributes": {"type": "Task"},
                "CXone_Contact_Id__c": f"CX{i}",
                "Subject": f"Call {i}",
                "Status": status,
                "TaskSubtype": "Call",
                "CallType": "Inbound",
                "WhoId": "003000000000002",
                "ActivityDate": "2026-11-20",
                "CallDurationInSeconds": i,
            }
            for i in range(n)
        ]

    path = "composite/sobjects/Task/CXone_Contact_Id__c"
    first = sf.restful(
        path, method="PATCH", json={"allOrNone": False, "records": records(200, "Not Started")}
    )
    assert len(first) == 200 and all(r["success"] and r["created"] for r in first)
    second = sf.restful(path, method="PATCH", json={"allOrNone": False, "records": records(200, "Completed")})
    assert all(r["success"] and r["created"] is False for r in second)
    assert [r["id"] for r in first] == [r["id"] for r in second]
    tasks = _tasks(sb)
    assert len(tasks) == 200
    assert tasks["CX7"]["Status"] == "Completed" and tasks["CX7"]["IsClosed"] is True
    assert tasks["CX7"]["AccountId"] == "001000000000001" and tasks["CX7"]["CallDurationInSeconds"] == 7

    mixed = sf.restful(
        path,
        method="PATCH",
        json={
            "allOrNone": False,
            "records": [
                {"attributes": {"type": "Task"}, "CXone_Contact_Id__c": "NEW1", "Subject": "ok"},
                {"attributes": {"type": "Task"}, "CXone_Contact_Id__c": "NEW2", "WhoId": "001000000000001"},
                {"attributes": {"type": "Task"}, "CXone_Contact_Id__c": "DUP"},
                {"attributes": {"type": "Task"}, "CXone_Contact_Id__c": "dup"},
                {"attributes": {"type": "Task"}, "Subject": "no key"},
            ],
        },
    )
    assert [r["success"] for r in mixed] == [True, False, False, False, False]
    assert [r["errors"][0]["statusCode"] for r in mixed[1:]] == [
        "INVALID_CROSS_REFERENCE_KEY",
        "DUPLICATE_EXTERNAL_ID",
        "DUPLICATE_EXTERNAL_ID",
        "MISSING_ARGUMENT",
    ]
    assert "NEW1" in _tasks(sb) and "NEW2" not in _tasks(sb)


def test_collection_limits(sf: Salesforce) -> None:
    too_many = [{"attributes": {"type": "Account"}, "Name": f"A{i}"} for i in range(201)]
    with pytest.raises(SalesforceMalformedRequest) as err:
        sf.restful("composite/sobjects", method="POST", json={"records": too_many})
    assert err.value.content[0]["errorCode"] == "EXCEEDED_ID_LIMIT"


def test_composite_with_references(sb: Sandbox, sf: Salesforce) -> None:
    calls = sb.api_calls
    res = sf.restful(
        "composite",
        method="POST",
        json={
            "allOrNone": False,
            "compositeRequest": [
                {
                    "method": "POST",
                    "url": "/services/data/v62.0/sobjects/Account",
                    "referenceId": "acct",
                    "body": {"Name": "Composite Co"},
                },
                {
                    "method": "POST",
                    "url": "/services/data/v62.0/sobjects/Contact",
                    "referenceId": "cont",
                    "body": {"LastName": "Ref", "AccountId": "@{acct.id}"},
                },
                {
                    "method": "GET",
                    "referenceId": "q",
                    "url": "/services/data/v62.0/query/?q=SELECT+Id,Account.Name+FROM+Contact+"
                    "WHERE+AccountId='@{acct.id}'",
                },
                {
                    "method": "PATCH",
                    "url": "/services/data/v62.0/sobjects/Contact/@{q.records[0].Id}",
                    "referenceId": "u",
                    "body": {"Email": "ref@example.com"},
                },
                {
                    "method": "GET",
                    "url": "/services/data/v62.0/sobjects/Contact/@{nope.id}",
                    "referenceId": "bad",
                },
                {
                    "method": "POST",
                    "url": "/services/data/v62.0/sobjects/Contact",
                    "referenceId": "fail",
                    "body": {"FirstName": "x"},
                },
            ],
        },
    )
    assert sb.api_calls - calls == 1
    out = {r["referenceId"]: r for r in res["compositeResponse"]}
    assert out["acct"]["httpStatusCode"] == 201 and out["acct"]["body"]["success"] is True
    assert out["acct"]["httpHeaders"]["Location"].endswith(out["acct"]["body"]["id"])
    assert out["q"]["body"]["records"][0]["Account"]["Name"] == "Composite Co"
    assert out["u"]["httpStatusCode"] == 204 and out["u"]["body"] is None
    assert out["bad"]["httpStatusCode"] == 400 and out["bad"]["body"][0]["errorCode"] == "PROCESSING_HALTED"
    assert out["fail"]["body"][0]["errorCode"] == "REQUIRED_FIELD_MISSING"
    assert sf.Contact.get(out["cont"]["body"]["id"])["Email"] == "ref@example.com"


def test_composite_all_or_none_and_limits(sb: Sandbox, sf: Salesforce) -> None:
    before = sb.dump()
    res = sf.restful(
        "composite",
        method="POST",
        json={
            "allOrNone": True,
            "compositeRequest": [
                {
                    "method": "POST",
                    "url": "/services/data/v62.0/sobjects/Account",
                    "referenceId": "a",
                    "body": {"Name": "Gone"},
                },
                {
                    "method": "POST",
                    "url": "/services/data/v62.0/sobjects/Account",
                    "referenceId": "b",
                    "body": {},
                },
                {
                    "method": "POST",
                    "url": "/services/data/v62.0/sobjects/Account",
                    "referenceId": "c",
                    "body": {"Name": "Never"},
                },
            ],
        },
    )
    codes = [(r["httpStatusCode"], r["body"][0]["errorCode"]) for r in res["compositeResponse"]]
    assert codes == [(400, "PROCESSING_HALTED"), (400, "REQUIRED_FIELD_MISSING"), (400, "PROCESSING_HALTED")]
    assert sb.dump() == before

    q = {"method": "GET", "url": "/services/data/v62.0/query?q=SELECT+Id+FROM+Account"}
    with pytest.raises(SalesforceMalformedRequest):
        sf.restful(
            "composite",
            method="POST",
            json={"compositeRequest": [{**q, "referenceId": f"q{i}"} for i in range(6)]},
        )
    get = {"method": "GET", "url": "/services/data/v62.0/sobjects/Account/001000000000001"}
    with pytest.raises(SalesforceMalformedRequest):
        sf.restful(
            "composite",
            method="POST",
            json={"compositeRequest": [{**get, "referenceId": f"g{i}"} for i in range(26)]},
        )
    ok = sf.restful(
        "composite",
        method="POST",
        json={"compositeRequest": [{**get, "referenceId": f"g{i}"} for i in range(25)]},
    )
    assert all(r["httpStatusCode"] == 200 for r in ok["compositeResponse"])
