"""The `cxrecon` command. Each subcommand translates arguments into one call and prints the result.

Local-stack commands import `cxrecon_local` (moto + the Salesforce sandbox) lazily: the Lambda package
never needs it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLES = REPO_ROOT / "samples"


class CliError(Exception):
    """Reported as one line on stderr, exit status 2."""


def _progress(message: str) -> None:
    print(f"\r  … {message}", end="", file=sys.stderr, flush=True)


def cmd_run(args: argparse.Namespace) -> int:
    from cxrecon_local.runner import render_summary, run_pipeline  # noqa: PLC0415 - local stack only

    summary = run_pipeline(
        [Path(p) for p in args.exports],
        org=Path(args.org),
        out=Path(args.out),
        directory=Path(args.directory) if args.directory else None,
        chunk_size=args.chunk_size,
        progress=_progress if sys.stderr.isatty() else None,
    )
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(render_summary(summary))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    exports = sorted((SAMPLES / "exports").glob("*"))
    if not exports:
        raise CliError(f"no sample exports under {SAMPLES / 'exports'}")
    args.exports = [str(p) for p in exports]
    args.org = str(SAMPLES / "org.json")
    args.directory = str(SAMPLES / "directory.csv")
    print(
        f"cxrecon demo: {len(exports)} sample exports → local stack (moto + Salesforce sandbox) → {args.out}/"
    )
    return cmd_run(args)


def cmd_sandbox(args: argparse.Namespace) -> int:
    from cxrecon_local.sandbox.cli import run  # noqa: PLC0415

    return run(args)


def cmd_doctor(args: argparse.Namespace) -> int:
    from cxrecon.doctor_command import run_doctor  # noqa: PLC0415

    return run_doctor(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cxrecon", description="Reconcile NICE CXone interactions with Salesforce."
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks instead of one-line errors")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run the pipeline once on the embedded local stack")
    run.add_argument("exports", nargs="+", help="CXone export files (JSON, NDJSON or CSV; gzip or not)")
    run.add_argument("--org", required=True, help="org snapshot JSON to seed the Salesforce sandbox")
    run.add_argument("--out", required=True, help="output directory")
    run.add_argument(
        "--directory", help="Engine user directory CSV (email,name,phone,org_account_id,role,job_url)"
    )
    run.add_argument(
        "--chunk-size", type=int, default=None, help="interactions per chunk (default: template's)"
    )
    run.set_defaults(func=cmd_run)

    demo = sub.add_parser("demo", help="run the pipeline on samples/ and print a summary")
    demo.add_argument("--out", default="out/demo", help="output directory (default: out/demo)")
    demo.set_defaults(func=cmd_demo, chunk_size=None)

    sandbox = sub.add_parser("sandbox", help="serve the Salesforce sandbox until interrupted")
    try:
        from cxrecon_local.sandbox.cli import configure_parser  # noqa: PLC0415 - local extras only
    except ImportError:  # installed without the `local` extra: the command explains itself when run
        sandbox.add_argument("rest", nargs=argparse.REMAINDER)
    else:
        configure_parser(sandbox)
    sandbox.set_defaults(func=cmd_sandbox)

    doctor = sub.add_parser("doctor", help="check that the Salesforce org is set up for cxrecon")
    doctor.add_argument("--credentials", help="JSON file with consumer_key, username, private_key, token_url "
                        "(default: the secret named by CXRECON_SALESFORCE_SECRET_ARN)")  # fmt: skip
    doctor.add_argument("--local-org", help="check the local sandbox seeded from this org snapshot instead")
    doctor.set_defaults(func=cmd_doctor)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if args.debug:
            raise
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"cxrecon {args.command}: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
