"""Seeding leniency, id handling, dump round trip, omit_fields and a persistent database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from simple_salesforce import Salesforce, SalesforceMalformedRequest, SalesforceResourceNotFound

from cxrecon_local.sandbox import Sandbox, load_org
from cxrecon_local.sandbox.schema import id_suffix, make_id, to18

from .conftest import seed_org


def test_id_checksum() -> None:
    assert to18("001000000000001") == "001000000000001AAA"
    assert to18("001A0000006Vm9r") == "001A0000006Vm9rIAC"  # Salesforce's documented example
    assert to18("001A0000006Vm9rIAC") == "001A0000006Vm9rIAC" and id_suffix("001A0000006Vm9r") == "IAC"
    assert to18("001000000000001AAB") is None and to18("short") is None
    generated = make_id("00T", 12345)
    assert len(generated) == 18 and generated.startswith("00T") and to18(generated) == generated


def test_seed_keeps_ids_and_derives(sb: Sandbox, sf: Salesforce) -> None:
    dump = sb.dump()
    assert [c["Id"] for c in dump["Contact"]] == ["003000000000001", "003000000000002", "003000000000003"]
    assert dump["Contact"][0]["Name"] == "Ann O'Brien"
    case = dump["Case"][0]
    assert case["CaseNumber"] == "00001234" and case["IsClosed"] is False and case["Status"] == "New"
    assert {s["MasterLabel"]: s["IsClosed"] for s in dump["TaskStatus"]}["Completed"] is True
    assert sf.Contact.get("003000000000001AAA")["Id"] == "003000000000001"
    new_case = sf.Case.create({"Subject": "next", "Status": "Closed"})
    stored = sf.Case.get(new_case["id"])
    assert stored["CaseNumber"] == "00001235" and stored["IsClosed"] is True
    json.dumps(dump)


def test_new_ids_skip_the_ones_a_seeded_org_already_holds() -> None:
    # GIVEN a snapshot whose contacts hold the first ids the sandbox would generate (a dumped org)
    taken = [make_id("003", n) for n in range(1, 12) if n != 8]
    org = {"Contact": [{"Id": pk[:15], "LastName": f"Seeded{i}"} for i, pk in enumerate(taken)]}
    with Sandbox.start(org) as sb:
        sf = sb.client()
        # WHEN new contacts are created, one at a time and as a collection
        one = sf.Contact.create({"LastName": "New"})["id"]
        rows = [{"attributes": {"type": "Contact"}, "LastName": f"Batch{i}"} for i in range(3)]
        batch = sf.restful("composite/sobjects", method="POST", json={"records": rows})
        # THEN each gets an id of its own, and every seeded contact is still there as it was
        new = [to18(pk) for pk in (one, *(r["id"] for r in batch))]
        assert all(r["success"] for r in batch)
        assert len(set(new)) == 4 and not set(new) & set(taken)
        contacts = sf.query("SELECT Id, LastName FROM Contact")["records"]
        names = {to18(r["Id"]): r["LastName"] for r in contacts}
        assert [names[pk] for pk in taken] == [f"Seeded{i}" for i in range(len(taken))]


def test_lenient_seed_strict_api(tmp_path: Path) -> None:
    org = {
        "Contact": [{"LastName": "Odd", "Shoe_Size__c": 44, "Nickname": "oddy"}],
        "Widget__c": [{"Id": "a0B000000000001", "Name": "W1", "Contact__c": "003000000000001"}],
        "Task": [
            {
                "Subject": "seeded",
                "WhoId": "003000000000001",
                "Status": "Completed",
                "TaskWhoIds": ["003000000000001"],
            }
        ],
    }
    path = tmp_path / "org.json"
    path.write_text(json.dumps(org))
    assert load_org(path) == org
    with Sandbox.start(path) as sb:
        sf = sb.client()
        rec = sf.query("SELECT Shoe_Size__c, Nickname FROM Contact")["records"][0]
        assert rec["Shoe_Size__c"] == 44 and rec["Nickname"] == "oddy"
        widget = sf.query("SELECT Id, Name FROM Widget__c")["records"][0]
        assert widget["Id"] == "a0B000000000001"
        assert sf.Widget__c.describe()["keyPrefix"] == "a0B"
        with pytest.raises(SalesforceMalformedRequest) as err:
            sf.Contact.create({"LastName": "x", "Unheard_Of__c": 1})
        assert err.value.content[0]["errorCode"] == "INVALID_FIELD"
        task = sb.dump()["Task"][0]
        assert task["IsClosed"] is True and "TaskWhoIds" not in task


def test_dump_round_trip_with_task_relations(sb: Sandbox, sf: Salesforce) -> None:
    task = sf.Task.create(
        {"Subject": "t", "TaskWhoIds": ["003000000000001", "003000000000002"], "WhatId": "001000000000001"}
    )
    first = sb.dump()
    assert len([r for r in first["TaskRelation"] if r["TaskId"] == task["id"]]) == 3
    with Sandbox.start(first) as again:
        second = again.dump()
    assert second["Task"] == first["Task"]
    assert second["TaskRelation"] == first["TaskRelation"]
    assert second["Contact"] == first["Contact"]


def test_omit_fields() -> None:
    with Sandbox.start(omit_fields={"Task": ["CXone_Contact_Id__c"]}) as sb:
        sf = sb.client()
        names = {f["name"] for f in sf.Task.describe()["fields"]}
        assert "CXone_Contact_Id__c" not in names
        with pytest.raises(SalesforceResourceNotFound):
            sf.Task.upsert("CXone_Contact_Id__c/1", {"Subject": "x"})


def test_persistent_db(tmp_path: Path) -> None:
    db = tmp_path / "org.sqlite"
    with Sandbox.start(seed_org(), db_path=db) as sb:
        created = sb.client().Account.create({"Name": "Persisted"})
    with Sandbox.start({"Account": [{"Name": "ignored: db not empty"}]}, db_path=db) as sb2:
        names = [a["Name"] for a in sb2.dump()["Account"]]
        assert "Persisted" in names and "ignored: db not empty" not in names
        assert sb2.client().Account.get(created["id"])["Name"] == "Persisted"
