"""Rough figures: seeding 10,000 Contacts, a full query_all over them, a 200-record collection upsert, and
SOSL name searches (an OR-batch of 50 full-name phrases, as the pipeline sends them).

Run: python -m cxrecon_local.sandbox.bench
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from simple_salesforce.api import Salesforce

from .server import Sandbox

CONTACTS = 10_000
UPSERT_RUNS = 10
SEARCH_RUNS = 10
SEARCH_BATCH = 50
FIRST_NAMES = ("Ann", "Bob", "Chloé", "Dmitri", "Eve", "Fatima", "Gustav", "Hana", "Ivan", "Jane", "Kofi")


def _contacts() -> list[dict[str, Any]]:
    return [
        {
            "FirstName": FIRST_NAMES[i % len(FIRST_NAMES)],
            "LastName": f"Bench{i:05d}",
            "Phone": f"(212) 555-{i % 10000:04d}",
            "Email": f"b{i}@example.com",
        }
        for i in range(CONTACTS)
    ]


def _upsert_timings(sf: Salesforce) -> list[float]:
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
    return timings


def _name_search_timings(sf: Salesforce) -> list[float]:
    """Each run: 50 phrases for spread-out contacts, every other one with the wrong first name (no
    match), so half the batch finds one contact each."""
    timings = []
    for run in range(SEARCH_RUNS):
        picks = [(run * 997 + k * 193) % CONTACTS for k in range(SEARCH_BATCH)]
        phrases = [
            f'"{FIRST_NAMES[(i + k % 2) % len(FIRST_NAMES)]} Bench{i:05d}"' for k, i in enumerate(picks)
        ]
        query = f"FIND {{{' OR '.join(phrases)}}} IN NAME FIELDS RETURNING Contact(Id, Name, Phone)"
        start = time.perf_counter()
        found = sf.search(query)["searchRecords"]
        timings.append((time.perf_counter() - start) * 1000)
        assert len(found) == SEARCH_BATCH // 2, len(found)
    return timings


def main() -> None:
    org = {"Contact": _contacts()}
    start = time.perf_counter()
    with Sandbox.start(org) as sb:
        seeded = time.perf_counter() - start
        sf = sb.client()
        start = time.perf_counter()
        total = sum(1 for _ in sf.query_all_iter("SELECT Id, Name, Phone, Email FROM Contact"))
        queried = time.perf_counter() - start
        assert total == CONTACTS
        upserts = _upsert_timings(sf)
        searches = _name_search_timings(sf)
    print(f"seed {CONTACTS} contacts (incl. server start): {seeded:.2f} s")
    print(f"query_all over {CONTACTS} contacts (5 pages):    {queried:.2f} s")
    print(
        f"200-record collection upsert, median of {UPSERT_RUNS}:  {statistics.median(upserts):.0f} ms "
        f"(first run, all inserts: {upserts[0]:.0f} ms)"
    )
    print(
        f"SOSL name search, OR of {SEARCH_BATCH} phrases, median of {SEARCH_RUNS}: "
        f"{statistics.median(searches):.1f} ms"
    )


if __name__ == "__main__":
    main()
