"""The decision core: interactions plus the org slice fetched for them → one Decision each.

Precision first: auto-relate only on unambiguous evidence; otherwise queue with ranked candidates and a
reason. Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from cxrecon.domain.case_reference import find_case_references
from cxrecon.domain.decision import Candidate, Decision, Evidence, Outcome
from cxrecon.domain.directory import Directory
from cxrecon.domain.identity import identity_of, is_chat
from cxrecon.domain.interaction import Interaction
from cxrecon.domain.lookups import OrgView
from cxrecon.domain.records import CaseRec, ContactRec
from cxrecon.domain.rules.both_parties import (
    homeowner_account,
    is_installer_and_homeowner,
    other_party_contacts,
    who_ids,
)
from cxrecon.domain.rules.case_reference import open_cases_of, referenced_cases
from cxrecon.domain.rules.chat_name import name_candidates
from cxrecon.domain.rules.eligibility import never_reached_agent, nothing_to_act_on
from cxrecon.domain.rules.existing_task import apply_existing_task
from cxrecon.domain.rules.facts import Facts
from cxrecon.domain.rules.org_fallback import contact_note, find_org
from cxrecon.domain.rules.person import (
    Match,
    PersonMatch,
    email_variant_candidates,
    pick_by_name,
    resolve_person,
)

MAX_CANDIDATES = 8


def legs_by_master(interactions: Sequence[Interaction]) -> dict[str, tuple[Interaction, ...]]:
    """Rule 12: every leg of one master contact, so identity found on one leg counts for the others."""
    groups: dict[str, list[Interaction]] = defaultdict(list)
    for ix in interactions:
        groups[ix.master_interaction_id or ix.interaction_id].append(ix)
    return {key: tuple(legs) for key, legs in groups.items()}


def gather_facts(
    ix: Interaction, legs: tuple[Interaction, ...], view: OrgView, directory: Directory, region: str
) -> Facts:
    """Identity and case references come from every leg (an IVR leg may hold the caller's number)."""
    ordered = (ix, *(leg for leg in legs if leg is not ix))
    return Facts(
        interaction=ix,
        legs=legs,
        identity=identity_of(ordered, region),
        case_refs=find_case_references(ordered),
        view=view,
        directory=directory,
    )


def decide_chunk(
    interactions: Sequence[Interaction], view: OrgView, directory: Directory, *, region: str = "US"
) -> list[Decision]:
    groups = legs_by_master(interactions)
    return [
        decide(
            gather_facts(ix, groups[ix.master_interaction_id or ix.interaction_id], view, directory, region)
        )
        for ix in interactions
    ]


def decide(facts: Facts) -> Decision:
    early = never_reached_agent(facts) or nothing_to_act_on(facts)
    if early:
        return early
    decision = _relate(facts)
    decision = decision.model_copy(update={"evidence": (*decision.evidence, *facts.identity.excluded)})
    return apply_existing_task(facts, decision, facts.view.integration_user_id)


def _related(
    facts: Facts, reason: str, what_id: str | None, who: tuple[str, ...], evidence: list[Evidence]
) -> Decision:
    return Decision(
        interaction_id=facts.interaction.interaction_id,
        outcome=Outcome.RELATED,
        reason=reason,
        what_id=what_id,
        who_ids=who,
        evidence=tuple(evidence),
    )


def _review(
    facts: Facts, reason: str, candidates: list[Candidate], evidence: list[Evidence] | None = None
) -> Decision:
    unique: dict[str, Candidate] = {}
    for candidate in sorted(candidates, key=lambda c: -c.score):
        unique.setdefault(candidate.record_id, candidate)
    return Decision(
        interaction_id=facts.interaction.interaction_id,
        outcome=Outcome.QUEUED_FOR_REVIEW,
        reason=reason,
        candidates=tuple(list(unique.values())[:MAX_CANDIDATES]),
        evidence=tuple(evidence or ()),
    )


def _person_candidates(facts: Facts, person: PersonMatch, score: float = 0.8) -> list[Candidate]:
    out: list[Candidate] = []
    for rank, contact in enumerate(person.contacts):
        evidence = person.evidence_for(contact.id)
        out.append(facts.contact_candidate(contact, evidence, score - rank * 0.01))
        if contact.account_id:
            out.append(facts.account_candidate(contact.account_id, evidence, score - 0.1 - rank * 0.01))
    return out


def _case_candidates(
    facts: Facts, cases: list[tuple[CaseRec, Evidence]], account_ids: list[str | None]
) -> list[Candidate]:
    out = [facts.case_candidate(case, (ev,), 0.95) for case, ev in cases]
    out += [facts.case_candidate(case, (), 0.5) for case in open_cases_of(facts, account_ids)]
    return out


def _relate(facts: Facts) -> Decision:
    person = resolve_person(facts)
    cases = referenced_cases(facts)
    case_evidence = [ev for _, ev in cases]
    if len(cases) > 1:
        return _review(
            facts, "multiple_cases", _case_candidates(facts, cases, []) + _person_candidates(facts, person)
        )
    case = cases[0][0] if cases else None

    if person.match == Match.MULTIPLE_ACCOUNTS:
        narrowed = _narrow_multiple_accounts(facts, person, case)
        if narrowed is None:
            accounts = [c.account_id for c in person.contacts]
            candidates = _case_candidates(facts, cases, accounts) + _person_candidates(facts, person)
            return _review(facts, "multiple_accounts", candidates + name_candidates(facts))
        person = narrowed

    if person.match == Match.CONTACT and person.contact is not None:
        return _relate_contact(facts, person, person.contact, case, case_evidence)
    if person.match == Match.HOUSEHOLD:
        evidence = [ev for c in person.contacts for ev in person.evidence_for(c.id)]
        if case and case.account_id == person.account_id:
            return _related(facts, "case_number", case.id, (), evidence + case_evidence)
        if case:
            return _review(
                facts,
                "case_other_account",
                _case_candidates(facts, cases, []) + _person_candidates(facts, person),
            )
        return _related(facts, person.reason, person.account_id, (), evidence)
    if person.match == Match.CONFLICT:
        return _review(
            facts,
            "conflicting_signals",
            _person_candidates(facts, person) + _case_candidates(facts, cases, []),
        )
    if person.match == Match.LEAD_ONLY:
        return _review(facts, "lead_only", name_candidates(facts))
    return _nobody_found(facts, cases)


def _narrow_multiple_accounts(facts: Facts, person: PersonMatch, case: CaseRec | None) -> PersonMatch | None:
    """Rule 4's exception: a case, or the typed name, picks exactly one of the accounts."""
    pool = list(person.contacts)
    reason = ""
    if case is not None:
        pool = [c for c in pool if c.account_id == case.account_id]
        reason = "case_picks_account"
    picked = pick_by_name(facts.identity.name, pool)
    if picked is not None:
        return PersonMatch(
            Match.CONTACT,
            reason or "name_picks_account",
            person.contacts,
            person.evidence,
            picked,
            picked.account_id,
        )
    accounts = {c.account_id for c in pool}
    if case is not None and len(accounts) == 1:
        if len(pool) == 1:
            return PersonMatch(
                Match.CONTACT, reason, person.contacts, person.evidence, pool[0], pool[0].account_id
            )
        return PersonMatch(Match.HOUSEHOLD, reason, tuple(pool), person.evidence, None, pool[0].account_id)
    return None


def _relate_contact(
    facts: Facts,
    person: PersonMatch,
    contact: ContactRec,
    case: CaseRec | None,
    case_evidence: list[Evidence],
) -> Decision:
    evidence = list(person.evidence_for(contact.id))
    if contact.account_id is None:
        return _review(facts, "contact_without_account", _person_candidates(facts, person))
    if case is not None:
        case_contact = facts.view.contacts_by_id.get(case.contact_id or "")
        if case.account_id == contact.account_id:
            reason = "case_picks_account" if person.reason == "case_picks_account" else "case_number"
            others = _other_parties(facts, contact)
            if others:
                # Rule 9 with a case: both people on the Task, the case as Relates To.
                reason = "installer_and_homeowner"
            who = who_ids(contact, *others, case_contact)
            return _related(facts, reason, case.id, who, evidence + case_evidence)
        if (
            case_contact
            and is_installer_and_homeowner(facts, contact, case_contact)
            and not facts.is_organisation(case.account_id)
        ):
            return _related(
                facts,
                "installer_and_homeowner",
                case.id,
                who_ids(contact, case_contact),
                evidence + case_evidence,
            )
        candidates = _case_candidates(
            facts, [(case, case_evidence[0])], [contact.account_id]
        ) + _person_candidates(facts, person)
        return _review(facts, "case_other_account", candidates, evidence + case_evidence)
    others = _other_parties(facts, contact)
    if others:
        home = homeowner_account(facts, [contact, *others])
        return _related(facts, "installer_and_homeowner", home, who_ids(contact, *others), evidence)
    return _related(facts, person.reason, contact.account_id, (contact.id,), evidence)


def _other_parties(facts: Facts, contact: ContactRec) -> list[ContactRec]:
    """Rule 9: the installer/homeowner counterpart(s) on the same email or conference."""
    return [o for o in other_party_contacts(facts, contact) if is_installer_and_homeowner(facts, contact, o)]


def _nobody_found(facts: Facts, cases: list[tuple[CaseRec, Evidence]]) -> Decision:
    if cases:
        # Rule 3: the quoted case is the Relates To even when the person is not in Salesforce (or wrote
        # from a no-reply address); their details go into the notes, and nobody is guessed as Name.
        case, evidence = cases[0]
        return _related(facts, "case_only", case.id, (), [evidence]).model_copy(
            update={"contact_note": contact_note(facts, None)}
        )
    variants = email_variant_candidates(facts)
    if variants:
        return _review(facts, "email_variant", variants + name_candidates(facts))
    org, named = find_org(facts)
    if org is not None:
        return Decision(
            interaction_id=facts.interaction.interaction_id,
            outcome=Outcome.RELATED_TO_ORG,
            reason=org.reason,
            what_id=org.org_id,
            evidence=(org.evidence,),
            contact_note=contact_note(facts, org.entry),
        )
    org_candidates = [facts.account_candidate(a, (), 0.6) for a in named]
    if named:
        return _review(facts, "multiple_orgs", org_candidates + name_candidates(facts))
    if (
        is_chat(facts.interaction)
        and facts.identity.name
        and not (facts.identity.phones or facts.identity.emails)
    ):
        return _review(facts, "chat_name_only", name_candidates(facts))
    return _review(facts, "no_match", name_candidates(facts))
