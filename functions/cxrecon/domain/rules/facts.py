"""Everything a rule may look at for one interaction, gathered once."""

from __future__ import annotations

from dataclasses import dataclass

from cxrecon.domain.case_reference import CaseReferences
from cxrecon.domain.decision import Candidate, Evidence
from cxrecon.domain.directory import Directory
from cxrecon.domain.identity import Identity
from cxrecon.domain.interaction import Interaction
from cxrecon.domain.lookups import OrgView
from cxrecon.domain.records import AccountRec, CaseRec, ContactRec


@dataclass(frozen=True)
class Facts:
    interaction: Interaction
    legs: tuple[Interaction, ...]
    identity: Identity
    case_refs: CaseReferences
    view: OrgView
    directory: Directory

    def account(self, account_id: str | None) -> AccountRec | None:
        return self.view.accounts.get(account_id) if account_id else None

    def is_organisation(self, account_id: str | None) -> bool:
        account = self.account(account_id)
        return account is not None and account.is_organisation

    def contact_candidate(
        self, contact: ContactRec, evidence: tuple[Evidence, ...], score: float
    ) -> Candidate:
        account = self.account(contact.account_id)
        return Candidate(
            record_type="Contact",
            record_id=contact.id,
            name=contact.name,
            account_id=contact.account_id,
            account_name=account.name if account else None,
            score=score,
            evidence=evidence,
        )

    def account_candidate(self, account_id: str, evidence: tuple[Evidence, ...], score: float) -> Candidate:
        account = self.account(account_id)
        name = account.name if account else ""
        return Candidate(
            record_type="Account",
            record_id=account_id,
            name=name,
            account_id=account_id,
            account_name=name,
            score=score,
            evidence=evidence,
        )

    def case_candidate(self, case: CaseRec, evidence: tuple[Evidence, ...], score: float) -> Candidate:
        account = self.account(case.account_id)
        return Candidate(
            record_type="Case",
            record_id=case.id,
            name=f"Case {case.case_number}" + (" (closed)" if case.is_closed else ""),
            account_id=case.account_id,
            account_name=account.name if account else None,
            score=score,
            evidence=evidence,
        )
