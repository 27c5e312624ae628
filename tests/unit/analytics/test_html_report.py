"""The HTML report is one self-contained page with its five charts and the tables behind them."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

from cxrecon.adapters.parquet import decisions_to_parquet
from cxrecon.analytics.report import build_html, render_demo_report
from cxrecon.analytics.tables import LocalOutputs

from .conftest import WINDOW
from .dataset import row


def test_the_page_has_the_charts_and_tables_and_nothing_external(outputs: Path) -> None:
    html = build_html(LocalOutputs(outputs), WINDOW, now=datetime(2026, 1, 7, tzinfo=UTC))
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@import" not in html and "url(" not in html
    for label in (
        "automation rate per day",
        "outcome mix by channel",
        "review backlog by age",
        "rejections by reason",
        "Salesforce API calls per day",
    ):
        assert f'aria-label="{label}"' in html
    for report in ("daily_volume", "review_backlog", "data_quality", "api_usage", "compliance_unrelated"):
        assert f"· {report} (" in html
    assert "2026-01-05 to 2026-01-06" in html
    # The pipeline automated i1 i2 i4 i8 and queued i3 i5: 4 / 6.
    assert "<b>66.7%</b><span>automation rate</span>" in html
    assert html.count("<svg") == 5


def test_text_from_the_data_is_escaped(tmp_path: Path) -> None:
    evil = row(
        "x1",
        "rejected",
        "<script>alert(1)</script>",
        day=5,
        channel="call",
        team=None,
        agent=None,
        source_file="f1.csv",
        line=1,
    )
    path = tmp_path / "decisions" / "dt=2026-01-05" / "x.parquet"
    path.parent.mkdir(parents=True)
    path.write_bytes(decisions_to_parquet([evil]))
    html = build_html(LocalOutputs(tmp_path), WINDOW)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_demo_report_prints_report_one_and_writes_the_page(outputs: Path, tmp_path: Path) -> None:
    shutil.copytree(outputs, tmp_path / "out")
    text = render_demo_report(tmp_path / "out", today=WINDOW.date_to)
    assert text.startswith("report 1: Daily volume and automation rate by channel and outcome")
    assert "2026-01-05  call     related" in text
    assert (tmp_path / "out" / "report.html").read_text().startswith("<!doctype html>")
