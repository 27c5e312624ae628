"""Converting JSON field values to stored values with Salesforce's validation errors."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from .errors import SalesforceError, bad
from .schema import FieldDef, to18

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
STRING_TYPES = {"string", "textarea", "email", "phone", "url", "picklist"}


def _parser_error(fdef: FieldDef, value: Any, kind: str) -> SalesforceError:
    token = (
        "VALUE_STRING"
        if isinstance(value, str)
        else "VALUE_NUMBER_INT"
        if isinstance(value, int)
        else "VALUE"
    )
    return bad(
        "JSON_PARSER_ERROR",
        f"Cannot deserialize instance of {kind} from {token} value {value} or request may be missing "
        f"a required field at [line:1, column:1]",
        [fdef.name],
    )


def parse_datetime(value: str) -> datetime | None:
    text = value.strip().replace("+0000", "+00:00")
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if "T" not in value:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def format_datetime(value: datetime) -> str:
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}+0000"


def valid_date(value: str) -> bool:
    if not _DATE_RE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def coerce(fdef: FieldDef, value: Any) -> Any:
    """The stored form of `value` for `fdef`, or a SalesforceError as a real org reports it."""
    if value is None:
        return None
    ftype = fdef.type
    if ftype in STRING_TYPES:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise _parser_error(fdef, value, "String")
        text = value if isinstance(value, str) else str(value)
        if text == "":
            return None
        if len(text) > fdef.length:
            raise bad(
                "STRING_TOO_LONG",
                f"{fdef.name}: data value too large: {text[:40]}... (max length={fdef.length})",
                [fdef.name],
            )
        if ftype == "picklist" and fdef.restricted and text not in fdef.picklist:
            raise bad(
                "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                f"{fdef.name}: bad value for restricted picklist field: {text}",
                [fdef.name],
            )
        if ftype == "email" and not _EMAIL_RE.match(text):
            raise bad("INVALID_EMAIL_ADDRESS", f"{fdef.name}: invalid email address: {text}", [fdef.name])
        return text
    if ftype == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise _parser_error(fdef, value, "boolean")
    if ftype in ("int", "double"):
        return _number(fdef, value)
    if ftype == "date":
        if isinstance(value, str) and valid_date(value):
            return value
        raise _parser_error(fdef, value, "date")
    if ftype == "datetime":
        parsed = parse_datetime(value) if isinstance(value, str) else None
        if parsed is None:
            raise _parser_error(fdef, value, "datetime")
        return format_datetime(parsed)
    if ftype in ("reference", "id"):
        if not isinstance(value, str):
            raise _parser_error(fdef, value, "String")
        if value == "":
            return None
        if to18(value) is None:
            raise bad("MALFORMED_ID", f"{fdef.name}: id value of incorrect type: {value}", [fdef.name])
        return value
    return value


def _number(fdef: FieldDef, value: Any) -> int | float:
    kind = "int" if fdef.type == "int" else "double"
    if isinstance(value, bool):
        raise _parser_error(fdef, value, kind)
    if isinstance(value, str):
        try:
            value = float(value) if kind == "double" or "." in value else int(value)
        except ValueError:
            raise _parser_error(fdef, value, kind) from None
    if not isinstance(value, int | float):
        raise _parser_error(fdef, value, kind)
    if kind == "int":
        if isinstance(value, float) and not value.is_integer():
            raise _parser_error(fdef, value, kind)
        return int(value)
    return float(value)


def phone_digits(value: Any) -> str:
    return "".join(ch for ch in str(value) if ch.isdigit()) if value is not None else ""
