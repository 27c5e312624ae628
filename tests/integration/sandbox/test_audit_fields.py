"""Records say who created and last changed them: the User the access token acts as.

The pipeline relies on this (rule 13): a Task last modified by the integration user is the pipeline's
own relation; one modified by anyone else is a person's, and is never overwritten."""

from __future__ import annotations

import time

import jwt
from simple_salesforce import Salesforce, format_soql

from cxrecon_local.sandbox import JwtApp, Sandbox, make_rsa_keypair

from .conftest import seed_org

KEY, CERT = make_rsa_keypair()
CONSUMER = "3MVG9.cxrecon.audit"


def _client_as(sb: Sandbox, username: str) -> Salesforce:
    claims = {"iss": CONSUMER, "sub": username, "aud": sb.url, "exp": int(time.time()) + 180}
    token = (
        sb.http_session()
        .post(
            sb.token_url,
            data={
                "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
                "assertion": jwt.encode(claims, KEY, "RS256"),
            },
        )
        .json()["access_token"]
    )
    return Salesforce(
        instance_url=sb.url, session_id=token, session=sb.http_session(), version=sb.api_version
    )


def test_created_and_last_modified_by_follow_the_token_user() -> None:
    with Sandbox.start(seed_org(), jwt_app=JwtApp(CONSUMER, CERT)) as sb:
        agent = _client_as(sb, "agent@cxrecon.example")
        created = agent.Task.create({"Subject": "Call", "CXone_Contact_Id__c": "42"})
        task = agent.Task.get(created["id"])
        assert task["CreatedById"] == task["LastModifiedById"]
        assert task["CreatedById"].startswith("005000000000001")

        sb.client().Task.update(created["id"], {"Subject": "Call (edited by admin)"})
        soql = format_soql("SELECT CreatedById, LastModifiedById FROM Task WHERE Id = {}", created["id"])
        row = sb.client().query(soql)
        record = row["records"][0]
        assert record["CreatedById"].startswith("005000000000001")
        assert record["LastModifiedById"] is None  # the start-up admin session is no User of the org


def test_lead_phone_fields_are_searchable_like_contacts() -> None:
    with Sandbox.start(seed_org()) as sb:
        sb.client().Lead.update("00Q000000000001", {"MobilePhone": "(415) 555-0199"})
        found = sb.client().search("FIND {4155550199} IN PHONE FIELDS RETURNING Lead(Id, MobilePhone)")
        assert [r["Id"][:15] for r in found["searchRecords"]] == ["00Q000000000001"]
