"""Helpers shared by the export reader tests."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from cxrecon.domain.interaction import Interaction, Rejection
from cxrecon.exports import read_export

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "exports"


def read_bytes(data: bytes, source_file: str = "export.bin", **kwargs: int) -> list[Interaction | Rejection]:
    return list(read_export(io.BytesIO(data), source_file, **kwargs))


def read_fixture(name: str) -> list[Interaction | Rejection]:
    with (FIXTURES / name).open("rb") as stream:
        return list(read_export(stream, name))


def interactions(rows: list[Interaction | Rejection]) -> list[Interaction]:
    return [row for row in rows if isinstance(row, Interaction)]


def rejections(rows: list[Interaction | Rejection]) -> list[Rejection]:
    return [row for row in rows if isinstance(row, Rejection)]


def by_id(rows: list[Interaction | Rejection]) -> dict[str, Interaction]:
    return {row.interaction_id: row for row in interactions(rows)}


class ChunkedStream:
    """A read(n)-only stream (like a boto3 StreamingBody) producing bytes from a generator, lazily."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._pending = b""
        self.bytes_read = 0

    def read(self, size: int = -1) -> bytes:
        parts = [self._pending]
        have = len(self._pending)
        while size < 0 or have < size:
            try:
                chunk = next(self._chunks)
            except StopIteration:
                break
            parts.append(chunk)
            have += len(chunk)
        joined = b"".join(parts)
        if size < 0:
            data, self._pending = joined, b""
        else:
            data, self._pending = joined[:size], joined[size:]
        self.bytes_read += len(data)
        return data
