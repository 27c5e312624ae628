"""Salesforce misbehaving mid-run: transient faults are retried and nothing is lost; an expired session
is refreshed once through the JWT bearer flow; an org without the External ID field fails the file once."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pytest

from cxrecon_local.local_pipeline import LocalPipeline
from cxrecon_local.synth.world import World

from .conftest import (
    SAMPLES,
    assert_accounting_ok,
    assert_decisions_match_truth,
    assert_one_task_per_handled_interaction,
    local_pipeline,
    truth_for,
    upload_samples,
    view_of,
)

EXPORT = "completed_contacts.json"


@pytest.mark.parametrize(
    ("count", "kind"),
    [(2, "503"), (1, "UNABLE_TO_LOCK_ROW"), (2, "REQUEST_LIMIT_EXCEEDED")],
    ids=["two_503s", "a_row_lock", "request_limit_exceeded"],
)
def test_transient_salesforce_faults_are_retried_and_nothing_is_lost(
    samples_world: World, count: int, kind: str
) -> None:
    with local_pipeline() as lp:
        # GIVEN Salesforce will fail the next requests of the run
        upload_samples(lp, [EXPORT])
        lp.sandbox.faults.fail_next(count, kind)
        # WHEN the pipeline runs
        lp.drain(timeout=120)
        view = view_of(lp)
    # THEN the faults were hit, retried, and every interaction still ends as the truth says
    assert lp.sandbox.faults.draw() is None, "the injected faults were never reached"
    truth = truth_for(samples_world, EXPORT)
    assert_decisions_match_truth(view, truth)
    assert_one_task_per_handled_interaction(view, truth)
    assert all(n == 1 for n in view.reviews_by_item().values())
    assert_accounting_ok(view.manifest_for(EXPORT))
    assert view.ingest_dlq == [] and view.chunk_dlq == []


def test_an_expired_session_is_refreshed_once_and_the_run_completes(samples_world: World) -> None:
    with local_pipeline() as lp:
        # GIVEN a warm pipeline holding an access token from an earlier file
        upload_samples(lp, ["data_download.csv"])
        lp.drain(timeout=120)
        # WHEN every session expires before the next file
        lp.sandbox.expire_sessions()
        lp.upload_export(EXPORT, (SAMPLES / "exports" / EXPORT).read_bytes())
        lp.drain(timeout=120)
        view = view_of(lp)
        # THEN exactly one new token was granted (the sandbox has no public counter of grants: its
        # Sessions registry, emptied by expire_sessions, now holds just the refreshed token)
        assert len(lp.sandbox.sessions._valid) == 1
    truth = truth_for(samples_world, EXPORT)
    assert_decisions_match_truth(view, truth)
    assert_one_task_per_handled_interaction(view, truth)
    for manifest in view.manifests:
        assert_accounting_ok(manifest)
    assert view.chunk_dlq == []


def test_an_org_without_the_external_id_field_fails_the_file_once_with_a_clear_message() -> None:
    if "omit_fields" not in inspect.signature(LocalPipeline.start).parameters:
        pytest.skip(
            "LocalPipeline.start(org, ...) has no omit_fields parameter to pass to Sandbox.start "
            "(needed: omit_fields={'Task': ['CXone_Contact_Id__c']})"
        )
    with local_pipeline(omit_fields={"Task": ["CXone_Contact_Id__c"]}) as lp:
        upload_samples(lp, [EXPORT])
        lp.drain(timeout=120)
        view = view_of(lp)
    manifest = view.manifest_for(EXPORT)
    assert manifest.status == "failed"
    assert manifest.error and "\n" not in manifest.error and "CXone_Contact_Id__c" in manifest.error
    assert len(view.chunk_dlq) == 1 and view.chunk_dlq[0]["file_id"] == manifest.file_id
    # nothing was written: the only Tasks are the ones the org was seeded with
    seeded = {t["Id"] for t in json.loads((SAMPLES / "org.json").read_text())["Task"]}
    assert {t["Id"] for t in view.tasks} == seeded


def test_a_second_pipeline_in_the_same_process_reaches_its_own_sandbox(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each container owns its token cache: a token for one sandbox is never sent to another."""
    monkeypatch.setenv("CXRECON_SALESFORCE_MAX_RETRIES", "1")  # fail fast rather than retry a bug
    org = SAMPLES / "org.json"
    export = (SAMPLES / "exports" / "data_download.csv").read_bytes()
    for _ in range(2):
        with LocalPipeline.start(Path(org)) as lp:
            lp.upload_export("data_download.csv", export)
            lp.drain(timeout=120)
            (manifest,) = lp.manifests()
            assert manifest.status == "complete", manifest
