"""Re-delivered S3 events, re-uploaded files and re-delivered chunk messages create no duplicate and lose
nothing: the ledger makes them no-ops, and Tasks are upserted on CXone_Contact_Id__c."""

from __future__ import annotations

import json
from typing import Any

from cxrecon_local.local_pipeline import LocalPipeline
from cxrecon_local.synth.world import World

from .conftest import (
    SAMPLES,
    assert_accounting_ok,
    assert_decisions_match_truth,
    assert_one_task_per_handled_interaction,
    local_pipeline,
    output_objects,
    poll_ingest_only,
    receive_one,
    redeliver,
    truth_for,
    view_of,
)

EXPORT = "completed_contacts.json"


def _state(lp: LocalPipeline) -> dict[str, Any]:
    """Everything a duplicate could change: Salesforce, the outputs, the review queue and the ledger."""
    dump = lp.sandbox.dump()
    return {
        "api_calls": lp.sandbox.api_calls,
        "tasks": dump.get("Task", []),
        "task_relations": dump.get("TaskRelation", []),
        "outputs": output_objects(lp),
        "reviews": sorted(r["item_id"] for r in lp.queue_messages("ReviewQueue")),
        "files": [lp.ledger.get_file(f) for f in lp.file_ids],
    }


def test_the_same_s3_event_delivered_twice_is_a_no_op_the_second_time(samples_world: World) -> None:
    with local_pipeline() as lp:
        # GIVEN an export whose S3 event we hold on to before the Ingest function consumes it
        lp.upload_directory((SAMPLES / "directory.csv").read_bytes())
        lp.upload_export(EXPORT, (SAMPLES / "exports" / EXPORT).read_bytes())
        event = receive_one(lp, "IngestQueue", '"ObjectCreated')
        redeliver(lp, "IngestQueue", event["Body"])
        lp.stack.client("sqs").delete_message(
            QueueUrl=lp.resource("IngestQueue"), ReceiptHandle=event["ReceiptHandle"]
        )
        lp.drain(timeout=120)
        first = _state(lp)
        # WHEN S3 delivers the very same event again
        redeliver(lp, "IngestQueue", event["Body"])
        lp.drain(timeout=120)
        # THEN nothing changes: no Salesforce call, no Task, no output rewritten, no review message
        assert _state(lp) == first
        view = view_of(lp)
        truth = truth_for(samples_world, EXPORT)
        assert_one_task_per_handled_interaction(view, truth)
        assert all(n == 1 for n in view.reviews_by_item().values())
        assert_accounting_ok(view.manifest_for(EXPORT))
        assert view.manifest_for(EXPORT).chunks == 1
        assert view.ingest_dlq == [] and view.chunk_dlq == []


def test_the_same_file_under_another_key_creates_no_duplicate_task(samples_world: World) -> None:
    with local_pipeline() as lp:
        # GIVEN one export processed once
        lp.upload_directory((SAMPLES / "directory.csv").read_bytes())
        data = (SAMPLES / "exports" / EXPORT).read_bytes()
        lp.upload_export(EXPORT, data)
        lp.drain(timeout=120)
        tasks_before = {t["CXone_Contact_Id__c"]: t["Id"] for t in lp.sandbox.dump()["Task"]}
        # WHEN the same bytes arrive again under another key
        lp.upload_export(f"again/{EXPORT}", data)
        lp.drain(timeout=120)
        view = view_of(lp)
        # THEN both files are accounted for, still one Task per CXone id (the same Tasks)
        assert len(view.manifests) == 2 and len({m.file_id for m in view.manifests}) == 2
        for manifest in view.manifests:
            assert_accounting_ok(manifest)
        truth = truth_for(samples_world, EXPORT)
        assert_one_task_per_handled_interaction(view, truth)
        assert {t["CXone_Contact_Id__c"]: t["Id"] for t in view.tasks} == tasks_before
        # and the second file finds the Tasks the first one wrote already related
        second = view.manifests[1]
        rows = [r for r in view.decisions if r["file_id"] == second.file_id]
        by_id = {r["interaction_id"]: r for r in rows}
        for interaction_id, t in truth.items():
            if t.expected_outcome in ("related", "related_to_org", "already_related"):
                assert by_id[interaction_id]["outcome"] == "already_related", (interaction_id, t.scenario)
            elif t.expected_outcome != "rejected":
                assert by_id[interaction_id]["outcome"] == t.expected_outcome, (interaction_id, t.scenario)
        assert second.outcomes["related"] == second.outcomes["related_to_org"] == 0
        # and no review item is queued twice
        assert all(n == 1 for n in view.reviews_by_item().values())
        assert view.ingest_dlq == [] and view.chunk_dlq == []


def test_a_redelivered_chunk_message_is_a_no_op(samples_world: World) -> None:
    with local_pipeline() as lp:
        # GIVEN an export ingested into one chunk message, which we copy before it is reconciled
        lp.upload_directory((SAMPLES / "directory.csv").read_bytes())
        lp.upload_export(EXPORT, (SAMPLES / "exports" / EXPORT).read_bytes())
        poll_ingest_only(lp)
        chunk = receive_one(lp, "ChunkQueue", '"file_id"')
        body = chunk["Body"]
        assert json.loads(body)["index"] == 0
        lp.stack.client("sqs").change_message_visibility(
            QueueUrl=lp.resource("ChunkQueue"), ReceiptHandle=chunk["ReceiptHandle"], VisibilityTimeout=0
        )
        lp.drain(timeout=120)
        first = _state(lp)
        # WHEN the chunk message is delivered again
        redeliver(lp, "ChunkQueue", body)
        lp.drain(timeout=120)
        # THEN nothing changes
        assert _state(lp) == first
        view = view_of(lp)
        assert_decisions_match_truth(view, truth_for(samples_world, EXPORT))
        assert_accounting_ok(view.manifest_for(EXPORT))
