"""One run manifest per export file: the accounting that proves nothing was lost."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from cxrecon.domain.decision import Outcome


class RunManifest(BaseModel):
    """`rows_read == sum(outcomes)`: every row read is decided or rejected. `accounting_ok` says so."""

    model_config = ConfigDict(frozen=True)

    file_id: str
    bucket: str
    key: str
    source_file: str
    etag: str | None = None
    version_id: str | None = None
    status: str
    rows_read: int = 0
    decided: int = 0
    rejected: int = 0
    outcomes: dict[str, int] = {}
    chunks: int = 0
    salesforce_calls: int = 0
    started_at: str | None = None
    finished_at: str | None = None
    error: str | None = None
    accounting_ok: bool = False
    # `truncated`: the file broke midway (a truncated gzip, JSON cut off). The rows before the break were
    # processed and are accounted for here; the rest of the file was never read. `error` says where.
    truncated: bool = False
    # For a truncated file: the source line of the last row read, and how many bytes of the object
    # (as stored) had been read when reading broke.
    read_stopped_after_line: int | None = None
    read_stopped_at_byte: int | None = None
    # Of `rejected`: interactions a reconcile step failed for (reason `processing_failed`, a defect or
    # data no check foresaw), set aside so that their chunk could finish. Zero in a healthy run.
    processing_failures: int = 0

    @classmethod
    def from_ledger(cls, record: dict[str, Any]) -> RunManifest:
        chunk_outcomes = {o.value: int(record.get("outcomes", {}).get(o.value, 0)) for o in Outcome}
        reader_rejected = int(record.get("reader_rejected", 0))
        outcomes = {
            **chunk_outcomes,
            Outcome.REJECTED.value: chunk_outcomes[Outcome.REJECTED.value] + reader_rejected,
        }
        rows_read = int(record.get("rows_read", 0))
        rejected = outcomes[Outcome.REJECTED.value]
        total = sum(outcomes.values())
        read_error = record.get("read_error")
        done = record.get("status") == "complete"
        return cls(
            file_id=str(record["pk"]).removeprefix("FILE#"),
            bucket=record.get("bucket", ""),
            key=record.get("key", ""),
            source_file=record.get("source_file", ""),
            etag=record.get("etag"),
            version_id=record.get("version_id") or None,
            status="truncated" if done and read_error else record.get("status", ""),
            rows_read=rows_read,
            decided=total - rejected,
            rejected=rejected,
            outcomes=outcomes,
            chunks=int(record.get("chunk_count", 0)),
            salesforce_calls=int(record.get("salesforce_calls", 0)),
            started_at=record.get("started_at"),
            finished_at=record.get("finished_at"),
            error=record.get("error") or read_error,
            accounting_ok=done and rows_read == total,
            truncated=bool(read_error),
            read_stopped_after_line=_int_or_none(record.get("read_stopped_after_line")),
            read_stopped_at_byte=_int_or_none(record.get("read_stopped_at_byte")),
            processing_failures=int(record.get("processing_failures", 0)),
        )


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)


def manifest_key(file_id: str) -> str:
    return f"manifests/{file_id}.json"
