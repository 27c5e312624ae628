"""The whole pipeline on the embedded local stack: moto (AWS) + the Salesforce sandbox + the poller.

The handlers run exactly as in Lambda: configured by the environment the template gives each function
(resolved to the moto resources), with credentials in (moto's) Secrets Manager and the JWT bearer
flow against the sandbox's token endpoint.
"""

from __future__ import annotations

import copy
import json
import os
import time
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxrecon import gc_tuning
from cxrecon.adapters.ledger import Ledger
from cxrecon.adapters.s3 import ObjectInfo
from cxrecon.bootstrap import reset_container
from cxrecon.pipeline.ingest import file_id_of
from cxrecon.pipeline.manifest import RunManifest
from cxrecon_local.poller import QueueBinding, poll_once, queue_depth
from cxrecon_local.sandbox import JwtApp, Sandbox, load_org, make_rsa_keypair
from cxrecon_local.stack import LocalStack, start_local_stack
from cxrecon_local.workers import BindingSpec, WorkerPool, quiet_handler_warnings, set_log_level

INTEGRATION_USERNAME = "cxrecon-integration@example.com"
CONSUMER_KEY = "cxrecon-local-connected-app"
DLQS = ("IngestDLQ", "ChunkDLQ", "ReviewDLQ")
_WATCH_INTERVAL = 0.1  # seconds between looks at the workers' progress
_PEEK_HOLD = 60  # seconds a peeked message stays invisible should the release never come


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


@dataclass
class LocalPipeline:
    stack: LocalStack
    sandbox: Sandbox
    file_ids: list[str] = field(default_factory=list)
    workers: WorkerPool | None = None
    """Handler containers in their own processes (`workers=N`); None runs the handlers in-process."""

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
        workers: int = 0,
    ) -> Iterator[LocalPipeline]:
        """`omit_fields` removes fields from the sandbox's schema, e.g. to play an org missing
        `Task.CXone_Contact_Id__c`. `db_path` keeps the sandbox's org in a SQLite file, seeded from
        `org` only while the file is new. `workers=N` runs the handlers in N concurrent containers
        (processes, started and warmed here), as Lambda would, and moto in a process of its own (this
        one keeps the sandbox: the two emulators would otherwise share a GIL and set the pace); 0 runs
        the handlers and moto in this process."""
        try:
            snapshot = load_org(org) if isinstance(org, str | Path) else org
        except (OSError, ValueError) as exc:
            raise LocalRunError(f"cannot read org snapshot: {exc}") from exc
        private_key, certificate = make_rsa_keypair()
        app = JwtApp(consumer_key=CONSUMER_KEY, certificate_pem=certificate, usernames={INTEGRATION_USERNAME})
        parameters = {"ChunkSize": str(chunk_size)} if chunk_size else {}
        with ExitStack() as stack:
            aws = stack.enter_context(start_local_stack(parameters=parameters, moto_process=workers > 0))
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
            quiet_handler_warnings()
            local = cls(aws, sandbox)
            if workers:
                local.workers = stack.enter_context(WorkerPool(workers, env, aws, local.binding_specs()))
            # This process keeps the org snapshot (and, for `bench` and `eval`, the generated world):
            # set the collector as the containers do, so its full collections skip all that.
            gc_tuning.tune()
            gc_tuning.freeze_once()
            yield local

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
    def binding_specs(self) -> list[BindingSpec]:
        sqs = self.stack.client("sqs")

        def arn(url: str) -> str:
            return str(
                sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            )

        ingest_url, chunk_url = self.resource("IngestQueue"), self.resource("ChunkQueue")
        return [
            BindingSpec(
                "IngestFunction", ingest_url, arn(ingest_url), "cxrecon.handlers.ingest:lambda_handler"
            ),
            BindingSpec(
                "ReconcileFunction", chunk_url, arn(chunk_url), "cxrecon.handlers.reconcile:lambda_handler"
            ),
        ]

    def bindings(self) -> list[QueueBinding]:
        """The bindings with their handlers, imported here: after the environment is set, since
        Powertools reads it when a handler module loads."""
        bindings = [spec.resolve() for spec in self.binding_specs()]
        set_log_level(os.environ.get("POWERTOOLS_LOG_LEVEL", "WARNING"))
        return bindings

    def drain(self, *, progress: Callable[[str], None] | None = None, timeout: float = 3600.0) -> None:
        """Run the handlers until the ingest and chunk queues are empty: then nothing more can happen.
        A file whose messages ended in a DLQ stays unfinished, and its manifest says so."""
        if self.workers is not None:
            self._wait_for_workers(self.workers, progress, timeout)
            return
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
            if self._drained(sqs):
                return
            time.sleep(0.05)
        raise LocalRunError(f"the pipeline did not finish within {timeout:.0f}s")

    def _drained(self, sqs: Any) -> bool:
        """Nothing visible or in flight on the ingest queue, then on the chunk queue. In that order:
        ingest sends its chunks before its own message is deleted, and nothing feeds ingest."""
        return all(queue_depth(sqs, self.resource(q)) == 0 for q in ("IngestQueue", "ChunkQueue"))

    def _wait_for_workers(
        self, pool: WorkerPool, progress: Callable[[str], None] | None, timeout: float
    ) -> None:
        """Watch the workers' counters; ask moto for queue depths only once no container is polling
        or handling and the handled count stopped moving (the emulators share this process's CPU, and
        asking ten times a second while a chunk is being reconciled cost them seconds a run)."""
        sqs = self.stack.client("sqs")
        deadline = time.monotonic() + timeout
        reported = -1
        while time.monotonic() < deadline:
            if pool.dead():
                raise LocalRunError(f"worker process(es) exited: {', '.join(pool.dead())}")
            handled = pool.handled.value
            if handled != reported:
                if progress:
                    progress(f"{handled} messages handled")
                reported = handled
            elif pool.busy.value == 0 and self._drained(sqs):
                return
            time.sleep(_WATCH_INTERVAL)
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
        """Every message on a queue, left in place. Each is received once and held while the queue is
        paged through, then released: receiving the same visible head again and again would count a
        receive each time and push those messages into the queue's DLQ."""
        sqs = self.stack.client("sqs")
        url = self.resource(logical_id)
        seen: dict[str, dict[str, Any]] = {}
        held: list[str] = []
        try:
            while messages := sqs.receive_message(
                QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=_PEEK_HOLD, WaitTimeSeconds=0
            ).get("Messages", []):
                for message in messages:
                    seen.setdefault(message["MessageId"], json.loads(message["Body"]))
                    held.append(message["ReceiptHandle"])
        finally:
            for start in range(0, len(held), 10):
                sqs.change_message_visibility_batch(
                    QueueUrl=url,
                    Entries=[
                        {"Id": str(i), "ReceiptHandle": handle, "VisibilityTimeout": 0}
                        for i, handle in enumerate(held[start : start + 10])
                    ],
                )
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
