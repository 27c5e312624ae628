from __future__ import annotations

from typing import Any

import pytest
import requests
from simple_salesforce.exceptions import (
    SalesforceExpiredSession,
    SalesforceGeneralError,
    SalesforceMalformedRequest,
    SalesforceMoreThanOneRecord,
    SalesforceRefusedRequest,
    SalesforceResourceNotFound,
)

from cxrecon.salesforce.exceptions import (
    RequestRejected,
    SalesforceFault,
    SessionExpired,
    TransientFault,
    error_code_of,
    raise_fault,
)


def _err(cls: type, status: int, code: str | None, message: str = "secret +14155550100") -> Exception:
    content = [{"message": message, "errorCode": code, "fields": []}] if code else "<html>oops</html>"
    exc: Exception = cls("https://x/services/data/v62.0/query", status, "query", content)
    return exc


def _mapped(exc: Exception) -> SalesforceFault:
    with pytest.raises(SalesforceFault) as info:
        raise_fault(exc)
    assert info.value.__cause__ is exc
    return info.value


@pytest.mark.parametrize(
    ("cls", "status", "code", "expected"),
    [
        (SalesforceGeneralError, 503, "SERVER_UNAVAILABLE", TransientFault),
        (SalesforceGeneralError, 500, None, TransientFault),
        (SalesforceGeneralError, 502, None, TransientFault),
        (SalesforceMalformedRequest, 400, "UNABLE_TO_LOCK_ROW", TransientFault),
        (SalesforceRefusedRequest, 403, "REQUEST_LIMIT_EXCEEDED", TransientFault),
        (SalesforceExpiredSession, 401, "INVALID_SESSION_ID", SessionExpired),
        (SalesforceMalformedRequest, 400, "INVALID_FIELD", RequestRejected),
        (SalesforceMalformedRequest, 400, "MALFORMED_QUERY", RequestRejected),
        (SalesforceResourceNotFound, 404, "NOT_FOUND", RequestRejected),
        (SalesforceMoreThanOneRecord, 300, None, RequestRejected),
        (SalesforceRefusedRequest, 403, "INSUFFICIENT_ACCESS", RequestRejected),
    ],
)
def test_simple_salesforce_errors_map_by_status_and_error_code(
    cls: type, status: int, code: str | None, expected: type
) -> None:
    fault = _mapped(_err(cls, status, code))
    assert type(fault) is expected
    assert fault.code == (code or f"HTTP_{status}")
    assert fault.retryable is (expected in (TransientFault, SessionExpired))


def test_classification_ignores_message_text() -> None:
    fault = _mapped(_err(SalesforceMalformedRequest, 400, "INVALID_FIELD", "unable to lock row, try later"))
    assert isinstance(fault, RequestRejected)


def test_fault_messages_carry_no_record_data() -> None:
    fault = _mapped(_err(SalesforceMalformedRequest, 400, "INVALID_FIELD", "bad value jane@example.com"))
    assert "jane@example.com" not in str(fault)
    assert "INVALID_FIELD" in str(fault)


@pytest.mark.parametrize("exc", [requests.Timeout(), requests.ConnectionError(), requests.ReadTimeout()])
def test_timeouts_and_connection_errors_are_transient(exc: Exception) -> None:
    assert isinstance(_mapped(exc), TransientFault)


def test_tls_failures_are_terminal() -> None:
    assert isinstance(_mapped(requests.exceptions.SSLError()), RequestRejected)


def test_save_result_errors_use_status_code_key() -> None:
    assert error_code_of([{"statusCode": "UNABLE_TO_LOCK_ROW", "message": "m"}]) == "UNABLE_TO_LOCK_ROW"
    assert error_code_of([{"errorCode": "INVALID_FIELD", "message": "m"}]) == "INVALID_FIELD"
    assert error_code_of("not json") is None


def test_unknown_exceptions_pass_through_unchanged() -> None:
    with pytest.raises(KeyError):
        raise_fault(KeyError("x"))


def test_the_chained_cause_loses_the_query_string() -> None:
    content: Any = [{"errorCode": "INVALID_FIELD", "message": "m"}]  # parsed JSON, typed as bytes upstream
    exc = SalesforceMalformedRequest(
        "https://x/services/data/v62.0/query/?q=SELECT+Id+FROM+Contact+WHERE+Email+IN+('a@b.c')",
        400,
        "query",
        content,
    )
    fault = _mapped(exc)
    assert "a@b.c" not in str(fault.__cause__) and "a%40b.c" not in str(fault.__cause__)
