"""Bad input: bad rows are rejected one by one with their reasons and lines, and the rest of the file is
decided; an unreadable file fails with one clear error in its manifest and parks in the IngestDLQ,
while the other files of the same run go through untouched."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from urllib.parse import unquote_plus

import pytest

from cxrecon_local.synth.world import World

from .conftest import (
    FIXTURES,
    RunView,
    assert_accounting_ok,
    assert_decisions_match_truth,
    load_fixture_json,
    local_pipeline,
    truth_for,
    upload_samples,
    view_of,
)

GOOD_FILE = "dfo_cases.json"
BAD_ROWS = "bad_rows.csv"
CORRUPT_GZIP = "corrupt.json.gz"
NOT_AN_EXPORT = "screenshot.json"  # a binary file, whatever its name says


def bad_rows_export() -> bytes:
    """The fixture with its two rows that a text file cannot hold: a 33,000-character field and a
    latin-1 byte in an otherwise UTF-8 file."""
    data = (FIXTURES / BAD_ROWS).read_bytes()
    return data.replace(b"@@OVERSIZED@@", b"x" * 33_000).replace(b"@@LATIN1_E@@", b"\xe9")


def corrupt_gzip() -> bytes:
    whole = gzip.compress(b'{"completedContacts": [' + b'{"contactId": 1},' * 2000 + b"]}")
    return whole[:40] + bytes(reversed(whole[40:200])) + whole[200:]


NOT_AN_EXPORT_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8


@pytest.fixture(scope="module")
def run() -> Iterator[RunView]:
    with local_pipeline() as lp:
        upload_samples(lp, [GOOD_FILE])
        lp.upload_export(BAD_ROWS, bad_rows_export())
        lp.upload_export(CORRUPT_GZIP, corrupt_gzip())
        lp.upload_export(NOT_AN_EXPORT, NOT_AN_EXPORT_BYTES)
        lp.drain(timeout=120)
        yield view_of(lp)


def test_only_the_bad_rows_are_rejected_each_with_its_reason_and_line(run: RunView) -> None:
    expected = load_fixture_json("bad_rows.expected.json")
    # Every row, not the latest per id: the duplicate's rejection shares its id with the first copy.
    rows = [r for r in run.decisions if r["source_file"] == BAD_ROWS]
    rejected = {str(r["source_line"]): r["reason"] for r in rows if r["outcome"] == "rejected"}
    assert rejected == expected["rejected"]
    assert all(r["error"] for r in rows if r["outcome"] == "rejected")
    decided = {r["interaction_id"]: r["source_line"] for r in rows if r["outcome"] != "rejected"}
    assert decided == expected["decided"]


def test_the_good_rows_beside_bad_ones_are_decided_and_written(run: RunView) -> None:
    decisions = run.latest_decisions
    assert decisions["700000000001"]["outcome"] == "related"  # the first copy of the duplicated id wins
    assert decisions["700000000005"]["outcome"] == "related"
    assert decisions["700000000008"]["outcome"] == "skipped"
    tasks = run.tasks_by_cxone_id
    assert len(tasks["700000000001"]) == len(tasks["700000000005"]) == 1
    for rejected_id in ("700000000003", "700000000004", "700000000006", "700000000007"):
        assert rejected_id not in tasks


def test_a_file_with_bad_rows_still_balances(run: RunView) -> None:
    manifest = run.manifest_for(BAD_ROWS)
    assert_accounting_ok(manifest)
    assert manifest.rows_read == 9
    assert manifest.rejected == 6


@pytest.mark.parametrize(
    ("name", "words"),
    [(CORRUPT_GZIP, ("gzip",)), (NOT_AN_EXPORT, ("neither", "CSV"))],
    ids=["corrupt_gzip", "binary"],
)
def test_an_unreadable_file_fails_with_one_clear_error(
    run: RunView, name: str, words: tuple[str, ...]
) -> None:
    manifest = run.manifest_for(name)
    assert manifest.status == "failed"
    assert not manifest.accounting_ok
    assert manifest.error and "\n" not in manifest.error
    assert all(w.lower() in manifest.error.lower() for w in words), manifest.error
    assert not [r for r in run.decisions if r["source_file"] == name]


def test_an_unreadable_files_message_ends_in_the_ingest_dlq_after_retries(run: RunView) -> None:
    keys = sorted(
        unquote_plus(record["s3"]["object"]["key"]) for body in run.ingest_dlq for record in body["Records"]
    )
    assert keys == sorted([f"exports/{CORRUPT_GZIP}", f"exports/{NOT_AN_EXPORT}"])
    assert run.chunk_dlq == []


def test_other_files_in_the_same_run_are_unaffected(run: RunView, samples_world: World) -> None:
    assert_accounting_ok(run.manifest_for(GOOD_FILE))
    assert_decisions_match_truth(run, truth_for(samples_world, GOOD_FILE))
