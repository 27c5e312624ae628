"""The stable command contracts of shared/DESIGN.md, through the installed `cxrecon` entry point."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
CXRECON = Path(sys.executable).with_name("cxrecon")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CXRECON), *args], capture_output=True, text=True, timeout=300, check=False)


def test_run_writes_decisions_org_and_manifests_and_exits_zero_with_rejected_rows(tmp_path: Path) -> None:
    exports = sorted(str(p) for p in (SAMPLES / "exports").iterdir())
    result = _run(
        "run",
        *exports,
        "--org",
        str(SAMPLES / "org.json"),
        "--out",
        str(tmp_path / "out"),
        "--directory",
        str(SAMPLES / "directory.csv"),
    )
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    parts = sorted((out / "decisions").glob("dt=*/*.parquet"))
    assert parts, "decisions are hive-partitioned by dt=YYYY-MM-DD"
    rows = [r for p in parts for r in pq.read_table(p).to_pylist()]
    required = {
        "interaction_id",
        "master_interaction_id",
        "channel",
        "source_file",
        "source_line",
        "outcome",
        "reason",
        "task_id",
        "who_ids",
        "what_id",
        "candidates",
        "decided_at",
        "decided_by",
    }
    assert required <= set(rows[0])
    assert {r["outcome"] for r in rows} == {
        "related",
        "related_to_org",
        "already_related",
        "queued_for_review",
        "rejected",
        "skipped",
    }
    org = json.loads((out / "org.json").read_text())
    assert {"Account", "Contact", "Case", "User", "Task"} <= set(org)
    manifests = [json.loads(p.read_text()) for p in (out / "manifests").glob("*.json")]
    assert len(manifests) == 3 and all(m["accounting_ok"] for m in manifests)


def test_a_second_run_into_the_same_directory_replaces_the_first_runs_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "notes").mkdir(parents=True)
    (out / "notes" / "mine.txt").write_text("not the pipeline's")
    args = ["run", str(SAMPLES / "exports" / "completed_contacts.json"), "--org", str(SAMPLES / "org.json")]
    first = _run(*args, "--out", str(out))
    counts = [len(list((out / table).rglob("*.*"))) for table in ("decisions", "manifests", "runs")]
    rows = sum(pq.read_table(p).num_rows for p in (out / "decisions").rglob("*.parquet"))
    second = _run(*args, "--out", str(out))
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    # Each run's file ids are its own: the first run's files are gone, not counted twice.
    assert [len(list((out / table).rglob("*.*"))) for table in ("decisions", "manifests", "runs")] == counts
    assert sum(pq.read_table(p).num_rows for p in (out / "decisions").rglob("*.parquet")) == rows > 0
    assert (out / "notes" / "mine.txt").read_text() == "not the pipeline's"


def test_run_that_cannot_start_exits_non_zero_with_one_line(tmp_path: Path) -> None:
    missing = _run(
        "run", str(tmp_path / "nope.json"), "--org", str(SAMPLES / "org.json"), "--out", str(tmp_path)
    )
    assert missing.returncode != 0
    assert missing.stderr.strip().count("\n") == 0 and "export not found" in missing.stderr

    bad_org = tmp_path / "org.json"
    bad_org.write_text("[1, 2")
    shutil.copy(SAMPLES / "exports" / "data_download.csv", tmp_path / "x.csv")
    broken = _run("run", str(tmp_path / "x.csv"), "--org", str(bad_org), "--out", str(tmp_path / "o"))
    assert broken.returncode != 0
    assert broken.stderr.strip().count("\n") == 0 and "org snapshot" in broken.stderr


def test_run_with_concurrent_containers_accounts_for_every_row(tmp_path: Path) -> None:
    exports = sorted(str(p) for p in (SAMPLES / "exports").iterdir())
    out = tmp_path / "out"
    org = str(SAMPLES / "org.json")
    result = _run("run", *exports, "--org", org, "--out", str(out), "--workers", "2", "--chunk-size", "5")
    assert result.returncode == 0, result.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["accounting_ok"] and summary["rows"] == sum(summary["outcomes"].values())
    assert all(count > 0 for count in summary["outcomes"].values()), summary["outcomes"]
    assert summary["dead_letters"] == {"IngestDLQ": 0, "ChunkDLQ": 0, "ReviewDLQ": 0}


def test_bench_prints_its_figures_and_where_the_cpu_went() -> None:
    result = _run("bench", "--interactions", "80", "--chunk-size", "20", "--workers", "2", "--single-size")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "accounting: ok" in out and "handler containers: 2" in out
    assert "interactions/s" in out and "per 1,000 interactions" in out
    cpu = next(line for line in out.splitlines() if line.startswith("CPU during the run"))
    # the handlers and moto ran in processes of their own, and each spent some CPU
    assert "handler containers" in cpu and "moto" in cpu and "sandbox + poller" in cpu
    assert " 0.0s" not in cpu.split("sandbox")[0]
