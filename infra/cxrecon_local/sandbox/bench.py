"""Rough figures: seeding 10,000 Contacts, a full query_all over them, a 200-record collection upsert.

Run: python -m cxrecon_local.sandbox.bench
"""

from __future__ import annotations

import statistics
import time

from .server import Sandbox

CONTACTS = 10_000
UPSERT_RUNS = 10


def main() -> None:
    org = {
        "Contact": [
            {"LastName": f"Bench{i:05d}", "Phone": f"(212) 555-{i % 10000:04d}", "Email": f"b{i}@example.com"}
            for i in range(CONTACTS)
        ]
    }
    start = time.perf_counter()
    with Sandbox.start(org) as sb:
        seeded = time.perf_counter() - start
        sf = sb.client()
        start = time.perf_counter()
        total = sum(1 for _ in sf.query_all_iter("SELECT Id, Name, Phone, Email FROM Contact"))
        queried = time.perf_counter() - start
        assert total == CONTACTS
        timings = []
        for run in range(UPSERT_RUNS):
            records = [
                {
                    "attributes": {"type": "Task"},
                    "CXone_Contact_Id__c": f"B{i}",
                    "Subject": f"run {run}",
                    "TaskSubtype": "Call",
                }
                for i in range(200)
            ]
            start = time.perf_counter()
            out = sf.restful(
                "composite/sobjects/Task/CXone_Contact_Id__c",
                method="PATCH",
                json={"allOrNone": False, "records": records},
            )
            timings.append((time.perf_counter() - start) * 1000)
            assert out is not None and all(r["success"] for r in out)
    print(f"seed {CONTACTS} contacts (incl. server start): {seeded:.2f} s")
    print(f"query_all over {CONTACTS} contacts (5 pages):    {queried:.2f} s")
    print(
        f"200-record collection upsert, median of {UPSERT_RUNS}:  {statistics.median(timings):.0f} ms "
        f"(first run, all inserts: {timings[0]:.0f} ms)"
    )


if __name__ == "__main__":
    main()
