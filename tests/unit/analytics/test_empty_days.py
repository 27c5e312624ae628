"""An empty day, or a table nobody wrote yet, reads as an empty result, not an error."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cxrecon.analytics.catalogue import DateWindow, find_report, reports
from cxrecon.analytics.duck import DuckDbRunner
from cxrecon.analytics.tables import LocalOutputs

from .dataset import write_outputs

EMPTY_WINDOW = DateWindow(date(2025, 6, 1), date(2025, 6, 2))


@pytest.mark.parametrize("report", reports(), ids=lambda r: r.name)
def test_a_window_without_data_gives_an_empty_result(runner: DuckDbRunner, report: object) -> None:
    result = runner.run_report(report, EMPTY_WINDOW)  # type: ignore[arg-type]
    assert result.rows == ()
    assert result.columns


@pytest.mark.parametrize("report", reports(), ids=lambda r: r.name)
def test_an_outputs_dir_with_decisions_only_runs_every_report(tmp_path: Path, report: object) -> None:
    write_outputs(tmp_path, tables=("decisions",))
    with DuckDbRunner(LocalOutputs(tmp_path)) as runner:
        runner.run_report(report, DateWindow(date(2026, 1, 5), date(2026, 1, 6)))  # type: ignore[arg-type]


def test_an_empty_outputs_dir_has_typed_empty_tables(tmp_path: Path) -> None:
    with DuckDbRunner(LocalOutputs(tmp_path)) as runner:
        for report in reports():
            assert runner.run_report(report, EMPTY_WINDOW).rows == ()
        types = runner.run_sql("SELECT typeof(decided_at) AS t, typeof(who_ids) AS w FROM decisions")
        assert types.rows == ()
        described = runner.run_sql("DESCRIBE review_items").records()
        assert {r["column_name"]: r["column_type"] for r in described}[
            "changed_at"
        ] == "TIMESTAMP WITH TIME ZONE"


def test_a_one_day_window_reads_only_that_days_files(runner: DuckDbRunner) -> None:
    profile = runner.explain_analyze(
        find_report("data_quality"), DateWindow(date(2026, 1, 6), date(2026, 1, 6))
    )
    # Day 2026-01-06 has two decision files (pipeline and reviewer); the other days' files are pruned.
    assert "Total Files Read: 2" in profile
    assert "dt=2026-01-05" not in profile
