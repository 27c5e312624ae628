"""The review console on 127.0.0.1, pointed at a run's output directory (`cxrecon review serve --data DIR`).

- the local stack starts with a sandbox persisted in `DIR/sandbox.sqlite` (seeded from `DIR/org.json`
  the first time), so decisions survive restarts;
- `DIR/review/items.jsonl` is loaded into the ledger and the review queue, except items a reviewer
  already decided (rows in `DIR/decisions/` with `decided_by` other than `pipeline`);
- HTTP requests become API Gateway (HTTP API v2) events for the same `review_api.lambda_handler`, the
  reviewer's name standing in for the authorizer's claims;
- every decision row and review-item change is copied into `DIR/`, and `DIR/org.json` is refreshed on exit.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from cxrecon.adapters.ledger import ReviewLedger, review_item
from cxrecon.pipeline.rows import PIPELINE
from cxrecon_local.iam_recorder import invoking
from cxrecon_local.local_pipeline import LocalPipeline
from cxrecon_local.sandbox import load_org

SYNCED_PREFIXES = ("decisions/", "review_items/")


@dataclass(frozen=True)
class LambdaContext:
    function_name: str = "ReviewApiFunction"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:ReviewApiFunction"
    aws_request_id: str = "local"


def reviewer_decided(data: Path) -> dict[str, str]:
    """Interactions a reviewer already decided (→ who), from the run's decision rows."""
    decided: dict[str, str] = {}
    for path in sorted((data / "decisions").rglob("*.parquet")):
        table = pq.read_table(path, columns=["interaction_id", "decided_by", "reason"])
        for row in table.to_pylist():
            if row["decided_by"] != PIPELINE and row["reason"] != "relink":
                decided[str(row["interaction_id"])] = str(row["decided_by"])
    return decided


@contextmanager
def console_stack(data: Path, *, log_level: str = "WARNING") -> Iterator[LocalPipeline]:
    """The local stack for a run directory, with its review items queued."""
    db_path = data / "sandbox.sqlite"
    org_file = data / "org.json"
    if not db_path.exists() and not org_file.is_file():
        raise FileNotFoundError(f"{org_file} not found: point --data at the output of `cxrecon run`")
    snapshot = {} if db_path.exists() else load_org(org_file)
    with LocalPipeline.start(snapshot, log_level=log_level, db_path=db_path) as local:
        items = data / "review" / "items.jsonl"
        if items.is_file():
            lines = items.read_text(encoding="utf-8").splitlines()
            skip = reviewer_decided(data)
            queue_items(local, [json.loads(line) for line in lines if line.strip()], skip)
        try:
            yield local
        finally:
            org_file.write_text(json.dumps(local.sandbox.dump(), indent=1, default=str), encoding="utf-8")


def queue_items(
    local: LocalPipeline, bodies: Iterable[dict[str, Any]], decided: dict[str, str] | None = None
) -> int:
    """Record each review item in the ledger and send its message, as the pipeline does (record, send,
    then mark sent), in bulk: BatchWriteItem (25) and SendMessageBatch (10). Items decided in an earlier
    session are recorded as resolved, with no message; items already recorded and sent are left alone."""
    ledger = ReviewLedger(local.stack.client("dynamodb"), local.resource("LedgerTable"))
    sqs = local.stack.client("sqs")
    url = local.resource("ReviewQueue")
    decided = decided or {}
    todo = {str(b["item_id"]): b for b in bodies}
    existing = ledger.existing_review_items(list(todo))
    closed: list[dict[str, Any]] = []
    fresh: list[tuple[str, str, dict[str, str]]] = []
    for item_id, body in todo.items():
        text = json.dumps(body)
        queued_at = str(body["queued_at"])
        attrs = {"reason": body["reason"], "file_id": body["file_id"], "body": text}
        if item_id in decided:
            if item_id not in existing:  # the shape add → claim → close leaves behind
                who = decided[item_id]
                closing = {"claimed_by": who, "claimed_at": queued_at, "resolved_by": who, "resolved_at": ""}
                closed.append(
                    review_item(
                        item_id,
                        queued_at,
                        {**attrs, **closing, "action": "earlier-session"},
                        status="resolved",
                    )
                )
        elif item_id not in existing or "sent_at" not in existing[item_id]:
            fresh.append((item_id, queued_at, attrs))
    ledger.put_review_items(closed)
    ledger.put_review_items([review_item(i, at, attrs) for i, at, attrs in fresh])
    for start in range(0, len(fresh), 10):
        batch = fresh[start : start + 10]
        entries = [{"Id": str(n), "MessageBody": attrs["body"]} for n, (_, _, attrs) in enumerate(batch)]
        failed = sqs.send_message_batch(QueueUrl=url, Entries=entries).get("Failed", [])
        if failed:
            raise RuntimeError(f"review queue refused {len(failed)} message(s): {failed[0]}")
    ledger.put_review_items([review_item(i, at, {**attrs, "sent_at": at}) for i, at, attrs in fresh])
    return len(fresh)


def to_event(request: Request, reviewer: str) -> dict[str, Any]:
    """An API Gateway HTTP API (payload 2.0) event, as the JWT authorizer would pass it."""
    body = request.get_data()
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": request.path,
        "rawQueryString": request.query_string.decode(),
        "headers": {k.lower(): v for k, v in request.headers.items()},
        "requestContext": {
            "http": {"method": request.method, "path": request.path, "sourceIp": request.remote_addr or ""},
            "authorizer": {"jwt": {"claims": {"email": reviewer}, "scopes": None}},
            "stage": "$default",
            "requestId": "local",
        },
        "body": body.decode("utf-8", errors="replace") if body else None,
        "isBase64Encoded": False,
    }


class ReviewApp:
    """WSGI → the review Lambda handler; mirrors new output objects into the run directory."""

    def __init__(self, local: LocalPipeline, reviewer: str, data: Path | None) -> None:
        from cxrecon.handlers import review_api  # noqa: PLC0415 - after the environment is set

        self.handler = review_api.lambda_handler
        self.local = local
        self.reviewer = reviewer
        self.data = data
        self._synced: set[str] = set()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        with invoking(LambdaContext.function_name):
            result = self.handler(to_event(request, self.reviewer), LambdaContext())  # type: ignore[arg-type]
        raw = result.get("body") or ""
        payload = base64.b64decode(raw) if result.get("isBase64Encoded") else str(raw).encode()
        response = Response(payload, status=int(result["statusCode"]))
        for key, value in (result.get("headers") or {}).items():
            response.headers[key] = value
        if request.method == "POST" and self.data is not None:
            self.sync()
        return response(environ, start_response)

    def sync(self) -> None:
        assert self.data is not None
        s3 = self.local.stack.client("s3")
        bucket = self.local.outputs_bucket
        for prefix in SYNCED_PREFIXES:
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
                for obj in page.get("Contents", []):
                    key = obj["Key"]
                    if key in self._synced:
                        continue
                    target = self.data / key
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
                    self._synced.add(key)


@contextmanager
def serve(local: LocalPipeline, reviewer: str, *, data: Path | None, port: int = 0) -> Iterator[Any]:
    """Serve the console on 127.0.0.1 only, in a background thread; yields the server (`.port`)."""
    import threading  # noqa: PLC0415

    server = make_server("127.0.0.1", port, ReviewApp(local, reviewer, data), threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.1,), name="cxrecon-review", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
