"""Benchmark: 10,000 open review items; load-next and apply latencies (p50/p95) through the API handler.

.venv/bin/python -m cxrecon_local.review_bench [--items 10000] [--samples 50]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cxrecon_local.review_server import LambdaContext, console_stack
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=50)
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
        lines = []
        # Every item shares the sample's Task; queued "tomorrow" so each apply's write (alternating
        # candidates: a real PATCH every time) is not taken for a change made after queueing.
        base = datetime.now(UTC) + timedelta(days=1)
        for n in range(args.items):
            at = (base + timedelta(seconds=n)).isoformat()
            interaction = dict(template["interaction"], interaction_id=f"bench-{n:05d}")
            body = dict(template, item_id=f"bench-{n:05d}", interaction=interaction, queued_at=at)
            lines.append(json.dumps(body))
        (out / "review" / "items.jsonl").write_text("\n".join(lines) + "\n")
        started = time.perf_counter()
        with console_stack(out):
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
