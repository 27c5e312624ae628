"""Analytics over the pipeline's outputs: named reports (the same SQL on DuckDB and Athena), ad-hoc
read-only SQL, and the self-contained HTML report."""

from cxrecon.analytics.catalogue import DateWindow, Report, find_report, reports
from cxrecon.analytics.exceptions import AnalyticsError, QueryFailed, ReadOnlyViolation, UnknownReport
from cxrecon.analytics.report import build_html, render_demo_report, write_html_report
from cxrecon.analytics.result import Result

__all__ = [
    "AnalyticsError",
    "DateWindow",
    "QueryFailed",
    "ReadOnlyViolation",
    "Report",
    "Result",
    "UnknownReport",
    "build_html",
    "find_report",
    "render_demo_report",
    "reports",
    "write_html_report",
]
