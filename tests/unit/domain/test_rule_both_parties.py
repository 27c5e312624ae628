"""Rule 9: installer and homeowner both involved → one Task related to both."""

from __future__ import annotations

from cxrecon.domain.decision import Outcome
from cxrecon.domain.interaction import Party
from cxrecon.domain.records import CaseRec
from cxrecon.domain.rules.both_parties import MAX_WHO_IDS, who_ids

from .builders import ALL_CASES, BOB, HOME_B, REP, interaction, view
from .helpers import decide_one


def test_email_from_an_installer_copying_a_homeowner_relates_both_and_the_homeowner_account():
    ix = interaction(
        channel="email",
        customer_email="rita@northvalley.com",
        other_parties=(Party(email="bob@example.net"),),
    )
    decision = decide_one(ix)
    assert decision.outcome == Outcome.RELATED
    assert decision.reason == "installer_and_homeowner"
    assert decision.who_ids == (REP.id, BOB.id)
    assert decision.what_id == HOME_B.id


def test_installer_quoting_the_homeowners_case_relates_the_case_and_both_people():
    decision = decide_one(interaction(customer_phone="415 555 0200", notes="cancellation, case 5678"))
    assert decision.reason == "installer_and_homeowner"
    assert decision.what_id == "500A00000000002AAA"
    assert decision.who_ids == (REP.id, BOB.id)


def test_case_contact_differing_from_the_caller_on_the_same_account_relates_both():
    case = CaseRec(id="500A00000000009AAA", case_number="00007777", account_id=HOME_B.id, contact_id=BOB.id)
    other = BOB.model_copy(
        update={
            "id": "003A00000000009AAA",
            "name": "Beth Jones",
            "email": "beth@example.net",
            "phones": ("3105550100",),
        }
    )
    org = view(contacts=(BOB, other, REP), cases=(*ALL_CASES, case))
    decision = decide_one(interaction(customer_phone="3105550100", notes="fraud report case 7777"), org)
    assert decision.what_id == case.id
    assert decision.who_ids == (other.id, BOB.id)


def test_who_ids_never_exceed_fifty():
    many = [BOB.model_copy(update={"id": f"003A{i:014d}"}) for i in range(60)]
    assert len(who_ids(*many)) == MAX_WHO_IDS


def test_homeowner_email_copying_the_installer_and_quoting_their_case_relates_the_case_and_both():
    # GIVEN Bob (homeowner) writes about his own case 5678 with Rita (installer rep) in copy
    ix = interaction(
        channel="email",
        customer_email="bob@example.net",
        other_parties=(Party(email="rita@northvalley.com"),),
        subject="Re: Case #00005678",
    )
    # WHEN decided THEN the case is the Relates To and both people are on the Task (rule 9 with rule 3)
    decision = decide_one(ix)
    assert decision.outcome == Outcome.RELATED
    assert decision.reason == "installer_and_homeowner"
    assert decision.what_id == "500A00000000002AAA"
    assert set(decision.who_ids) == {BOB.id, REP.id}
    assert decision.who_ids[0] == BOB.id
