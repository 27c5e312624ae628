"""Opening an export: gzip by magic bytes, text encoding, and the layout, all decided by content.

The file name is never consulted. Sniffing reads at most the first 64 KB (of the decompressed data) and
replays it, so nothing is read twice from the source and nothing beyond that prefix is buffered.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import zlib
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, BinaryIO, Protocol

from .data_download import is_data_download_header, sniff_delimiter
from .exceptions import UnreadableExport

__all__ = ["ExportFormat", "Layout", "OpenedExport", "open_export"]

SNIFF_BYTES = 64 * 1024
GZIP_MAGIC = b"\x1f\x8b"
CONTAINER_KEYS = frozenset({"completedContacts", "data", "cases"})
LATIN1_FALLBACK = "cxrecon-latin1-fallback"


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    """cp1252 leaves five bytes undefined; read those as latin-1 (C1 controls) instead of failing."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error(LATIN1_FALLBACK, _latin1_fallback)


class ExportFormat(StrEnum):
    """Which CXone export a file is."""

    REPORTING_API = "reporting_api"
    DATA_DOWNLOAD = "data_download"
    DFO = "dfo"


class Layout(StrEnum):
    """How the records are laid out in the file."""

    JSON_DOCUMENT = "json_document"  # a top-level array or object (possibly several, concatenated)
    NDJSON = "ndjson"  # one JSON object per line
    CSV = "csv"


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class _Replay(io.RawIOBase):
    """`prefix` followed by the rest of `source`, as a raw binary stream."""

    def __init__(self, prefix: bytes, source: _Readable | None) -> None:
        super().__init__()
        self._prefix = memoryview(prefix)
        self._source = source

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        target = memoryview(buffer).cast("B")
        if self._prefix:
            count = min(len(target), len(self._prefix))
            target[:count] = self._prefix[:count]
            self._prefix = self._prefix[count:]
            return count
        if self._source is None:
            return 0
        data = self._source.read(len(target))
        if not data:
            return 0
        target[: len(data)] = data
        return len(data)


class _GzipGuard(io.RawIOBase):
    """Decompressed bytes; a corrupt or truncated gzip stream raises UnreadableExport("corrupt_gzip")."""

    def __init__(self, compressed: _Replay) -> None:
        super().__init__()
        self._gzip = gzip.GzipFile(fileobj=compressed, mode="rb")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        target = memoryview(buffer).cast("B")
        try:
            data = self._gzip.read(len(target))
        except (OSError, EOFError, zlib.error) as exc:
            raise UnreadableExport(
                "corrupt_gzip", f"the gzip data is corrupt or truncated ({type(exc).__name__})."
            ) from exc
        target[: len(data)] = data
        return len(data)


def _read_up_to(source: _Readable, size: int) -> bytes:
    parts: list[bytes] = []
    remaining = size
    while remaining > 0:
        data = source.read(remaining)
        if not data:
            break
        parts.append(data)
        remaining -= len(data)
    return b"".join(parts)


@dataclass(frozen=True)
class OpenedExport:
    """A decoded text stream positioned at the start of the file, and what the sniffing found."""

    text: io.TextIOWrapper | None  # None for an empty file
    layout: Layout | None
    encoding: str
    compressed: bool
    csv_delimiter: str = ","


# Longest first: UTF-32LE's BOM begins with UTF-16LE's. The "utf-16"/"utf-32" codecs read the BOM, take
# the byte order from it and drop it.
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _bomless_utf16(sample: bytes) -> str | None:
    """UTF-16 written without a BOM: text in the Latin range has a NUL in every other byte."""
    pairs = len(sample) // 2
    if pairs < 8:
        return None
    even_nuls, odd_nuls = sample[0 : 2 * pairs : 2].count(0), sample[1 : 2 * pairs : 2].count(0)
    if odd_nuls > 0.9 * pairs and even_nuls < 0.1 * pairs:
        return "utf-16-le"
    if even_nuls > 0.9 * pairs and odd_nuls < 0.1 * pairs:
        return "utf-16-be"
    return None


