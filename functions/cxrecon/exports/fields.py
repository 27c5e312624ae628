"""Shared coercions for export values, and the row-level error they raise.

Old CXone exports send every value as a string ("False", "4", "123"); newer ones send typed JSON. Every
coercion here accepts both. Errors name the field, never its value, so rejection details cannot leak
customer phone numbers, emails or names.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from cxrecon.domain.interaction import Channel

MAX_ID_CHARS = 64


class RowError(Exception):
    """One row cannot become an Interaction. `reason` is a Rejection reason code."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def text(value: object, field: str) -> str | None:
    """A trimmed string, or None for missing/blank. Numbers become their decimal text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, str):
        stripped = value.strip()
        return stripped or None
    raise RowError("malformed_row", f"{field} must be text, not a JSON {_json_type(value)}.")


def identifier(value: object, field: str) -> str | None:
    """An id as text ("123" for 123 or 123.0); None when missing or blank."""
    if isinstance(value, bool):
        raise RowError("malformed_row", f"{field} must be an id (number or text), not true/false.")
    result = text(value, field)
    if result is not None and len(result) > MAX_ID_CHARS:
        raise RowError(
            "oversized_field", f"{field} is longer than {MAX_ID_CHARS} characters; it cannot be a CXone id."
        )
    return result


def optional_id(value: object, field: str) -> str | None:
    """Like identifier, but "0" means none (CXone's convention for "no agent", "no disposition")."""
    result = identifier(value, field)
    if result is None or result.strip("0") == "":
        return None
    return result


_TRUE = frozenset({"true", "t", "yes", "y", "1"})
_FALSE = frozenset({"false", "f", "no", "n", "0"})


def flag(value: object, field: str) -> bool | None:
    """True/False from a JSON bool, 1/0, or text such as "True", "false", "Y", "N", "1", "0"."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        lowered = value.strip().lower()
        if not lowered:
            return None
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
    raise RowError("malformed_row", f"{field} must be true or false (or Y/N, 1/0).")


_CLOCK = re.compile(r"^(\d+):([0-5]\d):([0-5]\d)(?:\.\d+)?$")


def seconds(value: object, field: str) -> int | None:
    """A non-negative whole number of seconds from 12, 12.7, "12", "12.0" or "0:00:12"."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise RowError("malformed_row", f"{field} must be a number of seconds, not true/false.")
    number: float
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        stripped = value.strip()
        if not stripped:
            return None
        clock = _CLOCK.match(stripped)
        if clock:
            hours, minutes, secs = (int(part) for part in clock.groups())
            return hours * 3600 + minutes * 60 + secs
        try:
            number = float(stripped)
        except ValueError:
            raise RowError("malformed_row", f"{field} must be a number of seconds.") from None
    else:
        raise RowError("malformed_row", f"{field} must be a number of seconds.")
    if not math.isfinite(number):
        raise RowError("malformed_row", f"{field} must be a finite number of seconds.")
    if number < 0:
        raise RowError("malformed_row", f"{field} must not be negative.")
    return int(number)


_LONG_FRACTION = re.compile(r"(\.\d{6})\d+")


def iso_datetime(value: object, field: str) -> datetime | None:
    """An aware UTC datetime from ISO-8601 text (Z or an offset; a naive value is taken as UTC)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise RowError("malformed_date", f"{field} must be an ISO-8601 date-time string.")
    stripped = value.strip()
    if not stripped:
        return None
    try:
        parsed = datetime.fromisoformat(_LONG_FRACTION.sub(r"\1", stripped))
    except ValueError:
        raise RowError(
            "malformed_date", f"{field} is not an ISO-8601 date-time (e.g. 2024-05-01T13:45:00Z)."
        ) from None
    return as_utc(parsed)


def as_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})$")
_ISO_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?\s*(?:([AaPp])\.?\s*[Mm]\.?)?$")


def us_date_time(
    date_value: str | None, time_value: str | None, date_field: str, time_field: str
) -> datetime:
    """A UTC datetime from Data Download "MM/DD/YYYY" and "HH:MM:SS" (or "h:mm:ss AM") columns.

    The date column may also carry the time ("05/01/2024 13:45:00"); a missing time means midnight.
    YYYY-MM-DD dates are accepted too.
    """
    if not date_value or not date_value.strip():
        raise RowError("malformed_date", f"{date_field} is empty; it must be a date like 05/31/2024.")
    date_text = date_value.strip()
    time_text = (time_value or "").strip()
    if not time_text and " " in date_text:
        date_text, time_text = date_text.split(" ", 1)
        time_text = time_text.strip()
    parsed_date = _parse_date(date_text)
    if parsed_date is None:
        raise RowError("malformed_date", f"{date_field} must be a date like 05/31/2024 (MM/DD/YYYY).")
    parsed_time = time(0, 0)
    if time_text:
        found = _parse_time(time_text)
        if found is None:
            raise RowError("malformed_date", f"{time_field} must be a time like 13:45:00 or 1:45:00 PM.")
        parsed_time = found
    return datetime.combine(parsed_date, parsed_time, tzinfo=UTC)


def _parse_date(value: str) -> date | None:
    match = _US_DATE.match(value)
    try:
        if match:
            month, day, year = (int(part) for part in match.groups())
            return date(year + 2000 if year < 100 else year, month, day)
        match = _ISO_DATE.match(value)
        if match:
            year, month, day = (int(part) for part in match.groups())
            return date(year, month, day)
    except ValueError:
        return None
    return None


def _parse_time(value: str) -> time | None:
    match = _TIME.match(value)
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2])
    second = int(match[3] or 0)
    micro = int((match[4] or "0").ljust(6, "0"))
    meridiem = (match[5] or "").lower()
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "p" else 0)
    try:
        return time(hour, minute, second, micro)
    except ValueError:
        return None


def duration_between(start: datetime, end: datetime | None) -> int | None:
    if end is None:
        return None
    delta = end - start
    return max(0, int(delta / timedelta(seconds=1)))


@dataclass(frozen=True)
class _FieldName:
    """A path's last step when the field's name itself is at fault, not its value."""

    name: str


_Step = str | int | _FieldName


def _first_bad(value: object, bad: Callable[[str], bool]) -> list[_Step] | None:
    """The steps (keys, indexes) to the first string `bad` accepts, value or field name, else None.

    The walk builds no path until it finds something, and checks a mapping's plain string values in
    place, without descending into each."""
    if isinstance(value, str):
        return [] if bad(value) else None
    if isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str) and bad(key):
                return [_FieldName(key)]
            if isinstance(item, str):
                if bad(item):
                    return [key]
            elif isinstance(item, Mapping | list | tuple) and (found := _first_bad(item, bad)) is not None:
                return [key, *found]
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            if (found := _first_bad(item, bad)) is not None:
                return [index, *found]
    return None


def _dotted(steps: Iterable[_Step]) -> str:
    """ "recipients[2].name" for ["recipients", 2, "name"]."""
    path = ""
    for step in steps:
        path += f"[{step}]" if isinstance(step, int) else f".{step}" if path else str(step)
    return path


def fits(value: object, limit: int) -> bool:
    """Whether no string in `value`, field names included and at any depth, is longer than `limit` or
    holds undecodable bytes: what nearly every row is, told in one pass. Only a row that does not fit
    is walked again to name the field (`find_bad_encoding`, `find_oversized`)."""
    if isinstance(value, str):
        return len(value) <= limit and (value.isascii() or _SURROGATE.search(value) is None)
    if isinstance(value, Mapping):
        items: Iterable[object] = itertools.chain(value.keys(), value.values())
    elif isinstance(value, list | tuple):
        items = value
    else:
        return True
    for item in items:
        if type(item) is str:
            if len(item) > limit or not (item.isascii() or _SURROGATE.search(item) is None):
                return False
        elif item is not None and not isinstance(item, int | float) and not fits(item, limit):
            return False
    return True


def find_oversized(value: object, limit: int) -> str | None:
    """The path ("preview", "recipients[2].name") of the first string longer than `limit`, else None."""
    steps = _first_bad(value, lambda text: len(text) > limit)
    if steps is None:
        return None
    if steps and isinstance(steps[-1], _FieldName):
        path = _dotted(steps[:-1])
        return (path + "." if path else "") + steps[-1].name[:40] + "…"
    return _dotted(steps) or "value"


def find_bad_encoding(value: object) -> str | None:
    """The path of the first string holding undecodable bytes (lone surrogates), else None."""
    steps = _first_bad(value, has_surrogate)
    if steps is None:
        return None
    if steps and isinstance(steps[-1], _FieldName):
        return _dotted(steps[:-1]) or "a field name"
    return _dotted(steps) or "value"


_SURROGATE = re.compile("[\ud800-\udfff]")


def has_surrogate(value: str) -> bool:
    """Whether `value` holds a lone surrogate (what undecodable bytes become); ASCII text never does."""
    return not value.isascii() and _SURROGATE.search(value) is not None


def _json_type(value: object) -> str:
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, list | tuple):
        return "array"
    return type(value).__name__


# ---- channels -----------------------------------------------------------------------------------------

_MEDIA_CODES: dict[int, Channel] = {
    1: Channel.EMAIL,
    3: Channel.CHAT,
    4: Channel.CALL,
    5: Channel.VOICEMAIL,
    6: Channel.WORK_ITEM,
    7: Channel.SMS,
    8: Channel.SOCIAL,
    9: Channel.DIGITAL,
}

_MEDIA_NAMES: dict[str, Channel] = {
    "email": Channel.EMAIL,
    "e-mail": Channel.EMAIL,
    "chat": Channel.CHAT,
    "live chat": Channel.CHAT,
    "livechat": Channel.CHAT,
    "call": Channel.CALL,
    "phone": Channel.CALL,
    "phone call": Channel.CALL,
    "phonecall": Channel.CALL,
    "voice": Channel.CALL,
    "telephone": Channel.CALL,
    "voice mail": Channel.VOICEMAIL,
    "voicemail": Channel.VOICEMAIL,
    "work item": Channel.WORK_ITEM,
    "workitem": Channel.WORK_ITEM,
    "sms": Channel.SMS,
    "text": Channel.SMS,
    "social": Channel.SOCIAL,
    "digital": Channel.DIGITAL,
}


def media_channel(value: object) -> Channel | None:
    """A Channel from a CXone media type code (4, "4") or name ("Phone Call", "VOICEMAIL", "work_item")."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _MEDIA_CODES.get(int(value)) if float(value).is_integer() else None
    if not isinstance(value, str):
        return None
    key = " ".join(value.replace("_", " ").replace("-", " ").lower().split())
    if not key:
        return None
    if key.isdigit():
        return _MEDIA_CODES.get(int(key))
    return _MEDIA_NAMES.get(key) or _MEDIA_NAMES.get(key.replace(" ", ""))


def describe(value: object) -> str:
    """A short, safe rendering of a non-customer value (a media type) for rejection details."""
    rendered = str(value)
    return rendered if len(rendered) <= 40 else rendered[:40] + "…"


# ---- customer addresses -------------------------------------------------------------------------------

_PHONE_PUNCTUATION = re.compile(r"[\s+\-().\/]")
_PHONE_SCHEME = re.compile(r"^(?:tel|sip|sips):", re.IGNORECASE)


def looks_like_email(value: str) -> bool:
    local, at, domain = value.rpartition("@")
    return bool(at and local.strip() and "." in domain)


def looks_like_phone(value: str) -> bool:
    """At least 7 digits and nothing but phone punctuation around them."""
    stripped = _PHONE_SCHEME.sub("", value.strip())
    remainder = _PHONE_PUNCTUATION.sub("", stripped)
    return remainder.isdigit() and len(remainder) >= 7


def join_name(*parts: str | None) -> str | None:
    joined = " ".join(part for part in parts if part)
    return joined or None


def strings(values: Iterable[str | None]) -> tuple[str, ...]:
    """Unique non-empty strings, in order."""
    seen: dict[str, None] = {}
    for value in values:
        if value and value not in seen:
            seen[value] = None
    return tuple(seen)
