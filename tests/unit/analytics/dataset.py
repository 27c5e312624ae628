"""A small outputs directory with hand-checked numbers, written with the pipeline's real writers.

Window of interest: 2026-01-05 .. 2026-01-06. One more day (2026-01-10) lies outside it.

| id | day   | channel | team       | agent | outcome           | reason            | what_id | file     |
|----|-------|---------|------------|-------|-------------------|-------------------|---------|---------------|
| i1 | 01-05 | call    | Billing    | Ann   | related           | phone_unique      | 001A    | f1.csv   |
| i2 | 01-05 | call    | Billing    | Ann   | related_to_org    | directory_org     | 001ORG  | f1.csv   |
| i3 | 01-05 | call    | Billing    | Bob   | queued_for_review | multiple_accounts |         | f1.csv   |
| i4 | 01-05 | email   | Installers | Bob   | already_related   | email_unique      | 001ORG  | f1.csv   |
| i5 | 01-05 | email   | Installers | Bob   | queued_for_review | no_match          |         | f1.csv   |
| i6 | 01-05 | –       | –          | –     | rejected          | missing_id        |         | f1.csv   |
| i7 | 01-05 | call    | Billing    | –     | skipped           | abandoned         |         | f1.csv   |
| i8 | 01-06 | chat    | Chat       | Ann   | related           | case_number       | 500CASE | f2.json  |
| i9 | 01-06 | chat    | –          | –     | rejected          | malformed_date    |         | f2.json  |
| i10| 01-10 | call    | Billing    | Ann   | related           | phone_unique      | 001A    | f3.csv   |

Reviewer `rev@example.com` on 01-06: relates i3 to 001B (nothing was related before: not an overturn)
and moves i1 from 001A to 001C (an overturn).

Review items: i3 opened 01-05 10:00, resolved 01-06 09:00; i5 opened 01-05 12:00; iX opened 01-01 00:00
(multiple_accounts) and claimed 01-02; iY opened 01-06 18:00 (no_match); iZ opened 01-08 (after the window).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from cxrecon.adapters.parquet import (
    ReviewItemRow,
    decisions_to_parquet,
    review_items_to_parquet,
    runs_to_parquet,
)
from cxrecon.pipeline.manifest import RunManifest
from cxrecon.pipeline.rows import DecisionRow

REVIEWER = "rev@example.com"
AGENTS = {"Ann": "A1", "Bob": "A2"}


def at(day: int, hour: int = 8, minute: int = 0) -> datetime:
    return datetime(2026, 1, day, hour, minute, tzinfo=UTC)


def row(
    interaction_id: str,
    outcome: str,
    reason: str,
    *,
    day: int,
    channel: str | None,
    team: str | None,
    agent: str | None,
    source_file: str,
    line: int,
    what_id: str | None = None,
    who_ids: list[str] | None = None,
    decided_by: str = "pipeline",
    previous_what_id: str | None = None,
    previous_who_ids: list[str] | None = None,
    hour: int = 8,
) -> DecisionRow:
    return DecisionRow(
        interaction_id=interaction_id,
        channel=channel,
        skill=team,
        agent_name=agent,
        agent_id=AGENTS.get(agent or ""),
        source_file=source_file,
        source_line=line,
        file_id={"f1.csv": "F1", "f2.json": "F2", "f3.csv": "F3"}[source_file],
        outcome=outcome,
        reason=reason,
        what_id=what_id,
        who_ids=who_ids or [],
        decided_at=at(day, hour),
        decided_by=decided_by,
        previous_what_id=previous_what_id,
        previous_who_ids=previous_who_ids,
    )


def decisions() -> dict[str, list[DecisionRow]]:
    return {
        "2026-01-05": [
            row(
                "i1",
                "related",
                "phone_unique",
                channel="call",
                team="Billing",
                agent="Ann",
                line=1,
                what_id="001A",
                who_ids=["003a"],
                day=5,
                source_file="f1.csv",
            ),
            row(
                "i2",
                "related_to_org",
                "directory_org",
                channel="call",
                team="Billing",
                agent="Ann",
                line=2,
                what_id="001ORG",
                day=5,
                source_file="f1.csv",
            ),
            row(
                "i3",
                "queued_for_review",
                "multiple_accounts",
                channel="call",
                team="Billing",
                agent="Bob",
                line=3,
                day=5,
                source_file="f1.csv",
            ),
            row(
                "i4",
                "already_related",
                "email_unique",
                channel="email",
                team="Installers",
                agent="Bob",
                line=4,
                what_id="001ORG",
                day=5,
                source_file="f1.csv",
            ),
            row(
                "i5",
                "queued_for_review",
                "no_match",
                channel="email",
                team="Installers",
                agent="Bob",
                line=5,
                day=5,
                source_file="f1.csv",
            ),
            row(
                "i6",
                "rejected",
                "missing_id",
                channel=None,
                team=None,
                agent=None,
                line=6,
                day=5,
                source_file="f1.csv",
            ),
            row(
                "i7",
                "skipped",
                "abandoned",
                channel="call",
                team="Billing",
                agent=None,
                line=7,
                day=5,
                source_file="f1.csv",
            ),
        ],
        "2026-01-06": [
            row(
                "i8",
                "related",
                "case_number",
                day=6,
                channel="chat",
                team="Chat",
                agent="Ann",
                source_file="f2.json",
                line=1,
                what_id="500CASE",
                who_ids=["003b"],
            ),
            row(
                "i9",
                "rejected",
                "malformed_date",
                day=6,
                channel="chat",
                team=None,
                agent=None,
                source_file="f2.json",
                line=2,
            ),
            # Reviewer rows do not repeat the agent or team.
            row(
                "i3",
                "related",
                "multiple_accounts",
                day=6,
                hour=9,
                channel="call",
                team=None,
                agent=None,
                source_file="f1.csv",
                line=3,
                what_id="001B",
                decided_by=REVIEWER,
            ),
            row(
                "i1",
                "related",
                "phone_unique",
                day=6,
                hour=10,
                channel="call",
                team=None,
                agent=None,
                source_file="f1.csv",
                line=1,
                what_id="001C",
                who_ids=["003c"],
                decided_by=REVIEWER,
                previous_what_id="001A",
                previous_who_ids=["003a"],
            ),
        ],
        "2026-01-10": [
            row(
                "i10",
                "related",
                "phone_unique",
                day=10,
                channel="call",
                team="Billing",
                agent="Ann",
                source_file="f3.csv",
                line=1,
                what_id="001A",
            ),
        ],
    }


def runs() -> list[RunManifest]:
    def manifest(
        file_id: str, source: str, rows: int, calls: int, start: datetime, seconds: int
    ) -> RunManifest:
        return RunManifest(
            file_id=file_id,
            bucket="exports",
            key=f"exports/{source}",
            source_file=source,
            status="complete",
            rows_read=rows,
            decided=rows - 1,
            rejected=1,
            outcomes={"related": rows - 1, "rejected": 1},
            chunks=1,
            salesforce_calls=calls,
            started_at=start.isoformat(),
            finished_at=start.replace(second=seconds % 60, minute=start.minute + seconds // 60).isoformat(),
            accounting_ok=True,
        )

    return [
        manifest("F1", "f1.csv", 7, 10, at(5, 6), 90),
        manifest("F2", "f2.json", 2, 4, at(6, 6), 30),
        manifest("F3", "f3.csv", 1, 3, at(10, 6), 10),
    ]


def review_items() -> dict[str, list[ReviewItemRow]]:
    def item(
        iid: str, status: str, reason: str, queued: datetime, changed: datetime, by: str = "pipeline"
    ) -> ReviewItemRow:
        return ReviewItemRow(
            interaction_id=iid,
            status=status,
            reason=reason,
            queued_at=queued,
            changed_at=changed,
            changed_by=by,
            file_id="F1",
        )

    return {
        "2026-01-01": [item("iX", "open", "multiple_accounts", at(1, 0), at(1, 0))],
        "2026-01-02": [item("iX", "claimed", "multiple_accounts", at(1, 0), at(2, 0), REVIEWER)],
        "2026-01-05": [
            item("i3", "open", "multiple_accounts", at(5, 10), at(5, 10)),
            item("i5", "open", "no_match", at(5, 12), at(5, 12)),
        ],
        "2026-01-06": [
            item("i3", "resolved", "multiple_accounts", at(5, 10), at(6, 9), REVIEWER),
            item("iY", "open", "no_match", at(6, 18), at(6, 18)),
        ],
        "2026-01-08": [item("iZ", "open", "no_match", at(8, 0), at(8, 0))],
    }


def write_outputs(root: Path, *, tables: tuple[str, ...] = ("decisions", "runs", "review_items")) -> Path:
    """The dataset above as `root/decisions/dt=.../*.parquet`, `root/runs/...`, `root/review_items/...`."""
    if "decisions" in tables:
        for day, rows in decisions().items():
            by_file: dict[str, list[DecisionRow]] = {}
            for r in rows:
                by_file.setdefault(f"{r.file_id}-{r.decided_by != 'pipeline'}", []).append(r)
            for name, part in by_file.items():
                path = root / "decisions" / f"dt={day}" / f"{name}.parquet"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(decisions_to_parquet(part))
    if "runs" in tables:
        for manifest in runs():
            path = root / "runs" / f"dt={(manifest.started_at or '')[:10]}" / f"{manifest.file_id}.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(runs_to_parquet([manifest]))
    if "review_items" in tables:
        for day, items in review_items().items():
            path = root / "review_items" / f"dt={day}" / "items.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(review_items_to_parquet(items))
    return root
