from __future__ import annotations

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from cxrecon.salesforce.auth import (
    AccessToken,
    SalesforceCredentials,
    TokenCache,
    build_assertion,
    derive_audience,
)


@pytest.mark.parametrize(
    ("token_url", "audience"),
    [
        ("https://login.salesforce.com/services/oauth2/token", "https://login.salesforce.com"),
        ("https://test.salesforce.com/services/oauth2/token", "https://test.salesforce.com"),
        ("https://acme.my.salesforce.com/services/oauth2/token", "https://login.salesforce.com"),
        ("https://acme--uat.sandbox.my.salesforce.com/services/oauth2/token", "https://test.salesforce.com"),
        ("https://127.0.0.1:8443/services/oauth2/token", "https://127.0.0.1:8443"),
        ("https://localhost:9000/services/oauth2/token", "https://localhost:9000"),
    ],
)
def test_audience_is_derived_from_the_token_url(token_url: str, audience: str) -> None:
    assert derive_audience(token_url) == audience


def test_an_explicit_audience_wins() -> None:
    creds = SalesforceCredentials(
        consumer_key="ck", username="u", private_key="k", token_url="https://x:1/t", audience="https://aud"
    )
    assert creds.effective_audience == "https://aud"


def test_the_assertion_is_rs256_with_the_expected_claims() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    creds = SalesforceCredentials(
        consumer_key="ck", username="int@example.com", private_key=pem, token_url="https://127.0.0.1:9/t"
    )
    token = build_assertion(creds, now=1_000_000.0)
    claims = jwt.decode(
        token,
        key.public_key(),
        algorithms=["RS256"],
        audience="https://127.0.0.1:9",
        options={"verify_exp": False},
    )
    assert claims == {"iss": "ck", "sub": "int@example.com", "aud": "https://127.0.0.1:9", "exp": 1_000_180}
    assert jwt.get_unverified_header(token)["alg"] == "RS256"


def test_credentials_never_show_the_private_key() -> None:
    creds = SalesforceCredentials(consumer_key="ck", username="u", private_key="-----BEGIN PRIVATE KEY-----x")
    assert "BEGIN PRIVATE KEY" not in repr(creds)


def test_token_cache_keeps_and_invalidates_a_token() -> None:
    cache = TokenCache()
    token = AccessToken(access_token="t", instance_url="https://x", issued_at=1.0)
    assert cache.get() is None
    cache.put(token)
    assert cache.get() is token
    cache.invalidate()
    assert cache.get() is None
