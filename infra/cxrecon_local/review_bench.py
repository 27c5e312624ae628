"""Benchmark: 10,000 open review items; load-next and apply latencies (p50/p95) through the API handler.

.venv/bin/python -m cxrecon_local.review_bench [--items 10000] [--samples 50] [--ops]

The items are set up in bulk, as the review console loads a run (`review_server.queue_items`): ledger
records with BatchWriteItem (25 a call, the shapes the pipeline writes: recorded, then marked sent) and
their messages with SendMessageBatch (10 a call), all through the AWS APIs. (Plain moto's SQS costs
O(queue size) per message, which made 10,000 sends take the better part of an hour; the local stack's
moto runs with `moto_speedups`, where they take seconds.) `--ops` prints the time spent per AWS
operation during the measured requests.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import botocore.client

from cxrecon_local.local_pipeline import LocalPipeline
from cxrecon_local.review_server import LambdaContext, console_stack, queue_items
from cxrecon_local.runner import run_pipeline

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _event(method: str, path: str, body: dict[str, object] | None = None) -> dict[str, object]:
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"content-type": "application/json"},
        "requestContext": {
            "http": {"method": method, "path": path, "sourceIp": "127.0.0.1"},
            "authorizer": {"jwt": {"claims": {"email": "bench@example.com"}}},
            "stage": "$default",
        },
        "body": json.dumps(body) if body else None,
        "isBase64Encoded": False,
    }


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def preload(local: LocalPipeline, bodies: list[dict[str, Any]]) -> None:
    """Open review items, in bulk, through the APIs: ledger records (recorded, messages queued with
    SendMessageBatch, then marked sent), as the console loads a run's items."""
    queued = queue_items(local, bodies)
    if queued != len(bodies):
        raise RuntimeError(f"queued {queued} of {len(bodies)} review items")


class OpTimes:
    """Wall time per AWS operation (client side: moto's work plus the HTTP round trip)."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self._original = getattr(botocore.client.BaseClient, "_make_api_call")  # noqa: B009 - private

    def __enter__(self) -> OpTimes:
        original, times = self._original, self.times

        def timed(client: Any, name: str, params: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return original(client, name, params)
            finally:
                service = client.meta.service_model.service_name
                times[f"{service}.{name}"].append((time.perf_counter() - t0) * 1000)

        setattr(botocore.client.BaseClient, "_make_api_call", timed)  # noqa: B010 - private
        return self

    def __exit__(self, *exc: object) -> None:
        setattr(botocore.client.BaseClient, "_make_api_call", self._original)  # noqa: B010

    def print(self, requests: int) -> None:
        for name, values in sorted(self.times.items(), key=lambda kv: -sum(kv[1])):
            print(
                f"  {name:<36} {len(values) / requests:4.1f}/request   p50 {_pct(values, 50):6.1f} ms"
                f"   total {sum(values) / 1000:6.2f} s"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--ops", action="store_true", help="time per AWS operation, too")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        run_pipeline(
            sorted((SAMPLES / "exports").glob("*")),
            org=SAMPLES / "org.json",
            out=out,
            directory=SAMPLES / "directory.csv",
        )
        template = json.loads((out / "review" / "items.jsonl").read_text().splitlines()[0])
        bodies = []
        # Every item shares the sample's Task; queued "tomorrow" so each apply's write (alternating
        # candidates: a real PATCH every time) is not taken for a change made after queueing.
        base = datetime.now(UTC) + timedelta(days=1)
        for n in range(args.items):
            at = (base + timedelta(seconds=n)).isoformat()
            interaction = dict(template["interaction"], interaction_id=f"bench-{n:05d}")
            bodies.append(dict(template, item_id=f"bench-{n:05d}", interaction=interaction, queued_at=at))
        (out / "review" / "items.jsonl").write_text("")
        started = time.perf_counter()
        with console_stack(out) as local, OpTimes() as ops:
            preload(local, bodies)
            ops.times.clear()
            print(f"loaded {args.items} open items in {time.perf_counter() - started:.1f}s")
            from cxrecon.handlers.review_api import lambda_handler  # noqa: PLC0415

            ctx = LambdaContext()
            nexts, applies = [], []
            for n in range(args.samples):
                t0 = time.perf_counter()
                got = lambda_handler(_event("POST", "/api/items/next"), ctx)  # type: ignore[arg-type]
                nexts.append((time.perf_counter() - t0) * 1000)
                item = json.loads(got["body"])["item"]
                candidates = [c for c in item["message"]["candidates"] if c["record_type"] == "Contact"]
                candidate = candidates[n % len(candidates)]["record_id"]
                t0 = time.perf_counter()
                done = lambda_handler(
                    _event(
                        "POST",
                        f"/api/items/{item['item_id']}/apply",
                        {"action": "relate", "records": [candidate]},
                    ),
                    ctx,  # type: ignore[arg-type]
                )
                applies.append((time.perf_counter() - t0) * 1000)
                assert done["statusCode"] == 200, done
    for name, values in (("load next", nexts), ("apply", applies)):
        print(
            f"{name:<10} p50 {_pct(values, 50):6.1f} ms   p95 {_pct(values, 95):6.1f} ms   (n={len(values)})"
        )
    if args.ops:
        print(f"AWS operations (per request of either kind, {2 * args.samples} requests):")
        ops.print(2 * args.samples)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
