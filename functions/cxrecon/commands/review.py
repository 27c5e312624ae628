"""`cxrecon review`: work through the review queue from the terminal, script it, or serve the console.

With `--data DIR` (a `cxrecon run` output directory) everything runs on the local stack against the
run's sandbox (persisted in DIR/sandbox.sqlite); without it, against the AWS resources in the
environment (the same settings as the Lambda functions).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cxrecon.review import ApplyRequest, ReviewError, ReviewService


def reviewer_of(args: argparse.Namespace) -> str:
    return str(args.reviewer or getpass.getuser())


@contextmanager
def review_context(args: argparse.Namespace) -> Iterator[tuple[ReviewService, Any]]:
    """The review service (and the local stack, when `--data` is given)."""
    from cxrecon.bootstrap import container  # noqa: PLC0415
    from cxrecon.review.wiring import review_service  # noqa: PLC0415

    if not args.data:
        yield review_service(container()), None
        return
    from cxrecon_local.review_server import console_stack  # noqa: PLC0415 - local stack only

    with console_stack(Path(args.data)) as local:
        yield review_service(container()), local
        local.download_outputs(Path(args.data))


def _print_item(record: dict[str, Any]) -> None:
    message = ReviewService.message_of(record)
    ix = message.interaction
    print(
        f"\n── {ix.interaction_id} · {ix.channel.value} · {ix.started_at:%Y-%m-%d %H:%M}"
        f" · agent {ix.agent_name}"
    )
    print(f"   why: {message.reason_text}")
    print(f"   customer: {ix.customer_name or '-'} · {ix.customer_phone or '-'} · {ix.customer_email or '-'}")
    if ix.notes:
        print(f"   notes: {ix.notes}")
    for n, c in enumerate(message.candidates, 1):
        evidence = "; ".join(f"{e.signal}: {e.how}" for e in c.evidence) or "no direct evidence"
        print(f"   {n}. {c.record_type:<8} {c.name} ({c.account_name or '-'}) {c.record_id}  [{evidence}]")


HELP = (
    "1-9 (e.g. 1 3) pick · r ID… relate to records/case · o ID org · n REASON no relation · s skip · q quit"
)


def _parse(line: str, record: dict[str, Any]) -> ApplyRequest | str | None:
    words = line.split()
    if not words:
        return None
    head, rest = words[0].lower(), words[1:]
    candidates = ReviewService.message_of(record).candidates
    if head.isdigit():
        picks = [int(w) for w in words if w.isdigit() and 1 <= int(w) <= len(candidates)]
        if len(picks) != len(words):
            return "Pick candidate numbers shown above."
        return ApplyRequest(action="relate", records=[candidates[p - 1].record_id for p in picks])
    if head == "r":
        return ApplyRequest(action="relate", records=rest)
    if head == "o":
        return ApplyRequest(action="org", records=rest)
    if head == "n":
        return ApplyRequest(action="no_relation", reason=(rest[0] if rest else "other"))
    return head


def interactive(service: ReviewService, reviewer: str) -> int:
    print(f"Reviewing as {reviewer}. {HELP}")
    while True:
        stats = service.stats()
        print(f"\nqueue: {stats.open} waiting, {stats.claimed} in progress")
        record = service.claim_next(reviewer)
        if record is None:
            print("Nothing to review.")
            return 0
        item_id = str(record["pk"]).removeprefix("REVIEW#")
        _print_item(record)
        while True:
            try:
                choice = _parse(input("> "), record)
                if choice == "q":
                    service.release(item_id, reviewer)
                    return 0
                if choice == "s":
                    print(service.release(item_id, reviewer).message)
                    break
                if isinstance(choice, ApplyRequest):
                    print(service.apply(item_id, reviewer, choice).message)
                    break
                print(HELP)
            except (ReviewError, ValueError) as exc:
                print(f"! {exc}")


def cmd_review(args: argparse.Namespace) -> int:
    reviewer = reviewer_of(args)
    with review_context(args) as (service, _local):
        if args.next:
            record = service.claim_next(reviewer)
            view = None if record is None else ReviewService.message_of(record).model_dump(mode="json")
            print(json.dumps({"item": view}, indent=2) if args.json else (view or {}).get("item_id", ""))
            return 0
        if not sys.stdin.isatty():
            raise SystemExit("cxrecon review: interactive mode needs a terminal (use --next --json or apply)")
        return interactive(service, reviewer)


def cmd_apply(args: argparse.Namespace) -> int:
    reviewer = reviewer_of(args)
    if args.no_relation:
        request = ApplyRequest(action="no_relation", reason=args.no_relation)
    else:
        records = ([args.what] if args.what else []) + list(args.who or [])
        request = ApplyRequest(action="org" if args.org else "relate", records=records)
    with review_context(args) as (service, _local):
        record = service.item(args.item)
        if record.get("status") == "open" or (
            record.get("status") == "claimed" and record.get("claimed_by") != reviewer
        ):
            service.claim(args.item, reviewer)
        result = service.apply(args.item, reviewer, request)
    print(json.dumps(result.model_dump()) if args.json else result.message)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from cxrecon_local.review_server import console_stack, serve  # noqa: PLC0415 - local stack only

    if not args.data:
        raise SystemExit("cxrecon review serve: --data DIR (a `cxrecon run` output directory) is required")
    with (
        console_stack(Path(args.data)) as local,
        serve(local, reviewer_of(args), data=Path(args.data), port=args.port) as server,
    ):
        print(
            f"Review console: http://127.0.0.1:{server.port}/  (reviewer {reviewer_of(args)}; Ctrl-C to stop)"
        )
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print("\nStopping; DIR/org.json refreshed from the sandbox.")
    return 0


def common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", help="a `cxrecon run` output directory (local stack); default: AWS")
    parser.add_argument("--reviewer", help="your name or email (default: your OS user)")


def register(sub: Any) -> None:
    review = sub.add_parser("review", help="work through the review queue (terminal, scripting, console)")
    common(review)
    review.add_argument("--next", action="store_true", help="claim the next item and print it")
    review.add_argument("--json", action="store_true", help="print JSON")
    review.set_defaults(func=cmd_review)
    actions = review.add_subparsers(dest="review_command", metavar="ACTION")
    apply = actions.add_parser("apply", help="relate an item's Task to records")
    apply.add_argument("item", help="the item (interaction) id")
    apply.add_argument("--what", help="Account or Case id, or a case number")
    apply.add_argument("--who", nargs="+", help="Contact ids (first is primary)")
    apply.add_argument("--org", action="store_true", help="--what is the organisation (notes get the caller)")
    apply.add_argument("--no-relation", choices=["wrong_number", "spam", "internal_test", "other"])
    apply.add_argument("--json", action="store_true", help="print JSON")
    common(apply)
    apply.set_defaults(func=cmd_apply)
    serve = actions.add_parser("serve", help="the web console on 127.0.0.1")
    common(serve)
    serve.add_argument("--port", type=int, default=8765)
    serve.set_defaults(func=cmd_serve)
