"""`cxrecon report`: the self-contained HTML report over a local outputs directory."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def cmd_report(args: argparse.Namespace) -> int:
    from cxrecon.analytics.catalogue import DateWindow  # noqa: PLC0415 - keep `cxrecon --help` fast
    from cxrecon.analytics.exceptions import AnalyticsError  # noqa: PLC0415
    from cxrecon.analytics.report import write_html_report  # noqa: PLC0415

    data = Path(args.data)
    if not data.is_dir():
        raise AnalyticsError(f"no outputs directory at {data}")
    window = DateWindow.parse(args.date_from, args.date_to, today=datetime.now(UTC).date())
    out = write_html_report(data, Path(args.out), window)
    print(f"cxrecon report: {window.date_from} – {window.date_to} → {out}")
    return 0


def register(sub: Any) -> None:
    report = sub.add_parser(
        "report", help="write the HTML report (charts and tables) of an outputs directory"
    )
    report.add_argument("--data", required=True, help="outputs directory (as `cxrecon run --out` writes it)")
    report.add_argument("--out", default="report.html", help="HTML file to write (default: report.html)")
    report.add_argument(
        "--from", dest="date_from", metavar="YYYY-MM-DD", help="first day (default: --to - 29)"
    )
    report.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="last day, UTC (default: today)")
    report.set_defaults(func=cmd_report)
