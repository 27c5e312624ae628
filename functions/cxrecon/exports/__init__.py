"""CXone export readers: Reporting API JSON, Data Download CSV and Digital (DFO) case JSON.

`read_export(stream, source_file)` turns any of them (gzip or not) into Interactions and Rejections.
"""

from __future__ import annotations

from .detect import ExportFormat, Layout
from .exceptions import ExportError, UnreadableExport
from .reader import ExportRows, read_export

__all__ = ["ExportError", "ExportFormat", "ExportRows", "Layout", "UnreadableExport", "read_export"]
