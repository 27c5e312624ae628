"""What the core asks Salesforce to write, and what came back."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

FieldValue = str | int | bool | list[str] | None


class TaskWrite(BaseModel):
    """One Task upsert keyed by the CXone contact id (`CXone_Contact_Id__c`).

    `fields` never contains the external id itself; `create_only` holds fields Salesforce accepts on
    create but refuses on update (TaskSubtype), sent only when no Task exists yet.
    """

    model_config = ConfigDict(frozen=True)

    cxone_contact_id: str
    fields: dict[str, FieldValue]
    create_only: dict[str, FieldValue] = {}
    exists: bool = False


class WriteResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    cxone_contact_id: str
    success: bool
    task_id: str | None = None
    created: bool | None = None
    error_code: str | None = None
    error_message: str | None = None
    # A transient failure (row lock, limit, outage) is retried with the chunk; a terminal one is
    # recorded as that interaction's outcome.
    retryable: bool = False
