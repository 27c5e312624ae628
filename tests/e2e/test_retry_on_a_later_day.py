"""A chunk retried on a later UTC day overwrites its first attempt's rows: the day partition of a chunk's
decisions and open review items is the day its file was ingested, not the day an attempt ran."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from cxrecon import bootstrap
from cxrecon.adapters.sqs import SqsQueue
from cxrecon.pipeline.ingest import IngestDeps
from cxrecon.pipeline.reconcile import ReconcileDeps

from .conftest import RunView, assert_accounting_ok, local_pipeline, output_objects, upload_samples, view_of

DAY_ONE = datetime(2026, 11, 30, 23, 58, tzinfo=UTC)


class _ClockMovesOnFirstSend(SqsQueue):
    """The first attempt's review send fails (after its decision rows were written) just before
    midnight; the clock has moved on to the next day when the retry runs."""

    def __init__(self, inner: SqsQueue, clock: dict[str, datetime]) -> None:
        self.__dict__.update(inner.__dict__)
        self._clock = clock

    def send_many(self, bodies: Any) -> None:
        if self._clock["now"] == DAY_ONE:
            self._clock["now"] = DAY_ONE + timedelta(minutes=5)
            raise ConnectionError("the first attempt dies here")
        super().send_many(bodies)


@pytest.fixture(scope="module")
def run(monkeypatch_module: pytest.MonkeyPatch) -> Iterator[tuple[RunView, dict[str, str]]]:
    clock = {"now": DAY_ONE}
    build, build_ingest = bootstrap.Container.reconcile_deps, bootstrap.Container.ingest_deps

    def reconcile_deps(self: bootstrap.Container) -> ReconcileDeps:
        deps = build(self)
        queue = _ClockMovesOnFirstSend(deps.review_queue, clock)  # type: ignore[arg-type]
        return ReconcileDeps(**{**vars(deps), "review_queue": queue, "now": lambda: clock["now"]})

    def ingest_deps(self: bootstrap.Container) -> IngestDeps:
        return IngestDeps(**{**vars(build_ingest(self)), "now": lambda: clock["now"]})

    monkeypatch_module.setattr(bootstrap.Container, "reconcile_deps", reconcile_deps)
    monkeypatch_module.setattr(bootstrap.Container, "ingest_deps", ingest_deps)
    with local_pipeline() as lp:
        upload_samples(lp, ["completed_contacts.json"])
        lp.drain(timeout=120)
        yield view_of(lp), output_objects(lp)


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_the_retry_really_ran_on_the_next_day(run: tuple[RunView, dict[str, str]]) -> None:
    view, _ = run
    reconciled = [d for d in view.decisions if d["outcome"] != "rejected"]
    assert reconciled and {d["decided_at"].date().isoformat() for d in reconciled} == {"2026-12-01"}


def test_each_interaction_has_one_decision_row_in_one_partition(run: tuple[RunView, dict[str, str]]) -> None:
    view, objects = run
    per_interaction = Counter(d["interaction_id"] for d in view.decisions)
    assert set(per_interaction.values()) == {1}, per_interaction
    days = {key.split("/")[1] for key in objects if key.startswith(("decisions/", "review_items/"))}
    assert days == {"dt=2026-11-30"}


def test_the_file_still_balances(run: tuple[RunView, dict[str, str]]) -> None:
    view, _ = run
    (manifest,) = view.manifests
    assert_accounting_ok(manifest)
