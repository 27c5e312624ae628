"""JWT auth, session refresh and transient retries against the sandbox, through simple-salesforce."""

from __future__ import annotations

import time
from typing import Any

import pytest

from cxrecon.domain.lookups import LookupKeys
from cxrecon.salesforce import (
    AuthFailed,
    SalesforceClientFactory,
    SalesforceGateway,
    SessionExpired,
    TokenCache,
    TransientFault,
    fetch_token,
    local_session,
)

from .conftest import CONSUMER_KEY, Sleeps, credentials, make_factory, make_rsa_keypair


def test_jwt_bearer_flow_yields_a_working_client(sb: Any, factory: SalesforceClientFactory) -> None:
    limits = factory.call(lambda sf: sf.limits())
    assert "DailyApiRequests" in limits
    assert factory.calls == 1
    assert factory.api_usage is not None and factory.api_usage.max > 0


def test_the_token_is_cached_across_factories(sb: Any, keypair: tuple[bytes, bytes]) -> None:
    cache = TokenCache()
    make_factory(sb, keypair[0], cache).call(lambda sf: sf.limits())
    token = cache.get()
    make_factory(sb, keypair[0], cache).call(lambda sf: sf.limits())
    assert token is not None and cache.get() is token


def test_a_wrong_private_key_fails_with_auth_failed_and_no_secrets(sb: Any) -> None:
    other_key, _ = make_rsa_keypair()
    with pytest.raises(AuthFailed) as info:
        fetch_token(credentials(sb, other_key), local_session(sb.ca_path), time.time)
    assert info.value.code == "invalid_grant"
    assert not info.value.retryable
    assert "eyJ" not in str(info.value) and "PRIVATE" not in str(info.value)


def test_an_unknown_consumer_key_fails_with_auth_failed(sb: Any, keypair: tuple[bytes, bytes]) -> None:
    creds = credentials(sb, keypair[0]).model_copy(update={"consumer_key": CONSUMER_KEY + "x"})
    with pytest.raises(AuthFailed) as info:
        fetch_token(creds, local_session(sb.ca_path), time.time)
    assert info.value.code == "invalid_client_id"


def test_an_expired_session_is_refreshed_once_and_the_call_succeeds(
    sb: Any, factory: SalesforceClientFactory
) -> None:
    factory.call(lambda sf: sf.limits())
    sb.expire_sessions()
    before = sb.api_calls
    assert factory.call(lambda sf: sf.limits())
    assert factory.calls == 3  # the first call, the refused one, the retried one
    assert sb.api_calls - before == 2


def test_a_second_consecutive_expiry_surfaces(sb: Any, factory: SalesforceClientFactory) -> None:
    sb.faults.fail_next(2, "INVALID_SESSION_ID")
    with pytest.raises(SessionExpired) as info:
        factory.call(lambda sf: sf.limits())
    assert info.value.code == "INVALID_SESSION_ID"
    assert factory.calls == 2


def test_503s_are_retried_with_backoff(sb: Any, gateway: SalesforceGateway, sleeps: Sleeps) -> None:
    gateway.ensure_ready()
    sb.faults.fail_next(2, "503")
    view = gateway.fetch(LookupKeys(emails=frozenset({"bob@acme-solar.com"})))
    assert [c.last_name for c in view.contacts_by_email["bob@acme-solar.com"]] == ["O'Brien"]
    assert len(sleeps) == 2


@pytest.mark.parametrize("kind", ["UNABLE_TO_LOCK_ROW", "REQUEST_LIMIT_EXCEEDED"])
def test_locks_and_limits_are_retried(sb: Any, gateway: SalesforceGateway, sleeps: Sleeps, kind: str) -> None:
    gateway.ensure_ready()
    sb.faults.fail_next(1, kind)
    view = gateway.fetch(LookupKeys(case_numbers=frozenset({"00001001"})))
    assert "00001001" in view.cases_by_number
    assert len(sleeps) == 1


def test_persistent_outage_surfaces_as_transient_fault(sb: Any, gateway: SalesforceGateway) -> None:
    gateway.ensure_ready()
    sb.faults.fail_next(50, "503")
    with pytest.raises(TransientFault) as info:
        gateway.fetch(LookupKeys(case_numbers=frozenset({"00001001"})))
    assert info.value.retryable and info.value.status == 503
    sb.faults.clear()
