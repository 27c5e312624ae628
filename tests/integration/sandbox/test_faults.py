"""Fault modes, API call counting, daily limit and session expiry through simple-salesforce's exceptions."""

from __future__ import annotations

import time

import pytest
from simple_salesforce import (
    Salesforce,
    SalesforceExpiredSession,
    SalesforceGeneralError,
    SalesforceMalformedRequest,
    SalesforceRefusedRequest,
)

from cxrecon_local.sandbox import FaultPlan, Sandbox

Q = "SELECT Id FROM Account"


def test_counter_and_limit_info(sb: Sandbox, sf: Salesforce) -> None:
    sb.reset_counter()
    sf.query(Q)
    with pytest.raises(SalesforceMalformedRequest):
        sf.query("SELECT")
    assert sb.api_calls == 2
    assert sf.api_usage["api-usage"].used == 1  # simple-salesforce reads the header of successful calls
    limits = sf.limits()
    assert limits["DailyApiRequests"] == {"Max": 100_000, "Remaining": 100_000 - 3}
    assert sb.api_calls == 3


def test_latency(sb: Sandbox, sf: Salesforce) -> None:
    sb.faults.latency_ms = 150
    start = time.perf_counter()
    sf.query(Q)
    assert time.perf_counter() - start >= 0.15
    sb.faults.clear()
    assert sb.faults.latency_ms == 0


def test_fail_next_each_kind(sb: Sandbox, sf: Salesforce) -> None:
    sb.faults.fail_next(1, "503")
    with pytest.raises(SalesforceGeneralError) as e503:
        sf.query(Q)
    assert e503.value.status == 503 and e503.value.content[0]["errorCode"] == "SERVER_UNAVAILABLE"

    sb.faults.fail_next(1, "REQUEST_LIMIT_EXCEEDED")
    with pytest.raises(SalesforceRefusedRequest) as e403:
        sf.query(Q)
    assert e403.value.status == 403 and e403.value.content[0]["errorCode"] == "REQUEST_LIMIT_EXCEEDED"

    sb.faults.fail_next(1, "INVALID_SESSION_ID")
    with pytest.raises(SalesforceExpiredSession) as e401:
        sf.query(Q)
    assert e401.value.content == [
        {"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID", "fields": []}
    ]

    sb.faults.fail_next(1, "UNABLE_TO_LOCK_ROW")
    with pytest.raises(SalesforceMalformedRequest) as e400:
        sf.Account.update("001000000000001", {"Name": "Locked"})
    assert e400.value.content[0]["errorCode"] == "UNABLE_TO_LOCK_ROW"
    assert sf.Account.get("001000000000001")["Name"] == "Acme Installers"

    sb.faults.fail_next(1, "UNABLE_TO_LOCK_ROW")
    res = sf.restful(
        "composite/sobjects",
        method="POST",
        json={
            "records": [
                {"attributes": {"type": "Account"}, "Name": "L1"},
                {"attributes": {"type": "Account"}, "Name": "L2"},
            ]
        },
    )
    assert [r["errors"][0]["statusCode"] for r in res] == ["UNABLE_TO_LOCK_ROW"] * 2
    assert sf.query("SELECT COUNT() FROM Account WHERE Name LIKE 'L_'")["totalSize"] == 0
    sf.query(Q)  # queue drained


def test_fail_rate_is_seeded(sb: Sandbox, sf: Salesforce) -> None:
    def run() -> list[bool]:
        sb.faults.reseed(7)
        sb.faults.fail_rate = 0.5
        sb.faults.fail_with = "503"
        outcome = []
        for _ in range(20):
            try:
                sf.query(Q)
                outcome.append(True)
            except SalesforceGeneralError:
                outcome.append(False)
        sb.faults.clear()
        return outcome

    first = run()
    assert first == run()
    assert 3 < first.count(False) < 17
    with pytest.raises(ValueError, match="unknown fault kind"):
        sb.faults.fail_with = "500"


def test_daily_limit() -> None:
    with Sandbox.start({"Account": [{"Name": "x"}]}, daily_limit=3) as sb:
        sf = sb.client()
        for _ in range(3):
            sf.query(Q)
        with pytest.raises(SalesforceRefusedRequest) as err:
            sf.query(Q)
        assert err.value.content[0]["errorCode"] == "REQUEST_LIMIT_EXCEEDED"
        assert sb.api_calls == 4
        sb.reset_counter()
        assert sf.query(Q)["totalSize"] == 1


def test_expire_sessions(sb: Sandbox, sf: Salesforce) -> None:
    sf.query(Q)
    sb.expire_sessions()
    with pytest.raises(SalesforceExpiredSession):
        sf.query(Q)
    sb.new_session()
    assert sb.client().query(Q)["totalSize"] == 2


def test_bad_token_and_plan_from_constructor(sb: Sandbox) -> None:
    bad = Salesforce(instance_url=sb.url, session_id="nope", session=sb.http_session(), version="62.0")
    with pytest.raises(SalesforceExpiredSession):
        bad.query(Q)
    plan = FaultPlan(fail_rate=1.0, fail_with="REQUEST_LIMIT_EXCEEDED")
    with Sandbox.start(faults=plan) as other, pytest.raises(SalesforceRefusedRequest):
        other.client().query(Q)
