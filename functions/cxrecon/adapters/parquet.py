"""Decision rows ↔ Parquet, with an explicit schema so column types never drift between files."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pyarrow as pa
import pyarrow.parquet as pq

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
