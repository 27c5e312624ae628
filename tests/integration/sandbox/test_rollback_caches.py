"""A rolled-back transaction leaves nothing behind in what the store keeps in memory: records read
inside it, counters (ids) taken inside it, and the word index a rename inside it wrote."""

from __future__ import annotations

from typing import Any

from simple_salesforce import Salesforce

from cxrecon_local.sandbox.schema import BASE62

BOB = "003000000000002"
GET_BOB = {"method": "GET", "url": f"/services/data/v62.0/sobjects/Contact/{BOB}"}


def _counter(record_id: str) -> int:
    """The id counter a generated id was made from (`schema.make_id`)."""
    value = 0
    for ch in record_id[5:15]:
        value = value * 62 + BASE62.index(ch)
    return value


def _failing_composite(sf: Salesforce, *subrequests: dict[str, Any]) -> list[dict[str, Any]]:
    """`subrequests`, then one that fails, all or none."""
    bad = {"method": "POST", "url": "/services/data/v62.0/sobjects/Account", "referenceId": "bad", "body": {}}
    subs = [{"referenceId": f"s{i}", **sub} for i, sub in enumerate(subrequests)]
    res = sf.restful("composite", method="POST", json={"allOrNone": True, "compositeRequest": [*subs, bad]})
    assert res is not None
    return list(res["compositeResponse"])


def test_record_read_inside_a_rolled_back_composite_is_not_kept(sf: Salesforce) -> None:
    patch = {"method": "PATCH", "url": GET_BOB["url"], "body": {"LastName": "Renamed"}}
    out = _failing_composite(sf, GET_BOB, patch, GET_BOB)
    assert out[2]["httpStatusCode"] == 400  # rolled back after it had read "Renamed"
    assert sf.Contact.get(BOB)["LastName"] == "Builder"
    assert sf.Contact.get(BOB)["Name"] == "Bob Builder"
    found = sf.search("FIND {Renamed} IN NAME FIELDS RETURNING Contact(Id)")["searchRecords"]
    assert found == []
    found = sf.search('FIND {"Bob Builder"} IN NAME FIELDS RETURNING Contact(Id)')["searchRecords"]
    assert [r["Id"] for r in found] == [BOB]


def test_words_a_search_read_inside_a_rolled_back_composite_are_not_kept(sf: Salesforce) -> None:
    # Inside: Bob is under "undone" and no longer under "builder"; neither may outlive the rollback.
    find = "FIND+%7BUndone+OR+Builder%7D+IN+NAME+FIELDS"
    search = {"method": "GET", "url": f"/services/data/v62.0/search/?q={find}"}
    assert sf.search("FIND {Undone} IN NAME FIELDS RETURNING Contact(Id)")["searchRecords"] == []
    patch = {"method": "PATCH", "url": GET_BOB["url"], "body": {"LastName": "Undone"}}
    out = _failing_composite(sf, patch, search)
    assert out[1]["httpStatusCode"] == 400  # rolled back after it had found Bob as "Undone"
    assert sf.search("FIND {Undone} IN NAME FIELDS RETURNING Contact(Id)")["searchRecords"] == []
    found = sf.search("FIND {Builder} IN NAME FIELDS RETURNING Contact(Id)")["searchRecords"]
    assert [r["Id"] for r in found] == [BOB]


def test_ids_taken_inside_a_rolled_back_composite_are_given_again(sf: Salesforce) -> None:
    first = sf.Contact.create({"LastName": "First"})["id"]
    create = {"method": "POST", "url": "/services/data/v62.0/sobjects/Contact", "body": {"LastName": "X"}}
    _failing_composite(sf, create, create)
    after = sf.Contact.create({"LastName": "After"})["id"]
    assert _counter(after) == _counter(first) + 1
