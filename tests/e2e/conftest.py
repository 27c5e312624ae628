"""The whole path on the local stack: moto (S3 → SQS → handlers) + the Salesforce sandbox.

moto is process-global, so one LocalPipeline runs per process at a time. Modules whose tests only read
a finished run share one pipeline (module scope); tests that change state start their own.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from cxrecon.pipeline.manifest import RunManifest
from cxrecon_local.local_pipeline import INTEGRATION_USERNAME, LocalPipeline
from cxrecon_local.poller import poll_once
from cxrecon_local.synth.samples import build
from cxrecon_local.synth.truth import Truth
from cxrecon_local.synth.world import World

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE_EXPORTS = ("completed_contacts.json", "data_download.csv", "dfo_cases.json")
HANDLED = frozenset({"related", "related_to_org", "already_related", "queued_for_review"})


@contextmanager
def local_pipeline(org: Mapping[str, Any] | Path | None = None, **kwargs: Any) -> Iterator[LocalPipeline]:
    """A fresh LocalPipeline on the samples org (or `org`)."""
    with LocalPipeline.start(org if org is not None else SAMPLES / "org.json", **kwargs) as lp:
        yield lp


def upload_samples(lp: LocalPipeline, names: Sequence[str] = SAMPLE_EXPORTS) -> dict[str, str]:
    """The Engine directory and the named sample exports; returns file name → file id."""
    lp.upload_directory((SAMPLES / "directory.csv").read_bytes())
    return {name: lp.upload_export(name, (SAMPLES / "exports" / name).read_bytes()) for name in names}


@dataclass
class RunView:
    """What one finished run left behind, read through the same interfaces a user has."""

    decisions: list[dict[str, Any]]  # every Parquet row, all files
    tasks: list[dict[str, Any]]
    task_relations: list[dict[str, Any]]
    users: list[dict[str, Any]]
    reviews: list[dict[str, Any]]
    manifests: list[RunManifest]
    ingest_dlq: list[dict[str, Any]]
    chunk_dlq: list[dict[str, Any]]
    api_calls: int

    @property
    def latest_decisions(self) -> dict[str, dict[str, Any]]:
        """interaction id → its latest decision row (the contract: the latest `decided_at` wins)."""
        latest: dict[str, dict[str, Any]] = {}
        for row in sorted(self.decisions, key=lambda r: r["decided_at"]):
            latest[row["interaction_id"]] = row
        return latest

    @property
    def tasks_by_cxone_id(self) -> dict[str, list[dict[str, Any]]]:
        found: dict[str, list[dict[str, Any]]] = {}
        for task in self.tasks:
            found.setdefault(str(task.get("CXone_Contact_Id__c")), []).append(task)
        return found

    def who_relations(self, task_id: str) -> set[str]:
        return {
            r["RelationId"] for r in self.task_relations if r["TaskId"] == task_id and not r.get("IsWhat")
        }

    def reviews_by_item(self) -> Counter[str]:
        return Counter(r["item_id"] for r in self.reviews)

    def manifest_for(self, source_file: str) -> RunManifest:
        (manifest,) = [m for m in self.manifests if m.source_file == source_file]
        return manifest

    @property
    def integration_user_id(self) -> str:
        (user,) = [u for u in self.users if str(u.get("Username", "")).lower() == INTEGRATION_USERNAME]
        return str(user["Id"])

    def owner_for_agent(self, agent_id: str | None) -> str:
        """The agent's User by FederationIdentifier, else the integration user (rule 14)."""
        for user in self.users:
            if agent_id and user.get("FederationIdentifier") == agent_id and user.get("IsActive"):
                return str(user["Id"])
        return self.integration_user_id


def read_decisions(lp: LocalPipeline) -> list[dict[str, Any]]:
    s3 = lp.stack.client("s3")
    rows: list[dict[str, Any]] = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=lp.outputs_bucket, Prefix="decisions/"):
        for obj in page.get("Contents", []):
            body = s3.get_object(Bucket=lp.outputs_bucket, Key=obj["Key"])["Body"].read()
            for row in pq.read_table(io.BytesIO(body)).to_pylist():
                rows.append({**row, "_key": obj["Key"]})
    return rows


def output_objects(lp: LocalPipeline, prefix: str = "") -> dict[str, str]:
    """key → ETag of every object in the outputs bucket under `prefix` (to prove nothing was rewritten)."""
    s3 = lp.stack.client("s3")
    found: dict[str, str] = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=lp.outputs_bucket, Prefix=prefix):
        for obj in page.get("Contents", []):
            found[obj["Key"]] = obj["ETag"]
    return found


