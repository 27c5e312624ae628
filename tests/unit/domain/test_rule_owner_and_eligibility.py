"""Rules 1, 14 and 15: who needs a Task, who owns it, and what is unusable."""

from __future__ import annotations

from cxrecon.domain.decision import Outcome
from cxrecon.domain.rules.owner import task_owner

from .builders import AGENT, INTEGRATION, interaction, view
from .helpers import decide_one


def test_abandoned_before_an_agent_is_skipped():
    decision = decide_one(interaction(customer_phone="5105550111", abandoned=True))
    assert (decision.outcome, decision.reason, decision.write_task) == (Outcome.SKIPPED, "abandoned", False)


def test_never_reached_agent_is_skipped():
    assert decide_one(interaction(reached_agent=False)).reason == "never_reached_agent"


def test_nothing_identifying_and_no_agent_is_rejected():
    decision = decide_one(interaction(agent_id=None))
    assert (decision.outcome, decision.reason) == (Outcome.REJECTED, "nothing_identifying")


def test_owner_is_the_agent_by_federation_id_then_by_unique_name_then_the_integration_user():
    org = view()
    assert task_owner(interaction(agent_id="111"), org) == AGENT.id
    assert task_owner(interaction(agent_id="999", agent_name="Alice Agent"), org) == AGENT.id
    assert task_owner(interaction(agent_id="999", agent_name="Nobody"), org) == INTEGRATION.id
