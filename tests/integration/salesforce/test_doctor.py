"""The org pre-flight check: passes on a ready org, fails once and clearly on a missing field."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest

from cxrecon.domain.lookups import LookupKeys
from cxrecon.salesforce import OrgNotReady, SalesforceGateway

from .conftest import INTEGRATION, INTEGRATION_USER, make_factory


def test_doctor_passes_on_a_ready_org(sb: Any, gateway: SalesforceGateway) -> None:
    report = gateway.ensure_ready()
    assert report.ok, report.render()
    assert report.integration_user_id == INTEGRATION
    assert "✓ Task.CXone_Contact_Id__c is a unique external id" in report.render()
    before = sb.api_calls
    gateway.ensure_ready()
    assert sb.api_calls == before  # checked once per gateway


def test_doctor_fails_clearly_without_the_external_id_field(
    start_sandbox: Callable[..., Any], keypair: tuple[bytes, bytes]
) -> None:
    sb = start_sandbox(omit_fields={"Task": ["CXone_Contact_Id__c"]})
    gateway = SalesforceGateway(
        make_factory(sb, keypair[0]),
        integration_username=INTEGRATION_USER,
        sleep=lambda _: None,
        rng=random.Random(0),
    )
    with pytest.raises(OrgNotReady) as info:
        gateway.fetch(LookupKeys())
    assert "CXone_Contact_Id__c" in str(info.value) and "field missing" in str(info.value)
    assert [name for name, _ in info.value.failed_checks] == [
        "Task.CXone_Contact_Id__c is a unique external id",
        "Task.CXone_Contact_Id__c writable",
    ]
    calls = sb.api_calls
    with pytest.raises(OrgNotReady):
        gateway.upsert_tasks([])
    assert sb.api_calls == calls  # the verdict is cached: no calls per record or per chunk


def test_doctor_fails_when_the_integration_user_is_missing(sb: Any, keypair: tuple[bytes, bytes]) -> None:
    gateway = SalesforceGateway(make_factory(sb, keypair[0]), integration_username="ghost@example.com")
    with pytest.raises(OrgNotReady, match="integration user exists and is active \\(user not found\\)"):
        gateway.ensure_ready()
