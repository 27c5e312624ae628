"""Lambda is not emulated: this poller receives from the moto queues and calls the real handler
functions with real-shaped SQS events, as an event-source mapping with ReportBatchItemFailures would."""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cxrecon_local.iam_recorder import invoking

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


@dataclass
class LambdaContext:
    """The attributes Powertools reads from a Lambda context."""

    function_name: str
    memory_limit_in_mb: int = 1024
    aws_request_id: str = ""
    invoked_function_arn: str = ""
    log_group_name: str = "/aws/lambda/local"
    log_stream_name: str = "local"
    function_version: str = "$LATEST"

    def get_remaining_time_in_millis(self) -> int:
        return 900_000


@dataclass(frozen=True)
class QueueBinding:
    """One event-source mapping: a queue, its handler and its batch size."""

    function_name: str
    queue_url: str
    queue_arn: str
    handler: Handler
    batch_size: int = 1


def _record(message: dict[str, Any], queue_arn: str, region: str) -> dict[str, Any]:
    body = message["Body"]
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": body,
        "attributes": message.get("Attributes", {}),
        "messageAttributes": message.get("MessageAttributes", {}),
        "md5OfBody": hashlib.md5(body.encode()).hexdigest(),  # noqa: S324 - SQS's own checksum
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }


def poll_once(sqs: Any, binding: QueueBinding, region: str) -> int:
    """Receive one batch and hand it to the handler. Returns how many messages were received.

    Successes are deleted; reported failures become visible again at once (Lambda would wait for the
    visibility timeout; locally a retry now keeps runs short). The queue's redrive policy still moves a
    message to its DLQ after maxReceiveCount receives.
    """
    response = sqs.receive_message(
        QueueUrl=binding.queue_url,
        MaxNumberOfMessages=binding.batch_size,
        WaitTimeSeconds=0,
        AttributeNames=["All"],
        MessageAttributeNames=["All"],
    )
    messages = response.get("Messages", [])
    if not messages:
        return 0
    event = {"Records": [_record(m, binding.queue_arn, region) for m in messages]}
    context = LambdaContext(
        function_name=binding.function_name,
        aws_request_id=str(uuid.uuid4()),
        invoked_function_arn=f"arn:aws:lambda:{region}:123456789012:function:{binding.function_name}",
    )
    try:
        with invoking(binding.function_name):  # what the handler calls is this function's (IAM check)
            result = binding.handler(event, context)
    except Exception as exc:
        log.warning("%s invocation failed: %s", binding.function_name, type(exc).__name__)
        result = {"batchItemFailures": [{"itemIdentifier": m["MessageId"]} for m in messages]}
    failed = {f["itemIdentifier"] for f in (result or {}).get("batchItemFailures", [])}
    for message in messages:
        if message["MessageId"] in failed:
            sqs.change_message_visibility(
                QueueUrl=binding.queue_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
            )
        else:
            sqs.delete_message(QueueUrl=binding.queue_url, ReceiptHandle=message["ReceiptHandle"])
    return len(messages)


def queue_depth(sqs: Any, queue_url: str) -> int:
    attrs = sqs.get_queue_attributes(
        QueueUrl=queue_url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return int(attrs["ApproximateNumberOfMessages"]) + int(attrs["ApproximateNumberOfMessagesNotVisible"])
