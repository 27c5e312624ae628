"""Rule 12: legs of one master contact are one customer, related consistently."""

from __future__ import annotations

from cxrecon.domain.decision import Outcome

from .builders import BOB, interaction
from .helpers import decide_all


def test_identity_found_on_one_leg_counts_for_the_transferred_leg():
    first = interaction("2001", master_interaction_id="2001", customer_phone="5105550111")
    second = interaction("2002", master_interaction_id="2001", agent_id="222")
    decisions = decide_all([first, second])
    assert [d.outcome for d in decisions] == [Outcome.RELATED, Outcome.RELATED]
    assert decisions[0].who_ids == decisions[1].who_ids == (BOB.id,)
    assert decisions[0].what_id == decisions[1].what_id


def test_an_abandoned_leg_is_skipped_while_the_handled_leg_is_related():
    first = interaction("3001", master_interaction_id="3001", customer_phone="5105550111", abandoned=True)
    second = interaction("3002", master_interaction_id="3001")
    decisions = decide_all([first, second])
    assert decisions[0].outcome == Outcome.SKIPPED
    assert decisions[1].who_ids == (BOB.id,)
