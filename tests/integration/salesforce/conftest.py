"""A Salesforce sandbox per test, seeded with a small org, and gateways that talk to it via JWT auth."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from cxrecon.salesforce import (
    SalesforceClientFactory,
    SalesforceCredentials,
    SalesforceGateway,
    TokenCache,
    local_session,
)

sandbox_mod = pytest.importorskip("cxrecon_local.sandbox")
Sandbox, JwtApp, make_rsa_keypair = sandbox_mod.Sandbox, sandbox_mod.JwtApp, sandbox_mod.make_rsa_keypair

CONSUMER_KEY = "3MVG9cxrecon.test.app"
INTEGRATION_USER = "cxrecon.integration@example.com"
_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def sf_id(prefix: str, n: int) -> str:
    """A valid 18-character Salesforce id with key `prefix`."""
    digits = ""
    while n:
        n, rem = divmod(n, 62)
        digits = _B62[rem] + digits
    id15 = prefix + "7x" + digits.rjust(10, "0")
    suffix = "".join(
        _SUFFIX[sum(1 << i for i, ch in enumerate(id15[c * 5 : c * 5 + 5]) if ch.isupper())] for c in range(3)
    )
    return id15 + suffix


ACME = sf_id("001", 1)  # installer, acme-solar.com
BRIGHT = sf_id("001", 2)  # installer, brightsun.io (a different domain that contains "sun.io")
HOME = sf_id("001", 3)  # homeowner household
SUNIO = sf_id("001", 4)  # installer, sun.io
ANA = sf_id("003", 1)
BOB = sf_id("003", 2)
CARL = sf_id("003", 3)
AGENT = sf_id("005", 1)
INTEGRATION = sf_id("005", 2)
RETIRED = sf_id("005", 3)
LEAD = sf_id("00Q", 1)
CASE_OPEN = sf_id("500", 1)
CASE_CLOSED = sf_id("500", 2)


def org_snapshot() -> dict[str, list[dict[str, Any]]]:
    return {
        "Account": [
            {"Id": ACME, "Name": "Acme Solar", "Type": "Installer", "Website": "https://www.acme-solar.com/"},
            {"Id": BRIGHT, "Name": "Bright Sun", "Type": "Installer", "Website": "brightsun.io"},
            {"Id": HOME, "Name": "Rivera Household", "Type": "Homeowner"},
            {"Id": SUNIO, "Name": "Sun IO", "Type": "Installer", "Website": "http://sun.io/contact"},
        ],
        "Contact": [
            {
                "Id": ANA,
                "FirstName": "Ana",
                "LastName": "Rivera",
                "Email": "Ana.Rivera@Example.com",
                "Phone": "(415) 555-0100",
                "MobilePhone": "+1 415 555 0101",
                "AccountId": HOME,
            },
            {
                "Id": BOB,
                "FirstName": "Bob",
                "LastName": "O'Brien",
                "Email": "bob@acme-solar.com",
                "Phone": "415.555.0102",
                "AccountId": ACME,
            },
            {
                "Id": CARL,
                "FirstName": "Carl",
                "LastName": "Meyer",
                "Email": "carl@example.de",
                "Phone": "+49 30 1234567",
                "AccountId": HOME,
            },
        ],
        # Sandbox gap: its Lead lacks MobilePhone (a standard field); seeding one declares it.
        "Lead": [
            {
                "Id": LEAD,
                "FirstName": "Lee",
                "LastName": "Park",
                "Company": "Prospect Co",
                "Email": "LEE@Prospect.example",
                "Phone": "+1 (650) 555-0123",
                "MobilePhone": "650-555-0124",
            },
        ],
        "Case": [
            {
                "Id": CASE_OPEN,
                "CaseNumber": "00001001",
                "AccountId": HOME,
                "ContactId": ANA,
                "Status": "New",
                "IsClosed": False,
                "Subject": "Inverter fault",
            },
            {
                "Id": CASE_CLOSED,
                "CaseNumber": "00001002",
                "AccountId": ACME,
                "ContactId": BOB,
                "Status": "Closed",
                "IsClosed": True,
                "Subject": "Install",
            },
        ],
        "User": [
            {
                "Id": AGENT,
                "Name": "Dana Agent",
                "Username": "dana@example.com",
                "Email": "dana@example.com",
                "IsActive": True,
                "FederationIdentifier": "cx-agent-17",
            },
            {
                "Id": INTEGRATION,
                "Name": "Integration User",
                "Username": INTEGRATION_USER,
                "Email": INTEGRATION_USER,
                "IsActive": True,
            },
            {
                "Id": RETIRED,
                "Name": "Dana Agent",
                "Username": "dana.old@example.com",
                "IsActive": False,
                "FederationIdentifier": "cx-agent-03",
            },
        ],
    }


@pytest.fixture(scope="session")
def keypair() -> tuple[bytes, bytes]:
    pair: tuple[bytes, bytes] = make_rsa_keypair()
    return pair


@pytest.fixture
def start_sandbox(keypair: tuple[bytes, bytes]) -> Iterator[Callable[..., Any]]:
    """Starts sandboxes on demand (e.g. with omit_fields) and stops them after the test."""
    started: list[Any] = []

    def start(**kwargs: Any) -> Any:
        app = JwtApp(CONSUMER_KEY, keypair[1], usernames={INTEGRATION_USER})
        ctx = Sandbox.start(org=kwargs.pop("org", org_snapshot()), jwt_app=app, **kwargs)
        started.append(ctx)
        return ctx.__enter__()

    yield start
    for ctx in reversed(started):
        ctx.__exit__(None, None, None)


@pytest.fixture
def sb(start_sandbox: Callable[..., Any]) -> Any:
    return start_sandbox()


def credentials(sb: Any, private_key_pem: bytes) -> SalesforceCredentials:
    return SalesforceCredentials(
        consumer_key=CONSUMER_KEY,
        username=INTEGRATION_USER,
        private_key=private_key_pem.decode(),
        token_url=sb.token_url,
    )


def make_factory(sb: Any, private_key_pem: bytes, cache: TokenCache | None = None) -> SalesforceClientFactory:
    return SalesforceClientFactory(
        lambda: credentials(sb, private_key_pem),
        local_session(sb.ca_path),
        sb.api_version,
        cache or TokenCache(),
    )


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def factory(sb: Any, keypair: tuple[bytes, bytes]) -> SalesforceClientFactory:
    return make_factory(sb, keypair[0])


@pytest.fixture
def gateway(factory: SalesforceClientFactory, sleeps: Sleeps) -> SalesforceGateway:
    return SalesforceGateway(
        factory,
        integration_username=INTEGRATION_USER,
        default_region="US",
        sleep=sleeps,
        rng=random.Random(0),
    )
