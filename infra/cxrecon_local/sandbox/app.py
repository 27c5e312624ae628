"""The WSGI application: token endpoint, auth, API call counting, faults and the REST routes."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import orjson
from werkzeug.wrappers import Request, Response

from .auth import JwtApp, Sessions, exchange
from .composite import Collections, Composite
from .errors import SalesforceError, bad, invalid_session, limit_exceeded, not_found, unavailable
from .faults import FaultPlan
from .org import Org, acting_user
from .rest import Call, Reply, Rest, split_data_path

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

MAX_URI_BYTES = 16_384
JSON_TYPE = "application/json;charset=UTF-8"
VERSIONS = ["58.0", "59.0", "60.0", "61.0", "62.0"]


class SandboxApp:
    def __init__(  # noqa: PLR0917
        self,
        org: Org,
        faults: FaultPlan,
        sessions: Sessions,
        daily_limit: int,
        jwt_app: JwtApp | None,
        instance_url: Callable[[], str],
    ) -> None:
        self.org = org
        self.faults = faults
        self.sessions = sessions
        self.daily_limit = daily_limit
        self.jwt_app = jwt_app
        self.instance_url = instance_url
        self.api_calls = 0
        self._count_lock = threading.Lock()
        self.rest = Rest(org, self.limits)
        self.rest.collections = Collections(self.rest)
        self.rest.composite = Composite(self.rest)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        response = self.dispatch(Request(environ))
        return response(environ, start_response)

    def reset_counter(self) -> None:
        with self._count_lock:
            self.api_calls = 0

    def limits(self) -> dict[str, Any]:
        remaining = max(0, self.daily_limit - self.api_calls)
        return {
            "DailyApiRequests": {"Max": self.daily_limit, "Remaining": remaining},
            "DailyBulkApiBatches": {"Max": 15000, "Remaining": 15000},
            "DataStorageMB": {"Max": 1024, "Remaining": 1024},
        }

    def dispatch(self, req: Request) -> Response:
        latency = self.faults.latency_ms
        if latency > 0:
            time.sleep(latency / 1000)
        raw = str(req.environ.get("RAW_URI") or req.environ.get("REQUEST_URI") or req.full_path)
        if len(raw.encode()) > MAX_URI_BYTES:
            return Response("URI Too Long", 414, content_type="text/plain")
        if req.path.rstrip("/") == "/services/oauth2/token":
            return self.token(req)
        try:
            split = split_data_path(raw)
        except SalesforceError:
            split = (None, ["?"])
        if split is None:
            return _json(404, not_found().body())
        return self.data(req, split)

    def token(self, req: Request) -> Response:
        if req.method != "POST":
            return _json(405, {"error": "invalid_request", "error_description": "must use HTTP POST"})

        def known_user(name: str) -> bool:
            with self.org.store.lock:
                return any(
                    str(u.get("Username", "")).lower() == name.lower() for u in self.org.store.scan("User")
                )

        status, body = exchange(
            req.form.to_dict(), self.jwt_app, self.instance_url(), known_user, self.sessions
        )
        return _json(status, body)

    def _user_id(self, username: str | None) -> str | None:
        """The User record a token acts as; called under the store lock."""
        if not username:
            return None
        for user in self.org.store.scan("User"):
            if str(user.get("Username", "")).lower() == username.lower():
                return str(user["Id"])
        return None

    def data(self, req: Request, split: tuple[str | None, list[str]]) -> Response:
        with self._count_lock:
            self.api_calls += 1
            calls = self.api_calls
        try:
            if calls > self.daily_limit:
                raise limit_exceeded()
            fault = self.faults.draw()
            if fault == "503":
                raise unavailable()
            if fault == "REQUEST_LIMIT_EXCEEDED":
                raise limit_exceeded()
            scheme, _, token = req.headers.get("Authorization", "").partition(" ")
            if (
                fault == "INVALID_SESSION_ID"
                or scheme not in ("Bearer", "OAuth")
                or not self.sessions.valid(token.strip())
            ):
                raise invalid_session()
            version, parts = split
            if parts == ["?"]:
                raise not_found()
            if version is None:
                reply = Reply(
                    200, [{"label": f"v{v}", "url": f"/services/data/v{v}", "version": v} for v in VERSIONS]
                )
            else:
                call = Call(
                    req.method,
                    version,
                    parts,
                    req.args.to_dict(),
                    _body(req),
                    {k.lower(): v for k, v in req.headers.items()},
                    fault == "UNABLE_TO_LOCK_ROW",
                )
                with self.org.store.lock:
                    user = acting_user.set(self._user_id(self.sessions.username(token.strip())))
                    try:
                        reply = self.rest.route(call)
                    finally:
                        acting_user.reset(user)
        except SalesforceError as exc:
            reply = Reply(exc.status, exc.body())
        response = _json(reply.status, reply.body)
        response.headers.update(reply.headers)
        response.headers["Sforce-Limit-Info"] = f"api-usage={calls}/{self.daily_limit}"
        return response


def _body(req: Request) -> Any:
    raw = req.get_data()
    if not raw.strip():
        return None
    try:
        return orjson.loads(raw)  # a collection upsert's body is a few hundred KB
    except ValueError as exc:
        raise bad("JSON_PARSER_ERROR", f"Unexpected character in request body: {exc}") from None


def _json(status: int, body: Any) -> Response:
    if status == 204 or body is None:
        return Response(status=status)
    return Response(orjson.dumps(body), status=status, content_type=JSON_TYPE)
