"""The samples end to end: S3 upload → notification → ingest queue → Ingest λ → chunk queue → Reconcile λ
→ Tasks in the sandbox, review messages, Parquet decisions and manifests, checked against the truth."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from cxrecon_local.synth.truth import Truth
from cxrecon_local.synth.world import World

from .conftest import (
    HANDLED,
    SAMPLE_EXPORTS,
    SAMPLES,
    RunView,
    assert_accounting_ok,
    assert_decisions_match_truth,
    assert_one_task_per_handled_interaction,
    local_pipeline,
    upload_samples,
    view_of,
)

SUBTYPE_BY_CHANNEL = {"call": "Call", "voicemail": "Call", "email": "Email", "chat": "Task", "sms": "Task"}
AUTO = ("related", "related_to_org")


@pytest.fixture(scope="module")
def run() -> Iterator[RunView]:
    with local_pipeline() as lp:
        upload_samples(lp)
        lp.drain(timeout=120)
        yield view_of(lp)


@pytest.fixture(scope="module")
def original_tasks() -> dict[str, dict[str, object]]:
    org = json.loads((SAMPLES / "org.json").read_text(encoding="utf-8"))
    return {str(t["CXone_Contact_Id__c"]): t for t in org.get("Task", [])}


def test_the_sample_files_are_exactly_what_the_truth_describes(samples_world: World) -> None:
    assert {
        name: (SAMPLES / "exports" / name).read_bytes() for name in SAMPLE_EXPORTS
    } == samples_world.exports
    assert (SAMPLES / "org.json").read_bytes() == samples_world.org_json()
    assert (SAMPLES / "directory.csv").read_bytes() == samples_world.directory_csv()


def test_every_sample_interaction_is_decided_as_the_truth_says(run: RunView, samples_world: World) -> None:
    assert_decisions_match_truth(run, samples_world.truth)


def test_every_row_read_has_a_decision_row_with_its_source_line(run: RunView) -> None:
    for manifest in run.manifests:
        rows = [r for r in run.latest_decisions.values() if r["source_file"] == manifest.source_file]
        assert len(rows) == manifest.rows_read
        assert all(r["source_line"] >= 1 and r["file_id"] == manifest.file_id for r in rows)
        assert len({r["source_line"] for r in rows}) == len(rows)
        assert all(r["decided_by"] == "pipeline" and r["reason"] for r in rows)


def test_rejected_sample_rows_carry_their_reason_line_and_a_fix(run: RunView, samples_world: World) -> None:
    rejected = [r for r in run.latest_decisions.values() if r["outcome"] == "rejected"]
    assert sorted(r["reason"] for r in rejected) == sorted(
        t.note for t in samples_world.truth.values() if t.expected_outcome == "rejected"
    )
    for row in rejected:
        assert row["error"], row
        assert row["source_line"] >= 2 if row["source_file"].endswith(".csv") else row["source_line"] >= 1
    (csv_missing,) = [
        r for r in rejected if r["source_file"] == "data_download.csv" and r["reason"] == "missing_id"
    ]
    assert csv_missing["source_line"] == 15  # samples/README.md: data_download.csv line 15


@pytest.mark.parametrize("source_file", SAMPLE_EXPORTS)
def test_each_file_manifest_accounts_for_every_row(
    run: RunView, samples_world: World, source_file: str
) -> None:
    manifest = run.manifest_for(source_file)
    assert_accounting_ok(manifest)
    truth = [t for t in samples_world.truth.values() if t.source_file == source_file]
    assert manifest.rows_read == len(truth)
    expected = {o: sum(1 for t in truth if t.expected_outcome == o) for o in manifest.outcomes}
    assert manifest.outcomes == expected
    assert manifest.salesforce_calls > 0


def test_exactly_one_task_per_handled_interaction_and_none_for_skipped_or_rejected(
    run: RunView, samples_world: World
) -> None:
    assert_one_task_per_handled_interaction(run, samples_world.truth)
    assert len(run.tasks) == sum(1 for t in samples_world.truth.values() if t.expected_outcome in HANDLED)


def test_auto_related_tasks_carry_who_what_owner_status_and_subtype(
    run: RunView, samples_world: World
) -> None:
    tasks = run.tasks_by_cxone_id
    decisions = run.latest_decisions
    for interaction_id, truth in samples_world.truth.items():
        if truth.expected_outcome not in AUTO:
            continue
        (task,) = tasks[interaction_id]
        assert task["WhatId"] == truth.what_id, interaction_id
        assert task["Status"] == "Completed" and task["IsClosed"], interaction_id
        if len(truth.who_ids) > 1:
            assert task["WhoId"] == truth.who_ids[0], interaction_id
            assert run.who_relations(str(task["Id"])) == set(truth.who_ids), interaction_id
        else:
            assert task.get("WhoId") == (truth.who_ids[0] if truth.who_ids else None), interaction_id
        assert task["OwnerId"] == truth.owner_id, interaction_id
        if truth.scenario != "existing_task_unrelated":  # an existing Task keeps its owner and subtype
            assert task["OwnerId"] == run.owner_for_agent(decisions[interaction_id]["agent_id"]), (
                interaction_id
            )
            assert task["TaskSubtype"] == SUBTYPE_BY_CHANNEL[truth.channel], interaction_id
        assert task["CXone_Contact_Id__c"] == interaction_id


def test_an_agent_without_a_user_leaves_the_task_to_the_integration_user(
    run: RunView, samples_world: World
) -> None:
    orphans = [t for t in samples_world.truth.values() if "14" in t.rule.split(", ")]
    assert orphans
    for truth in orphans:
        (task,) = run.tasks_by_cxone_id[truth.interaction_id]
        assert task["OwnerId"] == run.integration_user_id


def test_already_related_tasks_are_left_untouched(
    run: RunView, samples_world: World, original_tasks: dict[str, dict[str, object]]
) -> None:
    already = [t for t in samples_world.truth.values() if t.expected_outcome == "already_related"]
    assert already
    for truth in already:
        (task,) = run.tasks_by_cxone_id[truth.interaction_id]
        before = original_tasks[truth.interaction_id]
        assert {k: task.get(k) for k in before} == before
        assert task["LastModifiedDate"] == task["CreatedDate"], (
            "the pipeline wrote to an already-related Task"
        )
        assert run.latest_decisions[truth.interaction_id]["task_id"] == task["Id"]


def test_review_queue_holds_one_message_per_queued_interaction_with_ranked_candidates(
    run: RunView, samples_world: World
) -> None:
    queued = {k: t for k, t in samples_world.truth.items() if t.expected_outcome == "queued_for_review"}
    by_item = {r["item_id"]: r for r in run.reviews}
    assert run.reviews_by_item() == dict.fromkeys(queued, 1)
    for interaction_id, truth in queued.items():
        message = by_item[interaction_id]
        decision = run.latest_decisions[interaction_id]
        assert message["reason"] == decision["reason"] and message["reason_text"]
        assert message["interaction"]["interaction_id"] == interaction_id
        scores = [c["score"] for c in message["candidates"]]
        assert scores == sorted(scores, reverse=True), interaction_id
        ids = [c["record_id"] for c in message["candidates"]]
        assert ids == decision["candidates"], interaction_id
        if truth.acceptable_candidates:
            assert set(ids[:3]) & set(truth.acceptable_candidates), (interaction_id, truth.scenario, ids)
        (task,) = run.tasks_by_cxone_id[interaction_id]
        assert message["task_id"] == task["Id"]


def test_nothing_ends_in_a_dead_letter_queue(run: RunView) -> None:
    assert run.ingest_dlq == [] and run.chunk_dlq == []


# --- issue 4: an end-to-end case for each of rules 2, 3, 4, 7, 9, 10 and 13 -------------------------------
RULES = {
    "2": "person_found_unambiguously",
    "3": "case_named",
    "4": "same_contact_info_on_several_accounts",
    "7": "person_not_in_salesforce_organisation_known",
    "9": "installer_and_homeowner_both_involved",
    "10": "chat_with_only_a_typed_name",
    "13": "task_cxone_already_created",
}


def _cases_of_rule(world: World, rule: str) -> list[Truth]:
    return [t for t in world.truth.values() if rule in [r.strip() for r in t.rule.split(",")]]


@pytest.mark.parametrize("rule", list(RULES), ids=[f"rule{r}_{name}" for r, name in RULES.items()])
def test_issue_4_rule_end_to_end(
    run: RunView, samples_world: World, original_tasks: dict[str, dict[str, object]], rule: str
) -> None:
    # GIVEN the sample interactions the truth labels with this rule
    cases = _cases_of_rule(samples_world, rule)
    assert cases, f"the samples show no case of rule {rule}"
    # THEN each is decided as the truth says, and Salesforce and the review queue show it
    assert_decisions_match_truth(run, {t.interaction_id: t for t in cases}, whole_files=False)
    reviews = {r["item_id"]: r for r in run.reviews}
    for truth in cases:
        (task,) = run.tasks_by_cxone_id[truth.interaction_id]
        if truth.expected_outcome in AUTO:
            assert task["WhatId"] == truth.what_id
            who = {task.get("WhoId")} - {None} | run.who_relations(str(task["Id"]))
            assert who == set(truth.who_ids), truth.scenario
            assert truth.interaction_id not in reviews
            if truth.expected_outcome == "related_to_org":  # rule 7: the person's details go in the notes
                spec = next(s for s in samples_world.specs if s.interaction_id == truth.interaction_id)
                detail = (spec.email or spec.phone or "").lower()
                assert detail and detail in str(task.get("Description", "")).lower(), truth.scenario
        elif truth.expected_outcome == "already_related":
            assert {k: task.get(k) for k in original_tasks[truth.interaction_id]} == original_tasks[
                truth.interaction_id
            ]
        else:
            message = reviews[truth.interaction_id]
            ids = [c["record_id"] for c in message["candidates"]]
            if truth.acceptable_candidates:
                assert set(ids[:3]) & set(truth.acceptable_candidates), (truth.scenario, ids)
            before = original_tasks.get(truth.interaction_id)
            if before is not None:  # a human's relation is never overwritten
                assert (task.get("WhoId"), task.get("WhatId")) == (before["WhoId"], before["WhatId"])


def test_decisions_are_hive_partitioned_parquet(run: RunView) -> None:
    keys = {r["_key"] for r in run.decisions}
    assert keys and all(k.startswith("decisions/dt=") and k.endswith(".parquet") for k in keys)
