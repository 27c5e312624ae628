"""An incremental reader for big JSON documents, built on `json.JSONDecoder.raw_decode`.

It keeps a sliding text buffer: each array element is decoded on its own and dropped before the next one
is read, so memory stays proportional to the largest element, not the document. Line numbers (1-based) are
tracked so every element knows the line where it starts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, TextIO

from .exceptions import UnreadableExport

__all__ = ["JsonScanner", "JsonSyntaxError"]

CHUNK_CHARS = 64 * 1024
_WHITESPACE = re.compile(r"[ \t\r\n]*")


class JsonSyntaxError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


class JsonScanner:
    """Reads JSON values one at a time from a text stream."""

    def __init__(self, source: TextIO, max_value_chars: int) -> None:
        self._source = source
        self._max = max_value_chars
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._line = 1  # the line at self._line_pos
        self._line_pos = 0
        self._decoder = json.JSONDecoder()

    # -- buffer ----------------------------------------------------------------------------------------

    def _fill(self, at_least: int = CHUNK_CHARS) -> bool:
        """Drop consumed text, read more; False at end of input."""
        if self._eof:
            return False
        if self._pos:
            self._line += self._buf.count("\n", self._line_pos, self._pos)
            self._buf = self._buf[self._pos :]
            self._pos = 0
            self._line_pos = 0
        chunk = self._source.read(max(CHUNK_CHARS, at_least))
        if not chunk:
            self._eof = True
            return False
        self._buf += chunk
        return True

    def line(self) -> int:
        """The 1-based line of the current position."""
        self._line += self._buf.count("\n", self._line_pos, self._pos)
        self._line_pos = self._pos
        return self._line

    def peek(self) -> str:
        """Skip whitespace; the next character, or "" at the end of input."""
        while True:
            match = _WHITESPACE.match(self._buf, self._pos)
            self._pos = match.end() if match else self._pos
            if self._pos < len(self._buf):
                return self._buf[self._pos]
            if not self._fill():
                return ""

    def advance(self) -> None:
        self._pos += 1

    def expect(self, char: str) -> None:
        found = self.peek()
        if found != char:
            shown = repr(found) if found else "the end of the file"
            raise JsonSyntaxError(self.line(), f"expected {char!r} but found {shown}")
        self.advance()

    # -- values ----------------------------------------------------------------------------------------

    def value(self) -> Any:
        """Decode the JSON value at the current position (after peek())."""
        while True:
            try:
                decoded, end = self._decoder.raw_decode(self._buf, self._pos)
            except json.JSONDecodeError as exc:
                if self._eof or not self._may_be_truncated(exc):
                    line = self.line() + self._buf.count("\n", self._pos, exc.pos)
                    raise JsonSyntaxError(line, exc.msg) from None
                self._grow()
                continue
            if end == len(self._buf) and not self._eof and isinstance(decoded, int | float):
                self._grow()  # a number at the buffer's end may continue in the next chunk
                continue
            self._pos = end
            return decoded

    def _may_be_truncated(self, exc: json.JSONDecodeError) -> bool:
        return exc.pos >= len(self._buf) - 12 or exc.msg.startswith("Unterminated string")

    def _grow(self) -> None:
        pending = len(self._buf) - self._pos
        if pending > self._max:
            raise UnreadableExport(
                "record_too_large",
                f"a JSON element starting on line {self.line()} is larger than {self._max} characters.",
                line=self.line(),
            )
        # Reading as much again as is pending keeps re-decoding linear in the element's size.
        self._fill(pending)

    def array_items(self) -> Iterator[tuple[int, Any]]:
        """(start line, value) for each element of the array at the current position."""
        self.expect("[")
        if self.peek() == "]":
            self.advance()
            return
        while True:
            self.peek()
            line = self.line()
            yield line, self.value()
            following = self.peek()
            if following == ",":
                self.advance()
                continue
            if following == "]":
                self.advance()
                return
            shown = repr(following) if following else "the end of the file"
            raise JsonSyntaxError(self.line(), f"expected ',' or ']' after an element but found {shown}")

    def object_members(self) -> Iterator[tuple[str, int]]:
        """The keys of the object at the current position, leaving the scanner at each member's value.

        The caller must consume the value (value() or array_items()) before asking for the next key.
        """
        self.expect("{")
        if self.peek() == "}":
            self.advance()
            return
        while True:
            if self.peek() != '"':
                raise JsonSyntaxError(self.line(), "expected a quoted member name")
            key = self.value()
            self.expect(":")
            self.peek()
            yield str(key), self.line()
            following = self.peek()
            if following == ",":
                self.advance()
                continue
            if following == "}":
                self.advance()
                return
            shown = repr(following) if following else "the end of the file"
            raise JsonSyntaxError(self.line(), f"expected ',' or '}}' after a member but found {shown}")
