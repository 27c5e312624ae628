"""`cxrecon eval`: the accuracy harness (issue 4) on a labelled synthetic world."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cxrecon.commands._common import end_progress, progress


def cmd_eval(args: argparse.Namespace) -> int:
    from cxrecon_local.evaluate import render_report, run_eval  # noqa: PLC0415 - local stack only

    print(f"cxrecon eval: {args.interactions} interactions, seed {args.seed} → local stack")
    report = run_eval(
        args.interactions,
        args.seed,
        out=Path(args.out) if args.out else None,
        chunk_size=args.chunk_size,
        progress=progress,
    )
    end_progress()
    print(render_report(report))
    return 0 if report.ok else 1


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "eval", help="score the pipeline against a labelled synthetic world (precision, automation, recall)"
    )
    parser.add_argument("--interactions", type=int, default=10_000, help="world size (default: 10000)")
    parser.add_argument("--seed", type=int, default=7, help="world seed (default: 7)")
    parser.add_argument("--out", help="keep the world, decisions and manifests here")
    parser.add_argument(
        "--chunk-size", type=int, default=None, help="interactions per chunk (default: template's)"
    )
    parser.set_defaults(func=cmd_eval)
