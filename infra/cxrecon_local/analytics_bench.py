"""`cxrecon query-bench`: generate a large outputs directory and time every report through `cxrecon query`.

The data is vectorised pyarrow (no Python loop per row) with realistic cardinalities: five channels,
a dozen teams, 200 agents, 5,000 accounts, ~12% of interactions queued for review and most of those
resolved by 15 reviewers the next day, four export files a day cut into 1,000-row chunk files.
"""

from __future__ import annotations

import contextlib
import io
import re
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from cxrecon.adapters.parquet import DECISION_SCHEMA, REVIEW_ITEM_SCHEMA, RUN_SCHEMA
from cxrecon.analytics.catalogue import DateWindow, find_report, reports
from cxrecon.analytics.duck import DuckDbRunner
from cxrecon.analytics.tables import LocalOutputs
from cxrecon.cli import main as cxrecon_main

CHANNELS = (("call", 0.5), ("email", 0.3), ("chat", 0.12), ("sms", 0.05), ("voicemail", 0.03))
OUTCOMES = (
    ("related", 0.6),
    ("related_to_org", 0.08),
    ("already_related", 0.07),
    ("queued_for_review", 0.12),
    ("rejected", 0.03),
    ("skipped", 0.10),
)
REASONS = {
    "related": ("phone_unique", "email_unique", "case_number", "signals_agree"),
    "related_to_org": ("directory_org", "email_domain_org", "directory_homeowner_job", "directory_org"),
    "already_related": ("phone_unique", "email_unique", "case_number", "phone_unique"),
    "queued_for_review": ("multiple_accounts", "no_match", "chat_name_only", "conflicting_signals"),
    "rejected": ("missing_id", "malformed_date", "unknown_channel", "missing_id"),
    "skipped": ("abandoned", "never_reached_agent", "abandoned", "abandoned"),
}
TEAMS = tuple(f"Team {i:02d}" for i in range(12))
AGENTS, ACCOUNTS, REVIEWERS, EXPORTS_PER_DAY, CHUNK = 200, 5000, 15, 4, 1000
_DAY_MS = 86_400_000


@dataclass
class _Random:
    seed: int

    def uniform(self, n: int) -> pa.Array:
        self.seed += 1
        return pc.random(n, initializer=self.seed)

    def integers(self, n: int, k: int) -> pa.Array:
        return pc.cast(pc.floor(pc.multiply(self.uniform(n), k)), pa.int64())

    def pick(self, n: int, weighted: tuple[tuple[str, float], ...]) -> tuple[pa.Array, pa.Array]:
        """Values by weight, and their indexes."""
        u = self.uniform(n)
        index = pc.cast(pa.scalar(0), pa.int64())
        total = 0.0
        index_array: Any = pc.multiply(u, 0)
        for _, weight in weighted[:-1]:
            total += weight
            index_array = pc.add(index_array, pc.cast(pc.greater_equal(u, total), pa.float64()))
        index = pc.cast(index_array, pa.int64())
        return pc.take(pa.array([v for v, _ in weighted]), index), index


def _prefixed(prefix: str, numbers: pa.Array, width: int) -> pa.Array:
    return pc.binary_join_element_wise(
        pa.scalar(prefix), pc.utf8_lpad(pc.cast(numbers, pa.string()), width, "0"), ""
    )


