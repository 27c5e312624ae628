"""10,000 Contacts: count, a page, a full query_all; a 200-record collection upsert."""

from __future__ import annotations

from simple_salesforce import Salesforce

from cxrecon_local.sandbox import Sandbox


def test_ten_thousand_contacts_and_bulk_upsert() -> None:
    org = {
        "Contact": [
            {"LastName": f"Vol{i:05d}", "Phone": f"(212) 555-{i % 10000:04d}", "Email": f"v{i}@example.com"}
            for i in range(10_000)
        ]
    }
    with Sandbox.start(org) as sb:
        sf: Salesforce = sb.client()
        assert sf.query("SELECT COUNT() FROM Contact")["totalSize"] == 10_000
        page = sf.query("SELECT Id, Name FROM Contact ORDER BY LastName DESC LIMIT 50")
        assert [r["Name"] for r in page["records"]][:2] == ["Vol09999", "Vol09998"]
        assert sum(1 for _ in sf.query_all_iter("SELECT Id FROM Contact")) == 10_000
        res = sf.search("FIND {2125550042} IN PHONE FIELDS RETURNING Contact(Id, Name)")
        assert [r["Name"] for r in res["searchRecords"]] == ["Vol00042"]
        records = [
            {
                "attributes": {"type": "Task"},
                "CXone_Contact_Id__c": f"V{i}",
                "Subject": "x",
                "TaskSubtype": "Call",
            }
            for i in range(200)
        ]
        out = sf.restful(
            "composite/sobjects/Task/CXone_Contact_Id__c",
            method="PATCH",
            json={"allOrNone": True, "records": records},
        )
        assert all(r["success"] for r in out)
        assert sf.query("SELECT COUNT() FROM Task")["totalSize"] == 200
