"""The local stack's HTTP servers: a WSGI app on 127.0.0.1, served by cheroot in a thread.

Both emulators (moto, the Salesforce sandbox) were served by werkzeug's development server, which
closes every connection and starts a thread for each: every AWS call paid a TCP connect and a thread,
and every Salesforce call a TLS handshake at both ends (7.7 ms a call instead of 1.9 ms). cheroot keeps
HTTP/1.1 connections open and serves them from a thread pool; idle connections wait in its selector,
not in a thread. It writes no access log, and errors are logged without details: request lines and
bodies carry phone numbers and emails.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from cheroot import wsgi

log = logging.getLogger(__name__)

THREADS = 16
"""Requests served at once (worker containers, the poller and the console's calls together)."""


class _Server(wsgi.Server):
    # How often the serve loop looks up from its select(): `stop()` waits for that (cheroot's 0.5 s
    # made every sandbox a test starts and stops cost half a second).
    expiration_interval = 0.05

    def __init__(self, name: str, app: Any, port: int) -> None:
        super().__init__(("127.0.0.1", port), app, numthreads=THREADS)
        self.label = name

    def error_log(self, msg: str = "", level: int = 20, traceback: bool = False) -> None:
        if level >= logging.WARNING:
            log.warning("%s: request failed (details withheld: may contain customer data)", self.label)


class LoopbackServer:
    """`app` on 127.0.0.1:`port` (0: any free port), served from a daemon thread once `start()`ed.
    `ssl_adapter` (a cheroot adapter) makes it HTTPS; `gateway` replaces cheroot's WSGI gateway."""

    def __init__(
        self, name: str, app: Any, *, port: int = 0, ssl_adapter: Any = None, gateway: Any = None
    ) -> None:
        self._server = _Server(name, app, port)
        if ssl_adapter is not None:
            self._server.ssl_adapter = ssl_adapter
        if gateway is not None:
            self._server.gateway = gateway
        self._server.prepare()  # binds now, so the port is known before `start()`
        self._thread = threading.Thread(target=self._server.serve, name=name, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.bind_addr[1])

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.stop()
            self._thread.join(timeout=10)
