"""The visual report: one self-contained HTML page (inline CSS and SVG, no scripts) with five charts
and the report tables behind them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime
from html import escape
from typing import Any

from cxrecon.analytics import charts
from cxrecon.analytics.catalogue import DateWindow, Report
from cxrecon.analytics.result import Result, format_cell

AUTOMATED = ("related", "related_to_org", "already_related")
OUTCOMES = (*AUTOMATED, "queued_for_review", "rejected", "skipped")
_TABLE_OPEN_ROWS = 12

_CSS = """
body{margin:0;background:#f8f9fa;color:#212529;
  font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:0 0 2px}
.sub{color:#495057;margin:0 0 18px}.note{color:#495057;font-size:12px;margin:0 0 10px}
.tiles{display:grid;grid-template-columns:repeat(6,1fr);gap:12px;margin-bottom:18px}
.tile{background:#fff;border:1px solid #dee2e6;border-radius:8px;padding:10px 12px}
.tile b{display:block;font-size:22px}.tile span{color:#495057;font-size:12px}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}
section{background:#fff;border:1px solid #dee2e6;border-radius:8px;padding:14px 16px;
  margin-bottom:16px;min-width:0}
details{margin-top:8px}summary{cursor:pointer;color:#1c7ed6;font-size:12px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;font-size:12px;margin-top:6px;width:100%}
th,td{padding:3px 8px;border-bottom:1px solid #f1f3f5;text-align:left;white-space:nowrap}
th{background:#f1f3f5;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}
footer{color:#868e96;font-size:12px;margin-top:8px}
"""


def _num(value: Any) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def table_html(result: Result, *, limit: int | None = None) -> str:
    rows = result.rows if limit is None else result.rows[:limit]
    head = "".join(f"<th>{escape(c)}</th>" for c in result.columns)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{escape(format_cell(v))}</td>'
            if isinstance(v, int | float)
            else f"<td>{escape(format_cell(v))}</td>"
            for v in row
        )
        + "</tr>"
        for row in rows
    )
    if not result.rows:
        body = f'<tr><td colspan="{len(result.columns)}">No rows in this window.</td></tr>'
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _details(report: Report, result: Result) -> str:
    opened = " open" if len(result.rows) <= _TABLE_OPEN_ROWS else ""
    return (
        f"<details{opened}><summary>Table: report {report.number} · {escape(report.name)} "
        f"({len(result.rows)} rows)</summary>{table_html(result)}</details>"
    )


def _section(title: str, note: str, chart: str, tables: str) -> str:
    return f'<section><h2>{escape(title)}</h2><p class="note">{escape(note)}</p>{chart}{tables}</section>'


def automation_by_day(volume: Result) -> list[tuple[str, float | None]]:
    automated: dict[str, float] = defaultdict(float)
    eligible: dict[str, float] = defaultdict(float)
    for row in volume.records():
        day, outcome, n = row["day"], row["outcome"], _num(row["interactions"])
        eligible.setdefault(day, 0.0)
        if outcome in AUTOMATED:
            automated[day] += n
        if outcome in (*AUTOMATED, "queued_for_review"):
            eligible[day] += n
    return [(d, 100 * automated[d] / eligible[d] if eligible[d] else None) for d in sorted(eligible)]


def outcome_mix(volume: Result) -> dict[str, dict[str, float]]:
    mix: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for row in volume.records():
        mix[row["channel"]][row["outcome"]] += _num(row["interactions"])
    return {k: dict(v) for k, v in sorted(mix.items(), key=lambda kv: -sum(kv[1].values()))}


def kpis(results: Mapping[str, Result]) -> list[tuple[str, str]]:
    volume = results["daily_volume"].records()
    total = sum(_num(r["interactions"]) for r in volume)
    automated = sum(_num(r["interactions"]) for r in volume if r["outcome"] in AUTOMATED)
    queued = sum(_num(r["interactions"]) for r in volume if r["outcome"] == "queued_for_review")
    rejected = sum(_num(r["interactions"]) for r in volume if r["outcome"] == "rejected")
    backlog = next((r for r in results["review_backlog"].records() if r["reason"] == "(all)"), None)
    api = next((r for r in results["api_usage"].records() if r["day"] == "total"), None)
    rate = f"{100 * automated / (automated + queued):.1f}%" if automated + queued else "–"
    oldest = f"{_num(backlog['max_age_hours']):.0f} h" if backlog else "–"
    return [
        (f"{total:,.0f}", "interactions decided"),
        (rate, "automation rate"),
        (f"{_num(backlog['items']) if backlog else 0:,.0f}", "in review backlog"),
        (oldest, "oldest review item"),
        (
            f"{_num(api['calls_per_1000']):,.0f}" if api and api["calls_per_1000"] is not None else "–",
            "API calls / 1,000",
        ),
        (f"{rejected:,.0f}", "rejected rows"),
    ]


def render_html(
    results: Mapping[str, Result], catalogue: Mapping[str, Report], window: DateWindow, generated_at: datetime
) -> str:
    """The whole page. `results` maps report names to their results over `window`."""
    volume, backlog = results["daily_volume"], results["review_backlog"]
    quality, api = results["data_quality"], results["api_usage"]
    total_backlog = next((r for r in backlog.records() if r["reason"] == "(all)"), None)
    buckets = [
        ("< 1 day", "under_1d"),
        ("1–3 days", "from_1d_to_3d"),
        ("3–7 days", "from_3d_to_7d"),
        ("> 7 days", "over_7d"),
    ]
    reasons: dict[str, float] = defaultdict(float)
    for row in quality.records():
        reasons[row["reason"]] += _num(row["rejected"])
    calls_by_day: dict[str, float] = defaultdict(float)
    for row in api.records():
        if row["day"] != "total":
            calls_by_day[row["day"]] += _num(row["salesforce_calls"])
    mix = outcome_mix(volume)
    series = [o for o in OUTCOMES if any(o in parts for parts in mix.values())]
    sections = [
        _section(
            "Automation rate over time",
            "Automated (related, related to org, already related) ÷ (automated + queued for review),"
            " per day.",
            charts.line_chart(automation_by_day(volume), label="automation rate per day"),
            _details(catalogue["daily_volume"], volume),
        ),
        _section(
            "Outcome mix by channel",
            "Share of each outcome per channel over the window; the number is the channel's interactions.",
            charts.stacked_shares(mix, series, label="outcome mix by channel"),
            "",
        ),
        _section(
            "Review backlog age",
            "Items still open, claimed or requeued, by time since queued"
            + (
                f" · p50 {_num(total_backlog['p50_age_hours']):.1f} h,"
                f" p90 {_num(total_backlog['p90_age_hours']):.1f} h."
                if total_backlog
                else "."
            ),
            charts.columns(
                [(name, _num(total_backlog[col]) if total_backlog else 0.0) for name, col in buckets],
                label="review backlog by age",
                colour_of="#f59f00",
            ),
            _details(catalogue["review_backlog"], backlog),
        ),
        _section(
            "Top rejection reasons",
            "Rows the pipeline could not use, by reason (top 10).",
            charts.bars(
                sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))[:10],
                label="rejections by reason",
                colour_of="#e03131",
            ),
            _details(catalogue["data_quality"], quality),
        ),
        _section(
            "Salesforce API usage",
            "API calls per day (all runs); the table has calls per run and per 1,000 interactions.",
            charts.columns(sorted(calls_by_day.items()), label="Salesforce API calls per day"),
            _details(catalogue["api_usage"], api),
        ),
        _section(
            "Still unrelated, by team and agent",
            "Interactions whose latest decision is queued for review or rejected.",
            "",
            _details(catalogue["compliance_unrelated"], results["compliance_unrelated"]),
        ),
    ]
    wide = [
        _section(
            "Reviewer throughput",
            "Decisions by reviewers, and the share of automated pipeline decisions they overturned.",
            "",
            _details(catalogue["reviewer_throughput"], results["reviewer_throughput"]),
        ),
        _section(
            "Interactions per organisation per month",
            "Accounts the interactions were related to.",
            "",
            _details(catalogue["org_monthly"], results["org_monthly"]),
        ),
    ]
    tiles = "".join(
        f'<div class="tile"><b>{escape(v)}</b><span>{escape(k)}</span></div>' for v, k in kpis(results)
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>cxrecon report {window.date_from} – {window.date_to}</title><style>{_CSS}</style></head>"
        f"<body><main><h1>cxrecon: reconciliation report</h1>"
        f'<p class="sub">{window.date_from.isoformat()} to {window.date_to.isoformat()} (UTC days) · '
        f"generated {generated_at.strftime('%Y-%m-%d %H:%M')} UTC</p>"
        f'<div class="tiles">{tiles}</div><div class="grid">{"".join(sections)}</div>{"".join(wide)}'
        "<footer>Numbers come from the named reports in infra/athena/ (the same SQL runs on Athena). "
        "cxrecon query REPORT --data DIR prints any of them.</footer></main></body></html>"
    )
