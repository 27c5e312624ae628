"""Errors that stop a whole export file (a bad row never raises: it becomes a Rejection)."""

from __future__ import annotations

__all__ = ["ExportError", "UnreadableExport"]


class ExportError(Exception):
    """Base class for export reading errors."""


class UnreadableExport(ExportError):
    """The file (or the rest of it) cannot be read.

    `reason` is a stable short code: "unknown_format", "corrupt_gzip", "malformed_json" (a JSON document
    whose syntax breaks part-way, so no later element can be found), "record_too_large" (one JSON element
    bigger than the reader's buffer limit). It may be raised part-way through iteration, after some rows
    were already yielded.
    """

    def __init__(self, reason: str, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.line = line

    def __reduce__(self) -> tuple[object, ...]:  # keep it picklable despite the keyword-only argument
        return (_rebuild_unreadable, (self.reason, self.message, self.line))


def _rebuild_unreadable(reason: str, message: str, line: int | None) -> UnreadableExport:
    return UnreadableExport(reason, message, line=line)
