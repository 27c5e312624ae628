from __future__ import annotations

import gzip
import io
import json
import tracemalloc
from collections.abc import Iterator
from typing import BinaryIO, cast

import pytest

from cxrecon.domain.interaction import Interaction
from cxrecon.exports import ExportFormat, UnreadableExport, read_export

from .support import FIXTURES, ChunkedStream, read_bytes, rejections


def _contact(i: int) -> dict[str, object]:
    return {
        "contactId": i,
        "masterContactId": i,
        "mediaTypeName": "Call",
        "fromAddr": "4155550142",
        "contactStart": "2024-05-01T13:45:00Z",
        "dispositionNotes": "x" * 200,
    }


def test_gzip_is_detected_by_content_even_with_a_misleading_file_name() -> None:
    data = gzip.compress((FIXTURES / "data_download.csv").read_bytes())
    rows = read_bytes(data, source_file="contacts.json")
    assert len(rows) == 3 and all(isinstance(row, Interaction) for row in rows)
    assert rows[0].source_file == "contacts.json"


def test_plain_json_named_gz_is_read_as_plain_json() -> None:
    rows = read_bytes((FIXTURES / "dfo_cases.json").read_bytes(), source_file="cases.csv.gz")
    assert len(rows) == 4


def test_corrupt_gzip_is_unreadable() -> None:
    data = gzip.compress(b"Contact_ID,Media_Name\n" * 1000)
    broken = data[:20] + bytes(b ^ 0xFF for b in data[20:60]) + data[60:]
    with pytest.raises(UnreadableExport) as caught:
        read_bytes(broken)
    assert caught.value.reason == "corrupt_gzip"


def test_truncated_gzip_raises_after_the_rows_already_read() -> None:
    lines = [json.dumps(_contact(i)) for i in range(5000)]
    data = gzip.compress("\n".join(lines).encode())
    reader = read_export(io.BytesIO(data[: len(data) // 2]), "cut.gz")
    seen = 0
    with pytest.raises(UnreadableExport) as caught:
        for _row in reader:
            seen += 1
    assert caught.value.reason == "corrupt_gzip"
    assert seen > 0


@pytest.mark.parametrize(
    "data",
    [
        b"hello world\nthis is not an export\n",
        b"\x00\x01\x02binary\xff\xfe",
        b'{"foo": 1}\n{"bar": 2}\n',
        b"[1, 2, 3]",
    ],
)
def test_content_that_is_not_a_cxone_export_is_unreadable(data: bytes) -> None:
    with pytest.raises(UnreadableExport) as caught:
        read_bytes(data)
    assert caught.value.reason == "unknown_format"


@pytest.mark.parametrize(
    "data",
    [b"", b"  \n\n", gzip.compress(b"", mtime=0), b"[]", b'{"completedContacts": []}'],
    ids=["empty", "blank-lines", "empty-gzip", "empty-list", "no-contacts"],
)
def test_an_empty_export_yields_nothing(data: bytes) -> None:
    assert read_bytes(data) == []


def test_broken_json_document_raises_malformed_json_with_the_line() -> None:
    data = b'[\n{"contactId": 1, "mediaType": 4, "contactStart": "2024-01-01"},\n{"contactId": 2,, }\n]'
    reader = read_export(io.BytesIO(data), "x.json")
    assert isinstance(next(reader), Interaction)
    with pytest.raises(UnreadableExport) as caught:
        next(reader)
    assert caught.value.reason == "malformed_json" and caught.value.line == 3


def test_format_and_layout_are_exposed_on_the_iterator() -> None:
    reader = read_export(io.BytesIO((FIXTURES / "dfo_cases.json").read_bytes()), "x")
    list(reader)
    assert reader.format is ExportFormat.DFO  # type: ignore[attr-defined]


def test_ndjson_lines_keep_their_line_numbers_across_blank_lines() -> None:
    record = b'{"contactId":%d,"mediaType":4,"contactStart":"2024-01-01"}'
    data = record % 1 + b"\n\n\r\n" + record % 2 + b"\n"
    assert [row.source_line for row in read_bytes(data)] == [1, 4]


def test_one_line_ndjson_records_larger_than_the_sniff_window_are_still_read() -> None:
    record = _contact(1) | {"dispositionNotes": "n" * 20_000, "subject": "s" * 20_000, "tags": ["t" * 30_000]}
    data = (json.dumps(record) + "\n" + json.dumps(_contact(2)) + "\n").encode()
    rows = read_bytes(data)
    assert [(row.interaction_id, row.source_line) for row in rows] == [("1", 1), ("2", 2)]


def test_a_pretty_printed_single_object_is_one_record() -> None:
    data = json.dumps(_contact(7), indent=2).encode()
    (row,) = read_bytes(data)
    assert row.interaction_id == "7" and row.source_line == 1


def _big_document(count: int) -> Iterator[bytes]:
    yield b'{"totalRecords": %d, "completedContacts": [\n' % count
    for i in range(count):
        yield (json.dumps(_contact(i)) + (",\n" if i < count - 1 else "\n")).encode()
    yield b"]}\n"


def test_a_big_completed_contacts_document_is_streamed_with_flat_memory() -> None:
    count = 50_000
    stream = ChunkedStream(_big_document(count))
    tracemalloc.start()
    try:
        reader = read_export(cast(BinaryIO, stream), "big.json")
        first = next(reader)
        assert first.source_line == 2
        assert stream.bytes_read < 1_000_000  # the first row came without reading the whole document
        total = 1
        last = first
        for row in reader:
            total += 1
            last = row
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total == count
    assert last.source_line == count + 1
    assert rejections([last]) == []
    assert peak < 20_000_000


def test_a_big_gzipped_csv_is_streamed_with_flat_memory() -> None:
    def chunks() -> Iterator[bytes]:
        compressor = __import__("zlib").compressobj(wbits=31)
        yield compressor.compress(b"Contact_ID,Media_Name,ANI_Dialnum,Start_Date,Start_Time\r\n")
        for i in range(20_000):
            yield compressor.compress(b"%d,Call,4155550142,05/01/2024,10:00:00\r\n" % i)
        yield compressor.flush()

    tracemalloc.start()
    try:
        stream = ChunkedStream(chunks())
        count = len([row.source_line for row in read_export(cast(BinaryIO, stream), "big.csv.gz")])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 20_000
    assert peak < 20_000_000
