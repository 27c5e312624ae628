"""Ingest: stream one export from S3, reject bad rows with reasons, hand the rest on as chunks.

A re-delivered event, or the same object again, is a no-op (the ledger's file record). An unreadable
file is recorded in its manifest and raised, so SQS retries it and finally parks it in the DLQ. A file
that breaks midway is processed as far as it reads and ends `truncated` (`pipeline.read_break`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from aws_lambda_powertools import Logger

from cxrecon.adapters.ledger import Ledger
from cxrecon.adapters.s3 import ObjectInfo, S3Store
from cxrecon.adapters.sqs import SqsQueue
from cxrecon.config import SERVICE
from cxrecon.domain.interaction import Interaction
from cxrecon.exports import ExportError
from cxrecon.pipeline.accounting import fail_file, finalise_file
from cxrecon.pipeline.chunks import chunk_key, encode_chunk
from cxrecon.pipeline.export_reading import ExportReading
from cxrecon.pipeline.messages import ChunkMessage
from cxrecon.pipeline.read_break import ReadBreak

logger = Logger(service=SERVICE, child=True)


@dataclass(frozen=True)
class IngestDeps:
    store: S3Store
    ledger: Ledger
    chunk_queue: SqsQueue
    outputs_bucket: str
    chunk_size: int
    max_field_chars: int
    now: Callable[[], datetime]


@dataclass
class IngestResult:
    file_id: str
    duplicate: bool = False
    rows_read: int = 0
    rejected: int = 0
    chunks: int = 0
    rejection_reasons: dict[str, int] = field(default_factory=dict)
    truncated: bool = False  # the file broke midway; what was read before the break was processed


def file_id_of(info: ObjectInfo) -> str:
    """A file is its bucket, key and version (or ETag): the same bytes under another key are another file."""
    identity = f"{info.bucket}\n{info.key}\n{info.version_id or info.etag}"
    return hashlib.sha256(identity.encode()).hexdigest()[:24]


def chunk_interactions(rows: Iterator[Interaction], size: int) -> Iterator[list[Interaction]]:
    """Fixed-size chunks that never split the legs of one master contact that arrive together (rule 12)."""
    chunk: list[Interaction] = []
    for ix in rows:
        if len(chunk) >= size:
            last = chunk[-1].master_interaction_id
            if not (last and ix.master_interaction_id == last and len(chunk) < size * 2):
                yield chunk
                chunk = []
        chunk.append(ix)
    if chunk:
        yield chunk


def _finish_ingest(result: IngestResult, broke: ReadBreak | None, deps: IngestDeps) -> None:
    deps.ledger.finish_ingest(
        result.file_id,
        rows_read=result.rows_read,
        reader_rejected=result.rejected,
        chunk_count=result.chunks,
        read_error=broke.describe() if broke else None,
        read_stopped=(broke.after_line, broke.at_byte) if broke else None,
    )
    if broke:
        result.truncated = True
        logger.warning(
            "export broke midway: the rows before the break are processed, the rest was never read",
            extra={
                "file_id": result.file_id,
                "rows_read": result.rows_read,
                "reason": broke.reason,
                "after_line": broke.after_line,
                "at_byte": broke.at_byte,
            },
        )


def ingest_export(info: ObjectInfo, deps: IngestDeps) -> IngestResult:
    file_id = file_id_of(info)
    source_file = info.key.rsplit("/", 1)[-1]
    attrs = {
        "bucket": info.bucket,
        "key": info.key,
        "etag": info.etag,
        "source_file": source_file,
        "version_id": info.version_id or "",
    }
    first_start = deps.ledger.begin_file(file_id, attrs, deps.now().isoformat())
    if first_start is None:
        logger.info("duplicate export event ignored", extra={"file_id": file_id})
        return IngestResult(file_id=file_id, duplicate=True)
    # The `dt` partition of all the file's rows (rejections here, decisions and open review items in
    # Reconcile): the day the file first started, so an attempt on a later day rewrites the same files.
    day = datetime.fromisoformat(first_start).date().isoformat()

    result = IngestResult(file_id=file_id)
    reading = ExportReading(
        info,
        file_id,
        day,
        deps.store,
        deps.outputs_bucket,
        deps.max_field_chars,
        deps.now,
    )
    try:
        for index, chunk in enumerate(chunk_interactions(reading.interactions(), deps.chunk_size)):
            key = chunk_key(file_id, index)
            deps.store.put_bytes(deps.outputs_bucket, key, encode_chunk(chunk), "application/gzip")
            message = ChunkMessage(
                file_id=file_id,
                index=index,
                bucket=deps.outputs_bucket,
                key=key,
                count=len(chunk),
                source_file=source_file,
                dt=day,
            )
            deps.chunk_queue.send(message.model_dump_json())
            result.chunks += 1
    except ExportError as exc:
        fail_file(
            file_id,
            f"{type(exc).__name__}: {exc}",
            ledger=deps.ledger,
            store=deps.store,
            bucket=deps.outputs_bucket,
            now=deps.now,
        )
        raise
    reading.flush()
    result.rows_read, result.rejected = reading.rows_read, reading.rejected
    result.rejection_reasons = reading.rejection_reasons
    _finish_ingest(result, reading.broke, deps)
    logger.info(
        "export ingested",
        extra={
            "file_id": file_id,
            "rows_read": result.rows_read,
            "rejected": result.rejected,
            "chunks": result.chunks,
            "rejection_reasons": result.rejection_reasons,
        },
    )
    finalise_file(file_id, deps.ledger, deps.store, deps.outputs_bucket, deps.now)
    return result
