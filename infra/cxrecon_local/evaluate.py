"""`cxrecon eval`: a labelled synthetic world through the real pipeline, scored against its truth.

Precision of auto-relations, automation rate, candidate recall@3 and the accounting (issue 4's
accuracy harness). Scoring is a pure function of the truth, the decision rows and the manifests, so it
can be tested and reused without a stack.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from cxrecon.pipeline.manifest import RunManifest
from cxrecon_local.local_pipeline import LocalPipeline
from cxrecon_local.synth import Truth, World, generate_world

AUTO = frozenset({"related", "related_to_org"})
RECALL_AT = 3
MAX_WRONG_LINES = 20


@dataclass(frozen=True)
class DecisionView:
    """The columns of one decision row the harness scores."""

    interaction_id: str
    outcome: str
    reason: str
    what_id: str | None
    who_ids: tuple[str, ...]
    candidates: tuple[str, ...]


@dataclass(frozen=True)
class Wrong:
    interaction_id: str
    scenario: str
    reason: str
    decided: str
    expected: str


@dataclass
class ScenarioRow:
    count: int = 0
    correct: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)


@dataclass
class EvalReport:
    interactions: int
    auto: int
    wrong: list[Wrong]
    unambiguous: int
    automated: int
    recall_pool: int
    recall_hits: int
    manifests_ok: bool
    rows_read: int
    decided: int
    rejected: int
    missing: list[str]
    unexpected: list[str]
    scenarios: dict[str, ScenarioRow]
    salesforce_calls: int = 0
    seconds: float = 0.0
    recall_misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return (self.auto - len(self.wrong)) / self.auto if self.auto else 1.0

    @property
    def automation(self) -> float:
        return self.automated / self.unambiguous if self.unambiguous else 1.0

    @property
    def recall(self) -> float:
        return self.recall_hits / self.recall_pool if self.recall_pool else 1.0

    @property
    def accounting_ok(self) -> bool:
        return (
            self.manifests_ok
            and self.rows_read == self.decided + self.rejected
            and not self.missing
            and not self.unexpected
        )

    @property
    def ok(self) -> bool:
        return not self.wrong and self.accounting_ok

    @property
    def calls_per_1000(self) -> float:
        return 1000 * self.salesforce_calls / self.interactions if self.interactions else 0.0


def read_decisions(paths: Iterable[Path]) -> dict[str, DecisionView]:
    """The latest decision per interaction (by `decided_at`; a later file wins a tie) from Parquet files."""
    latest: dict[str, tuple[Any, DecisionView]] = {}
    for path in sorted(paths):
        table = pq.read_table(
            path,
            columns=["interaction_id", "outcome", "reason", "what_id", "who_ids", "candidates", "decided_at"],
        )
        for row in table.to_pylist():
            view = DecisionView(
                interaction_id=row["interaction_id"],
                outcome=row["outcome"],
                reason=row["reason"],
                what_id=row["what_id"],
                who_ids=tuple(row["who_ids"] or ()),
                candidates=tuple(row["candidates"] or ()),
            )
            seen = latest.get(view.interaction_id)
            if seen is None or row["decided_at"] >= seen[0]:
                latest[view.interaction_id] = (row["decided_at"], view)
    return {key: view for key, (_, view) in latest.items()}


def _relation(what_id: str | None, who_ids: Iterable[str]) -> str:
    return f"what={what_id or '-'} who={','.join(sorted(who_ids)) or '-'}"


def _relation_matches(decision: DecisionView, truth: Truth) -> bool:
    return decision.what_id == truth.what_id and set(decision.who_ids) == set(truth.who_ids)


def _is_correct(decision: DecisionView, truth: Truth) -> bool:
    if decision.outcome != truth.expected_outcome:
        return False
    return decision.outcome not in AUTO or _relation_matches(decision, truth)


def score(
    truth: Mapping[str, Truth], decisions: Mapping[str, DecisionView], manifests: Iterable[RunManifest]
) -> EvalReport:
    """Score decisions against the truth. Pure: no stack, no I/O."""
    manifests = list(manifests)
    wrong: list[Wrong] = []
    scenarios: dict[str, ScenarioRow] = {}
    auto = unambiguous = automated = pool = hits = 0
    misses: list[str] = []
    for iid, label in truth.items():
        row = scenarios.setdefault(label.scenario, ScenarioRow())
        row.count += 1
        decision = decisions.get(iid)
        if decision is None:
            row.outcomes["(missing)"] += 1
            continue
        row.outcomes[decision.outcome] += 1
        row.correct += _is_correct(decision, label)
        if decision.outcome in AUTO:
            auto += 1
            if not _relation_matches(decision, label):
                wrong.append(
                    Wrong(
                        iid,
                        label.scenario,
                        decision.reason,
                        f"{decision.outcome} {_relation(decision.what_id, decision.who_ids)}",
                        f"{label.expected_outcome} {_relation(label.what_id, label.who_ids)}",
                    )
                )
        if label.kind == "unambiguous":
            unambiguous += 1
            automated += decision.outcome in AUTO or (
                decision.outcome == "already_related" and label.expected_outcome == "already_related"
            )
        if decision.outcome == "queued_for_review" and label.acceptable_candidates:
            pool += 1
            if set(decision.candidates[:RECALL_AT]) & set(label.acceptable_candidates):
                hits += 1
            else:
                misses.append(f"{iid} {label.scenario} {decision.reason}")
    return EvalReport(
        interactions=len(truth),
        auto=auto,
        wrong=wrong,
        unambiguous=unambiguous,
        automated=automated,
        recall_pool=pool,
        recall_hits=hits,
        manifests_ok=bool(manifests) and all(m.accounting_ok for m in manifests),
        rows_read=sum(m.rows_read for m in manifests),
        decided=sum(m.decided for m in manifests),
        rejected=sum(m.rejected for m in manifests),
        missing=sorted(set(truth) - set(decisions)),
        unexpected=sorted(set(decisions) - set(truth)),
        scenarios=scenarios,
        recall_misses=misses,
    )


def run_world(
    world: World,
    out: Path,
    *,
    chunk_size: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[dict[str, DecisionView], list[RunManifest], int, float]:
    """The world's directory and exports through the local stack; its decisions, manifests, Salesforce
    calls and seconds (upload to drain)."""
    with LocalPipeline.start(world.org, chunk_size=chunk_size) as local:
        started = time.perf_counter()
        local.upload_directory(world.directory_csv())
        for name, data in world.exports.items():
            local.upload_export(name, data)
        local.drain(progress=progress)
        seconds = time.perf_counter() - started
        out.mkdir(parents=True, exist_ok=True)
        local.download_outputs(out)
        manifests = local.manifests()
        calls = local.sandbox.api_calls
    decisions = read_decisions((out / "decisions").rglob("*.parquet"))
    return decisions, manifests, calls, seconds


def run_eval(
    interactions: int,
    seed: int,
    *,
    out: Path | None = None,
    chunk_size: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> EvalReport:
    """Generate a world of `interactions` from `seed`, run it, and score it. Outputs go to `out` (with
    the world's inputs and truth under `out/world/`), or to a temporary directory."""
    world = generate_world(interactions, seed)
    with tempfile.TemporaryDirectory(prefix="cxrecon-eval-") as tmp:
        target = out or Path(tmp)
        if out is not None:
            world.write(out / "world")
        decisions, manifests, calls, seconds = run_world(
            world, target, chunk_size=chunk_size, progress=progress
        )
    report = score(world.truth, decisions, manifests)
    report.salesforce_calls, report.seconds = calls, seconds
    return report


def _pct(value: float) -> str:
    return f"{100 * value:.2f}%"


def render_report(report: EvalReport) -> str:
    lines = [
        f"interactions: {report.interactions}   pipeline time: {report.seconds:.1f}s",
        f"precision of auto-relations: {_pct(report.precision)} "
        f"({report.auto - len(report.wrong)}/{report.auto} correct, {len(report.wrong)} wrong)",
    ]
    for w in report.wrong[:MAX_WRONG_LINES]:
        lines.append(f"  WRONG {w.interaction_id} [{w.scenario}] reason={w.reason}")
        lines.append(f"        decided {w.decided} | true {w.expected}")
    if len(report.wrong) > MAX_WRONG_LINES:
        lines.append(f"  ... and {len(report.wrong) - MAX_WRONG_LINES} more")
    lines.append(
        f"automation rate: {_pct(report.automation)} ({report.automated}/{report.unambiguous} unambiguous)"
    )
    lines.append(
        f"candidate recall@{RECALL_AT}: {_pct(report.recall)} "
        f"({report.recall_hits}/{report.recall_pool} queued with acceptable candidates)"
    )
    for miss in report.recall_misses[:5]:
        lines.append(f"  miss {miss}")
    lines.append(
        f"accounting: {'ok' if report.accounting_ok else 'FAILED'}   manifests ok: {report.manifests_ok}   "
        f"rows read {report.rows_read} = decided {report.decided} + rejected {report.rejected}"
        f"{'' if report.rows_read == report.decided + report.rejected else '  MISMATCH'}   "
        f"truth ids without a decision: {len(report.missing)}   decisions not in truth: "
        f"{len(report.unexpected)}"
    )
    lines.append(
        f"Salesforce API calls: {report.salesforce_calls} "
        f"({report.calls_per_1000:.1f} per 1,000 interactions)"
    )
    lines.append("")
    lines.append(f"{'scenario':<28} {'count':>6} {'correct':>8}  outcomes")
    for name, row in sorted(report.scenarios.items()):
        outcomes = ", ".join(f"{k} {v}" for k, v in row.outcomes.most_common())
        lines.append(f"{name:<28} {row.count:>6} {row.correct:>8}  {outcomes}")
    return "\n".join(lines)
