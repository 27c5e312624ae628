"""`cxrecon relink INTERACTION_ID --what ID [--who ID ...]`: correct a past decision (the Customer Card's
unlink/link). Updates the Task and writes a new decision row; the old rows stay as history."""

from __future__ import annotations

import argparse
import json
from typing import Any

from cxrecon.commands.review import common, review_context, reviewer_of


def cmd_relink(args: argparse.Namespace) -> int:
    records = [args.what, *(args.who or [])]
    with review_context(args) as (service, _local):
        result = service.relink(args.interaction_id, reviewer_of(args), records)
    print(json.dumps(result.model_dump()) if args.json else result.message)
    return 0


def register(sub: Any) -> None:
    relink = sub.add_parser("relink", help="relate an interaction's Task to other records")
    relink.add_argument("interaction_id")
    relink.add_argument("--what", required=True, help="Account or Case id, or a case number")
    relink.add_argument("--who", nargs="+", help="Contact ids (first is primary)")
    relink.add_argument("--json", action="store_true")
    common(relink)
    relink.set_defaults(func=cmd_relink)
