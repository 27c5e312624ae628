"""Records every AWS call a handler makes, attributed to the Lambda function whose handler made it.

The local stack runs each handler inside `invoking(FUNCTION)` (the poller and the review server do),
so a call is the function's when it is made while that function is being invoked: calls made outside
any invocation (the poller's own receive and delete, as the event-source mapping's, and the test
harness's) are not recorded. Two sources:

- boto3 and botocore clients, through botocore's event hooks (`before-parameter-build` gives the
  service, operation and parameters, `after-call` the HTTP status);
- clients that are not botocore (pyarrow's S3 filesystem, which the daily report reads with), from the
  requests moto's server receives; these are attributed to the function being invoked in the process
  at that moment, so the run that records them invokes one function at a time.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs

import boto3

from cxrecon_local import moto_server
from cxrecon_local.iam_actions import AwsCall

_function: contextvars.ContextVar[str | None] = contextvars.ContextVar("cxrecon_function", default=None)
_in_process: list[str] = []  # the functions being invoked in this process, innermost last
_lock = threading.Lock()
_CONTEXT_KEY = "cxrecon_iam_call"


@contextmanager
def invoking(function: str) -> Iterator[None]:
    """Run a handler invocation as `function` (its logical id in template.yaml)."""
    token = _function.set(function)
    with _lock:
        _in_process.append(function)
    try:
        yield
    finally:
        with _lock:
            _in_process.remove(function)
        _function.reset(token)


def _current_in_process() -> str | None:
    with _lock:
        return _in_process[-1] if _in_process else None


class IamRecorder:
    """`with IamRecorder().recording() as calls:` — every recorded `AwsCall` lands in `calls`."""

    def __init__(self) -> None:
        self.calls: list[AwsCall] = []

    @contextmanager
    def recording(self, session: boto3.Session | None = None) -> Iterator[list[AwsCall]]:
        """Hooks on `session` (default: boto3's default session, which the handlers' clients come from)
        and on moto's server. Clients built before this do not carry the hooks: build them after."""
        if session is None:
            if boto3.DEFAULT_SESSION is None:
                boto3.setup_default_session()
            session = boto3.DEFAULT_SESSION
        assert session is not None
        events = session.events
        events.register("before-parameter-build", self._before_call, unique_id=f"iam-before-{id(self)}")
        events.register("after-call", self._after_call, unique_id=f"iam-after-{id(self)}")
        moto_server.request_observers.append(self._observe_request)
        try:
            yield self.calls
        finally:
            moto_server.request_observers.remove(self._observe_request)
            events.unregister("before-parameter-build", unique_id=f"iam-before-{id(self)}")
            events.unregister("after-call", unique_id=f"iam-after-{id(self)}")

    # --- botocore -------------------------------------------------------------------------------
    def _before_call(self, params: dict[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
        function = _function.get()
        if function is None:
            return
        service = model.service_model.signing_name or model.service_model.endpoint_prefix
        kept = {k: v for k, v in params.items() if k != "Body"}
        with _lock:
            context[_CONTEXT_KEY] = len(self.calls)
            self.calls.append(AwsCall(function, service, model.name, kept))

    def _after_call(self, http_response: Any, context: dict[str, Any], **_: Any) -> None:
        index = context.get(_CONTEXT_KEY)
        if index is None:
            return
        with _lock:
            c = self.calls[index]
            self.calls[index] = AwsCall(
                c.function, c.service, c.operation, c.params, http_response.status_code
            )

    # --- other clients, seen by moto's server ---------------------------------------------------
    def _observe_request(self, environ: dict[str, Any]) -> Callable[[int], None] | None:
        if "Botocore/" in environ.get("HTTP_USER_AGENT", ""):
            return None  # recorded by the hooks, with its parameters
        function = _current_in_process()
        authorization = environ.get("HTTP_AUTHORIZATION", "")
        if function is None or "Credential=" not in authorization:
            return None
        scope = authorization.split("Credential=", 1)[1].split(",", 1)[0].split("/")
        service = scope[3] if len(scope) > 3 else "unknown"
        operation, params = (
            s3_operation(environ) if service == "s3" else (f"HTTP {environ.get('REQUEST_METHOD')}", {})
        )

        def finished(status: int) -> None:
            with _lock:
                self.calls.append(AwsCall(function, service, operation, params, status))

        return finished


def s3_operation(environ: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A path-style S3 REST request → its API operation and parameters (the requests pyarrow makes)."""
    method = str(environ.get("REQUEST_METHOD", "GET"))
    bucket, _, key = str(environ.get("PATH_INFO", "")).lstrip("/").partition("/")
    query = {
        k: v[0] for k, v in parse_qs(str(environ.get("QUERY_STRING", "")), keep_blank_values=True).items()
    }
    params: dict[str, Any] = {"Bucket": bucket}
    if not key:
        if method == "HEAD":
            return "HeadBucket", params
        if method == "GET" and query.get("list-type") == "2":
            return "ListObjectsV2", {**params, "Prefix": query.get("prefix", "")}
        if method == "GET" and not _subresources(query):
            return "ListObjects", {**params, "Prefix": query.get("prefix", "")}
        return f"unrecognised S3 bucket request {method} {sorted(query)}", params
    params["Key"] = key
    if "versionId" in query:
        params["VersionId"] = query["versionId"]
    named = {"GET": "GetObject", "HEAD": "HeadObject", "PUT": "PutObject", "DELETE": "DeleteObject"}
    if method in named and not _subresources(query, allowed=("versionId",)):
        if method == "PUT" and environ.get("HTTP_X_AMZ_COPY_SOURCE"):
            return "CopyObject", {**params, "CopySource": environ["HTTP_X_AMZ_COPY_SOURCE"]}
        return named[method], params
    return f"unrecognised S3 object request {method} {sorted(query)}", params


def _subresources(query: dict[str, str], allowed: Iterable[str] = ()) -> list[str]:
    listing = {"prefix", "delimiter", "max-keys", "marker", "continuation-token", "start-after"}
    listing |= {"encoding-type", "fetch-owner", "list-type"}
    return [k for k in query if k not in listing and k not in allowed]
