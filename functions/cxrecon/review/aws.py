"""AWS adapters of the review ports: the review queue and its DLQ (SQS), decision rows (S3)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError

from cxrecon.adapters.exceptions import raise_aws_fault
from cxrecon.adapters.parquet import (
    ReviewItemRow,
    decision_key,
    decisions_to_parquet,
    review_items_key,
    review_items_to_parquet,
)
from cxrecon.adapters.s3 import S3Store
from cxrecon.pipeline.rows import DecisionRow
from cxrecon.review.ports import QueueMessage, ReviewItemChange

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

# A receipt that no longer holds the message: it was received again by someone else, or deleted.
_GONE = frozenset({"ReceiptHandleIsInvalid", "InvalidParameterValue", "MessageNotInflight"})


class SqsReviewQueue:
    def __init__(self, client: SQSClient, queue_url: str, dlq_url: str = "") -> None:
        self._sqs = client
        self.url = queue_url
        self.dlq_url = dlq_url

    def receive(self, *, visibility_seconds: int) -> QueueMessage | None:
        try:
            got = self._sqs.receive_message(
                QueueUrl=self.url,
                MaxNumberOfMessages=1,
                VisibilityTimeout=visibility_seconds,
                WaitTimeSeconds=0,
            ).get("Messages", [])
        except (ClientError, BotoCoreError) as exc:
            raise_aws_fault(exc, "receive review message")
        return QueueMessage(got[0]["Body"], got[0]["ReceiptHandle"]) if got else None

    def _receipt_call(self, what: str, url: str, receipt: str, seconds: int | None = None) -> bool:
        try:
            if seconds is None:
                self._sqs.delete_message(QueueUrl=url, ReceiptHandle=receipt)
            else:
                self._sqs.change_message_visibility(
                    QueueUrl=url, ReceiptHandle=receipt, VisibilityTimeout=seconds
                )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _GONE:
                return False
            raise_aws_fault(exc, what)
        except BotoCoreError as exc:
            raise_aws_fault(exc, what)
        return True

    def extend(self, receipt: str, seconds: int) -> bool:
        return self._receipt_call("extend review message", self.url, receipt, seconds)

    def delete(self, receipt: str) -> bool:
        return self._receipt_call("delete review message", self.url, receipt)

    def send(self, body: str) -> None:
        try:
            self._sqs.send_message(QueueUrl=self.url, MessageBody=body)
        except (ClientError, BotoCoreError) as exc:
            raise_aws_fault(exc, "send review message")

    def dead_letters(self) -> list[QueueMessage]:
        if not self.dlq_url:
            return []
        out: list[QueueMessage] = []
        for _ in range(100):
            try:
                got = self._sqs.receive_message(
                    QueueUrl=self.dlq_url, MaxNumberOfMessages=10, VisibilityTimeout=120, WaitTimeSeconds=0
                ).get("Messages", [])
            except (ClientError, BotoCoreError) as exc:
                raise_aws_fault(exc, "receive review dead letters")
            if not got:
                break
            out.extend(QueueMessage(m["Body"], m["ReceiptHandle"]) for m in got)
        return out

    def delete_dead(self, receipt: str) -> None:
        self._receipt_call("delete review dead letter", self.dlq_url, receipt)


class S3DecisionSink:
    """Decision rows into the outputs bucket's `decisions/` table, one small Parquet file per action."""

    def __init__(self, store: S3Store, bucket: str) -> None:
        self._store = store
        self._bucket = bucket

    def write_decision(self, row: DecisionRow, part: str) -> None:
        key = decision_key(row.decided_at.date().isoformat(), row.file_id, part)
        self._store.put_bytes(self._bucket, key, decisions_to_parquet([row]))
        self.wrote(key)

    def wrote(self, key: str) -> None:
        """Hook for the local console: mirror the file into the run's directory."""

    def review_item_changed(self, change: ReviewItemChange) -> None:
        """One `review_items` row per status change (the analytics table of issue 6)."""
        at = datetime.fromisoformat(change.at)
        row = ReviewItemRow(
            interaction_id=change.item_id,
            status=change.status,
            reason=change.reason,
            queued_at=datetime.fromisoformat(change.queued_at) if change.queued_at else None,
            changed_at=at,
            changed_by=change.reviewer,
            file_id=change.file_id,
        )
        key = review_items_key(
            at.date().isoformat(), f"{change.item_id}-{at:%Y%m%dT%H%M%S%f}-{change.status}"
        )
        self._store.put_bytes(self._bucket, key, review_items_to_parquet([row]))
        self.wrote(key)
