"""`cxrecon bench`: interactions per second, Salesforce calls per 1,000 and memory (issue 3)."""

from __future__ import annotations

import argparse
from typing import Any

from cxrecon.commands._common import end_progress, progress


def cmd_bench(args: argparse.Namespace) -> int:
    from cxrecon_local.bench import render_bench, run_bench  # noqa: PLC0415 - local stack only

    print(f"cxrecon bench: {args.interactions} interactions, seed {args.seed} → local stack")
    report = run_bench(
        args.interactions,
        args.seed,
        chunk_size=args.chunk_size,
        workers=args.workers,
        second_size=not args.single_size,
        progress=progress,
    )
    end_progress()
    print(render_bench(report))
    return 0 if report.accounting_ok else 1


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "bench", help="measure throughput, Salesforce calls and memory on the local stack"
    )
    parser.add_argument("--interactions", type=int, default=20_000, help="world size (default: 20000)")
    parser.add_argument("--seed", type=int, default=7, help="world seed (default: 7)")
    parser.add_argument(
        "--chunk-size", type=int, default=None, help="interactions per chunk (default: template's)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="concurrent handler containers, each its own process, as Lambda runs them (default: the "
        "template's ChunkConcurrency, the chunk queue's MaximumConcurrency; 0 runs the handlers in "
        "this process)",
    )
    parser.add_argument(
        "--single-size", action="store_true", help="skip the ingest-memory run at a quarter of the size"
    )
    parser.set_defaults(func=cmd_bench)
