"""A reconcile step that fails for one conversation rejects that conversation, never its chunk: the
neighbours are decided as in a clean run, nothing is dead-lettered, and the file balances.

No real input is known to make a step fail any more (that is the point of the checks), so a defect is
planted: the decision core fails for one transferred call (both legs), the Task content for one other
call, as a bug tied to one row's data would. Everything else is the real pipeline on the local stack."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from cxrecon.domain.decision import Decision
from cxrecon.domain.interaction import Interaction
from cxrecon.domain.writes import TaskWrite
from cxrecon.pipeline import chunk_decisions, reconcile

from .conftest import SAMPLES, RunView, assert_accounting_ok, local_pipeline, view_of

EXPORT = "completed_contacts.json"
TRANSFERRED = ("600000000020", "600000000025")  # two legs of one call: the decision fails for them
UNWRITABLE = "600000000007"  # its Task content fails
PLANTED = {*TRANSFERRED, UNWRITABLE}


@pytest.fixture(scope="module")
def runs() -> Iterator[tuple[RunView, RunView]]:
    with local_pipeline() as clean:
        clean.upload_export(EXPORT, (SAMPLES / "exports" / EXPORT).read_bytes())
        clean.drain(timeout=120)
        clean_view = view_of(clean)
    decide_chunk, task_write = chunk_decisions.decide_chunk, reconcile.task_write

    def failing_decide(interactions: Sequence[Interaction], *args: Any, **kwargs: Any) -> list[Decision]:
        if any(ix.interaction_id == TRANSFERRED[1] for ix in interactions):
            raise KeyError("planted")
        return decide_chunk(interactions, *args, **kwargs)

    def failing_write(ix: Interaction, decision: Decision, owner_id: str | None) -> TaskWrite:
        if ix.interaction_id == UNWRITABLE:
            raise ValueError("planted")
        return task_write(ix, decision, owner_id)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(chunk_decisions, "decide_chunk", failing_decide)
        patch.setattr(reconcile, "task_write", failing_write)
        with local_pipeline() as lp:
            lp.upload_export(EXPORT, (SAMPLES / "exports" / EXPORT).read_bytes())
            lp.drain(timeout=120)
            yield view_of(lp), clean_view


def test_the_chunk_completes_and_nothing_is_dead_lettered(runs: tuple[RunView, RunView]) -> None:
    view, _ = runs
    assert view.chunk_dlq == [] and view.ingest_dlq == []
    (manifest,) = view.manifests
    assert_accounting_ok(manifest)
    assert manifest.status == "complete" and manifest.processing_failures == 3


def test_the_failed_interactions_are_rejected_with_the_step_that_failed(
    runs: tuple[RunView, RunView],
) -> None:
    view, _ = runs
    latest = view.latest_decisions
    assert {i: (latest[i]["outcome"], latest[i]["reason"]) for i in PLANTED} == {
        i: ("rejected", "processing_failed") for i in PLANTED
    }
    for leg in TRANSFERRED:
        assert latest[leg]["error"].startswith("decision: KeyError at ")
    assert latest[UNWRITABLE]["error"].startswith("task content: ValueError at ")
    assert "planted" not in " ".join(latest[i]["error"] for i in PLANTED)  # messages may hold PII
    assert not PLANTED & {str(t.get("CXone_Contact_Id__c")) for t in view.tasks}


def test_the_neighbours_are_decided_as_in_a_clean_run(runs: tuple[RunView, RunView]) -> None:
    view, clean = runs

    def others(v: RunView) -> dict[str, tuple[str, str, str | None]]:
        return {
            i: (d["outcome"], d["reason"], d["what_id"])
            for i, d in v.latest_decisions.items()
            if i not in PLANTED
        }

    assert others(view) == others(clean) and len(others(view)) == 13
    assert {r["item_id"] for r in view.reviews} == {r["item_id"] for r in clean.reviews} - PLANTED
