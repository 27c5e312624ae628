"""Run reports and ad-hoc SQL with DuckDB over the outputs (a local directory or the S3 bucket).

The connection is read-only by construction: it is in memory, its views are created before external
access is switched off (except to the outputs directory), the configuration is then locked, and ad-hoc
SQL must be one SELECT (or EXPLAIN). Trino functions the reports use that DuckDB lacks are macros here,
so the SQL files stay valid Trino.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from cxrecon.analytics.catalogue import DateWindow, Report, view_sql
from cxrecon.analytics.exceptions import QueryFailed, ReadOnlyViolation
from cxrecon.analytics.read_only import check_read_only as check_read_only_tokens
from cxrecon.analytics.result import Result
from cxrecon.analytics.tables import TABLES, OutputsSource

# Trino's approx_percentile; DuckDB's exact discrete quantile keeps small results exact and testable.
_TRINO_MACROS = ("CREATE MACRO approx_percentile(x, p) AS quantile_disc(x, p)",)
_READ_STATEMENTS = frozenset({duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN})


@dataclass(frozen=True)
class Timed:
    result: Result
    seconds: float


class DuckDbRunner:
    """One in-memory DuckDB connection with the views `decisions`, `runs`, `review_items` and
    `current_decisions` over an outputs source."""

    def __init__(self, source: OutputsSource, *, threads: int | None = None) -> None:
        self.source = source
        self._con = duckdb.connect(":memory:")
        try:
            self._setup(threads)
        except duckdb.Error as exc:
            raise QueryFailed("duckdb", str(exc)) from exc

    def _setup(self, threads: int | None) -> None:
        con = self._con
        con.execute("SET TimeZone = 'UTC'")
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        for macro in _TRINO_MACROS:
            con.execute(macro)
        for table in TABLES:
            con.execute(f"CREATE VIEW {table} AS {self.source.relation(table, con.register)}")
        con.execute(view_sql())
        allowed = self.source.allowed_directories()
        if allowed:
            quoted = ", ".join("'" + d.replace("'", "''") + "'" for d in allowed)
            con.execute(f"SET allowed_directories = [{quoted}]")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> DuckDbRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run_report(self, report: Report, window: DateWindow) -> Result:
        return self._execute(report.sql, report.bind(window))

    def run_sql(self, sql: str) -> Result:
        """Ad-hoc SQL: exactly one read-only statement."""
        check_read_only(self._con, sql)
        return self._execute(sql, [])

    def timed_report(self, report: Report, window: DateWindow) -> Timed:
        started = time.perf_counter()
        result = self.run_report(report, window)
        return Timed(result, time.perf_counter() - started)

    def explain_analyze(self, report: Report, window: DateWindow) -> str:
        """DuckDB's profile of the report: files read and bytes read per scan."""
        rows = self._fetch("EXPLAIN ANALYZE " + report.sql, report.bind(window))
        return "\n".join(str(r[-1]) for r in rows.to_pylist_rows())

    def _execute(self, sql: str, params: Sequence[str]) -> Result:
        table = self._fetch(sql, params)
        return Result.of(table.columns, table.to_pylist_rows())

    def _fetch(self, sql: str, params: Sequence[str]) -> _Fetched:
        try:
            arrow = self._con.sql(sql, params=list(params)).to_arrow_table()
        except duckdb.Error as exc:
            raise QueryFailed("duckdb", str(exc)) from exc
        return _Fetched(arrow)


class _Fetched:
    """Arrow → rows without pandas or pytz (timestamps with time zone come back as aware datetimes)."""

    def __init__(self, table: Any) -> None:
        self.columns: list[str] = list(table.column_names)
        self._table = table

    def to_pylist_rows(self) -> list[tuple[Any, ...]]:
        columns = [self._table.column(i).to_pylist() for i in range(self._table.num_columns)]
        return list(zip(*columns, strict=True)) if columns else []


def check_read_only(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Refuse anything but one SELECT or EXPLAIN of one: no CREATE, INSERT, COPY, ATTACH, INSTALL, PRAGMA,
    SET, EXPLAIN ANALYZE. The shared token rule first, then DuckDB's own parse of the statement's type."""
    check_read_only_tokens(sql)
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryFailed("duckdb", str(exc)) from exc
    if len(statements) != 1:
        raise ReadOnlyViolation(f"ad-hoc SQL must be exactly one statement, got {len(statements)}")
    kind = statements[0].type
    if kind not in _READ_STATEMENTS:
        raise ReadOnlyViolation(f"ad-hoc SQL is read-only: {kind.name} statements are not allowed")
