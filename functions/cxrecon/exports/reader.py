"""`read_export`: any CXone export file → a stream of Interactions and Rejections."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any, BinaryIO, TextIO

from pydantic import ValidationError

from cxrecon.domain.interaction import Interaction, Rejection

from .data_download import bounded_lines, iter_csv_rows, map_data_download_record
from .detect import CONTAINER_KEYS, ExportFormat, Layout, OpenedExport, open_export
from .dfo import is_dfo_record, map_dfo_record
from .exceptions import UnreadableExport
from .fields import RowError, find_bad_encoding, find_oversized, fits, has_surrogate, identifier
from .jsonstream import JsonScanner, JsonSyntaxError
from .reporting_api import is_reporting_record, map_reporting_record

__all__ = ["ExportRows", "read_export"]

# Records read before the format is known (their keys did not say) are held back, up to this many.
MAX_UNCLASSIFIED = 1000

Mapper = Callable[[Mapping[str, Any], dict[str, str | None]], dict[str, Any]]
_Item = tuple[int, str | None, Any]  # (line, container key, JSON value or RowError)

_MAPPERS: dict[ExportFormat, Mapper] = {
    ExportFormat.REPORTING_API: map_reporting_record,
    ExportFormat.DFO: map_dfo_record,
    ExportFormat.DATA_DOWNLOAD: map_data_download_record,
}
_ID_FIELDS: dict[ExportFormat, tuple[str, str]] = {
    ExportFormat.REPORTING_API: ("contactId", "masterContactId"),
    ExportFormat.DFO: ("id", "interactionId"),
    ExportFormat.DATA_DOWNLOAD: ("contact_id", "master_contact_id"),
}


def read_export(
    stream: BinaryIO, source_file: str, *, max_field_chars: int = 32_000
) -> Iterator[Interaction | Rejection]:
    """Every record of a CXone export as an Interaction, or a Rejection saying why it could not be one.

    `stream` is any binary file-like object with read(n) (an open file, a boto3 StreamingBody). It is
    read incrementally: gzip (detected by its magic bytes) is decompressed on the fly and big JSON
    documents are decoded one element at a time, so memory stays flat whatever the file's size.
    The format (Reporting API, Data Download CSV, DFO) is decided by content, never by `source_file`,
    which is only copied onto every row.

    Nothing is read until the first next(). Raises UnreadableExport while iterating: "unknown_format" at
    the start, "corrupt_gzip" / "malformed_json" / "record_too_large" possibly after rows were yielded
    (the rows already yielded are genuine; the rest of the file is lost). An empty file yields nothing.
    The returned iterator also exposes `.format` and `.layout` once the first row has been read.
    """
    return ExportRows(stream, source_file, max_field_chars=max_field_chars)


class ExportRows(Iterator[Interaction | Rejection]):
    """The iterator read_export returns; `format`, `layout`, `accepted`, `rejected` are filled as it goes."""

    def __init__(self, stream: BinaryIO, source_file: str, *, max_field_chars: int = 32_000) -> None:
        if max_field_chars < 1:
            raise ValueError("max_field_chars must be positive")
        self.source_file = source_file
        self.max_field_chars = max_field_chars
        self.format: ExportFormat | None = None
        self.layout: Layout | None = None
        self.accepted = 0
        self.rejected = 0
        self._stream = stream
        self._seen_ids: set[str] = set()
        self._rows = self._generate()

    def __iter__(self) -> ExportRows:
        return self

    def __next__(self) -> Interaction | Rejection:
        row = next(self._rows)
        if isinstance(row, Interaction):
            self.accepted += 1
        else:
            self.rejected += 1
        return row

    # -- layouts ---------------------------------------------------------------------------------------

    def _generate(self) -> Iterator[Interaction | Rejection]:
        opened = open_export(self._stream)
        self.layout = opened.layout
        if opened.text is None:
            return
        if opened.layout is Layout.CSV:
            self.format = ExportFormat.DATA_DOWNLOAD
            for line, row in iter_csv_rows(opened.text, opened.csv_delimiter, self.max_field_chars):
                yield self._row(line, row)
            return
        yield from self._json_rows(opened)

    def _json_rows(self, opened: OpenedExport) -> Iterator[Interaction | Rejection]:
        assert opened.text is not None
        items = (
            self._ndjson_items(opened.text)
            if opened.layout is Layout.NDJSON
            else self._document_items(opened.text)
        )
        held: list[_Item] = []
        for line, container, value in items:
            if self.format is None:
                self.format = _classify(value, container)
                if self.format is None:
                    held.append((line, container, value))
                    if len(held) > MAX_UNCLASSIFIED:
                        raise _unknown_records()
                    continue
                for held_line, _, held_value in held:
                    yield self._row(held_line, held_value)
                held.clear()
            yield self._row(line, value)
        if held:
            raise _unknown_records()

    def _ndjson_items(self, text: TextIO) -> Iterator[_Item]:
        oversized: set[int] = set()
        cap = max(1 << 20, 64 * self.max_field_chars)
        for number, line in enumerate(bounded_lines(text, cap, oversized), start=1):
            if number in oversized:
                oversized.discard(number)
                yield number, None, RowError("oversized_field", f"the line is longer than {cap} characters.")
                continue
            stripped = line.strip()
            if not stripped:
                continue
            try:
                value = json.loads(stripped)
            except ValueError:
                if has_surrogate(stripped):
                    error = RowError("bad_encoding", "the line has bytes that are not valid UTF-8.")
                else:
                    error = RowError("malformed_row", "the line is not valid JSON.")
                yield number, None, error
                continue
            yield number, None, value

    def _document_items(self, text: TextIO) -> Iterator[_Item]:
        scanner = JsonScanner(text, max(16 << 20, 64 * self.max_field_chars))
        try:
            while True:
                first = scanner.peek()
                if not first:
                    return
                if first == "[":
                    for line, value in scanner.array_items():
                        yield line, None, value
                elif first == "{":
                    yield from _object_items(scanner)
                else:
                    raise JsonSyntaxError(scanner.line(), "expected a JSON array or object")
        except JsonSyntaxError as exc:
            raise UnreadableExport(
                "malformed_json",
                f"the JSON breaks on line {exc.line} ({exc}); nothing after that point can be read.",
                line=exc.line,
            ) from None

    # -- rows ------------------------------------------------------------------------------------------

    def _misfit(self, value: object) -> None:
        """Raise the reason a row does not `fit`: undecodable bytes first, then an oversized field."""
        bad = find_bad_encoding(value)
        if bad is not None:
            raise RowError(
                "bad_encoding", f"{bad} has bytes that are not valid UTF-8; re-export the file as UTF-8."
            )
        oversized = find_oversized(value, self.max_field_chars)
        if oversized is not None:
            raise RowError(
                "oversized_field",
                f"{oversized} is longer than {self.max_field_chars} characters; shorten or remove it.",
            )

    def _row(self, line: int, value: Any) -> Interaction | Rejection:
        assert self.format is not None
        known: dict[str, str | None] = {}
        try:
            if isinstance(value, RowError):
                raise value
            if not isinstance(value, Mapping):
                raise RowError("malformed_row", f"the record is a JSON {_type_name(value)}, not an object.")
            known.update(_ids(self.format, value))
            if not fits(value, self.max_field_chars):
                self._misfit(value)
            fields = _MAPPERS[self.format](value, known)
            interaction_id = fields["interaction_id"]
            if interaction_id in self._seen_ids:
                raise RowError(
                    "duplicate_id",
                    "this contact id appears earlier in the same file; the later copy is skipped.",
                )
            try:
                interaction = Interaction(**fields, source_file=self.source_file, source_line=line)
            except ValidationError as exc:
                where = ", ".join(".".join(str(part) for part in error["loc"]) for error in exc.errors())
                raise RowError("malformed_row", f"invalid value in {where}.") from None
        except RowError as error:
            return Rejection(
                source_file=self.source_file,
                source_line=line,
                reason=error.reason,
                detail=error.detail,
                interaction_id=known.get("interaction_id"),
                master_interaction_id=known.get("master_interaction_id"),
                channel=known.get("channel"),
            )
        self._seen_ids.add(interaction_id)
        return interaction


def _object_items(scanner: JsonScanner) -> Iterator[_Item]:
    """Records in a top-level object: the elements of its container array(s) ("completedContacts",
    "data", "cases"), or the object itself when it has none (one record)."""
    start = scanner.line()
    members: dict[str, Any] = {}
    found_container = False
    for key, _line in scanner.object_members():
        is_record = "contactId" in members or "id" in members
        if key in CONTAINER_KEYS and not is_record and scanner.peek() == "[":
            found_container = True
            for line, value in scanner.array_items():
                yield line, key, value
        else:
            value = scanner.value()
            if not found_container:
                members[key] = value
    if not found_container:
        yield start, None, members


def _classify(value: Any, container: str | None) -> ExportFormat | None:
    if not isinstance(value, Mapping):
        return None
    if is_reporting_record(value):
        return ExportFormat.REPORTING_API
    if is_dfo_record(value):
        return ExportFormat.DFO
    if container == "completedContacts":
        return ExportFormat.REPORTING_API
    if container in ("data", "cases"):
        return ExportFormat.DFO
    return None


def _ids(export_format: ExportFormat, record: Mapping[str, Any]) -> dict[str, str | None]:
    """The record's ids for a Rejection's context, when they can be read at all."""
    found: dict[str, str | None] = {}
    keys = ("interaction_id", "master_interaction_id")
    for key, field in zip(keys, _ID_FIELDS[export_format], strict=True):
        raw = record.get(field)
        try:
            value = identifier(raw, field)
        except RowError:
            continue
        if value is not None and not has_surrogate(value):
            found[key] = value
    return found


def _unknown_records() -> UnreadableExport:
    return UnreadableExport(
        "unknown_format",
        "the JSON records have neither contactId (Reporting API) nor id with channelId/authorEndUserIdentity "
        "(DFO cases).",
    )


def _type_name(value: Any) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if value is None:
        return "null"
    return "number"