def choose_encoding(sample: bytes, complete: bool) -> str:
    """UTF-32 or UTF-16 by their BOM (Excel's "Unicode text" is UTF-16LE), or UTF-16 by its NULs;
    utf-8-sig when the sample is UTF-8 (or mostly so); else cp1252.

    A sample with invalid UTF-8 is still UTF-8 when it also holds valid multi-byte UTF-8 characters: the
    invalid bytes then belong to a few damaged rows, which are rejected one by one (bad_encoding).
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    wide = next((name for bom, name in _WIDE_BOMS if sample.startswith(bom)), None) or _bomless_utf16(sample)
    if wide:
        return wide
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        decoder.decode(sample, final=complete)
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8-sig"
    decoded = codecs.getincrementaldecoder("utf-8")("surrogateescape").decode(sample, final=complete)
    valid_non_ascii = any(ord(char) > 0x7F and not 0xD800 <= ord(char) <= 0xDFFF for char in decoded)
    return "utf-8-sig" if valid_non_ascii else "cp1252"


def _sniff_layout(prefix: str, complete: bool) -> tuple[Layout | None, str]:
    """The layout of a file from its decoded first 64 KB; (None, ...) for an empty file."""
    stripped = prefix.lstrip("\ufeff \t\r\n")
    if not stripped:
        if complete:
            return None, ","
        raise UnreadableExport("unknown_format", "the file starts with more than 64 KB of blank space.")
    if stripped[0] == "[":
        return Layout.JSON_DOCUMENT, ","
    if stripped[0] == "{":
        return _sniff_object_layout(stripped), ","
    header = stripped.splitlines()[0] if stripped else ""
    if is_data_download_header(header):
        return Layout.CSV, sniff_delimiter(header)
    raise UnreadableExport(
        "unknown_format",
        "the file is neither CXone JSON (Reporting API, DFO) "
        "nor a Data Download CSV with a Contact_ID column.",
    )


def _loads_object(line: str) -> dict[str, Any] | None:
    try:
        value = json.loads(line)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _sniff_object_layout(text: str) -> Layout:
    lines = [line.strip() for line in text.splitlines()]
    non_blank = [line for line in lines if line]
    first = non_blank[0]
    parsed = _loads_object(first)
    if parsed is not None:
        is_container = any(isinstance(parsed.get(key), list) for key in CONTAINER_KEYS)
        return Layout.JSON_DOCUMENT if is_container else Layout.NDJSON
    # A damaged first line of an NDJSON file: the next line is a whole object on its own.
    if (
        first != "{"
        and len(non_blank) > 1
        and _loads_object(non_blank[1]) is not None
        and not any(f'"{key}"' in first for key in CONTAINER_KEYS)
    ):
        return Layout.NDJSON
    return Layout.JSON_DOCUMENT


WIDE_AS_SURROGATES = "cxrecon-wide-as-surrogates"


def _wide_as_surrogates(error: UnicodeError) -> tuple[str, int]:
    """UTF-16/32 bytes that decode to no character (an unpaired surrogate, a code unit past U+10FFFF, a
    file cut mid code unit) become lone surrogates, one per byte, like surrogateescape does for UTF-8.
    'replace' would let a U+FFFD into a name unnoticed; 'strict' would fail the whole file."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(chr(0xDC00 + byte) for byte in bad), error.end


codecs.register_error(WIDE_AS_SURROGATES, _wide_as_surrogates)


def _decode_errors(encoding: str) -> str:
    """How undecodable input reaches the row checks: as lone surrogates, which reject the row that holds
    them (bad_encoding) and no other. cp1252 never fails (its five holes read as latin-1)."""
    if encoding.startswith("utf-8"):
        return "surrogateescape"
    if encoding.startswith(("utf-16", "utf-32")):
        return WIDE_AS_SURROGATES
    return LATIN1_FALLBACK


def open_export(stream: BinaryIO | _Readable) -> OpenedExport:
    """Sniff compression, encoding and layout; return a text stream that starts at the file's start."""
    head = _read_up_to(stream, SNIFF_BYTES)
    compressed = head.startswith(GZIP_MAGIC)
    source: _Readable
    if compressed:
        source = _GzipGuard(_Replay(head, stream))
        head = _read_up_to(source, SNIFF_BYTES)
    else:
        source = stream
    complete = len(head) < SNIFF_BYTES
    if not head:
        return OpenedExport(text=None, layout=None, encoding="utf-8", compressed=compressed)
    encoding = choose_encoding(head, complete)
    errors = _decode_errors(encoding)
    prefix = codecs.getincrementaldecoder(encoding)(errors).decode(head, final=complete)
    layout, delimiter = _sniff_layout(prefix, complete)
    if layout is None:
        return OpenedExport(text=None, layout=None, encoding=encoding, compressed=compressed)
    buffered = io.BufferedReader(_Replay(head, source), buffer_size=SNIFF_BYTES)
    text = io.TextIOWrapper(buffered, encoding=encoding, errors=errors, newline="")
    return OpenedExport(
        text=text, layout=layout, encoding=encoding, compressed=compressed, csv_delimiter=delimiter
    )
