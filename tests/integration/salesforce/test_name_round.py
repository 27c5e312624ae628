"""The reconcile step's second lookup round (rule 10) against the sandbox: typed names are searched only
for what nothing else identified, and every leg of those conversations is decided again with them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from cxrecon.domain.decision import Outcome
from cxrecon.domain.directory import Directory
from cxrecon.domain.interaction import Channel, Interaction
from cxrecon.pipeline.reconcile import ReconcileDeps, decide_with_lookups
from cxrecon.salesforce import SalesforceGateway

from .conftest import ANA, HOME

AT = datetime(2024, 5, 1, 12, tzinfo=UTC)


def _deps(gateway: SalesforceGateway) -> ReconcileDeps:
    # decide_with_lookups reads Salesforce and the directory only; the rest of the step is not run here.
    unused: Any = None
    return ReconcileDeps(
        store=unused,
        ledger=unused,
        review_queue=unused,
        salesforce=gateway,
        directory=Directory,
        outputs_bucket="",
        region="US",
        now=lambda: AT,
    )


def _ix(interaction_id: str, channel: Channel, **fields: Any) -> Interaction:
    return Interaction(
        interaction_id=interaction_id, channel=channel, started_at=AT, source_file="x.csv", **fields
    )


def test_every_leg_of_a_named_conversation_gets_the_name_candidates(gateway: SalesforceGateway) -> None:
    # GIVEN a chat transferred once: only the first leg carries the typed name; and a call by phone
    chunk = [
        _ix("chat-1", Channel.CHAT, customer_name="Rivera, Ana", master_interaction_id="chat-1"),
        _ix("chat-2", Channel.CHAT, master_interaction_id="chat-1"),
        _ix("call-1", Channel.CALL, customer_phone="(415) 555-0100"),
    ]
    # WHEN the chunk is decided with both lookup rounds
    decided, view = decide_with_lookups(chunk, _deps(gateway))
    by_id = {d.interaction_id: d for _, d in decided}
    # THEN both legs are queued with Ana first, found by the name round
    for leg in ("chat-1", "chat-2"):
        assert by_id[leg].outcome == Outcome.QUEUED_FOR_REVIEW, by_id[leg]
        assert by_id[leg].candidate_ids[0] == ANA
    # AND the call, identified by its phone, is related as in the first round
    assert by_id["call-1"].outcome == Outcome.RELATED and ANA in by_id["call-1"].who_ids
    assert HOME in view.accounts
