"""An export whose ingest dies midway and runs again on a later UTC day keeps the day its file first
started: its chunks' decisions, open review items, rejected rows and runs row all land in that day's
partition, once each, whichever attempt wrote them."""

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
from cxrecon_local.poller import poll_once

from .conftest import RunView, assert_accounting_ok, local_pipeline, output_objects, upload_samples, view_of

DAY_ONE = datetime(2026, 11, 30, 23, 58, tzinfo=UTC)


class _IngestDiesAfterFirstChunk(SqsQueue):
    """Ingest's first attempt sends one chunk message, then dies."""

    def __init__(self, inner: SqsQueue, state: dict[str, int]) -> None:
        self.__dict__.update(inner.__dict__)
        self._state = state

    def send_many(self, bodies: Any) -> None:
        self._state["sends"] += 1
        if self._state["sends"] == 2:
            raise ConnectionError("the first ingest attempt dies here")
        super().send_many(bodies)


@pytest.fixture(scope="module")
def ingest_retry() -> Iterator[tuple[RunView, dict[str, str]]]:
    clock, state = {"now": DAY_ONE}, {"sends": 0}
    build, build_ingest = bootstrap.Container.reconcile_deps, bootstrap.Container.ingest_deps

    def reconcile_deps(self: bootstrap.Container) -> ReconcileDeps:
        return ReconcileDeps(**{**vars(build(self)), "now": lambda: clock["now"]})

    def ingest_deps(self: bootstrap.Container) -> IngestDeps:
        deps = build_ingest(self)
        queue = _IngestDiesAfterFirstChunk(deps.chunk_queue, state)  # type: ignore[arg-type]
        return IngestDeps(**{**vars(deps), "chunk_queue": queue, "now": lambda: clock["now"]})

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bootstrap.Container, "reconcile_deps", reconcile_deps)
        patch.setattr(bootstrap.Container, "ingest_deps", ingest_deps)
        with local_pipeline(chunk_size=5) as lp:
            sqs = lp.stack.client("sqs")
            ingest, reconcile = (
                next(b for b in lp.bindings() if b.function_name == name)
                for name in ("IngestFunction", "ReconcileFunction")
            )
            upload_samples(lp, ["data_download.csv"])
            while state["sends"] < 2:  # GIVEN the first attempt sent chunk 0 and died
                assert poll_once(sqs, ingest, lp.stack.region)
            while poll_once(sqs, reconcile, lp.stack.region):  # AND chunk 0 was decided on day one
                pass
            clock["now"] = DAY_ONE + timedelta(minutes=5)  # WHEN ingest runs again the next day
            lp.drain(timeout=120)
            yield view_of(lp), output_objects(lp)


def test_an_ingest_retried_on_a_later_day_keeps_the_files_first_day(
    ingest_retry: tuple[RunView, dict[str, str]],
) -> None:
    view, objects = ingest_retry
    (manifest,) = view.manifests
    assert_accounting_ok(manifest)
    assert manifest.chunks > 2 and manifest.rejected > 0
    assert {d["decided_at"].date().isoformat() for d in view.decisions} == {"2026-11-30", "2026-12-01"}
    per_interaction = Counter(d["interaction_id"] for d in view.decisions)
    assert set(per_interaction.values()) == {1}, per_interaction
    days = {key.split("/")[1] for key in objects if key.startswith(("decisions/", "review_items/", "runs/"))}
    assert days == {"dt=2026-11-30"}
