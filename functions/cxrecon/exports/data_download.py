"""CXone Data Download CSV (the scheduled "Contact" report).

Header names are matched case-insensitively with surrounding whitespace trimmed (spaces and hyphens count
as underscores, so "Contact ID" is Contact_ID). Unknown columns are ignored. Start_Date/Start_Time carry no
timezone in the export; they are read as UTC (configure the Data Download job to report in UTC).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from typing import Any, TextIO

from cxrecon.domain.interaction import Channel, Direction

from .fields import (
    RowError,
    describe,
    flag,
    identifier,
    looks_like_email,
    looks_like_phone,
    media_channel,
    optional_id,
    seconds,
    text,
    us_date_time,
)

__all__ = [
    "bounded_lines",
    "header_key",
    "is_data_download_header",
    "iter_csv_rows",
    "map_data_download_record",
    "sniff_delimiter",
]

ID_COLUMN = "contact_id"


def header_key(name: str) -> str:
    """ " Contact ID " → "contact_id"."""
    return "_".join(name.replace("\ufeff", "").strip().lower().replace("-", " ").replace("_", " ").split())


def sniff_delimiter(header_line: str) -> str:
    counts = {delimiter: header_line.count(delimiter) for delimiter in (",", "\t", ";", "|")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] > 0 else ","


def is_data_download_header(header_line: str) -> bool:
    delimiter = sniff_delimiter(header_line)
    try:
        cells = next(csv.reader([header_line], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return False
    return ID_COLUMN in {header_key(cell) for cell in cells}


def bounded_lines(source: TextIO, cap: int, oversized: set[int]) -> Iterator[str]:
    """Physical lines, never holding more than `cap` characters of one line in memory.

    A longer line is replaced by an empty line and its number recorded in `oversized`.
    """
    number = 0
    while True:
        line = source.readline(cap)
        if not line:
            return
        number += 1
        if len(line) >= cap and not line.endswith(("\n", "\r")):
            while True:
                rest = source.readline(cap)
                if not rest or rest.endswith(("\n", "\r")):
                    break
            oversized.add(number)
            line = "\n"
        yield line


def iter_csv_rows(
    source: TextIO, delimiter: str, max_field_chars: int
) -> Iterator[tuple[int, dict[str, str] | RowError]]:
    """(start line, {header_key: value}) per record, or (start line, RowError) for a record that cannot
    be split into the header's columns. The header is the first non-blank record."""
    if csv.field_size_limit() <= max_field_chars:
        # Process-wide setting; only ever raised, so other readers are not restricted by it.
        csv.field_size_limit(max_field_chars + 1)
    oversized: set[int] = set()
    line_cap = max(1 << 20, 64 * max_field_chars)
    reader = csv.reader(bounded_lines(source, line_cap, oversized), delimiter=delimiter)
    header: list[str] | None = None
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field limit" in str(exc):
                yield start, RowError("oversized_field", "a field is too large for the CSV reader.")
            else:
                yield start, RowError("malformed_row", "the record is not valid CSV (check its quotes).")
            continue
        if oversized:
            hit = {number for number in oversized if start <= number <= reader.line_num}
            if hit:
                oversized -= hit
                yield start, RowError("oversized_field", f"a line is longer than {line_cap} characters.")
                continue
        if not row or all(not cell.strip() for cell in row):
            continue
        if header is None:
            header = [header_key(cell) for cell in row]
            continue
        if len(row) > len(header) and all(not cell.strip() for cell in row[len(header) :]):
            row = row[: len(header)]
        if len(row) != len(header):
            yield (
                start,
                RowError(
                    "malformed_row",
                    f"the record has {len(row)} columns but the header has {len(header)} "
                    "(check for an unquoted delimiter or a missing column).",
                ),
            )
            continue
        yield start, dict(zip(header, row, strict=True))


def _first(row: Mapping[str, str], *names: str) -> tuple[str | None, str]:
    """The first present, non-blank column among `names`, and the name used (for messages)."""
    for name in names:
        value = row.get(name)
        if value is not None and value.strip():
            return value.strip(), name
    return None, names[0]


_COLUMN_TITLES = {
    "contact_id": "Contact_ID",
    "master_contact_id": "Master_Contact_ID",
    "agent_no": "Agent_No",
    "start_date": "Start_Date",
    "start_time": "Start_Time",
    "abandon": "Abandon",
    "total_time": "Total_Time",
}


def _title(key: str) -> str:
    return _COLUMN_TITLES.get(key) or "_".join(part.capitalize() for part in key.split("_"))


def map_data_download_record(row: Mapping[str, str], known: dict[str, str | None]) -> dict[str, Any]:
    """Interaction fields for one Data Download record. Raises RowError."""
    contact_id = identifier(row.get("contact_id"), "Contact_ID")
    if contact_id is None:
        raise RowError("missing_id", "Contact_ID is empty; every contact needs its CXone id.")
    known["interaction_id"] = contact_id
    master_id = identifier(row.get("master_contact_id"), "Master_Contact_ID")
    known["master_interaction_id"] = master_id

    media, media_column = _first(row, "media_name", "media_type", "media_type_name")
    channel = media_channel(media)
    if channel is None:
        if media is None:
            raise RowError("unknown_channel", "Media_Name is empty; it must name the channel (e.g. Call).")
        raise RowError(
            "unknown_channel", f"{_title(media_column)} {describe(media)!r} is not a known channel."
        )
    known["channel"] = channel.value

    started_at = us_date_time(row.get("start_date"), row.get("start_time"), "Start_Date", "Start_Time")

    abandon_value, abandon_column = _first(row, "abandon", "abandoned", "is_abandoned")
    abandoned = bool(flag(abandon_value, _title(abandon_column)))
    duration_value, duration_column = _first(row, "total_time", "duration", "total_duration_seconds")
    duration = seconds(duration_value, _title(duration_column))

    agent_id = optional_id(row.get("agent_no"), "Agent_No")
    reached_agent = not (abandoned and agent_id is None)

    direction_value, _ = _first(row, "skill_direction", "direction")
    direction = (
        Direction.OUTBOUND if direction_value and "outbound" in direction_value.lower() else Direction.INBOUND
    )

    address = text(row.get("ani_dialnum") or row.get("ani"), "ANI_Dialnum")
    customer_email = customer_phone = None
    if address is not None:
        if "@" in address:
            customer_email = address
        elif looks_like_phone(address):
            customer_phone = address
    contact_name = text(row.get("contact_name"), "Contact_Name")
    if contact_name is not None and (looks_like_phone(contact_name) or looks_like_email(contact_name)):
        contact_name = None
    if contact_name is None and channel is Channel.CHAT and address and customer_email is None:
        contact_name = address if not looks_like_phone(address) else None

    notes, _ = _first(row, "disposition_notes", "notes")
    disposition, _ = _first(row, "disposition_code", "disposition_name", "disposition")
    return {
        "interaction_id": contact_id,
        "master_interaction_id": master_id,
        "channel": channel,
        "direction": direction,
        "started_at": started_at,
        "duration_seconds": duration,
        "customer_phone": customer_phone,
        "customer_email": customer_email,
        "customer_name": contact_name,
        "agent_id": agent_id,
        "agent_name": text(row.get("agent_name"), "Agent_Name"),
        "skill": text(row.get("skill_name"), "Skill_Name"),
        "disposition": disposition,
        "notes": notes,
        "subject": text(row.get("subject"), "Subject"),
        "abandoned": abandoned,
        "reached_agent": reached_agent,
    }
