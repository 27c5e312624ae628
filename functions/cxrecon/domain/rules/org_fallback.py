"""Rules 7 and 8: the person is not in Salesforce, but their organisation is known.

The organisation is known from the Engine directory (email or phone → organisation, or a homeowner's
job → the installer doing it), or from the email's domain being the Website of exactly one installer
organisation. A free-mail domain is never evidence of an organisation.
"""

from __future__ import annotations

from dataclasses import dataclass

from cxrecon.domain.decision import Evidence
from cxrecon.domain.normalise import is_free_mail
from cxrecon.domain.records import HOMEOWNER, DirectoryEntry
from cxrecon.domain.rules.facts import Facts


@dataclass(frozen=True)
class OrgMatch:
    org_id: str
    reason: str
    evidence: Evidence
    entry: DirectoryEntry | None = None


def _directory_entries(facts: Facts) -> list[DirectoryEntry]:
    entries = [e for email in facts.identity.emails for e in facts.directory.by_email(email)]
    entries += [e for phone in facts.identity.phones for e in facts.directory.by_phone(phone)]
    return entries


def find_org(facts: Facts) -> tuple[OrgMatch | None, list[str]]:
    """The one organisation the evidence names, and every organisation it named (for reviewers)."""
    entries = [e for e in _directory_entries(facts) if facts.is_organisation(e.org_account_id)]
    org_ids = list(dict.fromkeys(e.org_account_id for e in entries if e.org_account_id))
    if len(org_ids) == 1:
        entry = entries[0]
        homeowner = (entry.role or "").casefold() == HOMEOWNER.casefold()
        reason = "directory_homeowner_job" if homeowner else "directory_org"
        evidence = Evidence(
            signal="directory", how=f"Engine directory ({entry.role or 'user'})", record_id=org_ids[0]
        )
        return OrgMatch(org_ids[0], reason, evidence, entry), org_ids
    if org_ids:
        return None, org_ids
    domain_orgs: list[str] = []
    for domain in facts.identity.domains:
        if is_free_mail(domain):
            continue
        domain_orgs += [a.id for a in facts.view.installer_orgs_by_domain.get(domain, ())]
    domain_orgs = list(dict.fromkeys(domain_orgs))
    if len(domain_orgs) == 1:
        evidence = Evidence(signal="email_domain", how="Account.Website domain", record_id=domain_orgs[0])
        return OrgMatch(domain_orgs[0], "email_domain_org", evidence), domain_orgs
    return None, domain_orgs


def contact_note(facts: Facts, entry: DirectoryEntry | None) -> str | None:
    """The contact details an agent would type into the notes (procedure: name, email, phone, job)."""
    name = (entry.name if entry and entry.name else None) or facts.identity.name
    lines = [f"Name: {name}"] if name else []
    lines += [f"Email: {email}" for email in facts.identity.emails]
    lines += [f"Phone: {phone}" for phone in facts.identity.phones]
    if entry and entry.role:
        lines.append(f"Role: {entry.role}")
    if entry and entry.job_url:
        lines.append(f"Job: {entry.job_url}")
    return "\n".join(["Contact not in Salesforce:", *lines]) if lines else None
