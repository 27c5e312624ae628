"""Rule 13: a Task CXone already created is updated, never duplicated, never overwritten by us."""

from __future__ import annotations

from cxrecon.domain.decision import Outcome
from cxrecon.domain.records import TaskRec

from .builders import BOB, HOME_A, INTEGRATION, interaction, view
from .helpers import decide_one


def _task(**fields: object) -> TaskRec:
    return TaskRec(id="00TA00000000001AAA", cxone_contact_id="1001", **fields)  # type: ignore[arg-type]


def test_task_already_related_correctly_is_already_related_and_not_written():
    org = view(tasks=(_task(who_ids=(BOB.id,), what_id=BOB.account_id),))
    decision = decide_one(interaction(customer_phone="5105550111"), org)
    assert decision.outcome == Outcome.ALREADY_RELATED
    assert decision.write_task is False
    assert decision.existing_task_id == "00TA00000000001AAA"


def test_unrelated_existing_task_is_updated_with_the_relation():
    decision = decide_one(interaction(customer_phone="5105550111"), view(tasks=(_task(),)))
    assert decision.outcome == Outcome.RELATED
    assert decision.write_task is True
    assert decision.existing_task_id == "00TA00000000001AAA"


def test_relation_made_by_a_person_that_differs_goes_to_review_and_is_not_overwritten():
    org = view(tasks=(_task(what_id=HOME_A.id, last_modified_by_id="005A00000000001AAA"),))
    decision = decide_one(interaction(customer_phone="5105550111"), org)
    assert decision.outcome == Outcome.QUEUED_FOR_REVIEW
    assert decision.reason == "existing_relation_differs"
    assert decision.write_task is False
    assert any(e.record_id == HOME_A.id for e in decision.evidence)


def test_our_own_earlier_relation_is_corrected_by_newer_evidence():
    org = view(tasks=(_task(what_id=HOME_A.id, last_modified_by_id=INTEGRATION.id),))
    decision = decide_one(interaction(customer_phone="5105550111"), org)
    assert decision.outcome == Outcome.RELATED
    assert decision.write_task is True


def test_relation_differing_from_a_persons_offers_the_evidence_first_then_the_current_relation():
    org = view(tasks=(_task(what_id=HOME_A.id, last_modified_by_id="005A00000000001AAA"),))
    decision = decide_one(interaction(customer_phone="5105550111"), org)
    assert decision.reason == "existing_relation_differs"
    assert decision.candidate_ids[:2] == [BOB.id, BOB.account_id]
    assert HOME_A.id in decision.candidate_ids[2:]
