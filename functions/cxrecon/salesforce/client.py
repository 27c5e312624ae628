"""The one path every Salesforce call goes through, and the HTTP sessions it may run on."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

import requests
from pydantic import BaseModel, ConfigDict
from requests.adapters import HTTPAdapter
from simple_salesforce.api import Salesforce

from cxrecon.salesforce.auth import AccessToken, SalesforceCredentials, TokenCache, fetch_token
from cxrecon.salesforce.exceptions import SessionExpired, raise_fault

T = TypeVar("T")
DEFAULT_TIMEOUT_SECONDS = 30.0


class SalesforceCall(Protocol):
    """Runs one API request on a client (the gateway's retried `SalesforceClientFactory.call`)."""

    def __call__(self, fn: Callable[[Salesforce], T], /) -> T: ...


class ApiUsage(BaseModel):
    """The org's rolling 24-hour API usage, from the latest `Sforce-Limit-Info` header."""

    model_config = ConfigDict(frozen=True)

    used: int
    max: int


class _TimeoutAdapter(HTTPAdapter):
    """An adapter that applies a default timeout to requests sent without one."""

    def __init__(self, timeout: float, pool_size: int) -> None:
        # Connection-level retries stay off: retrying is the caller's decision (retry.py).
        super().__init__(pool_connections=pool_size, pool_maxsize=pool_size, max_retries=0)
        self._timeout = timeout

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self._timeout
        return super().send(request, **kwargs)


def aws_session(timeout: float = DEFAULT_TIMEOUT_SECONDS, pool_size: int = 10) -> requests.Session:
    """A session for real Salesforce: default timeouts and a connection pool of `pool_size`."""
    session = requests.Session()
    session.mount("https://", _TimeoutAdapter(timeout, pool_size))
    return session


def local_session(ca_bundle: str, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> requests.Session:
    """A session for the local sandbox only: trusts its CA and ignores REQUESTS_CA_BUNDLE & co."""
    session = aws_session(timeout)
    session.verify = ca_bundle
    # With trust_env on, requests lets REQUESTS_CA_BUNDLE override Session.verify.
    session.trust_env = False
    return session


class SalesforceClientFactory:
    """Builds `Salesforce` clients from cached tokens and runs every call through `call()`."""

    def __init__(
        self,
        credentials_provider: Callable[[], SalesforceCredentials],
        session: requests.Session,
        api_version: str,
        cache: TokenCache,
        *,
        now: Callable[[], float] = time.time,
    ) -> None:
        self._credentials_provider = credentials_provider
        self._session = session
        self._api_version = api_version
        self._cache = cache
        self._now = now
        self._client: Salesforce | None = None
        self._client_token: AccessToken | None = None
        self.calls = 0
        self.api_usage: ApiUsage | None = None

    def get(self) -> Salesforce:
        """A client holding a valid-looking token, fetching one when the cache is empty."""
        token = self._cache.get()
        if token is None:
            token = fetch_token(self._credentials_provider(), self._session, self._now)
            self._cache.put(token)
        if self._client is None or self._client_token is not token:
            self._client = Salesforce(
                instance_url=token.instance_url,
                session_id=token.access_token.get_secret_value(),
                session=self._session,
                version=self._api_version,
                # No hook: the json module's own dicts. simple-salesforce's default OrderedDict hook
                # doubles the cost of decoding a response (a 2,000-record search), and even `dict` as
                # a hook takes half as long again as none; dicts keep their order anyway.
                object_pairs_hook=None,
            )
            self._client_token = token
        return self._client

    def call(self, fn: Callable[[Salesforce], T]) -> T:
        """Run `fn` (one API request) with typed faults; on an expired session, re-auth and retry once."""
        try:
            return self._attempt(fn)
        except SessionExpired:
            self._cache.invalidate()
            self._client = None
            return self._attempt(fn)

    def _attempt(self, fn: Callable[[Salesforce], T]) -> T:
        sf = self.get()
        self.calls += 1
        try:
            return fn(sf)
        except Exception as exc:  # every failure is translated by the one mapper
            raise_fault(exc)
        finally:
            self._record_usage(sf)

    def _record_usage(self, sf: Salesforce) -> None:
        usage = sf.api_usage.get("api-usage")
        if usage is not None:
            self.api_usage = ApiUsage(used=usage.used, max=usage.total)
