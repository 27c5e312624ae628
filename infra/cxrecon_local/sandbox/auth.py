"""OAuth 2.0 JWT bearer token endpoint and the session tokens it issues."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography import x509

JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
LEEWAY_SECONDS = 5


@dataclass
class JwtApp:
    """A JWT bearer connected app: its consumer key and the certificate that checks signatures."""

    consumer_key: str
    certificate_pem: bytes
    usernames: set[str] | None = field(default=None)


class Sessions:
    """Issued access tokens; `expire_all` invalidates every one of them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._valid: dict[str, str | None] = {}

    def issue(self, username: str | None = None) -> str:
        """A new access token, acting as `username` (None: the admin that started the sandbox)."""
        token = "00D5g0000000001!" + secrets.token_urlsafe(48)
        with self._lock:
            self._valid[token] = username
        return token

    def valid(self, token: str) -> bool:
        with self._lock:
            return token in self._valid

    def username(self, token: str) -> str | None:
        with self._lock:
            return self._valid.get(token)

    def expire_all(self) -> None:
        with self._lock:
            self._valid.clear()


def _fail(error: str, description: str) -> tuple[int, dict[str, Any]]:
    return 400, {"error": error, "error_description": description}


def exchange(
    form: dict[str, str],
    app: JwtApp | None,
    instance_url: str,
    known_user: Callable[[str], bool],
    sessions: Sessions,
) -> tuple[int, dict[str, Any]]:
    """Handle POST /services/oauth2/token: (status, JSON body) as Salesforce answers."""
    if form.get("grant_type") != JWT_GRANT:
        return _fail("unsupported_grant_type", "grant type not supported")
    assertion = form.get("assertion", "")
    try:
        claims = jwt.decode(assertion, options={"verify_signature": False})
    except jwt.PyJWTError:
        return _fail("invalid_grant", "invalid assertion")
    if app is None or claims.get("iss") != app.consumer_key:
        return _fail("invalid_client_id", "client identifier invalid")
    public_key = x509.load_pem_x509_certificate(app.certificate_pem).public_key()
    audiences = [instance_url, "https://login.salesforce.com", "https://test.salesforce.com"]
    try:
        claims = jwt.decode(
            assertion,
            public_key,  # type: ignore[arg-type]
            algorithms=["RS256"],
            audience=audiences,
            leeway=LEEWAY_SECONDS,
            options={"require": ["exp", "iss", "sub", "aud"]},
        )
    except jwt.ExpiredSignatureError:
        return _fail("invalid_grant", "expired authorization code")
    except jwt.InvalidAudienceError:
        return _fail("invalid_grant", "audience is invalid")
    except jwt.PyJWTError:
        return _fail("invalid_grant", "invalid assertion")
    subject = str(claims.get("sub", ""))
    allowed = app.usernames is not None and subject in app.usernames
    if not (allowed or known_user(subject)):
        return _fail("invalid_grant", "user hasn't approved this consumer")
    token = sessions.issue(subject)
    return 200, {
        "access_token": token,
        "scope": "api",
        "instance_url": instance_url,
        "id": f"{instance_url}/id/00D5g0000000001AAA/0055g0000000001AAA",
        "token_type": "Bearer",
    }
