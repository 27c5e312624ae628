"""A query result as plain Python values, and its three printed forms: table, csv and json."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

FORMATS = ("table", "csv", "json")


def plain(value: Any) -> Any:
    """JSON-friendly: integral decimals (DuckDB's sums) become ints, others floats; times become ISO text."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


@dataclass(frozen=True)
class Result:
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    @classmethod
    def of(cls, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Result:
        return cls(tuple(columns), tuple(tuple(plain(v) for v in row) for row in rows))

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def column(self, name: str) -> list[Any]:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def render(self, fmt: str = "table") -> str:
        if fmt == "json":
            return json.dumps(self.records(), ensure_ascii=False, indent=1)
        if fmt == "csv":
            buffer = io.StringIO()
            # RFC 4180's CRLF: the writer then also quotes a cell holding a bare carriage return, which
            # a spreadsheet would otherwise read as a row break.
            writer = csv.writer(buffer, lineterminator="\r\n")
            writer.writerow(self.columns)
            writer.writerows([spreadsheet_safe(v) for v in row] for row in self.rows)
            return buffer.getvalue().removesuffix("\r\n")
        return self.table()

    def table(self) -> str:
        cells = [[format_cell(v) for v in row] for row in self.rows]
        widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(self.columns)]
        numeric = [
            all(isinstance(row[i], int | float) or row[i] is None for row in self.rows)
            for i in range(len(widths))
        ]

        def line(values: Sequence[str]) -> str:
            parts = [
                v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric, strict=True)
            ]
            return "  ".join(parts).rstrip()

        out = [line(self.columns), "  ".join("-" * w for w in widths)]
        out.extend(line(r) for r in cells)
        if not self.rows:
            out.append("(no rows)")
        return "\n".join(out)


def format_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}" if abs(value) >= 1e6 else f"{value:.6g}"
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


# A cell a spreadsheet would run as a formula (OWASP's CSV injection list). Agent names, skills, file names
# and notes come from outside and reach these tables: `=HYPERLINK(...)` must arrive as text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> str:
    """`format_cell`, with text that a spreadsheet would read as a formula prefixed by a single quote.
    Numbers stay numbers (-3 is not text)."""
    cell = format_cell(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return cell
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell
