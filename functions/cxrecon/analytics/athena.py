"""Run the same reports (and read-only ad-hoc SQL) on Athena: `cxrecon query --athena`.

Report dates travel as Athena `ExecutionParameters` for the SQL's `?` placeholders, so the text that
runs is exactly the named query's.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from cxrecon.analytics.catalogue import DateWindow, Report
from cxrecon.analytics.exceptions import QueryFailed
from cxrecon.analytics.read_only import check_read_only
from cxrecon.analytics.result import Result

_DONE = {"SUCCEEDED", "FAILED", "CANCELLED"}
_INTEGER_TYPES = {"tinyint", "smallint", "integer", "bigint", "int"}
_FLOAT_TYPES = {"double", "float", "real", "decimal"}


def check_read_only_text(sql: str) -> None:
    """Athena-side gate for ad-hoc SQL: the same rule as DuckDB's (Athena has no read-only switch)."""
    check_read_only(sql)


def _convert(value: str | None, kind: str) -> Any:
    if value is None:
        return None
    base = kind.split("(", maxsplit=1)[0].lower()
    if base in _INTEGER_TYPES:
        return int(value)
    if base in _FLOAT_TYPES:
        return float(value)
    if base == "boolean":
        return value == "true"
    return value


class AthenaRunner:
    """An injected boto3 Athena client, a workgroup (which holds the result location and the scan limit)
    and the Glue database."""

    def __init__(
        self,
        client: Any,
        *,
        workgroup: str,
        database: str,
        poll_seconds: float = 1.0,
        timeout_seconds: float = 600.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._client = client
        self.workgroup = workgroup
        self.database = database
        self._poll = poll_seconds
        self._timeout = timeout_seconds
        self._sleep = sleep

    def run_report(self, report: Report, window: DateWindow) -> Result:
        return self._run(report.sql, [f"'{v}'" for v in report.bind(window)])

    def run_sql(self, sql: str) -> Result:
        check_read_only_text(sql)
        return self._run(sql, [])

    def _run(self, sql: str, parameters: Sequence[str]) -> Result:
        request: dict[str, Any] = {
            "QueryString": sql,
            "WorkGroup": self.workgroup,
            "QueryExecutionContext": {"Database": self.database},
        }
        if parameters:
            request["ExecutionParameters"] = list(parameters)
        try:
            query_id = self._client.start_query_execution(**request)["QueryExecutionId"]
            self._wait(query_id)
            return self._results(query_id)
        except ClientError as exc:
            raise QueryFailed("athena", exc.response.get("Error", {}).get("Message", str(exc))) from exc
        except BotoCoreError as exc:
            raise QueryFailed("athena", str(exc)) from exc

    def _wait(self, query_id: str) -> None:
        deadline = time.monotonic() + self._timeout
        while True:
            status = self._client.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]["Status"]
            state = status["State"]
            if state == "SUCCEEDED":
                return
            if state in _DONE:
                raise QueryFailed("athena", status.get("StateChangeReason") or state)
            if time.monotonic() > deadline:
                self._client.stop_query_execution(QueryExecutionId=query_id)
                raise QueryFailed("athena", f"query {query_id} still running after {self._timeout:.0f}s")
            self._sleep(self._poll)

    def _results(self, query_id: str) -> Result:
        columns: list[str] = []
        kinds: list[str] = []
        rows: list[list[Any]] = []
        paginator = self._client.get_paginator("get_query_results")
        for page_number, page in enumerate(paginator.paginate(QueryExecutionId=query_id)):
            result_set = page["ResultSet"]
            if not columns:
                info = result_set.get("ResultSetMetadata", {}).get("ColumnInfo", [])
                columns = [c["Name"] for c in info]
                kinds = [c.get("Type", "varchar") for c in info]
            data = result_set.get("Rows", [])
            if page_number == 0 and data:
                data = data[1:]  # the header row
            for row in data:
                cells = [c.get("VarCharValue") for c in row.get("Data", [])]
                rows.append([_convert(v, k) for v, k in zip(cells, kinds, strict=False)])
        return Result.of(columns, rows)
