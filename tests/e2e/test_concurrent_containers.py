"""Reconcile containers running at once, as Lambda runs them under the chunk queue's MaximumConcurrency:
each worker is its own process with its own module state, polling the same moto queues. Small chunks
put several in flight together; the outcome must be exactly the one-container outcome."""

from __future__ import annotations

from cxrecon_local.synth.world import World

from .conftest import (
    assert_accounting_ok,
    assert_decisions_match_truth,
    assert_one_task_per_handled_interaction,
    local_pipeline,
    upload_samples,
    view_of,
)


def test_concurrent_containers_decide_every_sample_exactly_as_one_would(samples_world: World) -> None:
    with local_pipeline(chunk_size=4, workers=2) as lp:
        assert lp.workers is not None and not lp.workers.dead()
        upload_samples(lp)
        lp.drain(timeout=180)
        run = view_of(lp)
        handled = lp.workers.handled.value
    assert handled > len(run.manifests) * 2  # many chunk messages went through the workers
    assert_decisions_match_truth(run, samples_world.truth)
    assert_one_task_per_handled_interaction(run, samples_world.truth)
    for manifest in run.manifests:
        assert_accounting_ok(manifest)
    assert not run.ingest_dlq and not run.chunk_dlq
    assert sum(run.reviews_by_item().values()) == len(run.reviews_by_item())  # each item queued once
