"""Rules 2, 4, 5, 6: finding the person from phone and email."""

from __future__ import annotations

from cxrecon.domain.decision import Outcome

from .builders import BOB, CASE_A, HOME_A, JANE, JOHN, SHARED_1, SHARED_2, interaction, view
from .helpers import decide_one


def test_phone_matching_one_contact_in_any_stored_format_relates_contact_and_account():
    decision = decide_one(interaction(customer_phone="+1 (510) 555-0111"))
    assert decision.outcome == Outcome.RELATED
    assert decision.reason == "phone_unique"
    assert decision.who_ids == (BOB.id,)
    assert decision.what_id == BOB.account_id


def test_email_matching_one_contact_ignores_case_and_spaces():
    decision = decide_one(interaction(channel="email", customer_email="  JANE@Example.ORG "))
    assert (decision.outcome, decision.reason, decision.who_ids) == (
        Outcome.RELATED,
        "email_unique",
        (JANE.id,),
    )
    assert decision.what_id == HOME_A.id


def test_phone_and_email_agreeing_on_one_contact_relate_it():
    decision = decide_one(interaction(customer_phone="5105550111", customer_email="bob@example.net"))
    assert decision.reason == "signals_agree"
    assert decision.who_ids == (BOB.id,)


def test_household_phone_relates_the_account_and_leaves_name_empty():
    decision = decide_one(interaction(customer_phone="4155550100"))
    assert decision.outcome == Outcome.RELATED
    assert decision.reason == "household_phone"
    assert decision.what_id == HOME_A.id
    assert decision.who_ids == ()


def test_household_phone_with_the_members_email_picks_that_member():
    decision = decide_one(interaction(customer_phone="4155550100", customer_email="jane@example.org"))
    assert decision.who_ids == (JANE.id,)
    assert decision.what_id == HOME_A.id


def test_household_phone_with_a_clear_name_picks_that_member():
    decision = decide_one(interaction(customer_phone="4155550100", customer_name="Jane Smith"))
    assert decision.reason == "household_name_pick"
    assert decision.who_ids == (JANE.id,)


def test_same_phone_on_two_accounts_goes_to_review_with_both_accounts_and_contacts():
    decision = decide_one(interaction(customer_phone="650 555 0123"))
    assert decision.outcome == Outcome.QUEUED_FOR_REVIEW
    assert decision.reason == "multiple_accounts"
    ids = set(decision.candidate_ids)
    assert {SHARED_1.id, SHARED_2.id, SHARED_1.account_id, SHARED_2.account_id} <= ids
    assert decision.what_id is None and decision.who_ids == ()


def test_shared_phone_across_accounts_resolved_by_a_quoted_case_of_one_account():
    decision = decide_one(interaction(customer_phone="6505550123", notes=f"about case {CASE_A.case_number}"))
    assert decision.outcome == Outcome.RELATED
    assert decision.reason == "case_picks_account"
    assert decision.what_id == CASE_A.id
    assert decision.who_ids[0] == SHARED_1.id


def test_phone_says_one_person_and_email_another_goes_to_review():
    decision = decide_one(interaction(customer_phone="5105550111", customer_email="jane@example.org"))
    assert decision.outcome == Outcome.QUEUED_FOR_REVIEW
    assert decision.reason == "conflicting_signals"
    assert {JANE.id, BOB.id} <= set(decision.candidate_ids)


def test_plus_addressed_variant_of_a_stored_email_is_queued_with_that_contact():
    decision = decide_one(interaction(channel="email", customer_email="jane+solar@example.org"))
    assert decision.outcome == Outcome.QUEUED_FOR_REVIEW
    assert decision.reason == "email_variant"
    assert decision.candidate_ids[0] == JANE.id


def test_household_member_named_exactly_is_picked_even_when_another_name_looks_alike():
    sandra = JANE.model_copy(update={"id": "003A00000000007AAA", "name": "Sandra Hernández", "email": None})
    amanda = JOHN.model_copy(update={"id": "003A00000000008AAA", "name": "Amanda Hernández", "email": None})
    org = view(contacts=(sandra, amanda))
    decision = decide_one(interaction(customer_phone="4155550100", customer_name="Sandra Hernandez"), org)
    assert (decision.reason, decision.who_ids) == ("household_name_pick", (sandra.id,))


def test_two_household_members_with_the_same_name_are_not_guessed_between():
    twin = JOHN.model_copy(update={"name": "Jane Smith", "email": None})
    org = view(contacts=(JANE.model_copy(update={"email": None}), twin))
    decision = decide_one(interaction(customer_phone="4155550100", customer_name="Jane Smith"), org)
    assert (decision.reason, decision.who_ids) == ("household_phone", ())
