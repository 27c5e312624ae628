"""`Sandbox`: the HTTPS server on loopback (self-signed certificate made at start) as a context manager."""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from pathlib import Path
from types import TracebackType
from typing import Any

import requests
from cheroot import wsgi
from cheroot.ssl.builtin import BuiltinSSLAdapter
from simple_salesforce.api import Salesforce

from .app import SandboxApp
from .auth import JwtApp, Sessions
from .faults import FaultPlan
from .org import Org, load_org
from .store import Store
from .tls import server_certificate

API_VERSION = "62.0"
_THREADS = 16  # concurrent requests; idle keep-alive connections wait in cheroot's selector, not here


_LOG = logging.getLogger(__name__)


class _Server(wsgi.Server):
    """cheroot's WSGI server: HTTP/1.1 keep-alive over TLS, so a client's pooled connection serves
    every call (werkzeug's development server closes each connection, and every Salesforce call then
    paid a TLS handshake at both ends). It writes no access log; errors are logged without details,
    since request lines carry phone numbers and emails in their query strings."""

    # How often the serve loop looks up from its select(): `stop()` waits for that (cheroot's 0.5 s
    # made every sandbox a test starts and stops cost half a second).
    expiration_interval = 0.05

    def error_log(self, msg: str = "", level: int = 20, traceback: bool = False) -> None:
        if level >= logging.WARNING:
            _LOG.warning("sandbox request failed (details withheld: may contain customer data)")


class Sandbox:
    """A Salesforce org on https://127.0.0.1:PORT. Use `Sandbox.start(...)` as a context manager."""

    def __init__(
        self,
        org: dict[str, Any] | str | Path | None = None,
        *,
        db_path: str | Path | None = None,
        port: int = 0,
        daily_limit: int = 100_000,
        jwt_app: JwtApp | None = None,
        omit_fields: dict[str, list[str]] | None = None,
        faults: FaultPlan | None = None,
    ) -> None:
        self.store = Store(db_path)
        self.org = Org(self.store, omit_fields)
        if not self.store.sobjects():
            self.org.seed(load_org(org) if isinstance(org, str | Path) else dict(org or {}))
        self.faults = faults or FaultPlan()
        self.sessions = Sessions()
        self.api_version = API_VERSION
        self.url = ""
        self.app = SandboxApp(self.org, self.faults, self.sessions, daily_limit, jwt_app, lambda: self.url)
        self.session_id = self.sessions.issue()
        self._tmp = Path(tempfile.mkdtemp(prefix="cxrecon-sandbox-"))
        key_pem, cert_pem = server_certificate()
        self.ca_path = str(self._tmp / "sandbox-cert.pem")
        key_path = self._tmp / "sandbox-key.pem"
        Path(self.ca_path).write_bytes(cert_pem)
        key_path.write_bytes(key_pem)
        self._server = _Server(("127.0.0.1", port), self.app, numthreads=_THREADS)
        self._server.ssl_adapter = BuiltinSSLAdapter(self.ca_path, str(key_path))
        self._server.prepare()  # binds, so the port is known before the thread starts
        self.url = f"https://127.0.0.1:{self._server.bind_addr[1]}"
        self.token_url = self.url + "/services/oauth2/token"
        self._thread = threading.Thread(target=self._server.serve, name="cxrecon-sandbox", daemon=True)
        self._thread.start()

    @classmethod
    def start(
        cls,
        org: dict[str, Any] | str | Path | None = None,
        *,
        db_path: str | Path | None = None,
        port: int = 0,
        daily_limit: int = 100_000,
        jwt_app: JwtApp | None = None,
        omit_fields: dict[str, list[str]] | None = None,
        faults: FaultPlan | None = None,
    ) -> Sandbox:
        """Seed the org (only when the database is empty) and start serving."""
        return cls(
            org,
            db_path=db_path,
            port=port,
            daily_limit=daily_limit,
            jwt_app=jwt_app,
            omit_fields=omit_fields,
            faults=faults,
        )

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.stop()
            self._thread.join(timeout=10)
        self.store.close()
        shutil.rmtree(self._tmp, ignore_errors=True)

    @property
    def api_calls(self) -> int:
        return self.app.api_calls

    @property
    def daily_limit(self) -> int:
        return self.app.daily_limit

    @daily_limit.setter
    def daily_limit(self, value: int) -> None:
        self.app.daily_limit = value

    def reset_counter(self) -> None:
        self.app.reset_counter()

    def expire_sessions(self) -> None:
        """Every token issued so far gets 401 INVALID_SESSION_ID from now on."""
        self.sessions.expire_all()

    def new_session(self) -> str:
        """Issue a fresh access token and make it `session_id` (e.g. after `expire_sessions`)."""
        self.session_id = self.sessions.issue()
        return self.session_id

    def http_session(self) -> requests.Session:
        session = requests.Session()
        session.verify = self.ca_path
        session.trust_env = False
        return session

    def client(self) -> Salesforce:
        return Salesforce(
            instance_url=self.url,
            session_id=self.session_id,
            session=self.http_session(),
            version=self.api_version,
        )

    def dump(self) -> dict[str, Any]:
        """Every record in the org snapshot format (JSON-serialisable)."""
        return self.org.dump()
