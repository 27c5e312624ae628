"""Rule 3: a case the interaction names, when it exists. Never created, never guessed."""

from __future__ import annotations

from cxrecon.domain.decision import Evidence
from cxrecon.domain.records import CaseRec
from cxrecon.domain.rules.facts import Facts


def referenced_cases(facts: Facts) -> list[tuple[CaseRec, Evidence]]:
    """Existing cases the interaction quotes, each once, with how it was quoted."""
    found: dict[str, tuple[CaseRec, Evidence]] = {}
    by_id15 = {case_id[:15]: case for case_id, case in facts.view.cases_by_id.items()}
    for case_id in facts.case_refs.case_ids:
        case = by_id15.get(case_id[:15])
        if case:
            found.setdefault(
                case.id,
                (case, Evidence(signal="thread_ref", how="email thread reference", record_id=case.id)),
            )
    for number in facts.case_refs.numbers:
        case = facts.view.cases_by_number.get(number)
        if case:
            found.setdefault(
                case.id, (case, Evidence(signal="case_number", how="Case.CaseNumber", record_id=case.id))
            )
    return list(found.values())


def open_cases_of(facts: Facts, account_ids: list[str | None]) -> list[CaseRec]:
    """Open cases of these accounts: offered to a reviewer, never chosen automatically."""
    seen: dict[str, CaseRec] = {}
    for account_id in account_ids:
        for case in facts.view.open_cases_by_account.get(account_id or "", ()):
            seen.setdefault(case.id, case)
    return list(seen.values())
