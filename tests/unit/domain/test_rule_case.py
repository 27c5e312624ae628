"""Rule 3: a quoted case that exists is the Relates To; never guessed, never created."""

from __future__ import annotations

from cxrecon.domain.case_reference import find_case_references
from cxrecon.domain.decision import Outcome

from .builders import BOB, CASE_A, CASE_B, CLOSED_A, JANE, interaction
from .helpers import decide_one


def test_case_number_of_the_callers_account_relates_the_case_with_the_caller_as_name():
    decision = decide_one(
        interaction(customer_email="jane@example.org", subject="Re: Case #00001234 inverter")
    )
    assert decision.outcome == Outcome.RELATED
    assert decision.reason == "case_number"
    assert decision.what_id == CASE_A.id
    assert decision.who_ids == (JANE.id,)


def test_closed_case_quoted_is_still_the_relation():
    decision = decide_one(interaction(customer_email="jane@example.org", notes="follow-up on CASE-00000042"))
    assert decision.what_id == CLOSED_A.id


def test_case_of_another_account_is_a_conflict_for_review():
    decision = decide_one(interaction(customer_email="jane@example.org", notes="case 5678"))
    assert decision.outcome == Outcome.QUEUED_FOR_REVIEW
    assert decision.reason == "case_other_account"
    assert decision.candidate_ids[0] == CASE_B.id


def test_unknown_case_number_is_ignored_and_the_person_decides():
    decision = decide_one(interaction(customer_phone="5105550111", notes="case 99999"))
    assert decision.what_id == BOB.account_id
    assert decision.reason == "phone_unique"


def test_open_cases_are_offered_to_reviewers_but_never_chosen():
    decision = decide_one(interaction(customer_phone="5105550111", customer_email="jane@example.org"))
    assert decision.outcome == Outcome.QUEUED_FOR_REVIEW
    assert CASE_A.id not in (decision.what_id,)


def test_case_quoted_by_someone_not_in_salesforce_relates_the_case_with_their_details_in_notes():
    decision = decide_one(interaction(customer_phone="2125550999", notes="calling about 00001234"))
    assert decision.outcome == Outcome.RELATED
    assert decision.reason == "case_only"
    assert (decision.what_id, decision.who_ids) == (CASE_A.id, ())
    assert "+12125550999" in (decision.contact_note or "")


def test_no_reply_sender_quoting_a_case_relates_the_case_without_a_name():
    decision = decide_one(
        interaction(channel="email", customer_email="noreply@portal.example", subject="Case #00001234")
    )
    assert (decision.outcome, decision.what_id, decision.who_ids) == (Outcome.RELATED, CASE_A.id, ())


def test_two_different_cases_quoted_go_to_review():
    decision = decide_one(interaction(customer_email="jane@example.org", notes="case 1234 and case 42"))
    assert decision.reason == "multiple_cases"


def test_email_thread_reference_names_the_case_by_id():
    thread = f"ref:_00Dxx0000001gE._{CASE_A.id[:15]}:ref"
    decision = decide_one(
        interaction(channel="email", customer_email="jane@example.org", subject=f"Re: help {thread}")
    )
    assert decision.what_id == CASE_A.id


def test_padded_case_number_at_the_end_of_a_sentence_is_still_a_reference():
    decision = decide_one(
        interaction(customer_email="jane@example.org", notes="Customer calling about re: 00001234.")
    )
    assert decision.outcome == Outcome.RELATED
    assert decision.what_id == CASE_A.id


def test_padded_number_with_decimals_is_not_a_case_reference():
    assert find_case_references([interaction(notes="meter read 00001234.5 kWh")]).numbers == ()
    assert find_case_references([interaction(notes="see 00001234. Thanks")]).numbers == ("00001234",)
