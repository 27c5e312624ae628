"""Reconcile λ: a chunk message → Tasks in Salesforce, review messages, decision rows."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from cxrecon.bootstrap import container
from cxrecon.config import SERVICE
from cxrecon.gc_tuning import freeze_once, tune
from cxrecon.log_hygiene import quiet_third_party_loggers
from cxrecon.pipeline.messages import ChunkMessage
from cxrecon.pipeline.reconcile import reconcile_chunk

logger = Logger(service=SERVICE)
quiet_third_party_loggers()
metrics = Metrics(service=SERVICE)
processor = BatchProcessor(event_type=EventType.SQS)
tune()


def record_handler(record: SQSRecord) -> None:
    app = container()
    outcomes = reconcile_chunk(ChunkMessage.model_validate_json(record.body), app.reconcile_deps())
    for outcome, count in outcomes.items():
        metrics.add_metric(f"Outcome_{outcome}", MetricUnit.Count, count)
    usage = app.salesforce.api_usage
    if usage is not None and usage.max:
        metrics.add_metric("SalesforceApiUsagePercent", MetricUnit.Percent, 100.0 * usage.used / usage.max)


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    response = process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
    freeze_once()  # the container is warm now: what it keeps is exempt from later collections
    return response
