"""Review errors: each carries a message a support lead can act on, and an HTTP status for the API."""

from __future__ import annotations


class ReviewError(Exception):
    """Base: the request changed nothing."""

    status = 400
    code = "invalid"


class InvalidInput(ReviewError):
    """Malformed id, wrong record type, unknown case number, a combination that cannot be applied."""


class NotFound(ReviewError):
    status = 404
    code = "not_found"


class ClaimLost(ReviewError):
    """The item is held by someone else, or the reviewer's claim expired."""

    status = 409
    code = "not_claimed"


class AlreadyDecided(ReviewError):
    status = 409
    code = "already_decided"


class StaleItem(ReviewError):
    """A chosen record was deleted or merged, or the Task changed since the item was queued."""

    status = 409
    code = "stale"
