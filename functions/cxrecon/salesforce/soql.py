"""Pure helpers that build safely quoted, size-bounded SOQL and SOSL fragments.

Values are always quoted by `simple_salesforce.format_soql` or escaped for SOSL here, never pasted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import quote

from simple_salesforce.format import format_soql, quote_soql_value

MAX_URI_BYTES = 16_384
MAX_SOQL_CHARS = 100_000
SOSL_MAX_CHARS = 3_500
# Backslash first, so escapes added for the others are not escaped again.
SOSL_RESERVED = "\\?&|!{}[]()^~*:\"'+-"


# The bytes `urllib.parse.quote(..., safe="")` leaves as they are; every other byte becomes "%XX".
_UNRESERVED = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"


def _encoded_len(text: str) -> int:
    """The URL-encoded length of `text` (percent-encoding everything, an upper bound for `+` spaces):
    `len(quote(text, safe=""))`, counted without building the quoted text."""
    data = text.encode()
    return len(data) + 2 * len(data.translate(None, _UNRESERVED))


def _pack(
    parts: list[str], *, sep: str, overhead: str, budget_bytes: int, budget_chars: int
) -> list[list[str]]:
    """Greedy groups of `parts` whose joined form plus `overhead` fits both budgets.

    A part too long for any query on its own is left out. No field a query filters or searches on holds
    a value that long (text fields hold at most 255 characters, names 121), so leaving it out gives the
    answer searching would: no match. Raising instead failed the whole chunk, good rows included.
    """
    groups: list[list[str]] = []
    current: list[str] = []
    used_bytes = used_chars = 0
    base_bytes, base_chars = _encoded_len(overhead), len(overhead)
    sep_bytes, sep_chars = _encoded_len(sep), len(sep)
    for part in parts:
        part_bytes, part_chars = _encoded_len(part), len(part)
        if base_bytes + part_bytes > budget_bytes or base_chars + part_chars > budget_chars:
            continue
        extra_bytes = part_bytes + (sep_bytes if current else 0)
        extra_chars = part_chars + (sep_chars if current else 0)
        if current and (
            base_bytes + used_bytes + extra_bytes > budget_bytes
            or base_chars + used_chars + extra_chars > budget_chars
        ):
            groups.append(current)
            current, used_bytes, used_chars = [], 0, 0
            extra_bytes, extra_chars = part_bytes, part_chars
        current.append(part)
        used_bytes += extra_bytes
        used_chars += extra_chars
    if current:
        groups.append(current)
    return groups


def batched_in_clauses(
    values: Iterable[str],
    *,
    field: str,
    base_query_len: int,
    max_uri_bytes: int = MAX_URI_BYTES,
) -> list[str]:
    """`field IN (...)` clauses covering `values` (deduplicated, sorted).

    Each clause keeps a query whose other parts take `base_query_len` URL-encoded bytes under
    `max_uri_bytes` once URL-encoded, and under 100,000 characters as SOQL.
    """
    unique = sorted(set(values))
    quoted = [quote_soql_value(value) for value in unique]  # what format_soql("{}", value) gives
    groups = _pack(
        quoted,
        sep=",",
        overhead=f"{field} IN ()",
        budget_bytes=max_uri_bytes - base_query_len,
        budget_chars=MAX_SOQL_CHARS - base_query_len,
    )
    # Re-quote each group through format_soql's list form: the quoting above only sized the values.
    by_quoted = dict(zip(quoted, unique, strict=True))
    return [format_soql(f"{field} IN {{}}", [by_quoted[q] for q in group]) for group in groups]


def batched_or_clauses(
    clauses: Iterable[str], *, base_query_len: int, max_uri_bytes: int = MAX_URI_BYTES
) -> list[str]:
    """Already-formatted SOQL conditions OR-ed into parenthesised groups within the URI limit."""
    groups = _pack(
        list(dict.fromkeys(clauses)),
        sep=" OR ",
        overhead="()",
        budget_bytes=max_uri_bytes - base_query_len,
        budget_chars=MAX_SOQL_CHARS - base_query_len,
    )
    return ["(" + " OR ".join(group) + ")" for group in groups]


def sosl_escape(term: str) -> str:
    """`term` with every SOSL reserved character backslash-escaped."""
    return "".join("\\" + ch if ch in SOSL_RESERVED else ch for ch in term)


def sosl_phrase(term: str) -> str:
    """`term` as an escaped, double-quoted SOSL phrase."""
    return '"' + sosl_escape(term) + '"'


def sosl_term_groups(
    terms: Iterable[str], *, max_chars: int = SOSL_MAX_CHARS, phrases: bool = False
) -> list[list[str]]:
    """`terms` (stripped, deduplicated, sorted) grouped so each group's `FIND {...}` fits `max_chars`."""
    cleaned = sorted({t.strip() for t in terms if t.strip()})
    # Escaping is one-to-one, so each packed part leads back to its term.
    term_of = {(sosl_phrase(t) if phrases else sosl_escape(t)): t for t in cleaned}
    packed = _pack(list(term_of), sep=" OR ", overhead="FIND {}", budget_bytes=10**9, budget_chars=max_chars)
    return [[term_of[part] for part in group] for group in packed]


def sosl_find(terms: Sequence[str], *, phrases: bool = False) -> str:
    """`FIND {a OR b OR ...}` with every term escaped (and quoted as a phrase when `phrases`)."""
    parts = [sosl_phrase(t) if phrases else sosl_escape(t) for t in terms]
    return "FIND {" + " OR ".join(parts) + "}"


def sosl_or_batches(
    terms: Iterable[str], *, max_chars: int = SOSL_MAX_CHARS, phrases: bool = False
) -> list[str]:
    """`FIND {a OR b OR ...}` clauses covering `terms`, each at most `max_chars` characters long.

    Terms are escaped (and quoted as phrases when `phrases`); the caller appends `IN ... RETURNING ...`.
    Salesforce drops logical operators past 4,000 characters, so keep `max_chars` well below that.
    """
    return [
        sosl_find(group, phrases=phrases)
        for group in sosl_term_groups(terms, max_chars=max_chars, phrases=phrases)
    ]


def external_id_segment(value: str) -> str:
    """An external id value made safe as one URL path segment."""
    return quote(value, safe="")


def query_url(api_version: str, soql: str) -> str:
    """The REST path of a SOQL query, as a composite subrequest `url`."""
    return f"/services/data/v{api_version}/query/?q={quote(soql, safe='')}"


def query_url_overhead(soql_without_clause: str) -> int:
    """URL-encoded bytes a query's URL takes besides its batched clause (for `base_query_len`)."""
    return len(query_url("999.9", soql_without_clause))
