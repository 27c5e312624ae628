"""`cxrecon sandbox`: serve the Salesforce sandbox until interrupted (docs/sandbox.md)."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    parser = sub.add_parser("sandbox", help="serve the Salesforce sandbox until interrupted")
    try:
        from cxrecon_local.sandbox.cli import configure_parser, run  # noqa: PLC0415 - local extras only
    except ImportError as exc:
        missing = str(exc)

        def unavailable(_: argparse.Namespace) -> int:
            raise RuntimeError(
                f"the sandbox needs the local extras (pip install 'cxrecon[local]'): {missing}"
            )

        parser.set_defaults(func=unavailable)
        return
    configure_parser(parser)
    parser.set_defaults(func=run)
