"""`cxrecon run` and `cxrecon demo`: the pipeline once, on the embedded local stack."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cxrecon.commands._common import SAMPLES, end_progress, progress


def cmd_run(args: argparse.Namespace) -> int:
    from cxrecon_local.runner import render_summary, run_pipeline  # noqa: PLC0415 - local stack only

    summary = run_pipeline(
        [Path(p) for p in args.exports],
        org=Path(args.org),
        out=Path(args.out),
        directory=Path(args.directory) if args.directory else None,
        chunk_size=args.chunk_size,
        workers=args.workers,
        progress=progress,
    )
    end_progress()
    print(render_summary(summary))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    exports = sorted((SAMPLES / "exports").glob("*"))
    if not exports:
        raise FileNotFoundError(f"no sample exports under {SAMPLES / 'exports'}")
    args.exports = [str(p) for p in exports]
    args.org = str(SAMPLES / "org.json")
    args.directory = str(SAMPLES / "directory.csv")
    print(
        f"cxrecon demo: {len(exports)} sample exports → local stack (moto + Salesforce sandbox) → {args.out}/"
    )
    status = cmd_run(args)
    from cxrecon.analytics import render_demo_report  # noqa: PLC0415 - DuckDB only when reporting

    print()
    print(render_demo_report(Path(args.out)))
    return status


def register(sub: Any) -> None:
    run = sub.add_parser("run", help="run the pipeline once on the embedded local stack")
    run.add_argument("exports", nargs="+", help="CXone export files (JSON, NDJSON or CSV; gzip or not)")
    run.add_argument("--org", required=True, help="org snapshot JSON to seed the Salesforce sandbox")
    run.add_argument("--out", required=True, help="output directory (replaces an earlier run's outputs)")
    run.add_argument(
        "--directory", help="Engine user directory CSV (email,name,phone,org_account_id,role,job_url)"
    )
    run.add_argument(
        "--chunk-size", type=int, default=None, help="interactions per chunk (default: template's)"
    )
    run.add_argument(
        "--workers",
        type=int,
        default=0,
        help="concurrent handler containers, each its own process, as Lambda runs them under the chunk "
        "queue's MaximumConcurrency (default: 0, the handlers run in this process)",
    )
    run.set_defaults(func=cmd_run)

    demo = sub.add_parser("demo", help="run the pipeline on samples/ and print a summary")
    demo.add_argument("--out", default="out/demo", help="output directory (default: out/demo)")
    demo.set_defaults(func=cmd_demo, chunk_size=None, workers=0)