def view_of(lp: LocalPipeline) -> RunView:
    dump = lp.sandbox.dump()
    return RunView(
        decisions=read_decisions(lp),
        tasks=list(dump.get("Task", [])),
        task_relations=list(dump.get("TaskRelation", [])),
        users=list(dump.get("User", [])),
        reviews=lp.queue_messages("ReviewQueue"),
        manifests=lp.manifests(),
        ingest_dlq=lp.queue_messages("IngestDLQ"),
        chunk_dlq=lp.queue_messages("ChunkDLQ"),
        api_calls=lp.sandbox.api_calls,
    )


def receive_one(lp: LocalPipeline, logical_id: str, want: str) -> dict[str, Any]:
    """Take the first message on a queue whose body contains `want` (others are deleted: test events)."""
    sqs = lp.stack.client("sqs")
    url = lp.resource(logical_id)
    for _ in range(50):
        for message in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get(
            "Messages", []
        ):
            if want in message["Body"]:
                return message
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    raise AssertionError(f"no message containing {want!r} on {logical_id}")


def redeliver(lp: LocalPipeline, logical_id: str, body: str) -> None:
    lp.stack.client("sqs").send_message(QueueUrl=lp.resource(logical_id), MessageBody=body)


def poll_ingest_only(lp: LocalPipeline) -> None:
    """Run only the Ingest function until its queue is empty (chunk messages stay on their queue)."""
    sqs = lp.stack.client("sqs")
    ingest = next(b for b in lp.bindings() if b.function_name == "IngestFunction")
    while poll_once(sqs, ingest, lp.stack.region):
        pass


def truth_for(world: World, source_file: str) -> dict[str, Truth]:
    return {k: t for k, t in world.truth.items() if t.source_file == source_file}


def assert_decisions_match_truth(
    view: RunView, truth: Mapping[str, Truth], *, whole_files: bool = True
) -> None:
    """Every interaction of `truth` was decided as the truth says.

    Outcome for all; WhatId and the set of WhoIds for the auto-related and already-related ones (for a
    queued one the truth names what the reviewer should pick, and the decision row relates nothing:
    its candidates are checked against the truth instead). With `whole_files`, `truth` covers whole
    files and the rejected rows are compared per file and reason, ids or not.
    """
    latest = view.latest_decisions
    mismatches = []
    for interaction_id, t in truth.items():
        if t.expected_outcome == "rejected":
            continue
        row = latest.get(interaction_id)
        got = (row["outcome"], row["what_id"], set(row["who_ids"] or [])) if row else None
        want = (t.expected_outcome, t.what_id, set(t.who_ids))
        if t.expected_outcome in ("queued_for_review", "skipped"):
            got = got and (got[0], None, set())  # the truth names what a reviewer should pick
            want = (t.expected_outcome, None, set())
        if got != want:
            mismatches.append(f"{interaction_id} ({t.scenario}): got {got}, want {want}")
    assert not mismatches, "\n".join(mismatches)
    for interaction_id, t in truth.items():
        if t.expected_outcome == "rejected" and t.note != "missing_id":
            row = latest.get(interaction_id)
            assert row is not None and (row["outcome"], row["reason"]) == ("rejected", t.note), interaction_id
    if whole_files:
        # Rows without an id are known by file and line: compare the rejections per file and reason.
        files = {t.source_file for t in truth.values()}
        rejected_truth = Counter(
            (t.source_file, t.note) for t in truth.values() if t.expected_outcome == "rejected"
        )
        rejected_rows = Counter(
            (r["source_file"], r["reason"])
            for r in latest.values()
            if r["outcome"] == "rejected" and r["source_file"] in files
        )
        assert rejected_rows == rejected_truth


def assert_one_task_per_handled_interaction(view: RunView, truth: Mapping[str, Truth]) -> None:
    tasks = view.tasks_by_cxone_id
    for interaction_id, t in truth.items():
        expected = 1 if t.expected_outcome in HANDLED else 0
        assert len(tasks.get(interaction_id, [])) == expected, (interaction_id, t.scenario)


def assert_accounting_ok(manifest: RunManifest) -> None:
    assert manifest.status == "complete", manifest
    assert manifest.accounting_ok, manifest
    assert manifest.rows_read == sum(manifest.outcomes.values()) == manifest.decided + manifest.rejected
    assert manifest.error is None


@pytest.fixture(scope="session")
def samples_world() -> World:
    """The samples' truth. The files in samples/ are exactly what build() writes (checked in a test)."""
    return build()


def load_fixture_json(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))
