"""`cxrecon run`: exports in, outputs out, on the embedded local stack."""

from __future__ import annotations

import json
import shutil
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cxrecon.domain.decision import Outcome
from cxrecon.pipeline.manifest import RunManifest
from cxrecon_local.local_pipeline import DLQS, LocalPipeline, LocalRunError


@dataclass
class RunSummary:
    out: Path
    manifests: list[RunManifest]
    review_items: int
    dead_letters: dict[str, int]
    salesforce_calls: int
    seconds: float
    outcomes: Counter[str] = field(default_factory=Counter)

    @property
    def rows(self) -> int:
        return sum(m.rows_read for m in self.manifests)

    @property
    def accounting_ok(self) -> bool:
        return all(m.accounting_ok for m in self.manifests)


def _read_inputs(
    exports: Sequence[Path], directory: Path | None
) -> tuple[list[tuple[str, bytes]], bytes | None]:
    files = []
    for path in exports:
        if not path.is_file():
            raise LocalRunError(f"export not found: {path}")
        files.append((path.name, path.read_bytes()))
    names = [name for name, _ in files]
    if len(set(names)) != len(names):
        raise LocalRunError("two exports share a file name; rename one (they land under the same S3 key)")
    if directory is not None and not directory.is_file():
        raise LocalRunError(f"directory not found: {directory}")
    return files, directory.read_bytes() if directory else None


# The folders a run writes to its output directory (the outputs bucket's tables, and the review queue).
RUN_OUTPUTS = ("decisions", "manifests", "runs", "review_items", "review")


def _clear_previous_outputs(out: Path) -> None:
    """A run's outputs replace an earlier run's in the same directory: file ids differ from run to run,
    so another run's decision files would otherwise stay beside this one's and be counted twice by every
    report. Nothing else in the directory is touched."""
    for name in RUN_OUTPUTS:
        if (out / name).is_dir():
            shutil.rmtree(out / name)


def run_pipeline(
    exports: Sequence[Path],
    *,
    org: Path,
    out: Path,
    directory: Path | None = None,
    chunk_size: int | None = None,
    workers: int = 0,
    progress: Callable[[str], None] | None = None,
) -> RunSummary:
    files, directory_bytes = _read_inputs(exports, directory)
    started = time.perf_counter()
    with LocalPipeline.start(org, chunk_size=chunk_size, workers=workers) as local:
        if directory_bytes is not None:
            local.upload_directory(directory_bytes)
        for name, data in files:
            local.upload_export(name, data)
        local.drain(progress=progress)
        out.mkdir(parents=True, exist_ok=True)
        _clear_previous_outputs(out)
        local.download_outputs(out)
        reviews = local.queue_messages("ReviewQueue")
        dead = {name: len(local.queue_messages(name)) for name in DLQS}
        (out / "review").mkdir(exist_ok=True)
        (out / "review" / "items.jsonl").write_text(
            "".join(json.dumps(r) + "\n" for r in reviews), encoding="utf-8"
        )
        (out / "org.json").write_text(
            json.dumps(local.sandbox.dump(), indent=1, default=str), encoding="utf-8"
        )
        manifests = local.manifests()
        summary = RunSummary(
            out=out,
            manifests=manifests,
            review_items=len(reviews),
            dead_letters=dead,
            salesforce_calls=local.sandbox.api_calls,
            seconds=time.perf_counter() - started,
        )
    for manifest in manifests:
        summary.outcomes.update(manifest.outcomes)
    (out / "summary.json").write_text(json.dumps(summary_json(summary), indent=2), encoding="utf-8")
    return summary


def summary_json(summary: RunSummary) -> dict[str, object]:
    return {
        "rows": summary.rows,
        "outcomes": {o.value: summary.outcomes.get(o.value, 0) for o in Outcome},
        "review_items": summary.review_items,
        "dead_letters": summary.dead_letters,
        "salesforce_calls": summary.salesforce_calls,
        "seconds": round(summary.seconds, 2),
        "accounting_ok": summary.accounting_ok,
        "files": [m.model_dump() for m in summary.manifests],
    }


def render_summary(summary: RunSummary) -> str:
    lines = [f"{'file':<32} {'rows':>6} " + " ".join(f"{o.value[:14]:>14}" for o in Outcome) + "  status"]
    for m in summary.manifests:
        counts = " ".join(f"{m.outcomes.get(o.value, 0):>14}" for o in Outcome)
        status = m.status if m.accounting_ok or m.status != "complete" else "ACCOUNTING MISMATCH"
        lines.append(
            f"{m.source_file[:32]:<32} {m.rows_read:>6} {counts}  {status}"
            + (f" ({m.error})" if m.error else "")
        )
    total = " ".join(f"{summary.outcomes.get(o.value, 0):>14}" for o in Outcome)
    lines.append(f"{'total':<32} {summary.rows:>6} {total}")
    lines.append("")
    lines.append(
        f"review queue: {summary.review_items} item(s)   dead letters: "
        + ", ".join(f"{k} {v}" for k, v in summary.dead_letters.items())
    )
    per_k = 1000 * summary.salesforce_calls / summary.rows if summary.rows else 0.0
    lines.append(
        f"Salesforce API calls: {summary.salesforce_calls} ({per_k:.1f} per 1,000 rows)   "
        f"time: {summary.seconds:.1f}s   accounting: {'ok' if summary.accounting_ok else 'MISMATCH'}"
    )
    lines.append(
        f"outputs: {summary.out}/ (decisions/, manifests/, review/items.jsonl, org.json, summary.json)"
    )
    return "\n".join(lines)
