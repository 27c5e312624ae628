"""One row with an absurdly long value cannot take down its chunk: the value is not searched (no
Salesforce field can hold it), its interaction is decided on the rest, and its neighbours are untouched."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from .conftest import SAMPLES, RunView, assert_accounting_ok, local_pipeline, view_of

EXPORT = "completed_contacts.json"
# ~5,000 characters of distinct words, as a paste into a chat's name box would give.
LONG_NAME = " ".join(f"Hannah{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}{i}" for i in range(450))[:5_000]
LONG_AGENT = "A" * 5_000


def _export_with_long_values() -> tuple[bytes, str]:
    document = json.loads((SAMPLES / "exports" / EXPORT).read_text())
    chat = next(c for c in document["completedContacts"] if c["mediaTypeName"] == "Chat")
    chat["fromAddr"] = LONG_NAME
    chat["firstName"], chat["lastName"] = LONG_AGENT, ""
    return json.dumps(document).encode(), str(chat["contactId"])


@pytest.fixture(scope="module")
def run() -> Iterator[tuple[RunView, RunView, str]]:
    data, chat_id = _export_with_long_values()
    with local_pipeline() as clean:
        clean.upload_export(EXPORT, (SAMPLES / "exports" / EXPORT).read_bytes())
        clean.drain(timeout=120)
        clean_view = view_of(clean)
    with local_pipeline() as lp:
        lp.upload_export(EXPORT, data)
        lp.drain(timeout=120)
        yield view_of(lp), clean_view, chat_id


def test_the_chunk_completes_and_nothing_is_dead_lettered(run: tuple[RunView, RunView, str]) -> None:
    view, _, _ = run
    assert view.chunk_dlq == [] and view.ingest_dlq == []
    (manifest,) = view.manifests
    assert_accounting_ok(manifest)


def test_the_long_named_chat_goes_to_review_as_a_name_only_chat(run: tuple[RunView, RunView, str]) -> None:
    view, _, chat_id = run
    decision = view.latest_decisions[chat_id]
    assert (decision["outcome"], decision["reason"]) == ("queued_for_review", "chat_name_only")


def test_its_neighbours_are_decided_as_in_a_clean_run(run: tuple[RunView, RunView, str]) -> None:
    view, clean, chat_id = run

    def outcomes(v: RunView) -> dict[str, tuple[str, str]]:
        return {i: (d["outcome"], d["reason"]) for i, d in v.latest_decisions.items() if i != chat_id}

    assert outcomes(view) == outcomes(clean) and len(outcomes(view)) == 15
