"""`cxrecon query`: a named report or read-only ad-hoc SQL over the outputs (DuckDB, or Athena with
`--athena`); `cxrecon query-bench`: time every report on generated data."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FORMATS = ("table", "csv", "json")


def _window(args: argparse.Namespace) -> Any:
    from cxrecon.analytics.catalogue import DateWindow  # noqa: PLC0415 - keep `cxrecon --help` fast

    return DateWindow.parse(args.date_from, args.date_to, today=datetime.now(UTC).date())


def cmd_query(args: argparse.Namespace) -> int:
    from cxrecon.analytics.catalogue import find_report, is_report_name, reports  # noqa: PLC0415
    from cxrecon.analytics.exceptions import AnalyticsError  # noqa: PLC0415

    if args.query.strip().lower() == "list":
        for known in reports():
            print(f"{known.number:2d}  {known.name:<22} {known.title}")
        return 0
    report = find_report(args.query) if is_report_name(args.query) else None
    window = _window(args)
    if args.athena:
        runner: Any = _athena_runner(args)
    else:
        if not args.data:
            raise AnalyticsError("--data DIR is required (or --athena)")
        data = Path(args.data)
        if not data.is_dir():
            raise AnalyticsError(f"no outputs directory at {data}")
        from cxrecon.analytics.duck import DuckDbRunner  # noqa: PLC0415
        from cxrecon.analytics.tables import LocalOutputs  # noqa: PLC0415

        runner = DuckDbRunner(LocalOutputs(data))
    result = runner.run_report(report, window) if report else runner.run_sql(args.query)
    print(result.render(args.format))
    return 0


def _athena_runner(args: argparse.Namespace) -> Any:
    import boto3  # noqa: PLC0415

    from cxrecon.analytics.athena import AthenaRunner  # noqa: PLC0415
    from cxrecon.config import Settings  # noqa: PLC0415

    settings = Settings()
    client = boto3.client("athena", endpoint_url=settings.aws_endpoint_url)
    return AthenaRunner(
        client,
        workgroup=args.workgroup or settings.athena_workgroup,
        database=args.database or settings.athena_database,
    )


def cmd_bench(args: argparse.Namespace) -> int:
    from cxrecon_local.analytics_bench import render_bench, run_bench  # noqa: PLC0415 - local only

    print(
        render_bench(run_bench(rows=args.rows, days=args.days, data=Path(args.data) if args.data else None))
    )
    return 0


def register(sub: Any) -> None:
    query = sub.add_parser(
        "query",
        help="run a named report or read-only SQL over the outputs",
        description="REPORT is a report name or number (`cxrecon query list` lists them); anything else "
        "is ad-hoc SQL over the tables decisions, runs, review_items and the view current_decisions.",
    )
    query.add_argument("query", metavar="REPORT|SQL")
    query.add_argument("--data", help="outputs directory (as `cxrecon run --out` writes it)")
    query.add_argument(
        "--from", dest="date_from", metavar="YYYY-MM-DD", help="first day (default: --to - 29)"
    )
    query.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="last day, UTC (default: today)")
    query.add_argument("--format", choices=FORMATS, default="table")
    query.add_argument("--athena", action="store_true", help="run on Athena in AWS instead of DuckDB")
    query.add_argument("--workgroup", help="Athena workgroup (default: CXRECON_ATHENA_WORKGROUP or cxrecon)")
    query.add_argument("--database", help="Glue database (default: CXRECON_ATHENA_DATABASE or cxrecon)")
    query.set_defaults(func=cmd_query)

    bench = sub.add_parser("query-bench", help="time every report on generated outputs (1,000,000 rows)")
    bench.add_argument("--rows", type=int, default=1_000_000, help="decision rows to generate")
    bench.add_argument("--days", type=int, default=90, help="days they spread over")
    bench.add_argument("--data", help="where to write the generated outputs (default: a temporary directory)")
    bench.set_defaults(func=cmd_bench)
