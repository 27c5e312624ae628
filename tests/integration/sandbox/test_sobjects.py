"""sobjects CRUD, upsert, describe and record validation through simple-salesforce."""

from __future__ import annotations

from typing import Any

import pytest
from simple_salesforce import (
    Salesforce,
    SalesforceMalformedRequest,
    SalesforceMoreThanOneRecord,
    SalesforceResourceNotFound,
    format_external_id,
)

from cxrecon_local.sandbox import Sandbox
from cxrecon_local.sandbox.schema import to18


def _by_id(sb: Sandbox, sobject: str, record_id: str) -> dict[str, Any]:
    return next(r for r in sb.dump()[sobject] if to18(r["Id"]) == to18(record_id))


def test_create_get_update_delete(sb: Sandbox, sf: Salesforce) -> None:
    created = sf.Contact.create(
        {"FirstName": "Dee", "LastName": "Ng", "AccountId": "001000000000001", "Email": "dee@example.com"}
    )
    assert created["success"] is True and created["errors"] == [] and to18(created["id"]) == created["id"]
    assert created["id"].startswith("003")
    rec = sf.Contact.get(created["id"])
    assert rec["attributes"]["type"] == "Contact" and rec["Name"] == "Dee Ng" and rec["IsDeleted"] is False
    assert rec["CreatedDate"].endswith("+0000") and len(rec["CreatedDate"]) == 28
    assert sf.Contact.update(created["id"], {"LastName": "Ngo", "Phone": "212 555 0000"}) == 204
    assert _by_id(sb, "Contact", created["id"])["Name"] == "Dee Ngo"
    partial = sf.restful(f"sobjects/Contact/{created['id']}", params={"fields": "Id,Name"})
    assert set(partial) == {"attributes", "Id", "Name"}
    assert sf.Contact.delete(created["id"]) == 204
    with pytest.raises(SalesforceResourceNotFound) as err:
        sf.Contact.get(created["id"])
    assert err.value.status == 404 and err.value.content[0]["errorCode"] == "NOT_FOUND"
    assert all(r["Id"] != created["id"] for r in sb.dump()["Contact"])


def test_upsert_created_then_updated_with_url_unsafe_value(sb: Sandbox, sf: Salesforce) -> None:
    key = "cx/42?&#"
    path = f"CXone_Contact_Id__c/{format_external_id('CXone_Contact_Id__c', key).split('/', 1)[1]}"
    first = sf.Task.upsert(
        path, {"Subject": "Call", "TaskSubtype": "Call", "WhoId": "003000000000001"}, raw_response=True
    )
    assert first.status_code == 201
    assert first.json()["created"] is True and first.json()["success"] is True
    second = sf.Task.upsert(path, {"Subject": "Call again", "TaskSubtype": "Call"}, raw_response=True)
    assert second.status_code == 200
    assert second.json() == {"id": first.json()["id"], "success": True, "errors": [], "created": False}
    task = _by_id(sb, "Task", first.json()["id"])
    assert task["CXone_Contact_Id__c"] == key and task["Subject"] == "Call again"
    assert task["AccountId"] == "001000000000002"  # the who contact's account
    fetched = sf.Task.get_by_custom_id("CXone_Contact_Id__c", key)  # quotes it itself
    assert fetched["Id"] == first.json()["id"]


def test_upsert_multiple_matches_and_non_external_field(sb: Sandbox, sf: Salesforce) -> None:
    sf.Contact.create({"LastName": "A", "Legacy_Key__c": "dup"})
    sf.Contact.create({"LastName": "B", "Legacy_Key__c": "dup"})
    with pytest.raises(SalesforceMoreThanOneRecord) as err:
        sf.Contact.upsert("Legacy_Key__c/dup", {"FirstName": "X"})
    assert err.value.status == 300 and len(err.value.content) == 2
    assert all(u.startswith("/services/data/v62.0/sobjects/Contact/003") for u in err.value.content)
    with pytest.raises(SalesforceResourceNotFound) as err2:
        sf.Contact.upsert("Email/x@y.com", {"LastName": "X"})
    assert err2.value.content[0]["errorCode"] == "NOT_FOUND"


