"""Rule 13: a Task CXone (or an earlier run) already created is updated, never duplicated.

Already related as decided → `already_related`, nothing written. Unrelated → the pipeline relates it.
Related differently by a person → never overwritten: a reviewer decides.
"""

from __future__ import annotations

from cxrecon.domain.decision import AUTO_RELATED, Candidate, Decision, Evidence, Outcome
from cxrecon.domain.records import TaskRec
from cxrecon.domain.rules.facts import Facts


def _is_related(task: TaskRec) -> bool:
    return bool(task.what_id or task.who_ids)


def _same_relation(task: TaskRec, decision: Decision) -> bool:
    return task.what_id == decision.what_id and set(task.who_ids) == set(decision.who_ids)


def _record_candidate(
    facts: Facts, record_id: str, evidence: tuple[Evidence, ...], score: float
) -> Candidate:
    contact = facts.view.contacts_by_id.get(record_id)
    if contact is not None:
        return facts.contact_candidate(contact, evidence, score)
    case = facts.view.cases_by_id.get(record_id)
    if case is not None:
        return facts.case_candidate(case, evidence, score)
    return facts.account_candidate(record_id, evidence, score)


def _proposed_candidates(facts: Facts, decision: Decision, current: tuple[str, ...]) -> tuple[Candidate, ...]:
    """What the evidence says (best first), then the relation the person made, for the reviewer to compare."""
    out: dict[str, Candidate] = {}
    proposed = [*decision.who_ids, *([decision.what_id] if decision.what_id else [])]
    for rank, record_id in enumerate(proposed):
        out.setdefault(record_id, _record_candidate(facts, record_id, decision.evidence, 0.9 - rank * 0.01))
    for rank, record_id in enumerate(current):
        seen = (Evidence(signal="existing_task", how="current relation", record_id=record_id),)
        out.setdefault(record_id, _record_candidate(facts, record_id, seen, 0.5 - rank * 0.01))
    return tuple(out.values())


def apply_existing_task(facts: Facts, decision: Decision, integration_user_id: str | None) -> Decision:
    task = facts.view.tasks_by_cxone_id.get(facts.interaction.interaction_id)
    if task is None:
        return decision
    seen = Evidence(signal="existing_task", how="Task.CXone_Contact_Id__c", record_id=task.id)
    updated = decision.model_copy(
        update={"existing_task_id": task.id, "evidence": (*decision.evidence, seen)}
    )
    if not _is_related(task):
        return updated
    if decision.outcome in AUTO_RELATED and _same_relation(task, decision):
        return updated.model_copy(update={"outcome": Outcome.ALREADY_RELATED, "write_task": False})
    ours = integration_user_id is not None and task.last_modified_by_id == integration_user_id
    if decision.outcome in AUTO_RELATED and ours:
        return updated  # our own earlier relation: the newer evidence wins
    if decision.outcome in AUTO_RELATED or decision.outcome == Outcome.QUEUED_FOR_REVIEW:
        # A person related this Task. The pipeline never overwrites that; a reviewer compares.
        current = tuple(c for c in (task.what_id, *task.who_ids) if c)
        candidates = (
            _proposed_candidates(facts, decision, current)
            if decision.outcome in AUTO_RELATED
            else decision.candidates
        )
        return updated.model_copy(
            update={
                "outcome": Outcome.QUEUED_FOR_REVIEW,
                "candidates": candidates,
                "reason": "existing_relation_differs"
                if decision.outcome in AUTO_RELATED
                else decision.reason,
                "write_task": False,
                "evidence": (
                    *updated.evidence,
                    *(Evidence(signal="existing_task", how="current relation", record_id=r) for r in current),
                ),
            }
        )
    return updated
