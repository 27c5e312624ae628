"""The named reports: one SQL file each, the same text for DuckDB locally and for Athena (Trino).

A report's date bounds are positional `?` parameters. The file's `-- parameters:` line names them in
order (`date_from`, `date_to`); the runner binds validated ISO dates to them, DuckDB as a prepared
statement and Athena as `ExecutionParameters`. Filters on `dt` then prune partitions on both engines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from cxrecon.analytics.exceptions import AnalyticsError, UnknownReport

# The SQL ships inside the package (the daily-report Lambda runs it); `infra/athena` links here, so
# the files analysts and the template's named queries refer to are these very files.
SQL_DIR = Path(__file__).resolve().parent / "sql"
VIEW_FILE = "current_decisions.sql"
PARAMETER_NAMES = ("date_from", "date_to")
_REPORT_FILE = re.compile(r"^(\d\d)_([a-z0-9_]+)\.sql$")
_PARAMETERS_LINE = re.compile(r"^--\s*parameters:\s*(.*)$", re.MULTILINE)


@dataclass(frozen=True)
class DateWindow:
    """Inclusive UTC days: `dt BETWEEN date_from AND date_to`."""

    date_from: date
    date_to: date

    def __post_init__(self) -> None:
        if self.date_from > self.date_to:
            raise AnalyticsError(f"--from {self.date_from} is after --to {self.date_to}")

    @classmethod
    def ending(cls, date_to: date, days: int = 30) -> DateWindow:
        return cls(date_to - timedelta(days=days - 1), date_to)

    @classmethod
    def parse(cls, date_from: str | None, date_to: str | None, *, today: date, days: int = 30) -> DateWindow:
        end = parse_day(date_to) if date_to else today
        start = parse_day(date_from) if date_from else end - timedelta(days=days - 1)
        return cls(start, end)

    def value(self, name: str) -> str:
        return (self.date_from if name == "date_from" else self.date_to).isoformat()


def parse_day(text: str) -> date:
    """A `YYYY-MM-DD` day, or a one-line error. Only such values are ever bound into report SQL."""
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise AnalyticsError(f"not a date (YYYY-MM-DD): {text!r}") from None


@dataclass(frozen=True)
class Report:
    number: int
    name: str
    title: str
    sql: str
    parameters: tuple[str, ...]

    @property
    def file_name(self) -> str:
        return f"{self.number:02d}_{self.name}.sql"

    def bind(self, window: DateWindow) -> list[str]:
        """The values for the report's `?` placeholders, in order."""
        return [window.value(name) for name in self.parameters]


def _parse_report(path: Path) -> Report:
    match = _REPORT_FILE.match(path.name)
    if match is None:
        raise AnalyticsError(f"not a report file name: {path.name}")
    sql = path.read_text(encoding="utf-8")
    declared = _PARAMETERS_LINE.search(sql)
    parameters = tuple(p.strip() for p in declared.group(1).split(",") if p.strip()) if declared else ()
    if unknown := set(parameters) - set(PARAMETER_NAMES):
        raise AnalyticsError(f"{path.name}: unknown parameters {sorted(unknown)}")
    if len(parameters) != sql.count("?"):
        raise AnalyticsError(f"{path.name}: {sql.count('?')} placeholders but {len(parameters)} parameters")
    first = sql.splitlines()[0]
    title = first.removeprefix("--").strip().split(":", 1)[-1].strip().rstrip(".")
    return Report(int(match.group(1)), match.group(2), title, sql, parameters)


@cache
def reports() -> tuple[Report, ...]:
    """Every report, in number order."""
    return tuple(_parse_report(p) for p in sorted(SQL_DIR.glob("[0-9][0-9]_*.sql")))


def view_sql() -> str:
    """`CREATE OR REPLACE VIEW current_decisions AS ...`, valid on both engines."""
    return (SQL_DIR / VIEW_FILE).read_text(encoding="utf-8")


def find_report(name: str) -> Report:
    """By name (`daily_volume`), number (`1`, `01`) or file stem (`01_daily_volume`)."""
    key = name.strip().lower().removesuffix(".sql")
    for report in reports():
        if key in (report.name, str(report.number), f"{report.number:02d}", report.file_name[:-4]):
            return report
    names = ", ".join(r.name for r in reports())
    raise UnknownReport(f"unknown report {name!r}; reports: {names}")


def is_report_name(text: str) -> bool:
    """A single word is a report name; anything else is ad-hoc SQL."""
    return re.fullmatch(r"[A-Za-z0-9_.]+", text.strip()) is not None
