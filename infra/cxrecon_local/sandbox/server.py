"""`Sandbox`: the HTTPS server on loopback (self-signed certificate made at start) as a context manager."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any

import requests
from cheroot.ssl.builtin import BuiltinSSLAdapter
from simple_salesforce.api import Salesforce

from cxrecon_local.wsgi_server import LoopbackServer

from .app import SandboxApp
from .auth import JwtApp, Sessions
from .faults import FaultPlan
from .org import Org, load_org
from .store import Store
from .tls import server_certificate

API_VERSION = "62.0"


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
        self._server = LoopbackServer(
            "cxrecon-sandbox", self.app, port=port, ssl_adapter=BuiltinSSLAdapter(self.ca_path, str(key_path))
        )
        self.url = f"https://127.0.0.1:{self._server.port}"
        self.token_url = self.url + "/services/oauth2/token"
        self._server.start()

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
        self._server.stop()
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
