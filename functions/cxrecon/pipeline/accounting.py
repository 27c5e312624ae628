"""A file's end: its manifest (JSON) and its `runs` row (Parquet), written once it is complete or failed.

Exactly one caller finalises a file (the ledger's conditional update decides who), and a mismatch
between rows read and rows decided is logged as an error and recorded in the manifest.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from aws_lambda_powertools import Logger

from cxrecon.adapters.ledger import Ledger
from cxrecon.adapters.parquet import run_key, runs_to_parquet
from cxrecon.adapters.s3 import S3Store
from cxrecon.config import SERVICE
from cxrecon.pipeline.manifest import RunManifest, manifest_key

logger = Logger(service=SERVICE, child=True)


def publish_manifest(manifest: RunManifest, store: S3Store, bucket: str) -> None:
    body = manifest.model_dump_json(indent=2).encode()
    store.put_bytes(bucket, manifest_key(manifest.file_id), body, "application/json")
    store.put_bytes(bucket, run_key(manifest), runs_to_parquet([manifest]))


def finalise_file(
    file_id: str, ledger: Ledger, store: S3Store, bucket: str, now: Callable[[], datetime]
) -> RunManifest | None:
    """Publish the manifest once the last chunk is in; None when the file is not done or someone else won."""
    record = ledger.try_finalise(file_id, now().isoformat())
    if record is None:
        return None
    manifest = RunManifest.from_ledger(record)
    publish_manifest(manifest, store, bucket)
    if manifest.accounting_ok:
        logger.info("file complete", extra={"file_id": file_id, "outcomes": manifest.outcomes})
    else:
        logger.error(
            "accounting mismatch: rows read != decided + rejected",
            extra={"file_id": file_id, "rows_read": manifest.rows_read, "outcomes": manifest.outcomes},
        )
    return manifest


def fail_file(
    file_id: str, error: str, *, ledger: Ledger, store: S3Store, bucket: str, now: Callable[[], datetime]
) -> RunManifest:
    """Record why a file cannot be processed; the caller re-raises so SQS retries, then parks it in a DLQ."""
    ledger.fail_file(file_id, error, now().isoformat())
    manifest = RunManifest.from_ledger(ledger.get_file(file_id) or {"pk": f"FILE#{file_id}"})
    publish_manifest(manifest, store, bucket)
    logger.error("file failed", extra={"file_id": file_id, "error": error})
    return manifest
