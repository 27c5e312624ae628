"""The daily report: the HTML page over the last `report_days` days, written to the outputs bucket at
`reports/dt=YYYY-MM-DD/report.html` (a rerun of the same day overwrites it)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from cxrecon.adapters.s3 import S3Store
from cxrecon.analytics.catalogue import DateWindow
from cxrecon.analytics.report import build_html
from cxrecon.analytics.tables import S3Outputs, s3_filesystem
from cxrecon.config import Settings


def report_key(day: date) -> str:
    return f"reports/dt={day.isoformat()}/report.html"


def report_day(event: dict[str, Any], now: datetime) -> date:
    """The day a scheduled event is for (its `time`), or today (UTC) when invoked by hand."""
    stamp = event.get("time") if isinstance(event, dict) else None
    if isinstance(stamp, str):
        try:
            return datetime.fromisoformat(stamp.replace("Z", "+00:00")).date()
        except ValueError:
            pass
    return now.date()


def publish_daily_report(
    settings: Settings, store: S3Store, day: date, *, session: Any = None, now: datetime | None = None
) -> str:
    """Render the report from the Parquet in the outputs bucket and store it; returns its key."""
    if session is None:
        import boto3  # noqa: PLC0415

        session = boto3.Session()
    filesystem = s3_filesystem(session, settings.aws_endpoint_url)
    source = S3Outputs(settings.outputs_bucket, filesystem)
    html = build_html(source, DateWindow.ending(day, settings.report_days), now=now)
    key = report_key(day)
    store.put_bytes(
        settings.outputs_bucket, key, html.encode("utf-8"), content_type="text/html; charset=utf-8"
    )
    return key
