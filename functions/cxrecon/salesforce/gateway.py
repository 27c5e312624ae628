"""The Salesforce adapter the pipeline uses: checked org, batched reads, batched Task upserts."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from simple_salesforce.api import Salesforce

from cxrecon.config import Settings
from cxrecon.domain.lookups import LookupKeys, OrgView
from cxrecon.domain.writes import TaskWrite, WriteResult
from cxrecon.review.records import RecordInfo, Relation, TaskState
from cxrecon.salesforce import review_ops
from cxrecon.salesforce.auth import LAMBDA_TOKEN_CACHE, SalesforceCredentials, TokenCache
from cxrecon.salesforce.client import ApiUsage, SalesforceClientFactory, aws_session, local_session
from cxrecon.salesforce.doctor import DoctorReport, check_org
from cxrecon.salesforce.exceptions import OrgNotReady
from cxrecon.salesforce.reads import fetch_name_view, fetch_org_view
from cxrecon.salesforce.retry import retry_transient
from cxrecon.salesforce.writes import upsert_tasks

T = TypeVar("T")

# Every Task field the pipeline writes (the doctor checks them; TaskWhoIds is not a describe field).
TASK_FIELDS_WRITTEN: tuple[str, ...] = (
    "Subject",
    "Status",
    "Priority",
    "OwnerId",
    "WhoId",
    "WhatId",
    "TaskWhoIds",
    "ActivityDate",
    "Description",
    "CallType",
    "CallDisposition",
    "CallDurationInSeconds",
    "CallObject",
    "TaskSubtype",
    "CXone_Contact_Id__c",
)


class SalesforceGateway:
    """Reads an `OrgView` for lookup keys and upserts Tasks; every request is retried when transient."""

    def __init__(
        self,
        factory: SalesforceClientFactory,
        *,
        integration_username: str,
        default_region: str = "US",
        attempts: int = 5,
        base_delay: float = 0.5,
        max_delay: float = 20.0,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self._factory = factory
        self._integration_username = integration_username
        self._default_region = default_region
        self._attempts = attempts
        self._base_delay = base_delay
        self._max_delay = max_delay
        self._sleep = sleep
        self._rng = rng or random.Random()  # noqa: S311 (jitter, not security)
        self._report: DoctorReport | None = None
        self._api_calls = 0

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        credentials: SalesforceCredentials,
        *,
        cache: TokenCache = LAMBDA_TOKEN_CACHE,
        integration_username: str | None = None,
    ) -> SalesforceGateway:
        """A gateway on the sandbox's CA when `salesforce_ca_bundle` is set, else on the AWS session."""
        timeout = settings.salesforce_timeout_seconds
        if settings.salesforce_ca_bundle:
            session = local_session(settings.salesforce_ca_bundle, timeout=timeout)
        else:
            session = aws_session(timeout)
        factory = SalesforceClientFactory(
            lambda: credentials, session, settings.salesforce_api_version, cache
        )
        return cls(
            factory,
            integration_username=integration_username or credentials.username,
            default_region=settings.default_phone_region,
            attempts=max(1, settings.salesforce_max_retries),
        )

    @property
    def api_calls(self) -> int:
        """API requests this gateway has sent (composites count once, retries each time)."""
        return self._api_calls

    @property
    def api_usage(self) -> ApiUsage | None:
        """The org's API usage as of the latest response, if any response carried it."""
        return self._factory.api_usage

    def _call(self, fn: Callable[[Salesforce], T]) -> T:
        before = self._factory.calls
        try:
            return retry_transient(
                lambda: self._factory.call(fn),
                attempts=self._attempts,
                base_delay=self._base_delay,
                max_delay=self._max_delay,
                sleep=self._sleep,
                rng=self._rng,
            )
        finally:
            self._api_calls += self._factory.calls - before

    def check(self) -> DoctorReport:
        """The org's setup checklist (`cxrecon doctor`), run once per gateway and then cached."""
        if self._report is None:
            self._report = check_org(
                self._call,
                integration_username=self._integration_username,
                required_task_fields=TASK_FIELDS_WRITTEN,
            )
        return self._report

    def ensure_ready(self) -> DoctorReport:
        """Check the org once per gateway; raise `OrgNotReady` naming every failed check."""
        self._report = self.check()
        if not self._report.ok:
            failed = self._report.failures
            listed = "; ".join(f"{c.name} ({c.detail})" if c.detail else c.name for c in failed)
            raise OrgNotReady(
                f"Salesforce org not ready, {len(failed)} check(s) failed: {listed}",
                failed_checks=[(c.name, c.detail) for c in failed],
            )
        return self._report

    def fetch(self, keys: LookupKeys) -> OrgView:
        report = self.ensure_ready()
        return fetch_org_view(
            self._call,
            keys,
            integration_username=self._integration_username,
            default_region=self._default_region,
            task_last_modified_by="LastModifiedById" in report.task_fields,
        )

    def fetch_names(self, keys: LookupKeys) -> OrgView:
        """The name round: only `keys.names` / `keys.typed_names` are looked up (`fetch_name_view`)."""
        self.ensure_ready()
        return fetch_name_view(self._call, keys)

    def upsert_tasks(self, writes: Sequence[TaskWrite]) -> list[WriteResult]:
        self.ensure_ready()
        return upsert_tasks(self._call, writes)

    # --- review console (see salesforce/review_ops.py) -------------------------------------------
    def get_records(self, ids: Sequence[str]) -> dict[str, RecordInfo]:
        return review_ops.get_records(self._call, ids)

    def find_case(self, number: str) -> RecordInfo | None:
        return review_ops.find_case(self._call, number)

    def read_task(self, *, task_id: str | None, cxone_contact_id: str) -> TaskState | None:
        return review_ops.read_task(self._call, task_id=task_id, cxone_contact_id=cxone_contact_id)

    def relate_task(self, task: TaskState, relation: Relation) -> None:
        review_ops.relate_task(self._call, task, relation)
