"""What Reconcile runs on: its Salesforce port and the rest of its dependencies."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from cxrecon.adapters.ledger import Ledger
from cxrecon.adapters.s3 import S3Store
from cxrecon.adapters.sqs import SqsQueue
from cxrecon.domain.directory import Directory
from cxrecon.domain.lookups import LookupKeys, OrgView
from cxrecon.domain.writes import TaskWrite, WriteResult


class SalesforcePort(Protocol):
    """What reconciliation needs from Salesforce (the gateway, or a fake in unit tests)."""

    @property
    def api_calls(self) -> int: ...

    def ensure_ready(self) -> object: ...

    def fetch(self, keys: LookupKeys) -> OrgView: ...

    def fetch_names(self, keys: LookupKeys) -> OrgView: ...

    def upsert_tasks(self, writes: Sequence[TaskWrite]) -> list[WriteResult]: ...


@dataclass(frozen=True)
class ReconcileDeps:
    store: S3Store
    ledger: Ledger
    review_queue: SqsQueue
    salesforce: SalesforcePort
    directory: Callable[[], Directory]
    outputs_bucket: str
    region: str
    now: Callable[[], datetime]
