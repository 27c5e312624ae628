"""Every report's numbers on the hand-checked dataset in dataset.py (window 2026-01-05 .. 2026-01-06)."""

from __future__ import annotations

from typing import Any

from cxrecon.analytics.catalogue import find_report
from cxrecon.analytics.duck import DuckDbRunner

from .conftest import WINDOW


def rows(runner: DuckDbRunner, report: str, *columns: str) -> list[tuple[Any, ...]]:
    result = runner.run_report(find_report(report), WINDOW)
    return [tuple(r[c] for c in columns) for r in result.records()]


def test_daily_volume_counts_the_latest_pipeline_decision_per_day_channel_and_outcome(
    runner: DuckDbRunner,
) -> None:
    assert rows(
        runner,
        "daily_volume",
        "day",
        "channel",
        "outcome",
        "interactions",
        "channel_interactions",
        "automation_rate_pct",
    ) == [
        ("2026-01-05", "call", "queued_for_review", 1, 4, 66.7),
        ("2026-01-05", "call", "related", 1, 4, 66.7),
        ("2026-01-05", "call", "related_to_org", 1, 4, 66.7),
        ("2026-01-05", "call", "skipped", 1, 4, 66.7),
        ("2026-01-05", "email", "already_related", 1, 2, 50.0),
        ("2026-01-05", "email", "queued_for_review", 1, 2, 50.0),
        ("2026-01-05", "unknown", "rejected", 1, 1, None),
        ("2026-01-06", "chat", "rejected", 1, 2, 100.0),
        ("2026-01-06", "chat", "related", 1, 2, 100.0),
    ]


def test_compliance_lists_agents_and_teams_with_unrelated_interactions_after_review(
    runner: DuckDbRunner,
) -> None:
    # i3 was queued but a reviewer related it: Bob's Billing row has nothing unrelated left.
    assert rows(
        runner,
        "compliance_unrelated",
        "team",
        "agent_id",
        "agent_name",
        "interactions",
        "unrelated",
        "queued_for_review",
        "rejected",
        "unrelated_pct",
    ) == [
        ("(no team)", "", "(no agent)", 2, 2, 0, 2, 100.0),
        ("Installers", "A2", "Bob", 2, 1, 1, 0, 50.0),
    ]


def test_review_backlog_ages_items_still_open_at_the_end_of_the_window(runner: DuckDbRunner) -> None:
    # As of 2026-01-07 00:00: i5 waited 36 h, iY 6 h, iX (claimed) 144 h; i3 was resolved, iZ came later.
    assert rows(
        runner,
        "review_backlog",
        "reason",
        "items",
        "status_open",
        "status_claimed",
        "under_1d",
        "from_1d_to_3d",
        "from_3d_to_7d",
        "over_7d",
        "p50_age_hours",
        "p90_age_hours",
        "max_age_hours",
        "oldest_interaction_id",
        "oldest_queued_at",
    ) == [
        ("(all)", 3, 2, 1, 1, 1, 1, 0, 36.0, 144.0, 144.0, "iX", "2026-01-01T00:00:00+00:00"),
        ("no_match", 2, 2, 0, 1, 1, 0, 0, 6.0, 36.0, 36.0, "i5", "2026-01-05T12:00:00+00:00"),
        ("multiple_accounts", 1, 0, 1, 0, 0, 1, 0, 144.0, 144.0, 144.0, "iX", "2026-01-01T00:00:00+00:00"),
    ]


def test_reviewer_throughput_counts_only_changed_relations_as_overturned(runner: DuckDbRunner) -> None:
    # Two reviewer decisions; only i1 replaced an existing relation. Automated by the pipeline: i1 i2 i4 i8.
    columns = (
        "reviewer",
        "decisions",
        "interactions",
        "active_days",
        "decisions_per_active_day",
        "overturned",
        "pipeline_automated",
        "overturned_share_pct",
    )
    assert rows(runner, "reviewer_throughput", *columns) == [
        ("(all reviewers)", 2, 2, 1, 2.0, 1, 4, 25.0),
        ("rev@example.com", 2, 2, 1, 2.0, 1, 4, 25.0),
    ]


def test_api_usage_per_run_and_per_thousand_interactions(runner: DuckDbRunner) -> None:
    assert rows(
        runner,
        "api_usage",
        "day",
        "source_file",
        "rows_read",
        "salesforce_calls",
        "calls_per_1000",
        "duration_seconds",
    ) == [
        ("2026-01-05", "f1.csv", 7, 10, 1428.6, 90),
        ("2026-01-06", "f2.json", 2, 4, 2000.0, 30),
        ("total", None, 9, 14, 1555.6, 90),
    ]


def test_data_quality_shares_rejections_of_each_file(runner: DuckDbRunner) -> None:
    assert rows(runner, "data_quality", "reason", "source_file", "rejected", "file_rows", "rejected_pct") == [
        ("malformed_date", "f2.json", 1, 2, 50.0),
        ("missing_id", "f1.csv", 1, 7, 14.3),
    ]


def test_org_monthly_counts_accounts_of_current_relations_and_ignores_cases(runner: DuckDbRunner) -> None:
    assert rows(runner, "org_monthly", "month", "account_id", "interactions", "related_to_org") == [
        ("2026-01", "001ORG", 2, 1),
        ("2026-01", "001B", 1, 0),
        ("2026-01", "001C", 1, 0),
    ]


def test_current_decisions_keeps_the_latest_decision_of_each_interaction(runner: DuckDbRunner) -> None:
    result = runner.run_sql("SELECT interaction_id, what_id, decided_by FROM current_decisions ORDER BY 1")
    current = {r["interaction_id"]: (r["what_id"], r["decided_by"]) for r in result.records()}
    assert len(current) == 10
    assert current["i1"] == ("001C", "rev@example.com")
    assert current["i3"] == ("001B", "rev@example.com")
    assert current["i10"] == ("001A", "pipeline")


def test_current_decisions_has_every_decisions_column(runner: DuckDbRunner) -> None:
    view = runner.run_sql("SELECT * FROM current_decisions LIMIT 0").columns
    table = runner.run_sql("SELECT * FROM decisions LIMIT 0").columns
    assert view == table
