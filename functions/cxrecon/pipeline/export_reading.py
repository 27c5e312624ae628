"""Ingest's reading side: one export's rows as Interactions, its rejected rows recorded as decision rows,
and where reading broke when the file ends early (`pipeline.read_break`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO, cast

from cxrecon.adapters.parquet import decision_key, decisions_to_parquet
from cxrecon.adapters.s3 import ObjectInfo, S3Store
from cxrecon.domain.interaction import Interaction, Rejection
from cxrecon.exports import ExportError, read_export
from cxrecon.pipeline.read_break import CountingBody, ReadBreak
from cxrecon.pipeline.rows import DecisionRow

REJECTION_FLUSH = 10_000


@dataclass
class ExportReading:
    """Reads `info` once through `interactions()`. Rejections are written under `day` in parts of
    REJECTION_FLUSH rows, with deterministic names, so a re-read overwrites them; `flush()` writes the
    last part. `broke` is set when the file broke after its first row; a file unreadable from the start
    raises its `ExportError`."""

    info: ObjectInfo
    file_id: str
    day: str
    store: S3Store
    outputs_bucket: str
    max_field_chars: int
    now: Callable[[], datetime]
    rows_read: int = 0
    rejected: int = 0
    rejection_reasons: dict[str, int] = field(default_factory=dict)
    broke: ReadBreak | None = None
    _pending: list[DecisionRow] = field(default_factory=list)
    _parts: int = 0

    @property
    def source_file(self) -> str:
        return self.info.key.rsplit("/", 1)[-1]

    def interactions(self) -> Iterator[Interaction]:
        body = CountingBody(self.store.open(self.info.bucket, self.info.key, self.info.version_id))
        last_line = 0
        try:
            rows = read_export(cast(BinaryIO, body), self.source_file, max_field_chars=self.max_field_chars)
            for row in rows:
                self.rows_read += 1
                last_line = row.source_line
                if isinstance(row, Rejection):
                    self._reject(row)
                else:
                    yield row
        except ExportError as exc:
            if self.rows_read == 0:
                raise
            self.broke = ReadBreak.of(exc, after_line=last_line, at_byte=body.bytes_read, size=self.info.size)
        finally:
            body.close()

    def _reject(self, row: Rejection) -> None:
        self.rejected += 1
        self.rejection_reasons[row.reason] = self.rejection_reasons.get(row.reason, 0) + 1
        self._pending.append(DecisionRow.from_rejection(row, file_id=self.file_id, decided_at=self.now()))
        if len(self._pending) >= REJECTION_FLUSH:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            key = decision_key(self.day, self.file_id, f"rejected-{self._parts:04d}")
            self.store.put_bytes(self.outputs_bucket, key, decisions_to_parquet(self._pending))
            self._parts += 1
            self._pending = []
