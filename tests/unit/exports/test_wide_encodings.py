"""UTF-16 and UTF-32 exports (Excel's "Unicode text" is UTF-16LE TSV) are read like UTF-8 ones."""

from __future__ import annotations

import codecs
import gzip
import json

import pytest

from cxrecon.domain.interaction import Interaction
from cxrecon.exports import ExportFormat, read_export
from cxrecon.exports.exceptions import UnreadableExport

from .support import FIXTURES, ChunkedStream, read_bytes, rejections

CSV = (FIXTURES / "data_download.csv").read_text(encoding="utf-8")
WIDE = [
    ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE),
    ("utf-32-le", codecs.BOM_UTF32_LE),
    ("utf-32-be", codecs.BOM_UTF32_BE),
]


def _pieces(data: bytes, size: int) -> ChunkedStream:
    """The bytes in reads of `size`, so code units and BOMs straddle the reads."""
    return ChunkedStream(iter([data[i : i + size] for i in range(0, len(data), size)]))


def _same(rows: list[object], expected: list[object]) -> None:
    assert [r.model_dump() for r in rows if isinstance(r, Interaction)] == [
        r.model_dump() for r in expected if isinstance(r, Interaction)
    ]


@pytest.mark.parametrize(("codec", "bom"), WIDE, ids=[c for c, _ in WIDE])
def test_a_data_download_csv_with_a_bom_reads_as_its_utf8_twin(codec: str, bom: bytes) -> None:
    expected = read_bytes(CSV.encode("utf-8"))
    _same(read_bytes(bom + CSV.encode(codec)), expected)


def test_excel_unicode_text_is_utf16le_tsv_and_reads_gzipped_in_small_reads() -> None:
    unquoted = CSV.replace('"Lopez, Ana"', "Ana Lopez").replace('"Called about invoice, case 00012345"', "x")
    tsv = unquoted.replace(",", "\t")
    expected = read_bytes(tsv.encode("utf-8"))
    assert len(expected) == 3
    data = gzip.compress(codecs.BOM_UTF16_LE + tsv.encode("utf-16-le"))
    rows = list(read_export(_pieces(data, 7), source_file="export.bin"))
    _same(rows, expected)


def test_utf16_without_a_bom_is_recognised_by_its_nuls() -> None:
    expected = read_bytes(CSV.encode("utf-8"))
    _same(read_bytes(CSV.encode("utf-16-le")), expected)


def test_a_utf16_reporting_api_document_is_read() -> None:
    document = {"completedContacts": [{"contactId": 7, "masterContactId": 7, "mediaTypeName": "Call",
                                       "fromAddr": "4155550142", "contactStart": "2024-05-01T13:45:00Z",
                                       "contactName": "Zoë Ångström"}]}  # fmt: skip
    rows = list(read_export(_pieces(json.dumps(document).encode("utf-16"), 5), source_file="x.json"))
    assert len(rows) == 1 and isinstance(rows[0], Interaction)
    assert rows[0].interaction_id == "7"


def test_a_lone_surrogate_in_utf16_rejects_its_row_not_the_file() -> None:
    text = CSV.replace("Pat Customer", "Pat Cu\ud800stomer")
    data = codecs.BOM_UTF16_LE + text.encode("utf-16-le", errors="surrogatepass")
    rows = read_bytes(data)
    good = [r for r in rows if isinstance(r, Interaction)]
    assert [r.interaction_id for r in good] == ["900002", "900003"]
    assert [r.reason for r in rejections(rows)] == ["bad_encoding"]


def test_the_format_is_still_sniffed_from_the_decoded_text() -> None:
    it = read_export(_pieces(codecs.BOM_UTF16_LE + CSV.encode("utf-16-le"), 100), source_file="a")
    list(it)
    assert it.format is ExportFormat.DATA_DOWNLOAD  # type: ignore[attr-defined]


def test_a_utf32_code_unit_beyond_unicode_rejects_its_row_instead_of_reading_a_replacement() -> None:
    # 0x00110000 is past U+10FFFF: the name must not be read as "Pat Cu\ufffdstomer".
    text = CSV.replace("Pat Customer", "Pat Cu#stomer").encode("utf-32-le")
    data = codecs.BOM_UTF32_LE + text.replace("#".encode("utf-32-le"), b"\x00\x00\x11\x00")
    rows = read_bytes(data)
    assert [r.interaction_id for r in rows if isinstance(r, Interaction)] == ["900002", "900003"]
    assert [r.reason for r in rejections(rows)] == ["bad_encoding"]


def test_a_utf16_file_cut_mid_code_unit_rejects_the_broken_end_not_the_file() -> None:
    # An odd trailing byte used to escape as a bare UnicodeDecodeError.
    data = codecs.BOM_UTF16_LE + CSV.encode("utf-16-le") + b"\x41"
    rows = read_bytes(data)
    assert [r.interaction_id for r in rows if isinstance(r, Interaction)] == ["900001", "900002", "900003"]
    assert len(rejections(rows)) == 1  # the lone fragment after the last line, as a row of its own


@pytest.mark.parametrize("codec", ["cp500", "utf-7"])
def test_a_file_in_an_encoding_that_is_not_read_is_rejected_whole_with_a_clear_reason(codec: str) -> None:
    with pytest.raises(UnreadableExport, match="neither CXone JSON"):
        read_bytes(CSV.encode(codec) if codec != "utf-7" else bytes(range(256)) * 8)


def test_utf8_with_a_bom_gzipped_reads_as_plain_utf8() -> None:
    expected = read_bytes(CSV.encode("utf-8"))
    _same(read_bytes(gzip.compress(codecs.BOM_UTF8 + CSV.encode("utf-8"))), expected)
