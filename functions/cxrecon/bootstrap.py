"""Wires settings, AWS clients, the Salesforce gateway and the pipeline steps together.

The only place that reads the environment (through `Settings`). Nothing connects at import time:
clients are built on first use and kept for the life of the Lambda container.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

import boto3

from cxrecon.adapters.exceptions import ObjectMissing
from cxrecon.adapters.ledger import Ledger
from cxrecon.adapters.s3 import S3Store
from cxrecon.adapters.secrets import SecretCredentials
from cxrecon.adapters.sqs import SqsQueue
from cxrecon.config import Settings
from cxrecon.domain.directory import Directory
from cxrecon.domain.records import DirectoryEntry
from cxrecon.pipeline.ingest import IngestDeps
from cxrecon.pipeline.reconcile import ReconcileDeps
from cxrecon.salesforce import SalesforceGateway, TokenCache

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_secretsmanager import SecretsManagerClient
    from mypy_boto3_sqs import SQSClient


def utc_now() -> datetime:
    return datetime.now(UTC)


def parse_directory(data: bytes, region: str) -> Directory:
    """The Engine directory CSV (`email,name,phone,org_account_id,role,job_url`)."""
    text = data.decode("utf-8-sig", errors="replace")
    rows = csv.DictReader(io.StringIO(text, newline=""))
    fields = set(DirectoryEntry.model_fields)
    entries = [
        DirectoryEntry(
            **{
                k.strip(): (v.strip() or None)
                for k, v in row.items()
                if k and k.strip() in fields and v is not None
            }
        )
        for row in rows
    ]
    return Directory(entries, region)


class Container:
    """Everything a handler needs, built lazily from one `Settings`."""

    def __init__(self, settings: Settings, *, now: Callable[[], datetime] = utc_now) -> None:
        self.settings = settings
        self.now = now
        self._directory: tuple[str, Directory] | None = None
        # The access token lives as long as the container (the Lambda execution environment), and is
        # never shared with another container pointed at another org.
        self._token_cache = TokenCache()

    def _client(self, service: str) -> Any:
        return boto3.client(service, endpoint_url=self.settings.aws_endpoint_url)  # type: ignore[call-overload]

    @cached_property
    def s3(self) -> S3Client:
        client: S3Client = self._client("s3")
        return client

    @cached_property
    def sqs(self) -> SQSClient:
        client: SQSClient = self._client("sqs")
        return client

    @cached_property
    def dynamodb(self) -> DynamoDBClient:
        client: DynamoDBClient = self._client("dynamodb")
        return client

    @cached_property
    def secrets(self) -> SecretsManagerClient:
        client: SecretsManagerClient = self._client("secretsmanager")
        return client

    @cached_property
    def store(self) -> S3Store:
        return S3Store(self.s3)

    @cached_property
    def ledger(self) -> Ledger:
        return Ledger(self.dynamodb, self.settings.ledger_table)

    @cached_property
    def salesforce(self) -> SalesforceGateway:
        credentials = SecretCredentials(self.secrets, self.settings.salesforce_secret_arn)()
        return SalesforceGateway.from_settings(self.settings, credentials, cache=self._token_cache)

    def directory(self) -> Directory:
        """The Engine directory, re-read only when its object changes (ETag)."""
        bucket, key = self.settings.exports_bucket, self.settings.directory_key
        if not bucket:
            return Directory()
        try:
            # A missing key answers 404 only to a role that may list the bucket (the template grants
            # it); without that S3 says 403, which is a fault, not "no directory".
            etag = self.store.head(bucket, key).etag
        except ObjectMissing:
            return Directory()
        if self._directory is None or self._directory[0] != etag:
            self._directory = (
                etag,
                parse_directory(self.store.get_bytes(bucket, key), self.settings.default_phone_region),
            )
        return self._directory[1]

    def ingest_deps(self) -> IngestDeps:
        return IngestDeps(
            store=self.store,
            ledger=self.ledger,
            chunk_queue=SqsQueue(self.sqs, self.settings.chunk_queue_url),
            outputs_bucket=self.settings.outputs_bucket,
            chunk_size=self.settings.chunk_size,
            max_field_chars=self.settings.max_field_chars,
            now=self.now,
        )

    def reconcile_deps(self) -> ReconcileDeps:
        return ReconcileDeps(
            store=self.store,
            ledger=self.ledger,
            review_queue=SqsQueue(self.sqs, self.settings.review_queue_url),
            salesforce=self.salesforce,
            directory=self.directory,
            outputs_bucket=self.settings.outputs_bucket,
            region=self.settings.default_phone_region,
            now=self.now,
        )


_container: Container | None = None


def container() -> Container:
    """The container of this Lambda execution environment (built on first use)."""
    global _container  # noqa: PLW0603 - one per execution environment, by design
    if _container is None:
        _container = Container(Settings())
    return _container


def reset_container() -> None:
    """Forget the cached container: the local stack calls this when it points the handlers elsewhere."""
    global _container  # noqa: PLW0603
    _container = None
