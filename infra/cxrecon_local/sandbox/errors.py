"""Salesforce-shaped errors raised inside the sandbox and rendered as REST error bodies."""

from __future__ import annotations

from typing import Any


class SalesforceError(Exception):
    """An error as the REST API reports it: HTTP status, errorCode, message and fields."""

    def __init__(self, status: int, error_code: str, message: str, fields: list[str] | None = None) -> None:
        super().__init__(f"{error_code}: {message}")
        self.status = status
        self.error_code = error_code
        self.message = message
        self.fields = list(fields or [])

    def body(self) -> list[dict[str, Any]]:
        """The `[{"message", "errorCode", "fields"}]` array of a failed REST request."""
        return [{"message": self.message, "errorCode": self.error_code, "fields": self.fields}]

    def save_error(self) -> dict[str, Any]:
        """The error item of a SaveResult (note the key is `statusCode` there)."""
        return {"statusCode": self.error_code, "message": self.message, "fields": self.fields}


def bad(code: str, message: str, fields: list[str] | None = None) -> SalesforceError:
    """A 400 error."""
    return SalesforceError(400, code, message, fields)


def malformed_query(message: str) -> SalesforceError:
    return SalesforceError(400, "MALFORMED_QUERY", message)


def not_found(message: str = "The requested resource does not exist") -> SalesforceError:
    return SalesforceError(404, "NOT_FOUND", message)


def invalid_session() -> SalesforceError:
    return SalesforceError(401, "INVALID_SESSION_ID", "Session expired or invalid")


def limit_exceeded() -> SalesforceError:
    return SalesforceError(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")


def unavailable() -> SalesforceError:
    return SalesforceError(
        503, "SERVER_UNAVAILABLE", "Server temporarily unavailable; please retry your request later."
    )


def unable_to_lock() -> SalesforceError:
    return SalesforceError(400, "UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record")
