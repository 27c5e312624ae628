"""Running reads: SOQL queries packed five to a `POST composite` call, and batched SOSL searches."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from simple_salesforce.api import Salesforce

from cxrecon.salesforce.client import SalesforceCall
from cxrecon.salesforce.exceptions import error_code_of, fault_for
from cxrecon.salesforce.records import Row
from cxrecon.salesforce.soql import query_url, sosl_find, sosl_term_groups

# Salesforce allows at most five query or collection subrequests in one composite request.
QUERIES_PER_COMPOSITE = 5
SOSL_MAX_RECORDS = 2_000
# What a batch of search terms is sized for once earlier batches told how many records a term finds.
SEARCH_TARGET_RECORDS = 1_500


@dataclass(frozen=True)
class Query:
    """One SOQL statement; results of queries sharing a `label` are concatenated."""

    label: str
    soql: str


def _composite_queries(sf: Salesforce, queries: Sequence[Query]) -> list[dict[str, Any]]:
    body = {
        "allOrNone": False,
        "compositeRequest": [
            {"method": "GET", "url": query_url(str(sf.sf_version), q.soql), "referenceId": f"q{i}"}
            for i, q in enumerate(queries)
        ],
    }
    response = sf.restful("composite", method="POST", json=body)
    by_ref = {sub["referenceId"]: sub for sub in (response or {}).get("compositeResponse", [])}
    pages: list[dict[str, Any]] = []
    for i in range(len(queries)):
        sub = by_ref.get(f"q{i}", {"httpStatusCode": 500, "body": None})
        status = int(sub["httpStatusCode"])
        if status >= 300:
            # Raised inside the call so a transient subrequest failure is retried with its composite.
            raise fault_for(status, error_code_of(sub.get("body")), "composite query")
        pages.append(sub["body"])
    return pages


def _query_more(sf: Salesforce, url: str) -> dict[str, Any]:
    page: dict[str, Any] = sf.query_more(url, identifier_is_url=True)
    return page


def run_queries(call: SalesforceCall, queries: Sequence[Query]) -> defaultdict[str, list[Row]]:
    """Rows of every query by label, in as few composite calls as the five-query limit allows."""
    rows: defaultdict[str, list[Row]] = defaultdict(list)
    for start in range(0, len(queries), QUERIES_PER_COMPOSITE):
        chunk = queries[start : start + QUERIES_PER_COMPOSITE]
        pages = call(partial(_composite_queries, queries=chunk))
        for query, first_page in zip(chunk, pages, strict=True):
            page = first_page
            rows[query.label].extend(page.get("records", []))
            # A subrequest returns one batch; follow the cursor for the rest.
            while not page.get("done", True) and page.get("nextRecordsUrl"):
                page = call(partial(_query_more, url=str(page["nextRecordsUrl"])))
                rows[query.label].extend(page.get("records", []))
    return rows


def _search(sf: Salesforce, sosl: str) -> list[Row]:
    result = sf.search(sosl)
    records: list[Row] = (result or {}).get("searchRecords", [])
    return records


def run_search(
    call: SalesforceCall,
    terms: Iterable[str],
    suffix: str,
    *,
    phrases: bool = False,
    max_terms: int | None = None,
) -> list[Row]:
    """Rows a SOSL `FIND {t1 OR t2 ...} <suffix>` returns for `terms`, one GET per batch of at most
    `max_terms` terms (any number when None) that fits SOSL's length limit.

    A batch that hits SOSL's 2,000-record cap is split in half and searched again. A capped search is
    a wasted call, so the batches still to run are cut to the size that the most records per term seen
    so far says stays under SEARCH_TARGET_RECORDS.
    """
    rows: list[Row] = []
    pending = [
        group[i : i + (max_terms or len(group))]
        for group in sosl_term_groups(terms, phrases=phrases)
        for i in range(0, len(group), max_terms or len(group))
    ]
    per_term = 0.0
    while pending:
        group = pending.pop()
        found = call(partial(_search, sosl=sosl_find(group, phrases=phrases) + " " + suffix))
        if len(found) >= SOSL_MAX_RECORDS and len(group) > 1:
            half = len(group) // 2
            pending.extend([group[:half], group[half:]])
            continue
        rows.extend(found)
        if len(found) / len(group) > per_term:
            per_term = len(found) / len(group)
            fit = max(1, int(SEARCH_TARGET_RECORDS / per_term))
            pending = [g[i : i + fit] for g in pending for i in range(0, len(g), fit)]
    return rows


def rows_of_type(rows: Iterable[Row], sobject: str) -> list[Row]:
    """The rows whose `attributes.type` is `sobject`."""
    return [r for r in rows if (r.get("attributes") or {}).get("type") == sobject]
