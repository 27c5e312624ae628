"""Task upserts by CXone contact id: 200-record collections, five collections to one composite call."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from simple_salesforce.api import Salesforce

from cxrecon.domain.writes import TaskWrite, WriteResult
from cxrecon.salesforce.client import SalesforceCall
from cxrecon.salesforce.exceptions import TRANSIENT_CODES, error_code_of, fault_for

EXTERNAL_ID_FIELD = "CXone_Contact_Id__c"
RECORDS_PER_COLLECTION = 200
COLLECTIONS_PER_COMPOSITE = 5
UPSERT_PATH = f"composite/sobjects/Task/{EXTERNAL_ID_FIELD}"


def task_record(write: TaskWrite) -> dict[str, Any]:
    """The collection record for one write; create-only fields go only to Tasks not known to exist."""
    record: dict[str, Any] = {"attributes": {"type": "Task"}, EXTERNAL_ID_FIELD: write.cxone_contact_id}
    record.update(write.fields)
    if not write.exists:
        record.update(write.create_only)
    return record


def _result(write: TaskWrite, save: Mapping[str, Any]) -> WriteResult:
    if save.get("success"):
        created = save.get("created")
        return WriteResult(
            cxone_contact_id=write.cxone_contact_id,
            success=True,
            task_id=save.get("id"),
            created=bool(created) if created is not None else None,
        )
    errors = save.get("errors") or []
    first = errors[0] if errors and isinstance(errors[0], Mapping) else {}
    code = error_code_of(first) or "UNKNOWN"
    return WriteResult(
        cxone_contact_id=write.cxone_contact_id,
        success=False,
        task_id=save.get("id"),
        error_code=code,
        error_message=str(first.get("message") or ""),
        retryable=code in TRANSIENT_CODES,
    )


def _failed(write: TaskWrite, code: str) -> WriteResult:
    return WriteResult(
        cxone_contact_id=write.cxone_contact_id,
        success=False,
        error_code=code,
        error_message="the whole collection was rejected",
        retryable=code in TRANSIENT_CODES,
    )


def _upsert_composite(sf: Salesforce, collections: Sequence[Sequence[TaskWrite]]) -> list[WriteResult]:
    url = f"/services/data/v{sf.sf_version}/{UPSERT_PATH}"
    body = {
        "allOrNone": False,
        "compositeRequest": [
            {
                "method": "PATCH",
                "url": url,
                "referenceId": f"c{i}",
                "body": {"allOrNone": False, "records": [task_record(w) for w in coll]},
            }
            for i, coll in enumerate(collections)
        ],
    }
    response = sf.restful("composite", method="POST", json=body)
    by_ref = {sub["referenceId"]: sub for sub in (response or {}).get("compositeResponse", [])}
    results: list[WriteResult] = []
    for i, coll in enumerate(collections):
        sub = by_ref.get(f"c{i}", {"httpStatusCode": 500, "body": None})
        status, saves = int(sub["httpStatusCode"]), sub.get("body")
        if status >= 300 or not isinstance(saves, list) or len(saves) != len(coll):
            fault = fault_for(status if status >= 300 else 500, error_code_of(saves), "task upsert")
            if fault.retryable:
                # Raised inside the call: the caller's retry resends the composite (upserts are idempotent).
                raise fault
            results.extend(_failed(w, fault.code) for w in coll)
            continue
        # SaveResults come back in request order.
        results.extend(_result(w, save) for w, save in zip(coll, saves, strict=True))
    return results


def upsert_tasks(call: SalesforceCall, writes: Sequence[TaskWrite]) -> list[WriteResult]:
    """Upsert every write; one result per write, in order. Record errors are results, not faults.

    A transient failure of a whole request raises `TransientFault` (the caller retries the chunk).
    """
    collections = [
        list(writes[i : i + RECORDS_PER_COLLECTION]) for i in range(0, len(writes), RECORDS_PER_COLLECTION)
    ]
    results: list[WriteResult] = []
    for start in range(0, len(collections), COLLECTIONS_PER_COMPOSITE):
        batch = collections[start : start + COLLECTIONS_PER_COMPOSITE]
        results.extend(call(partial(_upsert_composite, collections=batch)))
    return results
