"""Analytics errors. Each carries one line an analyst can act on: the CLI prints it without a traceback."""

from __future__ import annotations


class AnalyticsError(Exception):
    """Base class of every analytics error."""


class UnknownReport(AnalyticsError):
    """The name matches no report in the catalogue."""


class ReadOnlyViolation(AnalyticsError):
    """Ad-hoc SQL tried to do something other than read (CREATE, COPY, ATTACH, INSTALL, PRAGMA ...)."""


class QueryFailed(AnalyticsError):
    """The engine (DuckDB or Athena) rejected or failed the query; the engine's message, in one line."""

    def __init__(self, engine: str, message: str) -> None:
        first = " ".join(message.split()) if message else "query failed"
        super().__init__(f"{engine}: {first}")
        self.engine = engine
