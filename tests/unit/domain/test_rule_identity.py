"""Rule 11: no-reply and role addresses, and withheld numbers, are not identities."""

from __future__ import annotations

from cxrecon.domain.decision import Outcome
from cxrecon.domain.identity import identity_of

from .builders import BOB, interaction
from .helpers import decide_one


def test_no_reply_sender_is_excluded_and_recorded_and_the_phone_decides():
    decision = decide_one(
        interaction(
            channel="email", customer_email="no-reply@alerts.example.com", customer_phone="5105550111"
        )
    )
    assert decision.who_ids == (BOB.id,)
    assert any(e.how == "excluded: no_reply" for e in decision.evidence)


def test_role_address_is_not_a_person_but_its_domain_can_name_the_org():
    identity = identity_of([interaction(customer_email="info@sunrise.io")], "US")
    assert identity.emails == ()
    assert identity.org_domains == ("sunrise.io",)


def test_withheld_caller_id_is_not_a_phone():
    identity = identity_of([interaction(customer_phone="Anonymous")], "US")
    assert identity.phones == ()
    assert identity.excluded[0].how.startswith("excluded:")


def test_only_a_no_reply_address_and_no_agent_is_rejected_with_what_is_missing():
    decision = decide_one(interaction(channel="email", customer_email="noreply@x.com", agent_id=None))
    assert decision.outcome == Outcome.REJECTED
    assert decision.reason == "nothing_identifying"
