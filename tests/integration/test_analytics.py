"""`cxrecon query` and `cxrecon report` end to end, and the daily report Lambda against moto's S3."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cxrecon.bootstrap import reset_container
from cxrecon.cli import main
from cxrecon_local.stack import LocalStack, start_local_stack

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit" / "analytics"))
from dataset import write_outputs

WINDOW = ["--from", "2026-01-05", "--to", "2026-01-06"]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_outputs(tmp_path_factory.mktemp("outputs"))


def test_query_prints_a_report_as_csv(outputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "data_quality", "--data", str(outputs), *WINDOW, "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "reason,source_file,rejected,file_rows,rejected_pct",
        "malformed_date,f2.json,1,2,50",
        "missing_id,f1.csv,1,7,14.3",
    ]


def test_query_runs_ad_hoc_sql_as_json(outputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sql = "SELECT outcome, count(*) AS n FROM current_decisions WHERE outcome = 'rejected' GROUP BY outcome"
    assert main(["query", sql, "--data", str(outputs), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"outcome": "rejected", "n": 2}]


def test_an_empty_day_prints_no_rows(outputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "1", "--data", str(outputs), "--from", "2025-01-01", "--to", "2025-01-01"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("(no rows)")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT nope FROM decisions", "cxrecon query: error: duckdb: Binder Error: Referenced column"),
        ("DELETE FROM decisions", "cxrecon query: error: ad-hoc SQL is read-only: DELETE"),
        ("no_such_report", "cxrecon query: error: unknown report 'no_such_report'"),
    ],
)
def test_a_bad_query_exits_2_with_one_line_and_no_traceback(outputs: Path, query: str, message: str) -> None:
    done = subprocess.run(
        [str(Path(sys.executable).with_name("cxrecon")), "query", query, "--data", str(outputs)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), done.stderr


def test_a_bad_date_is_refused(outputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "1", "--data", str(outputs), "--to", "2026-01-06'; DROP"]) == 2
    assert "not a date" in capsys.readouterr().err


def test_report_writes_one_self_contained_page(outputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "r" / "report.html"
    assert main(["report", "--data", str(outputs), "--out", str(out), *WINDOW]) == 0
    html = out.read_text()
    assert html.count("<svg") == 5 and "<script" not in html


# ---------------------------------------------------------------- the daily report Lambda, on moto


@dataclass
class Context:
    function_name: str = "DailyReportFunction"
    memory_limit_in_mb: int = 2048
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:DailyReportFunction"
    aws_request_id: str = "req-1"


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    with start_local_stack() as local:
        yield local


def test_the_daily_report_reads_s3_and_writes_the_page(
    stack: LocalStack, outputs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    s3 = stack.client("s3")
    bucket = stack.resources["OutputsBucket"]
    for path in outputs.rglob("*.parquet"):
        s3.put_object(Bucket=bucket, Key=path.relative_to(outputs).as_posix(), Body=path.read_bytes())
    env = {
        **stack.function_environment["DailyReportFunction"],
        "CXRECON_REPORT_DAYS": "2",
        "CXRECON_AWS_ENDPOINT_URL": stack.endpoint_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": stack.region,
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    reset_container()
    try:
        from cxrecon.handlers.daily_report import lambda_handler  # noqa: PLC0415

        answer = lambda_handler({"time": "2026-01-06T06:15:00Z"}, Context())  # type: ignore[arg-type]
    finally:
        reset_container()
    assert answer == {"bucket": bucket, "key": "reports/dt=2026-01-06/report.html"}
    obj = s3.get_object(Bucket=bucket, Key=answer["key"])
    assert obj["ContentType"].startswith("text/html")
    html = obj["Body"].read().decode()
    assert "2026-01-05 to 2026-01-06" in html
    assert "<b>66.7%</b><span>automation rate</span>" in html
    assert "<b>3</b><span>in review backlog</span>" in html
