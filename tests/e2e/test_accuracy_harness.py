"""The accuracy harness (issue 4) on a small labelled world: no wrong auto-relation, accounting holds.

The world is deterministic (fixed seed), so the floors below are the measured figures minus a margin.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cxrecon_local.evaluate import EvalReport, render_report, run_world, score
from cxrecon_local.synth import generate_world

WORLD_SIZE = 300
SEED = 7


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EvalReport]:
    world = generate_world(WORLD_SIZE, SEED)
    out: Path = tmp_path_factory.mktemp("accuracy")
    decisions, manifests, calls, seconds = run_world(world, out)
    result = score(world.truth, decisions, manifests)
    result.salesforce_calls, result.seconds = calls, seconds
    print(render_report(result))
    yield result


def test_no_interaction_is_auto_related_wrongly(report: EvalReport) -> None:
    assert report.auto > 0
    assert report.wrong == [], render_report(report)


def test_every_row_is_accounted_for_and_every_interaction_decided(report: EvalReport) -> None:
    assert report.manifests_ok
    assert report.rows_read == WORLD_SIZE == report.decided + report.rejected
    assert report.missing == [] and report.unexpected == []
    assert report.accounting_ok


def test_most_unambiguous_interactions_are_automated(report: EvalReport) -> None:
    assert report.automation >= 0.95


def test_queued_interactions_offer_the_right_record_among_the_first_three(report: EvalReport) -> None:
    assert report.recall_pool > 20
    assert report.recall >= 0.9


def test_each_scenario_is_decided_as_labelled(report: EvalReport) -> None:
    wrong = {name: row for name, row in report.scenarios.items() if row.correct < row.count}
    assert wrong == {}, render_report(report)
