"""Report names, date parameters and the printed forms of a result."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest

from cxrecon.analytics.catalogue import DateWindow, find_report, is_report_name, parse_day
from cxrecon.analytics.exceptions import AnalyticsError, UnknownReport
from cxrecon.analytics.result import Result


@pytest.mark.parametrize("name", ["daily_volume", "1", "01", "01_daily_volume", "01_daily_volume.sql"])
def test_a_report_is_found_by_name_number_or_file(name: str) -> None:
    assert find_report(name).name == "daily_volume"


def test_an_unknown_report_lists_the_known_ones() -> None:
    with pytest.raises(UnknownReport, match="reports: daily_volume, compliance_unrelated"):
        find_report("nope")


def test_single_words_are_report_names_and_the_rest_is_sql() -> None:
    assert is_report_name("review_backlog")
    assert not is_report_name("SELECT 1")


@pytest.mark.parametrize("text", ["2026-1-5", "2026-01-05' OR '1'='1", "yesterday", "2026-02-30"])
def test_only_iso_days_become_parameters(text: str) -> None:
    with pytest.raises(AnalyticsError, match="not a date"):
        parse_day(text)


def test_the_window_defaults_to_thirty_days_ending_today() -> None:
    window = DateWindow.parse(None, None, today=date(2026, 3, 31))
    assert (window.date_from, window.date_to) == (date(2026, 3, 2), date(2026, 3, 31))


def test_a_window_must_not_end_before_it_starts() -> None:
    with pytest.raises(AnalyticsError, match="after"):
        DateWindow.parse("2026-03-02", "2026-03-01", today=date(2026, 3, 31))


def test_parameters_bind_in_declared_order() -> None:
    window = DateWindow(date(2026, 1, 5), date(2026, 1, 6))
    assert find_report("reviewer_throughput").bind(window) == ["2026-01-05", "2026-01-06"] * 2
    assert find_report("review_backlog").bind(window) == ["2026-01-06", "2026-01-06"]


RESULT = Result.of(("name", "n", "share"), [("a,b", Decimal(3), 12.5), ("c", None, None)])


def test_results_print_as_an_aligned_table() -> None:
    assert RESULT.render("table").splitlines() == [
        "name  n  share",
        "----  -  -----",
        "a,b   3   12.5",
        "c",
    ]


def test_results_print_as_csv_and_json() -> None:
    assert RESULT.render("csv").splitlines() == ["name,n,share", '"a,b",3,12.5', "c,,"]
    assert json.loads(RESULT.render("json")) == [
        {"name": "a,b", "n": 3, "share": 12.5},
        {"name": "c", "n": None, "share": None},
    ]


def test_an_empty_result_says_so() -> None:
    assert Result.of(("a",), []).render("table").endswith("(no rows)")


def test_csv_cells_a_spreadsheet_would_run_as_formulas_arrive_as_text() -> None:
    hostile = ['=HYPERLINK("http://x")', "+1 719 547", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "plain"]
    result = Result.of(["agent_name", "calls", "delta"], [(name, 1, -2) for name in hostile])
    rows = list(csv.reader(io.StringIO(result.render("csv"), newline="")))[1:]
    assert [r[0] for r in rows] == ["'" + name for name in hostile[:-1]] + ["plain"]
    # Numbers, negative ones included, stay numbers.
    assert {(r[1], r[2]) for r in rows} == {("1", "-2")}


def test_csv_escapes_a_list_cell_that_starts_like_a_formula() -> None:
    assert Result.of(["skills"], [(["=cmd", "ok"],)]).render("csv").splitlines()[1] == '"\'=cmd,ok"'
