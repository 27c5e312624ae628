"""Sending to SQS queues, ten messages a call."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError

from cxrecon.adapters.exceptions import AwsFault, raise_aws_fault

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

SQS_BATCH = 10


class SqsQueue:
    def __init__(self, client: SQSClient, queue_url: str) -> None:
        self._sqs = client
        self.url = queue_url

    def send(self, body: str) -> None:
        self.send_many([body])

    def send_many(self, bodies: Sequence[str]) -> None:
        """Send every body; a partial batch failure raises, so the caller's retry covers it."""
        for start in range(0, len(bodies), SQS_BATCH):
            batch = bodies[start : start + SQS_BATCH]
            entries = [{"Id": str(i), "MessageBody": body} for i, body in enumerate(batch)]
            try:
                response = self._sqs.send_message_batch(QueueUrl=self.url, Entries=entries)  # type: ignore[arg-type]
            except (ClientError, BotoCoreError) as exc:
                raise_aws_fault(exc, "send messages")
            failed = response.get("Failed", [])
            if failed:
                codes = ",".join(sorted({f.get("Code", "") for f in failed}))
                raise AwsFault(f"send messages: {len(failed)} failed ({codes})", codes)
