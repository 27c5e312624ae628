"""Fixtures: a small seeded org served over HTTPS, and a simple-salesforce client bound to it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from simple_salesforce import Salesforce

from cxrecon_local.sandbox import Sandbox

ACME = "0015g00000AcmeAAAA"[:15]  # 15-char seed id: lookups must match its 18-char form


def seed_org() -> dict[str, Any]:
    return {
        "Account": [
            {
                "Id": "001000000000001",
                "Name": "Acme Installers",
                "Type": "Installer",
                "Phone": "(415) 555-0100",
            },
            {
                "Id": "001000000000002",
                "Name": "Home of Ann",
                "Type": "Homeowner",
                "ParentId": "001000000000001",
            },
        ],
        "Contact": [
            {
                "Id": "003000000000001",
                "FirstName": "Ann",
                "LastName": "O'Brien",
                "Email": "Ann.OBrien@Example.com",
                "Phone": "(415) 555-0101",
                "AccountId": "001000000000002",
            },
            {
                "Id": "003000000000002",
                "FirstName": "Bob",
                "LastName": "Builder",
                "Email": "bob@acme.example",
                "MobilePhone": "+1 415.555.0102",
                "AccountId": "001000000000001",
            },
            {
                "Id": "003000000000003",
                "FirstName": "Cy",
                "LastName": "Dots",
                "HomePhone": "415-555-0103",
                "OtherPhone": "14155550104",
            },
        ],
        "Lead": [{"Id": "00Q000000000001", "LastName": "Lee", "Company": "Leads Inc", "Phone": "4155550105"}],
        "Case": [
            {
                "Id": "500000000000001",
                "Subject": "Broken panel",
                "AccountId": "001000000000002",
                "ContactId": "003000000000001",
                "CaseNumber": "00001234",
            }
        ],
        "User": [
            {
                "Id": "005000000000001",
                "FirstName": "Agent",
                "LastName": "Smith",
                "Username": "agent@cxrecon.example",
                "Email": "agent@cxrecon.example",
            }
        ],
    }


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    with Sandbox.start(seed_org()) as sandbox:
        yield sandbox


@pytest.fixture
def sf(sb: Sandbox) -> Salesforce:
    return sb.client()
