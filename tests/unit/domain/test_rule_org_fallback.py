"""Rules 7 and 8: the person is not in Salesforce but the organisation is known."""

from __future__ import annotations

from cxrecon.domain.decision import Outcome
from cxrecon.domain.records import DirectoryEntry

from .builders import NORTH_VALLEY, SUNRISE, directory, interaction
from .helpers import decide_one

JOE = DirectoryEntry(
    email="Joe@gmail.com",
    name="Joe Rep",
    phone="(707) 555-0101",
    org_account_id=NORTH_VALLEY.id,
    role="sales_rep",
)


def test_rep_on_free_mail_listed_in_the_directory_relates_to_the_org_with_contact_notes():
    decision = decide_one(
        interaction(channel="email", customer_email="joe@gmail.com"), directory=directory(JOE)
    )
    assert decision.outcome == Outcome.RELATED_TO_ORG
    assert decision.reason == "directory_org"
    assert decision.what_id == NORTH_VALLEY.id
    assert decision.who_ids == ()
    assert decision.contact_note is not None
    assert "Joe Rep" in decision.contact_note and "joe@gmail.com" in decision.contact_note


def test_directory_phone_match_also_names_the_org():
    decision = decide_one(interaction(customer_phone="707-555-0101"), directory=directory(JOE))
    assert decision.what_id == NORTH_VALLEY.id
    assert "+17075550101" in (decision.contact_note or "")


def test_email_domain_of_exactly_one_installer_website_relates_to_that_org():
    decision = decide_one(interaction(channel="email", customer_email="newhire@sunrise.io"))
    assert decision.outcome == Outcome.RELATED_TO_ORG
    assert decision.reason == "email_domain_org"
    assert decision.what_id == SUNRISE.id


def test_free_mail_domain_is_never_evidence_of_an_organisation():
    decision = decide_one(interaction(channel="email", customer_email="someone@gmail.com"))
    assert decision.outcome == Outcome.QUEUED_FOR_REVIEW
    assert decision.reason == "no_match"


def test_homeowner_tied_to_a_job_in_the_directory_relates_to_the_installer_with_the_job_link():
    homeowner = DirectoryEntry(
        email="pat@home.example",
        name="Pat Home",
        org_account_id=NORTH_VALLEY.id,
        role="homeowner",
        job_url="https://engine.example.com/jobs/J-1",
    )
    decision = decide_one(
        interaction(channel="email", customer_email="pat@home.example"), directory=directory(homeowner)
    )
    assert decision.reason == "directory_homeowner_job"
    assert decision.what_id == NORTH_VALLEY.id
    assert "https://engine.example.com/jobs/J-1" in (decision.contact_note or "")


def test_unknown_homeowner_is_never_created_and_goes_to_review():
    decision = decide_one(interaction(customer_phone="3125550177", customer_name="New Homeowner"))
    assert decision.outcome == Outcome.QUEUED_FOR_REVIEW
    assert decision.what_id is None


def test_directory_naming_two_orgs_goes_to_review_with_both():
    other = JOE.model_copy(update={"org_account_id": SUNRISE.id})
    decision = decide_one(
        interaction(channel="email", customer_email="joe@gmail.com"), directory=directory(JOE, other)
    )
    assert decision.reason == "multiple_orgs"
    assert set(decision.candidate_ids) == {NORTH_VALLEY.id, SUNRISE.id}
