"""What the core needs fetched from Salesforce for a chunk, and what comes back.

`LookupKeys` is computed by the core from a chunk of interactions; the gateway turns it into a handful of
batched API calls and answers with an `OrgView`. Keys are normalised values (E.164 phones, lower-case
emails), so the gateway's answer is indexed the same way.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from cxrecon.domain.records import AccountRec, CaseRec, ContactRec, LeadRec, TaskRec, UserRec


class LookupKeys(BaseModel):
    model_config = ConfigDict(frozen=True)

    phones: frozenset[str] = frozenset()  # E.164
    emails: frozenset[str] = frozenset()  # normalised, lower-case
    names: frozenset[str] = frozenset()  # phrases of typed names (chat) for a NAME search
    # The whole typed names `names` came from: what a name search found is kept (and its accounts and
    # cases fetched) only if it can rank for one of them (rule 10), and the ones no phrase found are
    # searched again word by word. Empty: keep everything found, search nothing more.
    typed_names: frozenset[str] = frozenset()
    case_numbers: frozenset[str] = frozenset()  # as stored: 8 digits, zero-padded
    case_ids: frozenset[str] = frozenset()  # from email thread references
    cxone_contact_ids: frozenset[str] = frozenset()
    agent_ids: frozenset[str] = frozenset()  # CXone agent ids = User.FederationIdentifier
    agent_names: frozenset[str] = frozenset()
    account_ids: frozenset[str] = frozenset()  # organisations named by the directory
    email_domains: frozenset[str] = frozenset()  # non-free-mail domains, for installer Website matching


class OrgView(BaseModel):
    """The slice of the org a chunk's decisions may look at. Indexes hold normalised keys."""

    model_config = ConfigDict(frozen=True)

    contacts_by_phone: dict[str, tuple[ContactRec, ...]] = Field(default_factory=dict)
    contacts_by_email: dict[str, tuple[ContactRec, ...]] = Field(default_factory=dict)
    contacts_by_name: dict[str, tuple[ContactRec, ...]] = Field(default_factory=dict)
    # Contacts named by the cases above (Case.ContactId), for rule 9.
    contacts_by_id: dict[str, ContactRec] = Field(default_factory=dict)
    leads_by_phone: dict[str, tuple[LeadRec, ...]] = Field(default_factory=dict)
    leads_by_email: dict[str, tuple[LeadRec, ...]] = Field(default_factory=dict)
    cases_by_number: dict[str, CaseRec] = Field(default_factory=dict)
    cases_by_id: dict[str, CaseRec] = Field(default_factory=dict)
    # Every Account referenced by a contact, case or directory entry above, plus installer orgs whose
    # Website domain is one of the looked-up email domains.
    accounts: dict[str, AccountRec] = Field(default_factory=dict)
    installer_orgs_by_domain: dict[str, tuple[AccountRec, ...]] = Field(default_factory=dict)
    # Open cases of the accounts above, offered to reviewers as candidates (never auto-picked).
    open_cases_by_account: dict[str, tuple[CaseRec, ...]] = Field(default_factory=dict)
    tasks_by_cxone_id: dict[str, TaskRec] = Field(default_factory=dict)
    users_by_federation_id: dict[str, UserRec] = Field(default_factory=dict)
    users_by_name: dict[str, tuple[UserRec, ...]] = Field(default_factory=dict)  # lower-cased name
    integration_user_id: str | None = None
