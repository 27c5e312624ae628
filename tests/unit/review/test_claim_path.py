"""The claim path reads only what it needs: no listing of the status index, no re-reads."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import pytest

from cxrecon.review.ports import QueueMessage, ReviewItemChange
from cxrecon.review.service import ReviewService, StatsCache

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


class FakeStore:
    """Review items in memory; counts every call so tests can say what the service read."""

    def __init__(self) -> None:
        self.items: dict[str, dict[str, Any]] = {}
        self.calls: list[str] = []
        self.holds: dict[str, set[str]] = {}

    def add(self, item_id: str, queued_at: str, **attrs: Any) -> None:
        body = json.dumps({"item_id": item_id})
        self.items[item_id] = {"pk": f"REVIEW#{item_id}", "status": "open", "queued_at": queued_at}
        self.items[item_id].update({"body": body, "sent_at": queued_at, **attrs})

    def sent_batches(self, batches: Iterable[str]) -> dict[str, str]:
        raise AssertionError("not on the claim path")

    def get_review_item(self, interaction_id: str) -> dict[str, Any] | None:
        self.calls.append("get")
        item = self.items.get(interaction_id)
        return dict(item) if item else None

    def review_items(self, status: str, *, limit: int | None = None) -> list[dict[str, Any]]:
        self.calls.append(f"list {status} limit={limit}")
        if limit is None:
            raise AssertionError("the whole status index was read")
        found = sorted(
            (i for i in self.items.values() if i["status"] == status), key=lambda i: i["queued_at"]
        )
        return [dict(i) for i in found[:limit]]

    def count_review_items(self, status: str) -> int:
        self.calls.append(f"count {status}")
        return sum(1 for i in self.items.values() if i["status"] == status)

    def held_review_ids(self, reviewer: str) -> list[str]:
        self.calls.append("held")
        return sorted(self.holds.get(reviewer, ()))

    def forget_hold(self, reviewer: str, interaction_id: str) -> None:
        self.calls.append("forget")
        self.holds.get(reviewer, set()).discard(interaction_id)

    def claim_review_item(
        self, interaction_id: str, reviewer: str, *, now: str, until: str, receipt: str | None = None
    ) -> dict[str, Any] | None:
        self.calls.append("claim")
        item = self.items.get(interaction_id)
        taken = item is not None and item["status"] == "claimed" and item["claim_expires"] < now
        if item is None or (item["status"] != "open" and not taken):
            return None
        self.holds.setdefault(reviewer, set()).add(interaction_id)
        item.update(status="claimed", claimed_by=reviewer, claim_expires=until)
        if receipt:
            item["receipt"] = receipt
        return dict(item)

    def extend_review_claim(
        self, interaction_id: str, reviewer: str, *, now: str, until: str
    ) -> dict[str, Any] | None:
        self.calls.append("extend")
        item = self.items.get(interaction_id)
        if item is None or item["status"] != "claimed" or item.get("claimed_by") != reviewer:
            return None
        if item["claim_expires"] < now:
            return None
        item["claim_expires"] = until
        return dict(item)

    def release_review_item(self, interaction_id: str, reviewer: str | None) -> dict[str, Any] | None:
        raise AssertionError("not on the claim path")

    def close_review_item(
        self, interaction_id: str, reviewer: str, *, status: str, action: str, now: str
    ) -> dict[str, Any] | None:
        raise AssertionError("not on the claim path")

    def put_review_body(self, interaction_id: str, body: str, sent_at: str) -> None:
        raise AssertionError("not on the claim path")


class FakeQueue:
    def __init__(self, store: FakeStore) -> None:
        self.store = store
        self.extended: list[tuple[str, int]] = []
        self.received = 0

    def receive(self, *, visibility_seconds: int) -> QueueMessage | None:
        self.received += 1
        waiting = sorted(
            (i for i in self.store.items.values() if i["status"] == "open"), key=lambda i: i["queued_at"]
        )
        return QueueMessage(waiting[0]["body"], f"r-{waiting[0]['pk']}") if waiting else None

    def extend(self, receipt: str, seconds: int) -> bool:
        self.extended.append((receipt, seconds))
        return True

    def delete(self, receipt: str) -> bool:
        return True

    def send(self, body: str) -> None: ...

    def dead_letters(self) -> list[QueueMessage]:
        return []

    def delete_dead(self, receipt: str) -> None: ...


class FakeSink:
    def __init__(self) -> None:
        self.changes: list[ReviewItemChange] = []

    def write_decision(self, row: Any, part: str) -> None: ...

    def review_item_changed(self, change: ReviewItemChange) -> None:
        self.changes.append(change)


def _service(store: FakeStore, *, stats_cache: StatsCache | None = None) -> tuple[ReviewService, FakeQueue]:
    queue = FakeQueue(store)
    service = ReviewService(
        store,
        queue,
        salesforce=None,  # type: ignore[arg-type]
        sink=FakeSink(),
        now=lambda: NOW,
        claim_seconds=600,
        stats_cache=stats_cache,
    )
    return service, queue


@pytest.fixture
def store() -> FakeStore:
    store = FakeStore()
    for n in range(50):
        store.add(f"item-{n:03d}", f"2024-04-{1 + n % 28:02d}T00:{n:02d}:00+00:00")
    return store


def test_claim_next_takes_a_message_without_listing_the_index(store: FakeStore) -> None:
    service, queue = _service(store)
    claimed = service.claim_next("a@example.com")
    assert claimed is not None and claimed["claimed_by"] == "a@example.com"
    assert claimed["pk"] == "REVIEW#item-000"  # the oldest waiting
    assert store.calls == ["held", "claim"] and queue.received == 1


def test_claim_next_returns_the_held_claim_with_one_update_and_no_reread(store: FakeStore) -> None:
    service, queue = _service(store)
    first = service.claim_next("a@example.com")
    assert first is not None
    store.calls.clear()
    again = service.claim_next("a@example.com")
    assert again is not None and again["pk"] == first["pk"]
    assert again["claim_expires"] == "2024-05-01T12:10:00+00:00"
    assert store.calls == ["held", "extend"]  # no GetItem, no listing, no second receive
    assert queue.received == 1 and queue.extended == [(str(first["receipt"]), 600)]


def test_a_hold_that_was_taken_over_is_forgotten_and_the_next_item_claimed(store: FakeStore) -> None:
    service, _ = _service(store)
    first = service.claim_next("a@example.com")
    assert first is not None
    store.items["item-000"].update(claimed_by="b@example.com")  # expired, then taken over by b
    store.calls.clear()
    second = service.claim_next("a@example.com")
    assert second is not None and second["pk"] != first["pk"] and second["claimed_by"] == "a@example.com"
    assert store.calls == ["held", "extend", "forget", "claim"]
    assert store.holds["a@example.com"] == {str(second["pk"]).removeprefix("REVIEW#")}


def test_another_reviewer_gets_another_item(store: FakeStore) -> None:
    service, _ = _service(store)
    a = service.claim_next("a@example.com")
    b = service.claim_next("b@example.com")
    assert a is not None and b is not None and a["pk"] != b["pk"]


def test_extend_reads_the_receipt_from_the_update_not_a_second_read(store: FakeStore) -> None:
    service, queue = _service(store)
    claimed = service.claim_next("a@example.com")
    assert claimed is not None
    store.calls.clear()
    until = service.extend("item-000", "a@example.com")
    assert until == "2024-05-01T12:10:00+00:00" and store.calls == ["extend"]
    assert queue.extended[-1] == (str(claimed["receipt"]), 600)


def test_stats_are_cached_briefly_and_read_one_item_of_the_index(store: FakeStore) -> None:
    clock = [0.0]
    cache = StatsCache(15, clock=lambda: clock[0])
    service, _ = _service(store, stats_cache=cache)
    first = service.stats()
    assert first.open == 50 and first.claimed == 0 and first.oldest_queued_at == "2024-04-01T00:00:00+00:00"
    assert "list open limit=1" in store.calls
    store.calls.clear()
    service.claim_next("a@example.com")
    store.calls.clear()
    assert service.stats().open == 50 and store.calls == []  # within 15 s: kept
    clock[0] = 15.0
    again = service.stats()
    assert again.open == 49 and again.claimed == 1
