"""Ad-hoc SQL can read the tables and nothing else."""

from __future__ import annotations

import pytest

from cxrecon.analytics.athena import check_read_only_text
from cxrecon.analytics.duck import DuckDbRunner
from cxrecon.analytics.exceptions import QueryFailed, ReadOnlyViolation

WRITES = [
    "CREATE TABLE t AS SELECT 1",
    "INSERT INTO decisions SELECT * FROM decisions",
    "COPY decisions TO '/tmp/cxrecon-leak.csv'",
    "ATTACH '/tmp/cxrecon-other.db' AS other",
    "INSTALL httpfs",
    "LOAD httpfs",
    "PRAGMA version",
    "SET threads = 1",
    "DROP VIEW decisions",
    "SELECT 1; DROP VIEW decisions",
]


def test_select_over_every_table_and_the_view_is_allowed(runner: DuckDbRunner) -> None:
    result = runner.run_sql(
        "SELECT (SELECT count(*) FROM decisions) AS d, (SELECT count(*) FROM runs) AS r, "
        "(SELECT count(*) FROM review_items) AS i, (SELECT count(*) FROM current_decisions) AS c"
    )
    assert result.records() == [{"d": 12, "r": 3, "i": 7, "c": 10}]


@pytest.mark.parametrize("sql", WRITES)
def test_statements_that_are_not_reads_are_refused(runner: DuckDbRunner, sql: str) -> None:
    with pytest.raises(ReadOnlyViolation):
        runner.run_sql(sql)


def test_a_select_cannot_read_files_outside_the_outputs(runner: DuckDbRunner) -> None:
    with pytest.raises(QueryFailed, match="duckdb: Permission Error"):
        runner.run_sql("SELECT * FROM read_csv('/etc/passwd')")


def test_a_select_cannot_switch_the_guard_off(runner: DuckDbRunner) -> None:
    with pytest.raises(ReadOnlyViolation):
        runner.run_sql("SET enable_external_access = true")


def test_a_bad_query_is_one_line_with_the_engine_message(runner: DuckDbRunner) -> None:
    with pytest.raises(QueryFailed) as caught:
        runner.run_sql("SELECT no_such_column FROM decisions")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("duckdb: Binder Error")
    assert "no_such_column" in message


@pytest.mark.parametrize("sql", [*WRITES, "MSCK REPAIR TABLE decisions", "UNLOAD (SELECT 1) TO 's3://x/'"])
def test_athena_ad_hoc_sql_is_refused_unless_it_reads(sql: str) -> None:
    with pytest.raises(ReadOnlyViolation):
        check_read_only_text(sql)


@pytest.mark.parametrize("sql", ["SELECT 1", "-- note\nWITH a AS (SELECT 1) SELECT * FROM a;", "(SELECT 1)"])
def test_athena_ad_hoc_reads_pass(sql: str) -> None:
    check_read_only_text(sql)