@pytest.mark.parametrize(
    ("sobject", "body", "code", "fields"),
    [
        ("Contact", {"LastName": "X", "Foo": 1}, "INVALID_FIELD", ["Foo"]),
        ("Contact", {"FirstName": "NoLast"}, "REQUIRED_FIELD_MISSING", ["LastName"]),
        ("Account", {"Type": "Installer"}, "REQUIRED_FIELD_MISSING", ["Name"]),
        ("Contact", {"LastName": "X", "AccountId": "not-an-id"}, "MALFORMED_ID", ["AccountId"]),
        (
            "Contact",
            {"LastName": "X", "AccountId": "001000000000099"},
            "INVALID_CROSS_REFERENCE_KEY",
            ["AccountId"],
        ),
        ("Task", {"Subject": "x", "WhoId": "001000000000001"}, "INVALID_CROSS_REFERENCE_KEY", ["WhoId"]),
        ("Task", {"ActivityDate": "2024-13-45"}, "JSON_PARSER_ERROR", ["ActivityDate"]),
        ("Task", {"CallDurationInSeconds": "long"}, "JSON_PARSER_ERROR", ["CallDurationInSeconds"]),
        ("Task", {"CallType": "Sideways"}, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", ["CallType"]),
        ("Task", {"IsClosed": True}, "INVALID_FIELD_FOR_INSERT_UPDATE", ["IsClosed"]),
        ("Contact", {"LastName": "X", "Name": "Full"}, "INVALID_FIELD_FOR_INSERT_UPDATE", ["Name"]),
        ("Case", {"CaseNumber": "1"}, "INVALID_FIELD_FOR_INSERT_UPDATE", ["CaseNumber"]),
        ("Task", {"CallDisposition": "x" * 256}, "STRING_TOO_LONG", ["CallDisposition"]),
    ],
)
def test_create_validation_errors(
    sb: Sandbox, sf: Salesforce, sobject: str, body: dict[str, Any], code: str, fields: list[str]
) -> None:
    before = sb.dump()
    with pytest.raises(SalesforceMalformedRequest) as err:
        getattr(sf, sobject).create(body)
    assert err.value.status == 400
    assert err.value.content[0]["errorCode"] == code
    assert err.value.content[0]["fields"] == fields
    assert sb.dump() == before


def test_duplicate_external_id_and_task_subtype_not_updateable(sb: Sandbox, sf: Salesforce) -> None:
    task = sf.Task.create({"Subject": "a", "CXone_Contact_Id__c": "C-1", "TaskSubtype": "Call"})
    with pytest.raises(SalesforceMalformedRequest) as err:
        sf.Task.create({"Subject": "b", "CXone_Contact_Id__c": "c-1"})
    assert err.value.content[0]["errorCode"] == "DUPLICATE_VALUE"
    assert task["id"] in err.value.content[0]["message"]
    with pytest.raises(SalesforceMalformedRequest) as err:
        sf.Task.update(task["id"], {"TaskSubtype": "Email"})
    assert err.value.content[0]["errorCode"] == "INVALID_FIELD_FOR_INSERT_UPDATE"
    assert sf.Task.update(task["id"], {"TaskSubtype": "Call", "Status": "Completed"}) == 204
    stored = _by_id(sb, "Task", task["id"])
    assert stored["TaskSubtype"] == "Call" and stored["IsClosed"] is True


def test_not_found_cases(sf: Salesforce) -> None:
    for call in (
        lambda: sf.Contact.get("003000000000099"),
        lambda: sf.Contact.update("003000000000099", {}),
        lambda: sf.Contact.delete("003000000000099"),
        lambda: sf.Account.get("003000000000001"),
        lambda: sf.restful("sobjects/Nope__c/describe"),
    ):
        with pytest.raises(SalesforceResourceNotFound) as err:
            call()
        assert err.value.content[0]["errorCode"] == "NOT_FOUND"


def test_task_relations_and_derived_account(sb: Sandbox, sf: Salesforce) -> None:
    whos = ["003000000000002", "003000000000001"]
    task = sf.Task.create({"Subject": "Joint call", "TaskWhoIds": whos, "WhatId": "500000000000001"})
    stored = _by_id(sb, "Task", task["id"])
    assert stored["WhoId"] == "003000000000002"
    assert stored["AccountId"] == "001000000000002"  # the Case's account wins over the who's
    rel = sf.query(
        f"SELECT RelationId, AccountId FROM TaskRelation WHERE TaskId IN ('{task['id']}') "
        "AND IsWhat = false ORDER BY RelationId"
    )
    assert [r["RelationId"] for r in rel["records"]] == ["003000000000001", "003000000000002"]
    what = sf.query(f"SELECT RelationId FROM TaskRelation WHERE TaskId = '{task['id']}' AND IsWhat = true")
    assert [r["RelationId"] for r in what["records"]] == ["500000000000001"]

    sf.Task.update(task["id"], {"TaskWhoIds": ["003000000000003"], "WhatId": None})
    stored = _by_id(sb, "Task", task["id"])
    assert stored["WhoId"] == "003000000000003" and "AccountId" not in stored
    rels = [r for r in sb.dump()["TaskRelation"] if r["TaskId"] == task["id"]]
    assert [(r["RelationId"], r["IsWhat"]) for r in rels] == [("003000000000003", False)]

    sf.Task.update(task["id"], {"WhatId": "001000000000001"})
    assert _by_id(sb, "Task", task["id"])["AccountId"] == "001000000000001"


@pytest.mark.parametrize(
    ("whos", "code"),
    [
        (["003000000000001", "00Q000000000001"], "FIELD_INTEGRITY_EXCEPTION"),
        (["003000000000001"] * 51, "FIELD_INTEGRITY_EXCEPTION"),
        (["001000000000001"], "INVALID_CROSS_REFERENCE_KEY"),
        (["bogus"], "MALFORMED_ID"),
    ],
)
def test_task_who_ids_rules(sf: Salesforce, whos: list[str], code: str) -> None:
    with pytest.raises(SalesforceMalformedRequest) as err:
        sf.Task.create({"Subject": "x", "TaskWhoIds": whos})
    assert err.value.content[0]["errorCode"] == code


def test_single_lead_who(sb: Sandbox, sf: Salesforce) -> None:
    task = sf.Task.create({"Subject": "lead call", "TaskWhoIds": ["00Q000000000001"]})
    stored = _by_id(sb, "Task", task["id"])
    assert stored["WhoId"] == "00Q000000000001" and "AccountId" not in stored


def test_describe(sf: Salesforce) -> None:
    desc = sf.Task.describe()
    assert desc["name"] == "Task" and desc["keyPrefix"] == "00T"
    fields = {f["name"]: f for f in desc["fields"]}
    ext = fields["CXone_Contact_Id__c"]
    assert ext["externalId"] is True and ext["unique"] is True and ext["idLookup"] is True
    assert fields["TaskSubtype"]["createable"] is True and fields["TaskSubtype"]["updateable"] is False
    assert fields["WhoId"]["referenceTo"] == ["Contact", "Lead"]
    assert [p["value"] for p in fields["CallType"]["picklistValues"]] == ["Inbound", "Internal", "Outbound"]
    names = {o["name"]: o["keyPrefix"] for o in sf.describe()["sobjects"]}
    assert names["Account"] == "001" and names["Case"] == "500" and names["Lead"] == "00Q"
    assert sf.restful("")["query"] == "/services/data/v62.0/query"
    versions = sf.session.get(f"https://{sf.sf_instance}/services/data/", headers=sf.headers).json()
    assert {"label": "v62.0", "url": "/services/data/v62.0", "version": "62.0"} in versions
