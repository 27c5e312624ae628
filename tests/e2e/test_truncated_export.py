"""A gzip export truncated midway: the rows before the break are processed and accounted for, the file
ends `truncated` with the break in its manifest, and the complete file delivered later finishes the job
without a duplicate Task."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator

import pytest

from .conftest import SAMPLES, RunView, local_pipeline, view_of

ROWS = 400


def _export() -> bytes:
    sample = json.loads((SAMPLES / "exports" / "completed_contacts.json").read_text())["completedContacts"]
    contacts = []
    for i in range(ROWS):
        row = dict(sample[i % len(sample)])
        row["contactId"] = row["masterContactId"] = 700_000_000_000 + i
        if i % 50 == 7:
            row["contactStart"] = "not a date"  # a row the reader rejects, before and after the break
        contacts.append(row)
    return json.dumps({"completedContacts": contacts}, indent=1).encode()


WHOLE = gzip.compress(_export())
CUT = WHOLE[: len(WHOLE) * 6 // 10]


@pytest.fixture(scope="module")
def runs() -> Iterator[tuple[RunView, RunView]]:
    whole = WHOLE
    with local_pipeline(chunk_size=100) as lp:
        lp.upload_export("contacts.json.gz", CUT)
        lp.drain(timeout=180)
        first = view_of(lp)
        # The complete file, delivered later under its own key (a re-pull of the same window).
        lp.upload_export("contacts-again.json.gz", whole)
        lp.drain(timeout=180)
        yield first, view_of(lp)


def test_the_rows_before_the_break_are_decided_and_the_file_is_marked_truncated(
    runs: tuple[RunView, RunView],
) -> None:
    first, _ = runs
    (manifest,) = first.manifests
    assert manifest.status == "truncated" and manifest.truncated
    assert manifest.error and "gzip" in manifest.error
    assert 0 < manifest.rows_read < ROWS
    assert manifest.accounting_ok
    assert manifest.rows_read == manifest.decided + manifest.rejected == sum(manifest.outcomes.values())
    assert first.ingest_dlq == [] and first.chunk_dlq == []


def test_the_manifest_says_where_reading_stopped(runs: tuple[RunView, RunView]) -> None:
    first, _ = runs
    (manifest,) = first.manifests
    # The whole stored object was read: a truncated gzip ends early, it does not go bad in the middle.
    assert manifest.read_stopped_at_byte == len(CUT)
    last_line = max(d["source_line"] for d in first.decisions)
    assert manifest.read_stopped_after_line == last_line
    assert (
        manifest.error and f"Reading stopped after line {last_line}, at byte {len(CUT):,}" in manifest.error
    )


def test_the_rejections_before_the_break_are_recorded(runs: tuple[RunView, RunView]) -> None:
    first, _ = runs
    (manifest,) = first.manifests
    rejected = [d for d in first.decisions if d["outcome"] == "rejected"]
    assert manifest.rejected == len(rejected) > 0
    assert "malformed_date" in {d["reason"] for d in rejected}


def test_every_task_written_has_its_decision_row(runs: tuple[RunView, RunView]) -> None:
    first, _ = runs
    decided = {d["interaction_id"] for d in first.decisions if d["outcome"] != "rejected"}
    # The sample org holds Tasks of its own (earlier interactions); this export's ids start with 7.
    written = {
        t["CXone_Contact_Id__c"] for t in first.tasks if str(t.get("CXone_Contact_Id__c")).startswith("7")
    }
    assert written and written <= decided
    assert len(decided) == first.manifests[0].decided


def test_the_complete_file_later_finishes_the_job_without_duplicates(runs: tuple[RunView, RunView]) -> None:
    _, second = runs
    by_file = {m.source_file: m for m in second.manifests}
    complete = by_file["contacts-again.json.gz"]
    assert complete.status == "complete" and complete.accounting_ok and complete.rows_read == ROWS
    ids = [
        t["CXone_Contact_Id__c"] for t in second.tasks if str(t.get("CXone_Contact_Id__c")).startswith("7")
    ]
    assert len(ids) == len(set(ids))
    assert {d["interaction_id"] for d in second.decisions} >= {str(700_000_000_000 + i) for i in range(ROWS)}
