"""Rules 2, 4, 5 and 6: who is the person, from phone and email matches.

- exactly one Contact, or several signals agreeing on one → that Contact (rule 2);
- several Contacts on one Account (a household) → that Account, and the Contact only when the
  email or the name picks exactly one (rule 5);
- Contacts on several Accounts → ambiguous, unless another signal picks one (rule 4, resolved by
  the caller with the case or the name);
- phone says A, email says B → conflict (rule 6).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from cxrecon.domain.decision import Candidate, Evidence
from cxrecon.domain.names import name_similarity
from cxrecon.domain.normalise import email_without_tag
from cxrecon.domain.records import ContactRec
from cxrecon.domain.rules.facts import Facts

# A typed name confirms one person among contacts already found by phone or email only when it is a
# near-exact match and no other contact comes close.
NAME_PICK_MIN = 0.92
NAME_PICK_MARGIN = 0.15


class Match(StrEnum):
    NONE = "none"
    CONTACT = "contact"
    HOUSEHOLD = "household"
    MULTIPLE_ACCOUNTS = "multiple_accounts"
    CONFLICT = "conflicting_signals"
    LEAD_ONLY = "lead_only"


@dataclass(frozen=True)
class PersonMatch:
    match: Match
    reason: str
    contacts: tuple[ContactRec, ...] = ()  # every matched contact, best first
    evidence: dict[str, tuple[Evidence, ...]] = field(default_factory=dict)  # contact id -> evidence
    contact: ContactRec | None = None  # set for CONTACT
    account_id: str | None = None  # set for CONTACT and HOUSEHOLD

    def evidence_for(self, contact_id: str) -> tuple[Evidence, ...]:
        return self.evidence.get(contact_id, ())


def _matches(facts: Facts) -> tuple[dict[str, ContactRec], dict[str, ContactRec], dict[str, list[Evidence]]]:
    by_phone: dict[str, ContactRec] = {}
    by_email: dict[str, ContactRec] = {}
    evidence: dict[str, list[Evidence]] = {}
    for phone in facts.identity.phones:
        for contact in facts.view.contacts_by_phone.get(phone, ()):
            by_phone[contact.id] = contact
            evidence.setdefault(contact.id, []).append(
                Evidence(signal="phone", how="Contact phone field", record_id=contact.id)
            )
    for email in facts.identity.emails:
        for contact in facts.view.contacts_by_email.get(email, ()):
            by_email[contact.id] = contact
            evidence.setdefault(contact.id, []).append(
                Evidence(signal="email", how="Contact.Email", record_id=contact.id)
            )
    return by_phone, by_email, evidence


def pick_by_name(name: str | None, contacts: list[ContactRec]) -> ContactRec | None:
    """The one contact the typed name clearly designates, or None."""
    if not name or not contacts:
        return None
    scored = sorted(((name_similarity(name, c.name), c) for c in contacts), key=lambda s: -s[0])
    best_score, best = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    if best_score == 1.0 and runner_up < 1.0:
        return best  # the very name (accents, order and nicknames aside), and nobody else has it
    if best_score >= NAME_PICK_MIN and best_score - runner_up >= NAME_PICK_MARGIN:
        return best
    return None


def _one_of(
    contacts: dict[str, ContactRec], facts: Facts, evidence: dict[str, tuple[Evidence, ...]], signal: str
) -> PersonMatch:
    ranked = tuple(contacts.values())
    if len(ranked) == 1:
        only = ranked[0]
        return PersonMatch(Match.CONTACT, f"{signal}_unique", ranked, evidence, only, only.account_id)
    accounts = {c.account_id for c in ranked}
    picked = pick_by_name(facts.identity.name, list(ranked))
    if len(accounts) == 1:
        account_id = next(iter(accounts))
        if picked:
            return PersonMatch(Match.CONTACT, "household_name_pick", ranked, evidence, picked, account_id)
        return PersonMatch(Match.HOUSEHOLD, f"household_{signal}", ranked, evidence, None, account_id)
    return PersonMatch(Match.MULTIPLE_ACCOUNTS, "multiple_accounts", ranked, evidence)


def resolve_person(facts: Facts) -> PersonMatch:
    by_phone, by_email, raw_evidence = _matches(facts)
    evidence = {cid: tuple(ev) for cid, ev in raw_evidence.items()}
    if by_phone and by_email:
        common = {cid: c for cid, c in by_email.items() if cid in by_phone}
        if not common:
            ranked = (*by_email.values(), *by_phone.values())
            accounts = {c.account_id for c in ranked}
            if len(by_email) == 1 and len(accounts) == 1:
                # The phone is the household's, the email is one member's: same account, no conflict.
                only = next(iter(by_email.values()))
                return PersonMatch(
                    Match.CONTACT, "email_picks_household", ranked, evidence, only, only.account_id
                )
            return PersonMatch(Match.CONFLICT, "conflicting_signals", ranked, evidence)
        if len(common) == 1:
            only = next(iter(common.values()))
            ranked = (only, *(c for c in by_phone.values() if c.id != only.id))
            return PersonMatch(Match.CONTACT, "signals_agree", ranked, evidence, only, only.account_id)
        return _one_of(common, facts, evidence, "email")
    if by_email:
        return _one_of(by_email, facts, evidence, "email")
    if by_phone:
        return _one_of(by_phone, facts, evidence, "phone")
    has_lead = any(facts.view.leads_by_phone.get(p) for p in facts.identity.phones) or any(
        facts.view.leads_by_email.get(e) for e in facts.identity.emails
    )
    if has_lead:
        return PersonMatch(Match.LEAD_ONLY, "lead_only")
    return PersonMatch(Match.NONE, "no_match")


def email_variant_candidates(facts: Facts) -> list[Candidate]:
    """Contacts stored under the plus-less form of a plus-addressed email. Close, but not the same
    address: a reviewer confirms."""
    out: list[Candidate] = []
    for email in facts.identity.emails:
        base = email_without_tag(email)
        if base == email:
            continue
        evidence = (Evidence(signal="email", how="same address without its +tag"),)
        out += [facts.contact_candidate(c, evidence, 0.7) for c in facts.view.contacts_by_email.get(base, ())]
    return out
