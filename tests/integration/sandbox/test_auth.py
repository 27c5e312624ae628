"""JWT bearer token endpoint: a signed assertion yields a session simple-salesforce can use."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
from simple_salesforce import Salesforce

from cxrecon_local.sandbox import JwtApp, Sandbox, make_rsa_keypair

from .conftest import seed_org

KEY, CERT = make_rsa_keypair()
OTHER_KEY, _ = make_rsa_keypair()
CONSUMER = "3MVG9.cxrecon.local"


@pytest.fixture
def jwt_sb() -> Iterator[Sandbox]:
    with Sandbox.start(
        seed_org(), jwt_app=JwtApp(CONSUMER, CERT, usernames={"integration@cxrecon.example"})
    ) as sb:
        yield sb


def _assertion(sb: Sandbox, key: bytes = KEY, **over: Any) -> str:
    claims = {"iss": CONSUMER, "sub": "agent@cxrecon.example", "aud": sb.url, "exp": int(time.time()) + 180}
    claims.update(over)
    return jwt.encode(claims, key, algorithm="RS256")


def _token(sb: Sandbox, assertion: str) -> Any:
    return sb.http_session().post(
        sb.token_url,
        data={"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": assertion},
    )


@pytest.mark.parametrize("sub", ["agent@cxrecon.example", "integration@cxrecon.example"])
def test_jwt_flow(jwt_sb: Sandbox, sub: str) -> None:
    calls = jwt_sb.api_calls
    resp = _token(jwt_sb, _assertion(jwt_sb, sub=sub, aud="https://login.salesforce.com"))
    assert resp.status_code == 200
    body = resp.json()
    assert body["instance_url"] == jwt_sb.url and body["token_type"] == "Bearer"
    assert set(body) >= {"access_token", "scope", "instance_url", "id", "token_type"}
    assert jwt_sb.api_calls == calls  # the token endpoint is not an API call
    sf = Salesforce(
        instance_url=body["instance_url"],
        session_id=body["access_token"],
        session=jwt_sb.http_session(),
        version="62.0",
    )
    assert sf.query("SELECT COUNT() FROM Contact")["totalSize"] == 3
    jwt_sb.expire_sessions()
    fresh = _token(jwt_sb, _assertion(jwt_sb)).json()["access_token"]
    sf2 = Salesforce(instance_url=jwt_sb.url, session_id=fresh, session=jwt_sb.http_session(), version="62.0")
    assert sf2.query("SELECT COUNT() FROM Contact")["totalSize"] == 3


@pytest.mark.parametrize(
    ("kwargs", "error", "description"),
    [
        ({"key": OTHER_KEY}, "invalid_grant", "invalid assertion"),
        ({"exp": int(time.time()) - 60}, "invalid_grant", "expired authorization code"),
        ({"iss": "someone-else"}, "invalid_client_id", "client identifier invalid"),
        ({"sub": "stranger@example.com"}, "invalid_grant", "user hasn't approved this consumer"),
        ({"aud": "https://evil.example"}, "invalid_grant", "audience is invalid"),
    ],
)
def test_jwt_failures(jwt_sb: Sandbox, kwargs: dict[str, Any], error: str, description: str) -> None:
    key = kwargs.pop("key", KEY)
    resp = _token(jwt_sb, _assertion(jwt_sb, key, **kwargs))
    assert resp.status_code == 400
    assert resp.json() == {"error": error, "error_description": description}


def test_garbage_and_wrong_grant(jwt_sb: Sandbox) -> None:
    assert _token(jwt_sb, "not.a.jwt").json()["error"] == "invalid_grant"
    resp = jwt_sb.http_session().post(jwt_sb.token_url, data={"grant_type": "password"})
    assert resp.status_code == 400 and resp.json()["error"] == "unsupported_grant_type"
