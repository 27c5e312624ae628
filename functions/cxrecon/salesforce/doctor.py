"""Pre-flight checks of the org: a missing field fails the run once, not every record with INVALID_FIELD."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict
from simple_salesforce.api import Salesforce
from simple_salesforce.format import format_soql

from cxrecon.salesforce.client import SalesforceCall
from cxrecon.salesforce.exceptions import SalesforceFault, error_code_of, fault_for
from cxrecon.salesforce.soql import query_url

EXTERNAL_ID_FIELD = "CXone_Contact_Id__c"
# Fields Salesforce accepts on create but never on update.
CREATE_ONLY_FIELDS = frozenset({"TaskSubtype"})
# Not describe fields: the junction list is written but never described.
UNDESCRIBED_FIELDS = frozenset({"TaskWhoIds"})


class Check(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    ok: bool
    detail: str = ""


class DoctorReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    checks: tuple[Check, ...]
    task_fields: frozenset[str] = frozenset()
    integration_user_id: str | None = None

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def failures(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.ok)

    def render(self) -> str:
        """A readable checklist, one ✓/✗ line per check."""
        lines = [
            f"{'✓' if c.ok else '✗'} {c.name}" + (f": {c.detail}" if c.detail else "") for c in self.checks
        ]
        verdict = "org ready" if self.ok else f"org NOT ready ({len(self.failures)} failed)"
        return "\n".join([*lines, verdict])


def _describe_and_user(sf: Salesforce, username: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    base = f"/services/data/v{sf.sf_version}"
    soql = format_soql("SELECT Id, IsActive FROM User WHERE Username = {}", username)
    body = {
        "allOrNone": False,
        "compositeRequest": [
            {"method": "GET", "url": f"{base}/sobjects/Task/describe", "referenceId": "task"},
            {"method": "GET", "url": query_url(str(sf.sf_version), soql), "referenceId": "user"},
        ],
    }
    response = sf.restful("composite", method="POST", json=body)
    subs = {s["referenceId"]: s for s in (response or {}).get("compositeResponse", [])}
    for ref in ("task", "user"):
        sub = subs.get(ref, {"httpStatusCode": 500})
        if int(sub["httpStatusCode"]) >= 300:
            raise fault_for(int(sub["httpStatusCode"]), error_code_of(sub.get("body")), f"doctor {ref}")
    return subs["task"]["body"], list(subs["user"]["body"].get("records", []))


def _field_checks(fields: Mapping[str, Mapping[str, Any]], required: Sequence[str]) -> list[Check]:
    ext = fields.get(EXTERNAL_ID_FIELD)
    if ext is None:
        ext_gap = "field missing"
    else:
        ext_gap = "; ".join(
            f"not {label}"
            for key, label in (("externalId", "an external id"), ("unique", "unique"))
            if not ext.get(key)
        )
    checks = [Check(name=f"Task.{EXTERNAL_ID_FIELD} is a unique external id", ok=not ext_gap, detail=ext_gap)]
    for name in required:
        if name in UNDESCRIBED_FIELDS:
            continue
        meta = fields.get(name)
        need_update = name not in CREATE_ONLY_FIELDS
        if meta is None:
            ok, detail = False, "field missing"
        else:
            gaps = [
                p
                for p in ("createable", "updateable")
                if (p == "createable" or need_update) and not meta.get(p)
            ]
            ok, detail = not gaps, f"not {' or '.join(gaps)}" if gaps else ""
        checks.append(Check(name=f"Task.{name} writable", ok=ok, detail=detail))
    return checks


def check_org(
    call: SalesforceCall, *, integration_username: str, required_task_fields: Sequence[str]
) -> DoctorReport:
    """Run the checklist in two API calls. Terminal faults become failed checks; transient ones raise."""
    try:
        call(lambda sf: sf.limits())
    except SalesforceFault as exc:
        if exc.retryable:
            raise
        return DoctorReport(checks=(Check(name="authentication", ok=False, detail=exc.code),))
    checks = [Check(name="authentication", ok=True)]
    describe, users = call(lambda sf: _describe_and_user(sf, integration_username))
    fields = {str(f["name"]): f for f in describe.get("fields", [])}
    checks += _field_checks(fields, required_task_fields)
    user = users[0] if users else None
    active = bool(user and user.get("IsActive"))
    detail = "" if active else ("user inactive" if user else "user not found")
    checks.append(Check(name="integration user exists and is active", ok=active, detail=detail))
    return DoctorReport(
        checks=tuple(checks),
        task_fields=frozenset(fields),
        integration_user_id=str(user["Id"]) if user else None,
    )