def _write(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd")


def _day_table(rng: _Random, day: date, first_id: int, n: int, file_ids: pa.Array) -> pa.Table:
    channel, _ = rng.pick(n, CHANNELS)
    outcome, outcome_index = rng.pick(n, OUTCOMES)
    flat_reasons = pa.array([r for o, _ in OUTCOMES for r in REASONS[o]])
    reason = pc.take(flat_reasons, pc.add(pc.multiply(outcome_index, 4), rng.integers(n, 4)))
    agent = rng.integers(n, AGENTS)
    automated = pc.less_equal(outcome_index, 2)
    unrelated = pc.greater_equal(outcome_index, 3)
    no_agent = pc.or_(pc.equal(outcome, "rejected"), pc.equal(outcome, "skipped"))
    null_str = pa.nulls(n, pa.string())
    accounts = _prefixed("001Bench", rng.integers(n, ACCOUNTS), 10)
    contacts = _prefixed("003Bench", rng.integers(n, ACCOUNTS * 3), 10)
    base_ms = int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 1000)
    decided = pc.cast(pc.add(rng.integers(n, _DAY_MS), base_ms), pa.timestamp("ms", tz="UTC"))
    ids = pa.array(range(first_id, first_id + n), pa.int64())
    offsets = pa.array(range(n + 1), pa.int32())
    who = pa.ListArray.from_arrays(offsets, contacts, mask=pc.invert(automated))
    empty_lists = pa.ListArray.from_arrays(pa.array([0] * (n + 1), pa.int32()), pa.array([], pa.string()))
    agent_ids = pc.if_else(no_agent, null_str, _prefixed("A", agent, 4))
    columns: dict[str, Any] = {
        "interaction_id": _prefixed("7", ids, 11),
        "master_interaction_id": null_str,
        "channel": channel,
        "direction": pa.array(["inbound"] * n),
        "started_at": decided,
        "agent_id": agent_ids,
        "agent_name": pc.if_else(no_agent, null_str, _prefixed("Agent ", agent, 3)),
        "skill": pc.if_else(
            pc.equal(outcome, "rejected"), null_str, pc.take(pa.array(TEAMS), pc.remainder(agent, len(TEAMS)))
        ),
        "source_file": pc.binary_join_element_wise(file_ids, pa.scalar(".json"), ""),
        "source_line": pc.add(pc.remainder(ids, 5000), 1),
        "file_id": file_ids,
        "outcome": outcome,
        "reason": reason,
        "task_id": pc.if_else(unrelated, null_str, _prefixed("00TBench", ids, 10)),
        "who_ids": who,
        "what_id": pc.if_else(automated, accounts, null_str),
        "candidates": empty_lists,
        "evidence": pa.array(["[]"] * n),
        "error": null_str,
        "decided_at": decided,
        "decided_by": pa.array(["pipeline"] * n),
        "previous_what_id": null_str,
        "previous_who_ids": pa.nulls(n, pa.list_(pa.string())),
    }
    return pa.table(columns, schema=DECISION_SCHEMA)


def _reviews(rng: _Random, pipeline: pa.Table, next_day: date) -> tuple[pa.Table, pa.Table]:
    """Reviewer decisions and review item changes for one day's queued interactions."""
    queued = pipeline.filter(pc.equal(pipeline["outcome"], "queued_for_review"))
    n = queued.num_rows
    resolved_mask = pc.less(rng.uniform(n), 0.7)
    resolved = queued.filter(resolved_mask)
    m = resolved.num_rows
    base_ms = int(datetime(next_day.year, next_day.month, next_day.day, tzinfo=UTC).timestamp() * 1000)
    at = pc.cast(pc.add(rng.integers(m, _DAY_MS), base_ms), pa.timestamp("ms", tz="UTC"))
    reviewer = _prefixed("reviewer", rng.integers(m, REVIEWERS), 2)
    decisions = (
        resolved.set_column(resolved.schema.get_field_index("outcome"), "outcome", pa.array(["related"] * m))
        .set_column(
            resolved.schema.get_field_index("what_id"),
            "what_id",
            _prefixed("001Bench", rng.integers(m, ACCOUNTS), 10),
        )
        .set_column(resolved.schema.get_field_index("decided_at"), "decided_at", at)
        .set_column(resolved.schema.get_field_index("decided_by"), "decided_by", reviewer)
    )
    opened = pa.table(
        {
            "interaction_id": queued["interaction_id"],
            "status": pa.array(["open"] * n),
            "reason": queued["reason"],
            "queued_at": queued["decided_at"],
            "changed_at": queued["decided_at"],
            "changed_by": pa.array(["pipeline"] * n),
            "file_id": queued["file_id"],
        },
        schema=REVIEW_ITEM_SCHEMA,
    )
    closed = pa.table(
        {
            "interaction_id": resolved["interaction_id"],
            "status": pa.array(["resolved"] * m),
            "reason": resolved["reason"],
            "queued_at": resolved["decided_at"],
            "changed_at": at,
            "changed_by": reviewer,
            "file_id": resolved["file_id"],
        },
        schema=REVIEW_ITEM_SCHEMA,
    )
    return decisions, pa.concat_tables([opened, closed])


