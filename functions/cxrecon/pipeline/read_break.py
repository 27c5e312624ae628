"""Where an export that broke midway stopped being readable, as its manifest records it.

What such a file gets (the decision, made here once): the rows read before the break are processed like
any others (decided, rejected, counted), and the file ends `truncated` with the break in its manifest,
so the run is visibly incomplete. The alternative, releasing chunks only once the whole object has read
cleanly, would mean staging every export (up to a gigabyte) before its first chunk, and would gain
nothing: a redelivery of the same bytes breaks at the same place, and the complete object, delivered
again (a new version or key), is processed in full without duplicates because Tasks are upserted by
CXone contact id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from cxrecon.exports import ExportError
from cxrecon.exports.exceptions import UnreadableExport


class CountingBody:
    """A streaming body that counts the bytes read from it (the object's offset when reading broke)."""

    def __init__(self, body: BinaryIO) -> None:
        self._body = body
        self.bytes_read = 0

    def read(self, size: int = -1, /) -> bytes:
        data = self._body.read(size)
        self.bytes_read += len(data)
        return data

    def close(self) -> None:
        self._body.close()


@dataclass(frozen=True)
class ReadBreak:
    """Why and where reading stopped: `after_line` is the source line of the last row read (0 for none),
    `at_byte` how many bytes of the object (as stored, compressed or not) had been read, of `size`."""

    reason: str
    message: str
    after_line: int
    at_byte: int
    size: int
    error_line: int | None = None  # where the reader saw the syntax break, when it can tell

    @classmethod
    def of(cls, exc: ExportError, *, after_line: int, at_byte: int, size: int) -> ReadBreak:
        if isinstance(exc, UnreadableExport):
            return cls(exc.reason, exc.message, after_line, at_byte, size, exc.line)
        return cls(type(exc).__name__, str(exc), after_line, at_byte, size)

    def describe(self) -> str:
        """One line for the manifest's `error`: what broke, and where."""
        where = f" (the break is at line {self.error_line})" if self.error_line else ""
        return (
            f"{self.reason}: {self.message}{where} Reading stopped after line {self.after_line}, "
            f"at byte {self.at_byte:,} of {self.size:,}; the rest of the file was not read."
        )
