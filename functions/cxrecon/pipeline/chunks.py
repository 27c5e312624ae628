"""Chunk files: a gzip'd NDJSON of Interactions in the outputs bucket under `work/chunks/`."""

from __future__ import annotations

import gzip
from collections.abc import Iterable

from cxrecon.domain.interaction import Interaction


def chunk_key(file_id: str, index: int) -> str:
    return f"work/chunks/{file_id}/{index:05d}.jsonl.gz"


def encode_chunk(interactions: Iterable[Interaction]) -> bytes:
    lines = "\n".join(ix.model_dump_json(exclude_defaults=True) for ix in interactions)
    return gzip.compress(lines.encode("utf-8"), compresslevel=5)


def decode_chunk(data: bytes) -> list[Interaction]:
    text = gzip.decompress(data).decode("utf-8")
    return [Interaction.model_validate_json(line) for line in text.splitlines() if line]
