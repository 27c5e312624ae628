"""The report files are valid Trino (Athena) SQL, declare their parameters, and keep to the catalogue."""

from __future__ import annotations

import re

import pytest
import sqlglot
from sqlglot import exp

from cxrecon.analytics.catalogue import SQL_DIR, find_report, reports, view_sql

REPORT_FILES = sorted(p.name for p in SQL_DIR.glob("[0-9][0-9]_*.sql"))


def test_the_catalogue_has_the_seven_reports_in_order() -> None:
    assert [r.name for r in reports()] == [
        "daily_volume",
        "compliance_unrelated",
        "review_backlog",
        "reviewer_throughput",
        "api_usage",
        "data_quality",
        "org_monthly",
    ]
    assert [r.file_name for r in reports()] == REPORT_FILES


@pytest.mark.parametrize("name", REPORT_FILES)
def test_report_parses_as_trino(name: str) -> None:
    tree = sqlglot.parse_one((SQL_DIR / name).read_text(), read="trino")
    assert isinstance(tree, exp.Query)
    assert len(list(tree.find_all(exp.Placeholder))) == len(find_report(name).parameters)


def test_the_view_parses_as_trino_and_creates_current_decisions() -> None:
    tree = sqlglot.parse_one(view_sql(), read="trino")
    assert isinstance(tree, exp.Create)
    assert tree.this.name == "current_decisions"


@pytest.mark.parametrize("name", REPORT_FILES)
def test_report_bounds_partitions_only_through_placeholders(name: str) -> None:
    sql = (SQL_DIR / name).read_text()
    # Dates are never literals in a report: they are the runner's validated parameters.
    assert not re.search(r"'\d{4}-\d{2}-\d{2}'", sql)
    assert re.search(r"\bdt\s+(BETWEEN \? AND \?|<= \?)", sql), "no dt bound: the query would scan everything"


@pytest.mark.parametrize("name", REPORT_FILES)
def test_report_avoids_duckdb_only_syntax(name: str) -> None:
    sql = (SQL_DIR / name).read_text().lower()
    for duckdb_only in (
        "::",
        " exclude ",
        "quantile",
        "epoch(",
        "list_",
        "strftime",
        "group by all",
        "qualify",
    ):
        assert duckdb_only not in sql, duckdb_only
