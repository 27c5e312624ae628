"""Ad-hoc SQL can read the tables and nothing else."""

from __future__ import annotations

from pathlib import Path

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
    # EXPLAIN ANALYZE executes its statement: this one planted a fake decisions file.
    "EXPLAIN ANALYZE COPY (SELECT * FROM decisions) TO 'decisions/dt=2026-01-01/x.parquet'",
    "explain analyse select 1",
    "EXPLAIN COPY decisions TO '/tmp/cxrecon-leak.csv'",
    "/* a note */ COPY decisions TO '/tmp/cxrecon-leak.csv'",
    "SELECT 1 /* ; */ ; -- \n COPY decisions TO 'x'",
    "SELECT 1;\nCOPY decisions TO 'x'",
    "WITH a AS (SELECT 1) INSERT INTO decisions SELECT * FROM a",
    "CALL pragma_version()",
    "EXPORT DATABASE '/tmp/cxrecon-leak'",
    "CHECKPOINT",
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


@pytest.mark.parametrize(
    "sql",
    [
        "EXPLAIN SELECT count(*) FROM decisions",
        "-- a note; with a semicolon\nSELECT 'delete; copy' AS note;",
        "SELECT outcome FROM decisions UNION ALL SELECT outcome FROM current_decisions",
        "FROM decisions SELECT count(*)",
        'SELECT "insert" FROM (SELECT 1 AS "insert")',
    ],
)
def test_reads_that_mention_writing_words_only_as_data_are_allowed(runner: DuckDbRunner, sql: str) -> None:
    assert runner.run_sql(sql).columns


def test_explain_analyze_copy_writes_no_file(runner: DuckDbRunner, tmp_path: Path) -> None:
    target = tmp_path / "planted.parquet"
    with pytest.raises(ReadOnlyViolation, match="EXPLAIN ANALYZE"):
        runner.run_sql(f"EXPLAIN ANALYZE COPY (SELECT * FROM decisions) TO '{target}'")
    assert not target.exists()


@pytest.mark.parametrize(
    "sql", ["EXPLAIN ANALYZE SELECT 1", "SELECT 1; SELECT 2", "WITH a AS (SELECT 1) INSERT INTO t SELECT 1"]
)
def test_athena_applies_the_same_rule(sql: str) -> None:
    with pytest.raises(ReadOnlyViolation):
        check_read_only_text(sql)


def test_athena_may_show_and_describe() -> None:
    check_read_only_text("SHOW TABLES")
    check_read_only_text("DESCRIBE decisions")
