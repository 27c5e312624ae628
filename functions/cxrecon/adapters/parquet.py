"""Decision rows ↔ Parquet, with an explicit schema so column types never drift between files."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import Literal

import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel, ConfigDict

from cxrecon.domain.decision import Outcome
from cxrecon.pipeline.manifest import RunManifest
from cxrecon.pipeline.rows import DecisionRow

_TS = pa.timestamp("ms", tz="UTC")

DECISION_SCHEMA = pa.schema(
    [
        pa.field("interaction_id", pa.string(), nullable=False),
        pa.field("master_interaction_id", pa.string()),
        pa.field("channel", pa.string()),
        pa.field("direction", pa.string()),
        pa.field("started_at", _TS),
        pa.field("agent_id", pa.string()),
        pa.field("agent_name", pa.string()),
        pa.field("skill", pa.string()),
        pa.field("source_file", pa.string(), nullable=False),
        pa.field("source_line", pa.int64(), nullable=False),
        pa.field("file_id", pa.string(), nullable=False),
        pa.field("outcome", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("task_id", pa.string()),
        pa.field("who_ids", pa.list_(pa.string())),
        pa.field("what_id", pa.string()),
        pa.field("candidates", pa.list_(pa.string())),
        pa.field("evidence", pa.string()),
        pa.field("error", pa.string()),
        pa.field("decided_at", _TS, nullable=False),
        pa.field("decided_by", pa.string(), nullable=False),
        # The relation this decision replaced (reviewer actions and relinks); null for first decisions.
        pa.field("previous_what_id", pa.string()),
        pa.field("previous_who_ids", pa.list_(pa.string())),
    ]
)


def decisions_to_parquet(rows: Sequence[DecisionRow]) -> bytes:
    columns = {name: [getattr(row, name) for row in rows] for name in DECISION_SCHEMA.names}
    table = pa.Table.from_pydict(columns, schema=DECISION_SCHEMA)
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    return buffer.getvalue()


def decision_key(decided_on: str, file_id: str, part: str) -> str:
    """Hive-partitioned by decision date; the name is deterministic so a retry overwrites, never adds."""
    return f"decisions/dt={decided_on}/{file_id}-{part}.parquet"


RUN_SCHEMA = pa.schema(
    [
        pa.field("file_id", pa.string(), nullable=False),
        pa.field("bucket", pa.string()),
        pa.field("key", pa.string()),
        pa.field("source_file", pa.string()),
        pa.field("status", pa.string(), nullable=False),
        pa.field("rows_read", pa.int64(), nullable=False),
        pa.field("decided", pa.int64(), nullable=False),
        pa.field("rejected", pa.int64(), nullable=False),
        *(pa.field(f"n_{o.value}", pa.int64(), nullable=False) for o in Outcome),
        pa.field("chunks", pa.int64(), nullable=False),
        pa.field("salesforce_calls", pa.int64(), nullable=False),
        pa.field("started_at", _TS),
        pa.field("finished_at", _TS),
        pa.field("error", pa.string()),
        pa.field("accounting_ok", pa.bool_(), nullable=False),
    ]
)


def _ts(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def runs_to_parquet(manifests: Sequence[RunManifest]) -> bytes:
    """One `runs` row per export file, from its manifest."""
    rows = [
        {
            **m.model_dump(
                include={
                    "file_id",
                    "bucket",
                    "key",
                    "source_file",
                    "status",
                    "rows_read",
                    "decided",
                    "rejected",
                    "chunks",
                    "salesforce_calls",
                    "error",
                    "accounting_ok",
                }
            ),
            **{f"n_{o.value}": m.outcomes.get(o.value, 0) for o in Outcome},
            "started_at": _ts(m.started_at),
            "finished_at": _ts(m.finished_at),
        }
        for m in manifests
    ]
    table = pa.Table.from_pylist(rows, schema=RUN_SCHEMA)
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    return buffer.getvalue()


def run_key(manifest: RunManifest) -> str:
    """`runs/dt=<day the file started>/<file_id>.parquet`: rewritten in place when a file is re-finalised."""
    day = (manifest.started_at or manifest.finished_at or "1970-01-01")[:10]
    return f"runs/dt={day}/{manifest.file_id}.parquet"


ReviewStatus = Literal["open", "claimed", "resolved", "dismissed", "requeued"]

REVIEW_ITEM_SCHEMA = pa.schema(
    [
        pa.field("interaction_id", pa.string(), nullable=False),
        pa.field("status", pa.string(), nullable=False),
        pa.field("reason", pa.string()),
        pa.field("queued_at", _TS),
        pa.field("changed_at", _TS, nullable=False),
        pa.field("changed_by", pa.string(), nullable=False),
        pa.field("file_id", pa.string()),
    ]
)


class ReviewItemRow(BaseModel):
    """A row of `review_items/`: one status change of one review item (see docs/data-dictionary.md)."""

    model_config = ConfigDict(frozen=True)

    interaction_id: str
    status: ReviewStatus
    reason: str | None = None
    queued_at: datetime | None = None
    changed_at: datetime
    changed_by: str
    file_id: str | None = None


def review_items_to_parquet(rows: Sequence[ReviewItemRow]) -> bytes:
    columns = {name: [getattr(row, name) for row in rows] for name in REVIEW_ITEM_SCHEMA.names}
    table = pa.Table.from_pydict(columns, schema=REVIEW_ITEM_SCHEMA)
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    return buffer.getvalue()


def review_items_key(changed_on: str, name: str) -> str:
    """`review_items/dt=<UTC day of changed_at, or for queued rows the chunk's day>/<name>.parquet`; retries
    overwrite a deterministic name."""
    return f"review_items/dt={changed_on}/{name}.parquet"
