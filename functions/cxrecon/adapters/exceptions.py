"""AWS faults, translated once from botocore errors and marked retryable or terminal."""

from __future__ import annotations

from typing import NoReturn

from botocore.exceptions import BotoCoreError, ClientError

_TRANSIENT = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "ServiceUnavailable",
        "InternalError",
        "InternalServerError",
        "SlowDown",
        "RequestTimeout",
        "TransactionConflictException",
    }
)


class AwsFault(Exception):
    """Base of every AWS adapter error."""

    retryable = False

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code


class TransientAwsFault(AwsFault):
    retryable = True


class ObjectMissing(AwsFault):
    """The object named by an event no longer exists (deleted, or an old version)."""


def raise_aws_fault(exc: Exception, what: str) -> NoReturn:
    if isinstance(exc, ClientError):
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code in {"NoSuchKey", "404", "NoSuchVersion"}:
            raise ObjectMissing(f"{what}: not found", code) from exc
        if code in _TRANSIENT:
            raise TransientAwsFault(f"{what}: {code}", code) from exc
        raise AwsFault(f"{what}: {code}", code) from exc
    if isinstance(exc, BotoCoreError):
        raise TransientAwsFault(f"{what}: {type(exc).__name__}", type(exc).__name__) from exc
    raise exc
