"""`cxrecon sandbox`: start the Salesforce sandbox on loopback and block until Ctrl-C."""

from __future__ import annotations

import argparse
import threading

from .faults import KINDS, FaultPlan
from .server import Sandbox


def configure_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("--org", metavar="ORG.json", help="org snapshot to seed from (default: empty org)")
    p.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    p.add_argument("--db", metavar="PATH", help="SQLite file to keep state in (default: in memory)")
    p.add_argument("--latency-ms", type=int, default=0, help="delay every request by this many ms")
    p.add_argument("--fail-rate", type=float, default=0.0, help="fraction of API calls that fail (0..1)")
    p.add_argument("--fail-with", choices=KINDS, default="503", help="how failing calls fail")
    p.add_argument("--daily-limit", type=int, default=100_000, help="daily API request allowance")


def run(args: argparse.Namespace) -> int:
    faults = FaultPlan(latency_ms=args.latency_ms, fail_rate=args.fail_rate, fail_with=args.fail_with)
    with Sandbox.start(
        args.org, db_path=args.db, port=args.port, daily_limit=args.daily_limit, faults=faults
    ) as sb:
        print(f"Salesforce sandbox at {sb.url} (API v{sb.api_version})")
        print(f"  session id: {sb.session_id}")
        print(f"  CA cert:    {sb.ca_path}")
        print(f"  token URL:  {sb.token_url}")
        print("Client:")
        print("  s = requests.Session(); s.verify = CA_CERT; s.trust_env = False")
        print(f"  Salesforce(instance_url='{sb.url}', session_id=SESSION_ID, session=s,")
        print(f"             version='{sb.api_version}')")
        print("Ctrl-C to stop.", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("stopping")
    return 0
