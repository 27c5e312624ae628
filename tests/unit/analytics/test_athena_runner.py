"""The Athena runner sends the report text unchanged, with the dates as execution parameters."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from cxrecon.analytics.athena import AthenaRunner
from cxrecon.analytics.catalogue import DateWindow, find_report
from cxrecon.analytics.exceptions import QueryFailed, ReadOnlyViolation


class FakeAthena:
    """Answers like Athena: RUNNING once, then the given final state, then one page of results."""

    def __init__(self, state: str = "SUCCEEDED", reason: str | None = None) -> None:
        self.state, self.reason = state, reason
        self.started: list[dict[str, Any]] = []
        self.polls = 0

    def start_query_execution(self, **request: Any) -> dict[str, Any]:
        self.started.append(request)
        return {"QueryExecutionId": "q-1"}

    def get_query_execution(self, QueryExecutionId: str) -> dict[str, Any]:
        self.polls += 1
        status: dict[str, Any] = {"State": "RUNNING" if self.polls == 1 else self.state}
        if self.reason:
            status["StateChangeReason"] = self.reason
        return {"QueryExecution": {"Status": status}}

    def get_paginator(self, name: str) -> FakeAthena:
        assert name == "get_query_results"
        return self

    def paginate(self, QueryExecutionId: str) -> list[dict[str, Any]]:
        def cells(*values: str | None) -> dict[str, Any]:
            return {"Data": [{} if v is None else {"VarCharValue": v} for v in values]}

        return [
            {
                "ResultSet": {
                    "ResultSetMetadata": {
                        "ColumnInfo": [
                            {"Name": "day", "Type": "varchar"},
                            {"Name": "interactions", "Type": "bigint"},
                            {"Name": "automation_rate_pct", "Type": "double"},
                        ]
                    },
                    "Rows": [
                        cells("day", "interactions", "automation_rate_pct"),
                        cells("2026-01-05", "4", None),
                    ],
                }
            }
        ]


def runner(client: FakeAthena) -> AthenaRunner:
    return AthenaRunner(client, workgroup="wg", database="db", sleep=lambda _: None)


def test_a_report_runs_as_its_file_with_the_dates_as_parameters() -> None:
    client = FakeAthena()
    result = runner(client).run_report(
        find_report("daily_volume"), DateWindow(date(2026, 1, 5), date(2026, 1, 6))
    )
    (request,) = client.started
    assert request["QueryString"] == find_report("daily_volume").sql
    assert request["ExecutionParameters"] == ["'2026-01-05'", "'2026-01-06'"]
    assert request["WorkGroup"] == "wg" and request["QueryExecutionContext"] == {"Database": "db"}
    assert result.records() == [{"day": "2026-01-05", "interactions": 4, "automation_rate_pct": None}]


def test_a_failed_query_is_athenas_reason_in_one_line() -> None:
    client = FakeAthena("FAILED", "COLUMN_NOT_FOUND: line 1:8: Column 'x' cannot be resolved\n")
    with pytest.raises(
        QueryFailed, match=r"^athena: COLUMN_NOT_FOUND: line 1:8: Column 'x' cannot be resolved$"
    ):
        runner(client).run_sql("SELECT x FROM decisions")


def test_ad_hoc_writes_never_reach_athena() -> None:
    client = FakeAthena()
    with pytest.raises(ReadOnlyViolation):
        runner(client).run_sql("DROP TABLE decisions")
    assert client.started == []
