"""The ledger's review reads against moto: bulk load, the reviewer's holds, no listing on the claim path."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cxrecon.adapters.ledger import ReviewLedger, review_item
from cxrecon.review import ReviewService
from cxrecon_local.local_pipeline import LocalPipeline


def _ledger(console: LocalPipeline) -> ReviewLedger:
    return ReviewLedger(console.stack.client("dynamodb"), console.resource("LedgerTable"))


def test_bulk_put_and_read_back_keep_the_item_shape(console: LocalPipeline) -> None:
    ledger = _ledger(console)
    ids = [f"bulk-{n:03d}" for n in range(60)]
    ledger.put_review_items(
        [review_item(i, "2030-01-01T00:00:00+00:00", {"reason": "r", "body": "{}"}) for i in ids]
    )
    found = ledger.existing_review_items([*ids, "bulk-missing"])
    assert set(found) == set(ids)
    assert found["bulk-007"]["gsi1pk"] == "REVIEW#open"
    assert found["bulk-007"]["gsi1sk"] == "2030-01-01T00:00:00+00:00#bulk-007"
    # a bulk-loaded item behaves like one the pipeline recorded
    now = datetime.now(UTC)
    until = (now + timedelta(minutes=5)).isoformat()
    assert ledger.claim_review_item("bulk-007", "x@example.com", now=now.isoformat(), until=until) is not None
    ledger.release_review_item("bulk-007", "x@example.com")


def test_holds_follow_claims_and_are_read_consistently(console: LocalPipeline) -> None:
    ledger = _ledger(console)
    ledger.put_review_items(
        [
            review_item(f"held-{n}", f"2031-01-0{n}T00:00:00+00:00", {"reason": "r", "body": "{}"})
            for n in (1, 2, 3)
        ]
    )
    me, other = "held@example.com", "other@example.com"
    now = datetime.now(UTC)
    live, gone = (now + timedelta(minutes=5)).isoformat(), (now - timedelta(minutes=5)).isoformat()
    assert ledger.held_review_ids(me) == []
    ledger.claim_review_item("held-1", me, now=now.isoformat(), until=gone)
    ledger.claim_review_item("held-2", me, now=now.isoformat(), until=live)
    assert ledger.held_review_ids(me) == ["held-1", "held-2"]  # at once: no index to catch up
    # an expired claim is still listed; the caller's conditional extend is what tells
    assert ledger.extend_review_claim("held-1", me, now=now.isoformat(), until=live) is None
    extended = ledger.extend_review_claim("held-2", me, now=now.isoformat(), until=live)
    assert extended is not None and extended["claim_expires"] == live
    # someone else takes the expired one over; a claim that fails notes no hold
    assert ledger.claim_review_item("held-1", other, now=now.isoformat(), until=live) is not None
    assert ledger.claim_review_item("held-2", other, now=now.isoformat(), until=live) is None
    assert ledger.held_review_ids(other) == ["held-1"]
    ledger.forget_hold(me, "held-1")
    assert ledger.held_review_ids(me) == ["held-2"]
    # closing and skipping drop the hold
    closed = ledger.close_review_item("held-2", me, status="dismissed", action="x", now=now.isoformat())
    assert closed is not None and ledger.held_review_ids(me) == []
    assert ledger.release_review_item("held-1", other) is not None
    assert ledger.held_review_ids(other) == []
    assert ledger.release_review_item("held-1", other) is None  # not claimed any more


def test_claim_next_twice_returns_the_same_item(service: ReviewService) -> None:
    first = service.claim_next("twice@example.com")
    assert first is not None
    again = service.claim_next("twice@example.com")
    assert again is not None and again["pk"] == first["pk"] and again["body"] == first["body"]
    service.release(str(first["pk"]).removeprefix("REVIEW#"), "twice@example.com")
