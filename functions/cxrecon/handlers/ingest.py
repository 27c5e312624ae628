"""Ingest λ: S3 ObjectCreated (via SQS) → validated chunks on the chunk queue."""

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
from cxrecon.pipeline.ingest import ingest_export
from cxrecon.pipeline.s3_events import objects_in

logger = Logger(service=SERVICE)
quiet_third_party_loggers()
metrics = Metrics(service=SERVICE)
processor = BatchProcessor(event_type=EventType.SQS)
tune()


def record_handler(record: SQSRecord) -> None:
    app = container()
    for ref in objects_in(record.body):
        result = ingest_export(app.store.head(ref.bucket, ref.key, ref.version_id), app.ingest_deps())
        metrics.add_metric("RowsRead", MetricUnit.Count, result.rows_read)
        metrics.add_metric("RowsRejected", MetricUnit.Count, result.rejected)


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    response = process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
    freeze_once()  # the container is warm now: what it keeps is exempt from later collections
    return response
