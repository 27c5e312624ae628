"""OAuth 2.0 JWT bearer flow against a configurable token URL, and a token cache that outlives one call.

simple-salesforce's own JWT login hard-codes `https://{domain}.salesforce.com`; doing the exchange
here lets the same code talk to a My Domain, a sandbox org or the local sandbox server.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from urllib.parse import urlsplit

import jwt
import requests
from pydantic import BaseModel, ConfigDict, SecretStr

from cxrecon.salesforce.exceptions import AuthFailed, TransientFault, raise_fault

JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
ASSERTION_LIFETIME_SECONDS = 180
PRODUCTION_AUDIENCE = "https://login.salesforce.com"
SANDBOX_AUDIENCE = "https://test.salesforce.com"


class SalesforceCredentials(BaseModel):
    """A connected app's consumer key, the integration user and the key that signs assertions."""

    model_config = ConfigDict(frozen=True)

    consumer_key: str
    username: str
    private_key: SecretStr  # PEM
    token_url: str = "https://login.salesforce.com/services/oauth2/token"  # noqa: S105 (a URL)
    audience: str | None = None

    @property
    def effective_audience(self) -> str:
        return self.audience or derive_audience(self.token_url)


class AccessToken(BaseModel):
    model_config = ConfigDict(frozen=True)

    access_token: SecretStr
    instance_url: str
    issued_at: float


def derive_audience(token_url: str) -> str:
    """The `aud` Salesforce expects for a token URL: test/login for salesforce.com, else the origin."""
    parts = urlsplit(token_url)
    host = (parts.hostname or "").lower()
    if host.startswith("test.") or host.endswith(".sandbox.my.salesforce.com"):
        return SANDBOX_AUDIENCE
    if host == "salesforce.com" or host.endswith(".salesforce.com"):
        return PRODUCTION_AUDIENCE
    return f"{parts.scheme}://{parts.netloc}"


def build_assertion(creds: SalesforceCredentials, now: float) -> str:
    """An RS256-signed JWT bearer assertion valid for three minutes."""
    claims = {
        "iss": creds.consumer_key,
        "sub": creds.username,
        "aud": creds.effective_audience,
        "exp": int(now) + ASSERTION_LIFETIME_SECONDS,
    }
    return jwt.encode(claims, creds.private_key.get_secret_value(), algorithm="RS256")


def fetch_token(
    creds: SalesforceCredentials,
    session: requests.Session,
    now: Callable[[], float],
    *,
    timeout: float = 30.0,
) -> AccessToken:
    """Exchange a signed assertion for an access token; raise `AuthFailed` when the grant is refused."""
    issued_at = now()
    data = {"grant_type": JWT_BEARER_GRANT, "assertion": build_assertion(creds, issued_at)}
    try:
        response = session.post(creds.token_url, data=data, timeout=timeout)
    except requests.RequestException as exc:
        raise_fault(exc)
    if response.status_code >= 500:
        raise TransientFault(
            f"Salesforce token endpoint failed: {response.status_code}",
            code=f"HTTP_{response.status_code}",
            status=response.status_code,
        )
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code != 200 or not isinstance(body, dict) or "access_token" not in body:
        error = body.get("error") if isinstance(body, dict) else None
        code = str(error or f"HTTP_{response.status_code}")
        raise AuthFailed(
            f"Salesforce JWT bearer grant refused: {code}", code=code, status=response.status_code
        )
    return AccessToken(
        access_token=SecretStr(str(body["access_token"])),
        instance_url=str(body["instance_url"]),
        issued_at=issued_at,
    )


class TokenCache:
    """Holds one access token across Lambda invocations; `invalidate()` drops it after a 401."""

    def __init__(self) -> None:
        self._token: AccessToken | None = None
        self._lock = threading.Lock()

    def get(self) -> AccessToken | None:
        with self._lock:
            return self._token

    def put(self, token: AccessToken) -> None:
        with self._lock:
            self._token = token

    def invalidate(self) -> None:
        with self._lock:
            self._token = None


# The warm-container holder: bootstrap injects it into the client factory so tokens survive invocations.
LAMBDA_TOKEN_CACHE = TokenCache()
