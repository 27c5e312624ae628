"""Typed Salesforce faults, each marked retryable or terminal, and the one mapper that chooses them.

Classification uses HTTP status codes and Salesforce `errorCode`s only, never message text. Messages
carry the error code and the resource name, never record data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NoReturn

import requests
from simple_salesforce.exceptions import SalesforceError

# Error codes that mean "try again later": locks, limits and outages.
TRANSIENT_CODES = frozenset(
    {
        "UNABLE_TO_LOCK_ROW",
        "REQUEST_LIMIT_EXCEEDED",
        "SERVER_UNAVAILABLE",
        "TXN_SECURITY_METERING_ERROR",
        "QUERY_TIMEOUT",
        "API_CURRENTLY_DISABLED_TEMPORARILY",
    }
)
TRANSIENT_STATUSES = frozenset({500, 502, 503, 504})
_ChunkedEncodingError = requests.exceptions.ChunkedEncodingError


class SalesforceFault(Exception):
    """Base of every Salesforce adapter error. `retryable` decides between an SQS retry and a DLQ."""

    retryable: bool = False

    def __init__(self, message: str, *, code: str = "UNKNOWN", status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


class TransientFault(SalesforceFault):
    """Outage, overload, row lock, rate limit, timeout or broken connection: retry later."""

    retryable = True


class SessionExpired(SalesforceFault):
    """The access token is no longer valid (401 INVALID_SESSION_ID); a fresh token may help once."""

    retryable = True


class AuthFailed(SalesforceFault):
    """The token endpoint refused the JWT bearer grant (invalid_grant, invalid_client, ...)."""


class RequestRejected(SalesforceFault):
    """Salesforce refused the request as malformed or invalid (bad field, bad query, not found)."""


class OrgNotReady(SalesforceFault):
    """The org lacks something the pipeline needs; carries the failed check names and details."""

    def __init__(self, message: str, *, failed_checks: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(message, code="ORG_NOT_READY")
        self.failed_checks = tuple(failed_checks)


def error_code_of(content: Any) -> str | None:
    """The first `errorCode` (REST error array) or `statusCode` (SaveResult errors) in `content`."""
    items: Sequence[Any] = content if isinstance(content, list) else [content]
    for item in items:
        if isinstance(item, Mapping):
            code = item.get("errorCode") or item.get("statusCode")
            if isinstance(code, str):
                return code
    return None


def fault_for(status: int, code: str | None, resource: str = "") -> SalesforceFault:
    """The typed fault for an error `status` and Salesforce error `code`."""
    label = code or f"HTTP_{status}"
    message = f"Salesforce {resource or 'request'} failed: {status} {label}"
    if code in TRANSIENT_CODES or status in TRANSIENT_STATUSES:
        return TransientFault(message, code=label, status=status)
    if status == 401 or code == "INVALID_SESSION_ID":
        return SessionExpired(message, code=label, status=status)
    return RequestRejected(message, code=label, status=status)


def raise_fault(exc: Exception) -> NoReturn:
    """Re-raise a simple-salesforce or requests exception as the matching `SalesforceFault`."""
    if isinstance(exc, SalesforceFault):
        raise exc
    if isinstance(exc, SalesforceError):
        # The cause stays chained for debugging, minus the query string (SOQL carries phones and emails).
        exc.url = str(exc.url).split("?", 1)[0]
        raise fault_for(exc.status, error_code_of(exc.content), exc.resource_name) from exc
    if isinstance(exc, requests.exceptions.SSLError):
        # A certificate problem is configuration, not weather: retrying will not fix it.
        raise RequestRejected(f"Salesforce TLS failure: {type(exc).__name__}", code="TLS") from exc
    if isinstance(exc, requests.Timeout | requests.ConnectionError | _ChunkedEncodingError):
        raise TransientFault(f"Salesforce unreachable: {type(exc).__name__}", code="CONNECTION") from exc
    if isinstance(exc, requests.RequestException):
        raise RequestRejected(f"Salesforce request error: {type(exc).__name__}", code="HTTP") from exc
    raise exc
