"""Rules 1 and 15: interactions that need no Task, and rows too empty to act on."""

from __future__ import annotations

from cxrecon.domain.decision import Decision, Outcome
from cxrecon.domain.rules.facts import Facts


def never_reached_agent(facts: Facts) -> Decision | None:
    ix = facts.interaction
    if ix.abandoned or not ix.reached_agent:
        reason = "abandoned" if ix.abandoned else "never_reached_agent"
        return Decision(
            interaction_id=ix.interaction_id, outcome=Outcome.SKIPPED, reason=reason, write_task=False
        )
    return None


def nothing_to_act_on(facts: Facts) -> Decision | None:
    """No customer identity, no case and no agent: nobody can relate this, so say what is missing."""
    ix = facts.interaction
    if (
        facts.identity.is_empty
        and not facts.case_refs
        and not (ix.agent_id or ix.agent_name or ix.agent_email)
    ):
        return Decision(
            interaction_id=ix.interaction_id,
            outcome=Outcome.REJECTED,
            reason="nothing_identifying",
            evidence=facts.identity.excluded,
            write_task=False,
        )
    return None
