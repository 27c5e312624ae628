"""The tables analysts query, and where their Parquet lives: a local outputs directory or S3.

Every table is hive-partitioned by `dt` (a `YYYY-MM-DD` string on both engines). A table with no files
yet reads as an empty table of its explicit schema, never as an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa

from cxrecon.adapters.parquet import DECISION_SCHEMA, REVIEW_ITEM_SCHEMA, RUN_SCHEMA

PARTITION = pa.field("dt", pa.string())

TABLES: dict[str, pa.Schema] = {
    "decisions": DECISION_SCHEMA.append(PARTITION),
    "runs": RUN_SCHEMA.append(PARTITION),
    "review_items": REVIEW_ITEM_SCHEMA.append(PARTITION),
}


def empty_table(name: str) -> pa.Table:
    return TABLES[name].empty_table()


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class OutputsSource(Protocol):
    """Where the outputs are. It tells the DuckDB runner how to expose each table as a relation."""

    def relation(self, table: str, register: Any) -> str:
        """SQL for a relation over `table`; `register(name, arrow_object)` makes Python data queryable."""
        ...

    def allowed_directories(self) -> list[str]:
        """Local directories the queries may read (nothing else is readable)."""
        ...


@dataclass(frozen=True)
class LocalOutputs:
    """An outputs directory as `cxrecon run` writes it (`decisions/dt=.../*.parquet`, ...)."""

    root: Path

    def files(self, table: str) -> list[Path]:
        return sorted((self.root / table).glob("dt=*/*.parquet"))

    def relation(self, table: str, register: Any) -> str:
        if not self.files(table):
            register(f"{table}__empty", empty_table(table))
            return f"SELECT * FROM {table}__empty"  # noqa: S608 - table is one of TABLES
        glob = str(self.root.resolve() / table / "dt=*" / "*.parquet")
        return (
            f"SELECT * FROM read_parquet({_quote(glob)}, hive_partitioning = true, "  # noqa: S608 - quoted
            f"hive_types = {{'dt': VARCHAR}})"
        )

    def allowed_directories(self) -> list[str]:
        return [str(self.root.resolve())]


@dataclass(frozen=True)
class S3Outputs:
    """The outputs bucket, read through pyarrow's S3 filesystem (so moto works with an endpoint)."""

    bucket: str
    filesystem: Any  # pyarrow.fs.S3FileSystem

    def relation(self, table: str, register: Any) -> str:
        import pyarrow.dataset as ds  # noqa: PLC0415 - only the S3 path needs it
        from pyarrow.fs import FileSelector, FileType  # noqa: PLC0415

        base = f"{self.bucket}/{table}"
        infos = self.filesystem.get_file_info(FileSelector(base, allow_not_found=True, recursive=True))
        paths = sorted(
            i.path
            for i in infos
            if i.type == FileType.File and i.path.endswith(".parquet") and "/dt=" in i.path
        )
        if not paths:
            register(f"{table}__empty", empty_table(table))
        else:
            partitioning = ds.partitioning(pa.schema([PARTITION]), flavor="hive")
            dataset = ds.dataset(
                paths,
                schema=TABLES[table],
                format="parquet",
                filesystem=self.filesystem,
                partitioning=partitioning,
                partition_base_dir=base,
            )
            register(f"{table}__s3", dataset)
            return f"SELECT * FROM {table}__s3"  # noqa: S608 - table is one of TABLES
        return f"SELECT * FROM {table}__empty"  # noqa: S608

    def allowed_directories(self) -> list[str]:
        return []


def s3_filesystem(session: Any, endpoint_url: str | None = None) -> Any:
    """A pyarrow S3 filesystem with a boto3 session's credentials and region (and moto's endpoint)."""
    from urllib.parse import urlsplit  # noqa: PLC0415

    from pyarrow import fs  # noqa: PLC0415

    credentials = session.get_credentials().get_frozen_credentials()
    options: dict[str, Any] = {
        "access_key": credentials.access_key,
        "secret_key": credentials.secret_key,
        "session_token": credentials.token,
        "region": session.region_name or "us-east-1",
    }
    if endpoint_url:
        parts = urlsplit(endpoint_url)
        options["endpoint_override"] = parts.netloc
        options["scheme"] = parts.scheme or "https"
    return fs.S3FileSystem(**options)
