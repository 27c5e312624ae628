"""Review API λ: the console's page and JSON API behind API Gateway (HTTP API, JWT authorizer).

The reviewer is whoever the authorizer says (`requestContext.authorizer.jwt.claims.email`); locally,
the review server puts its `--reviewer` there. Every request is validated here, whatever the page sent.
The same function re-queues review dead letters (SQS event) and runs the sweep (schedule).
"""

from __future__ import annotations

import re
from dataclasses import asdict
from importlib import resources
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from cxrecon.bootstrap import container
from cxrecon.log_hygiene import quiet_third_party_loggers
from cxrecon.review import ApplyRequest, RelinkRequest, ReviewError, ReviewService, sweep
from cxrecon.review.ports import QueueMessage
from cxrecon.review.sweep import SweepReport, requeue_dead_letters
from cxrecon.review.wiring import review_service

logger = Logger()
quiet_third_party_loggers()
app = APIGatewayHttpResolver()
_ITEM_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
_REF = re.compile(r"^[A-Za-z0-9#]{1,20}$")
STATIC = {"app.js": "application/javascript", "app.css": "text/css", "index.html": content_types.TEXT_HTML}


class Unauthorized(ReviewError):
    status = 401
    code = "unauthorized"


def _service() -> ReviewService:
    return review_service(container())


def _reviewer() -> str:
    ctx = app.current_event.raw_event.get("requestContext") or {}
    claims = ((ctx.get("authorizer") or {}).get("jwt") or {}).get("claims") or {}
    email = str(claims.get("email") or "").strip()
    if not email or len(email) > 254:
        raise Unauthorized("Sign in as a reviewer first.")
    return email


def _checked(value: str, pattern: re.Pattern[str], what: str) -> str:
    if not pattern.match(value):
        raise ReviewError(f"That is not a valid {what}.")
    return value


def _body() -> dict[str, Any]:
    body = app.current_event.json_body if app.current_event.body else {}
    if not isinstance(body, dict):
        raise ReviewError("The request body must be a JSON object.")
    return body


def _view(record: dict[str, Any] | None) -> dict[str, Any] | None:
    """Only what a reviewer needs: never receipts or internal keys."""
    if record is None:
        return None
    return {
        "item_id": str(record["pk"]).removeprefix("REVIEW#"),
        "status": record.get("status"),
        "claimed_by": record.get("claimed_by"),
        "claim_expires": record.get("claim_expires"),
        "resolved_by": record.get("resolved_by"),
        "queued_at": record.get("queued_at"),
        "message": ReviewService.message_of(record).model_dump(mode="json") if record.get("body") else None,
    }


def _static(name: str) -> Response[str]:
    text = resources.files("cxrecon.review").joinpath("static", name).read_text(encoding="utf-8")
    return Response(
        200, STATIC[name], text, headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
    )


@app.get("/")
def page() -> Response[str]:
    return _static("index.html")


@app.get("/static/<name>")
def static(name: str) -> Response[str]:
    if name not in STATIC:
        return Response(404, content_types.TEXT_PLAIN, "not found")
    return _static(name)


@app.get("/api/queue")
def queue() -> dict[str, Any]:
    reviewer = _reviewer()
    return {"reviewer": reviewer, **asdict(_service().stats())}


@app.post("/api/items/next")
def next_item() -> dict[str, Any]:
    return {"item": _view(_service().claim_next(_reviewer()))}


@app.post("/api/items/<item_id>/claim")
def claim(item_id: str) -> dict[str, Any]:
    return {"item": _view(_service().claim(_checked(item_id, _ITEM_ID, "item id"), _reviewer()))}


@app.post("/api/items/<item_id>/extend")
def extend(item_id: str) -> dict[str, Any]:
    return {"claim_expires": _service().extend(_checked(item_id, _ITEM_ID, "item id"), _reviewer())}


@app.post("/api/items/<item_id>/apply")
def apply(item_id: str) -> dict[str, Any]:
    request = ApplyRequest.model_validate(_body())
    result = _service().apply(_checked(item_id, _ITEM_ID, "item id"), _reviewer(), request)
    return result.model_dump()


@app.post("/api/items/<item_id>/dismiss")
def dismiss(item_id: str) -> dict[str, Any]:
    request = ApplyRequest.model_validate({**_body(), "action": "no_relation", "records": []})
    return _service().apply(_checked(item_id, _ITEM_ID, "item id"), _reviewer(), request).model_dump()


@app.post("/api/items/<item_id>/release")
def release(item_id: str) -> dict[str, Any]:
    return _service().release(_checked(item_id, _ITEM_ID, "item id"), _reviewer()).model_dump()


@app.get("/api/records/<ref>")
def record(ref: str) -> dict[str, Any]:
    _reviewer()
    return asdict(_service().lookup(_checked(ref, _REF, "record id or case number")))


@app.get("/api/interactions/<interaction_id>")
def interaction(interaction_id: str) -> dict[str, Any]:
    _reviewer()
    service = _service()
    item_id = _checked(interaction_id, _ITEM_ID, "interaction id")
    record = service.store.get_review_item(item_id)
    view = _view(record)
    message = service.message_of(record) if record and record.get("body") else None
    task = service.salesforce.read_task(
        task_id=message.task_id if message else None, cxone_contact_id=item_id
    )
    if task is None and view is None:
        raise ReviewError(f"No interaction {item_id} is known here or in Salesforce.")
    return {"item": view, "task": asdict(task) if task else None}


@app.post("/api/interactions/<interaction_id>/relink")
def relink(interaction_id: str) -> dict[str, Any]:
    request = RelinkRequest.model_validate(_body())
    item_id = _checked(interaction_id, _ITEM_ID, "interaction id")
    return _service().relink(item_id, _reviewer(), request.records).model_dump()


@app.exception_handler(ReviewError)  # type: ignore[untyped-decorator,unused-ignore]
def review_error(exc: ReviewError) -> Response[dict[str, str]]:
    return Response(exc.status, content_types.APPLICATION_JSON, {"error": exc.code, "message": str(exc)})


@app.exception_handler(ValidationError)  # type: ignore[untyped-decorator,unused-ignore]
def invalid(exc: ValidationError) -> Response[dict[str, str]]:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ())) or "request"
    message = f"Invalid {where}: {first.get('msg', 'invalid value')}."
    return Response(400, content_types.APPLICATION_JSON, {"error": "invalid", "message": message})


def _report(report: SweepReport) -> dict[str, Any]:
    return {"released": report.released, "requeued": report.requeued, "dropped": report.dropped}


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if "Records" in event:  # the ReviewDLQ event source: undecided items go back to the queue
        report = SweepReport()
        letters = [QueueMessage(str(r.get("body", "")), "") for r in event["Records"]]
        requeue_dead_letters(_service(), letters, report)
        logger.info("review dead letters re-queued", extra=_report(report))
        return {"batchItemFailures": []}  # a failure raises: the whole batch is retried
    if event.get("source") == "aws.events":  # the schedule
        return _report(sweep(_service()))
    return app.resolve(event, context)
