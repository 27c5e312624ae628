"""Salesforce records as the decision core sees them: only the fields the rules read.

The Salesforce gateway builds these from query results; the core never sees an API response.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

INSTALLER = "Installer"
HOMEOWNER = "Homeowner"


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str


class AccountRec(_Record):
    name: str = ""
    type: str | None = None
    parent_id: str | None = None
    website: str | None = None

    @property
    def is_organisation(self) -> bool:
        return self.type == INSTALLER


class ContactRec(_Record):
    name: str = ""
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    # Every phone field of the contact, as stored (any format).
    phones: tuple[str, ...] = ()
    account_id: str | None = None


class LeadRec(_Record):
    name: str = ""
    email: str | None = None
    phones: tuple[str, ...] = ()
    company: str | None = None


class CaseRec(_Record):
    case_number: str
    account_id: str | None = None
    contact_id: str | None = None
    is_closed: bool = False
    status: str | None = None
    subject: str | None = None


class UserRec(_Record):
    name: str = ""
    email: str | None = None
    federation_id: str | None = None
    is_active: bool = True


class TaskRec(_Record):
    """A Task that already exists for an interaction (CXone's own, or ours from an earlier run)."""

    cxone_contact_id: str | None = None
    who_ids: tuple[str, ...] = ()
    what_id: str | None = None
    owner_id: str | None = None
    status: str | None = None
    is_closed: bool = False
    subtype: str | None = None
    last_modified_by_id: str | None = None


class DirectoryEntry(BaseModel):
    """One user of the company's own platform (Engine): who works for which organisation."""

    model_config = ConfigDict(frozen=True)

    email: str | None = None
    name: str | None = None
    phone: str | None = None
    org_account_id: str | None = None
    role: str | None = None
    job_url: str | None = None
