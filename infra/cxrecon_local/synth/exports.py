"""Writers for the three CXone export formats, from one format-neutral `Spec` per interaction.

Conventions (what each field carries, so readers and the truth agree):

- Reporting API (`completed_contacts.json`, `{"completedContacts": [...]}`):
  calls/voicemail/SMS inbound: `fromAddr` = the customer's number (10 digits, sometimes "+1…" or "1…"),
  `toAddr` = our number; outbound calls swap them (`isOutbound` true). Emails: `fromAddr` = the sender's
  address, `toAddr` = our inbox, `subject` set. Chats: `fromAddr` = the name the visitor typed.
  `firstName`/`lastName` are the AGENT's. Abandoned contacts have `agentId` null. A few rows ("legacy")
  carry every value as a string ("False", "4").
- Data Download CSV (`data_download.csv`): `ANI_Dialnum` = the customer's number (either direction) or,
  for emails, the sender's address; `Contact_Name` = the sender's display name for emails, empty for
  calls. No chats. `Abandon` is "Y"/"N"; `Total_Time` is seconds.
- DFO (`dfo_cases.json`, a JSON list): `authorEndUserIdentity.idOnExternalPlatform` = the sender's
  address (email), an opaque "visitor-…" id (chat) or "+1…" (SMS); `fullName` = the name they gave.
  Email `recipients` hold our inbox (`isPrimary`) and anyone cc'd.
- Case references appear in `subject`, `dispositionNotes`/`Disposition_Notes`, `tags`, DFO
  `customFields` and `preview`.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

REPORTING_FILE = "completed_contacts.json"
CSV_FILE = "data_download.csv"
DFO_FILE = "dfo_cases.json"
FILE_OF_FORMAT = {"reporting": REPORTING_FILE, "csv": CSV_FILE, "dfo": DFO_FILE}

CSV_COLUMNS: tuple[str, ...] = (
    "Contact_ID",
    "Master_Contact_ID",
    "Media_Name",
    "Contact_Name",
    "ANI_Dialnum",
    "DNIS",
    "Skill_Name",
    "Agent_No",
    "Agent_Name",
    "Disposition_Code",
    "Start_Date",
    "Start_Time",
    "Abandon",
    "Total_Time",
    "Disposition_Notes",
)
REPORTING_FIELDS: tuple[str, ...] = (
    "contactId",
    "masterContactId",
    "mediaType",
    "mediaTypeName",
    "fromAddr",
    "toAddr",
    "isOutbound",
    "agentId",
    "firstName",
    "lastName",
    "skillName",
    "contactStart",
    "totalDurationSeconds",
    "abandoned",
    "primaryDispositionId",
    "dispositionNotes",
)
DFO_FIELDS: tuple[str, ...] = (
    "id",
    "threadIdOnExternalPlatform",
    "channelId",
    "status",
    "authorEndUserIdentity",
    "recipients",
    "inboxAssigneeUser",
    "createdAt",
    "tags",
    "customFields",
    "preview",
    "subject",
)

MEDIA = {
    "email": (1, "Email"),
    "chat": (3, "Chat"),
    "call": (4, "Call"),
    "voicemail": (5, "Voice Mail"),
    "sms": (7, "SMS"),
}
CSV_MEDIA = {"email": "Email", "call": "Call", "voicemail": "Voice Mail", "sms": "SMS", "chat": "Chat"}
DFO_CHANNEL = {"chat": "chat_web_1", "email": "email_support_1", "sms": "sms_1"}
OUR_NUMBER = "8775550123"
OUR_SMS = "+18775550124"

DEFECTS = ("missing_id", "malformed_date", "unknown_channel")


@dataclass(frozen=True)
class Agent:
    agent_id: str
    first: str
    last: str
    email: str
    user_id: str | None  # the Salesforce User with FederationIdentifier = agent_id, if any
    dfo_user_id: str = ""


@dataclass
class Spec:
    """One interaction as the world knows it, before it is rendered in a format."""

    interaction_id: str
    master_id: str
    fmt: str  # "reporting" | "csv" | "dfo"
    channel: str  # call | voicemail | sms | email | chat
    start: datetime
    duration: int = 0
    outbound: bool = False
    phone: str | None = None  # as CXone presents it
    email: str | None = None  # as CXone presents it
    name: str | None = None  # the customer's typed/display name
    visitor_id: str | None = None  # DFO chat author id
    cc: list[tuple[str, str]] = field(default_factory=list)  # (address, name) of other email parties
    agent: Agent | None = None
    skill: str = ""
    disposition_id: int | None = None
    disposition: str = ""
    notes: str = ""
    subject: str | None = None
    tags: list[str] = field(default_factory=list)
    custom_fields: list[tuple[str, str]] = field(default_factory=list)
    preview: str = ""
    thread_id: str = ""
    abandoned: bool = False
    legacy_strings: bool = False  # Reporting API: every value a string
    defect: str | None = None  # one of DEFECTS: the row is deliberately unusable


def _iso(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def reporting_row(spec: Spec) -> dict[str, Any]:
    media_type, media_name = MEDIA[spec.channel]
    if spec.defect == "unknown_channel":
        media_type, media_name = 42, "Fax"
    customer = spec.email if spec.channel == "email" else spec.name if spec.channel == "chat" else spec.phone
    our = {"email": "support@example.com", "chat": "WebChat"}.get(spec.channel, OUR_NUMBER)
    from_addr, to_addr = (our, customer) if spec.outbound else (customer, our)
    agent = spec.agent
    row: dict[str, Any] = {
        "contactId": None if spec.defect == "missing_id" else int(spec.interaction_id),
        "masterContactId": int(spec.master_id),
        "mediaType": media_type,
        "mediaTypeName": media_name,
        "fromAddr": from_addr or "",
        "toAddr": to_addr or "",
        "isOutbound": spec.outbound,
        "agentId": int(agent.agent_id) if agent else None,
        "firstName": agent.first if agent else "",
        "lastName": agent.last if agent else "",
        "skillName": spec.skill,
        "contactStart": "2024-13-45T25:61:00Z" if spec.defect == "malformed_date" else _iso(spec.start),
        "totalDurationSeconds": spec.duration,
        "abandoned": spec.abandoned,
        "primaryDispositionId": spec.disposition_id,
        "dispositionNotes": spec.notes,
    }
    if spec.subject is not None:
        row["subject"] = spec.subject
    if spec.tags:
        row["tags"] = list(spec.tags)
    if spec.legacy_strings:
        row = {k: _legacy(v) for k, v in row.items()}
    return row


def _legacy(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return value
    return str(value)


def csv_row(spec: Spec) -> dict[str, str]:
    agent = spec.agent
    if spec.channel == "email":
        ani, contact_name = spec.email or "", spec.name or ""
    else:
        ani, contact_name = spec.phone or "", ""
    media = "Fax" if spec.defect == "unknown_channel" else CSV_MEDIA[spec.channel]
    return {
        "Contact_ID": "" if spec.defect == "missing_id" else spec.interaction_id,
        "Master_Contact_ID": spec.master_id,
        "Media_Name": media,
        "Contact_Name": contact_name,
        "ANI_Dialnum": ani,
        "DNIS": "support@example.com" if spec.channel == "email" else OUR_NUMBER,
        "Skill_Name": spec.skill,
        "Agent_No": agent.agent_id if agent else "",
        "Agent_Name": f"{agent.first} {agent.last}" if agent else "",
        "Disposition_Code": spec.disposition,
        "Start_Date": "13/45/2024" if spec.defect == "malformed_date" else spec.start.strftime("%m/%d/%Y"),
        "Start_Time": spec.start.strftime("%H:%M:%S"),
        "Abandon": "Y" if spec.abandoned else "N",
        "Total_Time": str(spec.duration),
        "Disposition_Notes": spec.notes,
    }


def dfo_row(spec: Spec) -> dict[str, Any]:
    agent = spec.agent
    name = spec.name or ""
    first, _, last = name.partition(" ")
    if spec.channel == "email":
        author_id = spec.email or ""
    elif spec.channel == "chat":
        author_id = spec.visitor_id or ""
    else:
        author_id = spec.phone or ""
    recipients: list[dict[str, Any]] = []
    if spec.channel == "email":
        recipients.append(
            {"idOnExternalPlatform": "support@example.com", "name": "Support", "isPrimary": True}
        )
        recipients.extend({"idOnExternalPlatform": a, "name": n, "isPrimary": False} for a, n in spec.cc)
    elif spec.channel == "sms":
        recipients.append({"idOnExternalPlatform": OUR_SMS, "name": "Support SMS", "isPrimary": True})
    row: dict[str, Any] = {
        "id": None if spec.defect == "missing_id" else spec.interaction_id,
        "threadIdOnExternalPlatform": spec.thread_id,
        "channelId": "fax_1" if spec.defect == "unknown_channel" else DFO_CHANNEL[spec.channel],
        "status": "closed",
        "authorEndUserIdentity": {
            "idOnExternalPlatform": author_id,
            "fullName": name,
            "firstName": first,
            "lastName": last,
        },
        "recipients": recipients,
        "inboxAssigneeUser": (
            {
                "id": agent.dfo_user_id,
                "agentId": int(agent.agent_id),
                "emailAddress": agent.email,
                "firstName": agent.first,
                "lastName": agent.last,
            }
            if agent
            else None
        ),
        "createdAt": "yesterday afternoon" if spec.defect == "malformed_date" else _iso(spec.start),
        "tags": list(spec.tags),
        "customFields": [{"ident": k, "value": v} for k, v in spec.custom_fields],
        "preview": spec.preview,
        "subject": spec.subject,
    }
    return row


def dump_json(value: Any, pretty: bool) -> bytes:
    """Compact (C encoder, fast) for big worlds; indented for the hand-read samples."""
    return (json.dumps(value, indent=2 if pretty else None, ensure_ascii=False) + "\n").encode("utf-8")


def render_reporting(rows: list[dict[str, Any]], pretty: bool = False) -> bytes:
    return dump_json({"completedContacts": rows}, pretty)


def render_dfo(rows: list[dict[str, Any]], pretty: bool = False) -> bytes:
    return dump_json(rows, pretty)


def render_csv(rows: list[dict[str, str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(CSV_COLUMNS), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def render(specs_by_format: dict[str, list[Spec]], pretty: bool = False) -> dict[str, bytes]:
    """File name -> bytes, for each format that has at least one interaction (in `specs` order)."""
    out: dict[str, bytes] = {}
    if specs_by_format.get("reporting"):
        out[REPORTING_FILE] = render_reporting(
            [reporting_row(s) for s in specs_by_format["reporting"]], pretty
        )
    if specs_by_format.get("csv"):
        out[CSV_FILE] = render_csv([csv_row(s) for s in specs_by_format["csv"]])
    if specs_by_format.get("dfo"):
        out[DFO_FILE] = render_dfo([dfo_row(s) for s in specs_by_format["dfo"]], pretty)
    return out
