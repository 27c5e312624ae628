"""Run every report over a window and write the HTML page; the entry points for `cxrecon report`,
the daily report Lambda and `make demo`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from cxrecon.analytics.catalogue import DateWindow, reports
from cxrecon.analytics.duck import DuckDbRunner
from cxrecon.analytics.html_report import render_html
from cxrecon.analytics.result import Result
from cxrecon.analytics.tables import LocalOutputs, OutputsSource

DEMO_REPORT = "daily_volume"


def run_all(runner: DuckDbRunner, window: DateWindow) -> dict[str, Result]:
    return {r.name: runner.run_report(r, window) for r in reports()}


def build_html(source: OutputsSource, window: DateWindow, *, now: datetime | None = None) -> str:
    """The self-contained HTML report over `window`."""
    with DuckDbRunner(source) as runner:
        results = run_all(runner, window)
    catalogue = {r.name: r for r in reports()}
    return render_html(results, catalogue, window, now or datetime.now(UTC))


def write_html_report(data: Path, out: Path, window: DateWindow) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(build_html(LocalOutputs(data), window), encoding="utf-8")
    return out


def render_demo_report(out_dir: Path, *, today: date | None = None) -> str:
    """Write `out_dir/report.html` (the last 30 days of `out_dir`'s outputs) and return the text to print:
    report 1 as a table, then where the HTML is."""
    window = DateWindow.ending(today or datetime.now(UTC).date(), 30)
    html_path = write_html_report(out_dir, out_dir / "report.html", window)
    with DuckDbRunner(LocalOutputs(out_dir)) as runner:
        report = next(r for r in reports() if r.name == DEMO_REPORT)
        table = runner.run_report(report, window).table()
    return (
        f"report {report.number}: {report.title} ({window.date_from} – {window.date_to})\n{table}\n\n"
        f"HTML report: {html_path}  (more: cxrecon query --data {out_dir} REPORT; reports: "
        + ", ".join(r.name for r in reports())
        + ")"
    )
