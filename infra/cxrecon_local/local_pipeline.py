"""The whole pipeline on the embedded local stack: moto (AWS) + the Salesforce sandbox + the poller.

The handlers run exactly as in Lambda: configured by the environment the template gives each function
(resolved to the moto resources), with credentials in (moto's) Secrets Manager and the JWT bearer
flow against the sandbox's token endpoint.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import time
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxrecon.adapters.ledger import Ledger
from cxrecon.adapters.s3 import ObjectInfo
from cxrecon.bootstrap import reset_container
from cxrecon.config import SERVICE
from cxrecon.pipeline.ingest import file_id_of
from cxrecon.pipeline.manifest import RunManifest
from cxrecon_local.poller import QueueBinding, poll_once, queue_depth
from cxrecon_local.sandbox import JwtApp, Sandbox, load_org, make_rsa_keypair
from cxrecon_local.stack import LocalStack, start_local_stack

INTEGRATION_USERNAME = "cxrecon-integration@example.com"
CONSUMER_KEY = "cxrecon-local-connected-app"
DLQS = ("IngestDLQ", "ChunkDLQ", "ReviewDLQ")


class LocalRunError(Exception):
    """The local pipeline could not run at all (bad input files, a stack that did not start)."""


def prepare_org(org: Mapping[str, Any]) -> dict[str, Any]:
    """The local stack provisions its integration user, as an admin would in a real org."""
    prepared = copy.deepcopy(dict(org))
    users = prepared.setdefault("User", [])
    if not any(str(u.get("Username", "")).lower() == INTEGRATION_USERNAME for u in users):
        users.append(
            {
                "FirstName": "cxrecon",
                "LastName": "Integration",
                "Username": INTEGRATION_USERNAME,
                "Email": INTEGRATION_USERNAME,
                "IsActive": True,
            }
        )
    return prepared


@contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    reset_container()
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old
        reset_container()


def _set_log_level(level: str) -> None:
    """Powertools child loggers carry their own level, fixed when their module was imported (before the
    local environment existed): set it on the whole `cxrecon` logger tree."""
    for name in list(logging.Logger.manager.loggerDict):
        if name == SERVICE or name.startswith(SERVICE + "."):
            logging.getLogger(name).setLevel(level)


@dataclass
class LocalPipeline:
    stack: LocalStack
    sandbox: Sandbox
    file_ids: list[str] = field(default_factory=list)

    @classmethod
    @contextmanager
    def start(
        cls,
        org: Mapping[str, Any] | str | Path,
        *,
        chunk_size: int | None = None,
        log_level: str = "WARNING",
        omit_fields: dict[str, list[str]] | None = None,
        db_path: Path | None = None,
    ) -> Iterator[LocalPipeline]:
        """`omit_fields` removes fields from the sandbox's schema, e.g. to play an org missing
        `Task.CXone_Contact_Id__c`. `db_path` keeps the sandbox's org in a SQLite file, seeded from
        `org` only while the file is new."""
        try:
            snapshot = load_org(org) if isinstance(org, str | Path) else org
        except (OSError, ValueError) as exc:
            raise LocalRunError(f"cannot read org snapshot: {exc}") from exc
        private_key, certificate = make_rsa_keypair()
        app = JwtApp(consumer_key=CONSUMER_KEY, certificate_pem=certificate, usernames={INTEGRATION_USERNAME})
        parameters = {"ChunkSize": str(chunk_size)} if chunk_size else {}
        with ExitStack() as stack:
            aws = stack.enter_context(start_local_stack(parameters=parameters))
            sandbox = stack.enter_context(
                Sandbox.start(prepare_org(snapshot), jwt_app=app, omit_fields=omit_fields, db_path=db_path)
            )
            env = cls._handler_environment(aws, sandbox, log_level)
            aws.client("secretsmanager").put_secret_value(
                SecretId=env["CXRECON_SALESFORCE_SECRET_ARN"],
                SecretString=json.dumps(
                    {
                        "consumer_key": CONSUMER_KEY,
                        "username": INTEGRATION_USERNAME,
                        "private_key": private_key.decode(),
                        "token_url": sandbox.token_url,
                    }
                ),
            )
            stack.enter_context(_environment(env))
            stack.enter_context(warnings.catch_warnings())
            warnings.filterwarnings("ignore", message="No application metrics to publish")
            yield cls(aws, sandbox)

    @staticmethod
    def _handler_environment(aws: LocalStack, sandbox: Sandbox, log_level: str) -> dict[str, str]:
        env: dict[str, str] = {}
        for function_env in aws.function_environment.values():
            env.update(function_env)
        env.update(
            {
                "CXRECON_AWS_ENDPOINT_URL": aws.endpoint_url,
                "CXRECON_SALESFORCE_CA_BUNDLE": str(sandbox.ca_path),
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_DEFAULT_REGION": aws.region,
                "POWERTOOLS_METRICS_DISABLED": "true",
                "POWERTOOLS_TRACE_DISABLED": "true",
                "POWERTOOLS_LOG_LEVEL": log_level,
                "LOG_LEVEL": log_level,
            }
        )
        return env

    # --- resources -------------------------------------------------------------------------------
    def resource(self, logical_id: str) -> str:
        return self.stack.resources[logical_id]

    @property
    def exports_bucket(self) -> str:
        return self.resource("ExportsBucket")

    @property
    def outputs_bucket(self) -> str:
        return self.resource("OutputsBucket")

    @property
    def ledger(self) -> Ledger:
        return Ledger(self.stack.client("dynamodb"), self.resource("LedgerTable"))

    # --- input -----------------------------------------------------------------------------------
    def upload_directory(self, data: bytes) -> None:
        self.stack.client("s3").put_object(Bucket=self.exports_bucket, Key="directory/users.csv", Body=data)

    def upload_export(self, name: str, data: bytes) -> str:
        """Upload under `exports/`; returns the file id the pipeline will know it by."""
        s3 = self.stack.client("s3")
        key = f"exports/{name}"
        put = s3.put_object(Bucket=self.exports_bucket, Key=key, Body=data)
        info = ObjectInfo(self.exports_bucket, key, put["ETag"].strip('"'), put.get("VersionId"), len(data))
        file_id = file_id_of(info)
        self.file_ids.append(file_id)
        return file_id

    # --- running ---------------------------------------------------------------------------------
    def bindings(self) -> list[QueueBinding]:
        # Imported here, after the environment is set: Powertools reads it when the module loads.
        from cxrecon.handlers import ingest as ingest_handler  # noqa: PLC0415
        from cxrecon.handlers import reconcile as reconcile_handler  # noqa: PLC0415

        _set_log_level(os.environ.get("POWERTOOLS_LOG_LEVEL", "WARNING"))
        sqs = self.stack.client("sqs")

        def arn(url: str) -> str:
            return str(
                sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            )

        ingest_url, chunk_url = self.resource("IngestQueue"), self.resource("ChunkQueue")
        return [
            QueueBinding("IngestFunction", ingest_url, arn(ingest_url), ingest_handler.lambda_handler, 1),
            QueueBinding("ReconcileFunction", chunk_url, arn(chunk_url), reconcile_handler.lambda_handler, 1),
        ]

    def drain(self, *, progress: Callable[[str], None] | None = None, timeout: float = 3600.0) -> None:
        """Run the handlers until the ingest and chunk queues are empty: then nothing more can happen.
        A file whose messages ended in a DLQ stays unfinished, and its manifest says so."""
        sqs = self.stack.client("sqs")
        bindings = self.bindings()
        deadline = time.monotonic() + timeout
        handled = 0
        while time.monotonic() < deadline:
            received = sum(poll_once(sqs, b, self.stack.region) for b in bindings)
            handled += received
            if received:
                if progress:
                    progress(f"{handled} messages handled")
                continue
            if all(queue_depth(sqs, b.queue_url) == 0 for b in bindings):
                return
            time.sleep(0.05)
        raise LocalRunError(f"the pipeline did not finish within {timeout:.0f}s")

    # --- output ----------------------------------------------------------------------------------
    def manifests(self) -> list[RunManifest]:
        out = []
        for file_id in self.file_ids:
            record = self.ledger.get_file(file_id)
            if record is not None:
                out.append(RunManifest.from_ledger(record))
        return out

    def queue_messages(self, logical_id: str) -> list[dict[str, Any]]:
        """Every message on a queue, left in place (received with a zero visibility timeout)."""
        sqs = self.stack.client("sqs")
        url = self.resource(logical_id)
        seen: dict[str, dict[str, Any]] = {}
        for _ in range(1000):
            messages = sqs.receive_message(
                QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0, WaitTimeSeconds=0
            ).get("Messages", [])
            fresh = [m for m in messages if m["MessageId"] not in seen]
            if not fresh and (not messages or len(seen) >= queue_depth(sqs, url)):
                break
            for message in fresh:
                seen[message["MessageId"]] = json.loads(message["Body"])
        return list(seen.values())

    def download_outputs(self, out: Path) -> list[str]:
        """Copy the outputs bucket's decisions and manifests into `out`, keeping the key layout."""
        s3 = self.stack.client("s3")
        written = []
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=self.outputs_bucket):
            for obj in page.get("Contents", []):
                key = obj["Key"]
                if key.startswith("work/"):
                    continue
                target = out / key
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(s3.get_object(Bucket=self.outputs_bucket, Key=key)["Body"].read())
                written.append(key)
        return written