def generate(root: Path, *, rows: int, days: int, end: date, seed: int = 7) -> int:
    """Write about `rows` decision rows (pipeline + reviewer) over `days` days up to `end`; their count."""
    rng = _Random(seed)
    per_day = round(rows / 1.084 / days)  # ~8.4% more rows come from reviewers
    written, first_id = 0, 10_000_000
    pending: list[tuple[date, pa.Table, pa.Table]] = []
    for offset in range(days):
        day = end - timedelta(days=days - 1 - offset)
        dt = day.isoformat()
        n = per_day
        export = pc.cast(
            pc.floor(pc.multiply(pa.array(range(n), pa.float64()), EXPORTS_PER_DAY / n)), pa.int64()
        )
        file_ids = _prefixed(f"bench{day:%Y%m%d}x", export, 1)
        table = _day_table(rng, day, first_id, n, file_ids)
        first_id += n
        for start in range(0, n, CHUNK):
            _write(
                root / "decisions" / f"dt={dt}" / f"bench-{start // CHUNK:05d}.parquet",
                table.slice(start, CHUNK),
            )
        written += n
        runs = []
        for e in range(EXPORTS_PER_DAY):
            part = table.filter(pc.equal(export, e))
            tally = pc.value_counts(part["outcome"])
            counts = dict(
                zip(tally.field("values").to_pylist(), tally.field("counts").to_pylist(), strict=True)
            )
            started = datetime(day.year, day.month, day.day, 5, 0, tzinfo=UTC) + timedelta(minutes=30 * e)
            runs.append(
                {
                    "file_id": f"bench{day:%Y%m%d}x{e}",
                    "bucket": "exports",
                    "key": f"exports/bench{day:%Y%m%d}x{e}.json",
                    "source_file": f"bench{day:%Y%m%d}x{e}.json",
                    "status": "complete",
                    "rows_read": part.num_rows,
                    "decided": part.num_rows - counts.get("rejected", 0),
                    "rejected": counts.get("rejected", 0),
                    **{f"n_{o}": counts.get(o, 0) for o, _ in OUTCOMES},
                    "chunks": -(-part.num_rows // CHUNK),
                    "salesforce_calls": part.num_rows // 2 + 7,
                    "started_at": started,
                    "finished_at": started + timedelta(seconds=40 + part.num_rows // 50),
                    "error": None,
                    "accounting_ok": True,
                }
            )
        _write(root / "runs" / f"dt={dt}" / "runs.parquet", pa.Table.from_pylist(runs, schema=RUN_SCHEMA))
        if offset < days - 1:
            reviewed, items = _reviews(rng, table, day + timedelta(days=1))
            pending.append((day + timedelta(days=1), reviewed, items))
            _write(
                root / "review_items" / f"dt={dt}" / "opened.parquet",
                items.filter(pc.equal(items["status"], "open")),
            )
    for day, reviewed, items in pending:
        _write(root / "decisions" / f"dt={day.isoformat()}" / "reviews.parquet", reviewed)
        _write(
            root / "review_items" / f"dt={day.isoformat()}" / "resolved.parquet",
            items.filter(pc.equal(items["status"], "resolved")),
        )
        written += reviewed.num_rows
    return written


@dataclass
class BenchResult:
    data: Path
    rows: int
    days: int
    generate_seconds: float
    sizes: dict[str, tuple[int, int]]
    timings: dict[str, list[float]] = field(default_factory=dict)
    day_timings: dict[str, float] = field(default_factory=dict)
    one_day_profile: dict[str, str] = field(default_factory=dict)


def _time_query(data: Path, report: str, window: DateWindow) -> float:
    """Exactly `cxrecon query REPORT --data DIR --from --to` (new connection, views, run, render)."""
    argv = [
        "query",
        report,
        "--data",
        str(data),
        "--from",
        window.date_from.isoformat(),
        "--to",
        window.date_to.isoformat(),
    ]
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        code = cxrecon_main(argv)
    elapsed = time.perf_counter() - started
    if code != 0:
        raise RuntimeError(f"cxrecon query {report} failed")
    return elapsed


def run_bench(
    *, rows: int = 1_000_000, days: int = 90, data: Path | None = None, repeats: int = 3
) -> BenchResult:
    end = datetime.now(UTC).date()
    root = data or Path(tempfile.mkdtemp(prefix="cxrecon-bench-"))
    started = time.perf_counter()
    written = generate(root, rows=rows, days=days, end=end)
    result = BenchResult(root, written, days, time.perf_counter() - started, {})
    for table in ("decisions", "runs", "review_items"):
        files = list((root / table).glob("dt=*/*.parquet"))
        result.sizes[table] = (len(files), sum(f.stat().st_size for f in files))
    window = DateWindow.ending(end, days)
    one_day = DateWindow(end - timedelta(days=1), end - timedelta(days=1))
    for report in reports():
        result.timings[report.name] = [_time_query(root, report.name, window) for _ in range(repeats)]
        result.day_timings[report.name] = _time_query(root, report.name, one_day)
    with DuckDbRunner(LocalOutputs(root)) as runner:
        profile = runner.explain_analyze(find_report("data_quality"), one_day)
    day_dir = root / "decisions" / f"dt={one_day.date_to.isoformat()}"
    day_files = list(day_dir.glob("*.parquet"))
    result.one_day_profile = {
        "files_read": _grab(profile, r"Total Files Read: (\d+)"),
        "scanning": _grab(profile, r"Scanning Files: (\d+/\d+)"),
        "data_read": _grab(profile, r"Data Read: ([^│\n]+)"),
        "day_files": str(len(day_files)),
        "day_bytes": f"{sum(f.stat().st_size for f in day_files) / 1e6:.2f} MB",
    }
    return result


def _grab(text: str, pattern: str) -> str:
    match = re.search(pattern, text)
    return match.group(1).strip() if match else "?"


def render_bench(result: BenchResult) -> str:
    repeats = len(next(iter(result.timings.values()), []))
    lines = [
        f"cxrecon query-bench: {result.rows:,} decision rows over {result.days} days in {result.data} "
        f"(generated in {result.generate_seconds:.1f}s)",
        "",
        "table          files    Parquet size",
    ]
    for table, (files, size) in result.sizes.items():
        lines.append(f"{table:<14} {files:>5}  {size / 1e6:>10.1f} MB")
    lines += [
        "",
        f"report                   {result.days}-day window (median of {repeats})   one day",
    ]
    for name, times in result.timings.items():
        verdict = "ok" if statistics.median(times) < 2 else "SLOW"
        lines.append(
            f"{name:<24} {statistics.median(times):>8.3f} s  {verdict:<4}"
            f"            {result.day_timings[name]:.3f} s"
        )
    p = result.one_day_profile
    lines += [
        "",
        f"one-day data_quality: DuckDB read {p['files_read']} decision files (scanning {p['scanning']}), "
        f"{p['data_read']}; that day has {p['day_files']} files, {p['day_bytes']} "
        "(the decisions table only: runs and review_items are not in this report).",
    ]
    return "\n".join(lines)
