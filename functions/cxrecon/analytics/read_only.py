"""The one rule for ad-hoc SQL, on DuckDB and on Athena: a single SELECT (WITH, VALUES, a set operation,
a parenthesised query), or EXPLAIN of one without ANALYZE. EXPLAIN ANALYZE runs its statement, so
`EXPLAIN ANALYZE COPY ... TO 'decisions/dt=.../x.parquet'` would write; it is refused like the COPY.

The statement is read as tokens by DuckDB's own tokenizer, so comments and string literals cannot hide a
keyword or fake one (`SELECT 'delete'` reads; `/* */ DELETE` does not). The tokenizer is dialect-light,
which is what the Athena path needs too: Trino's statements start with the same keywords.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from cxrecon.analytics.exceptions import ReadOnlyViolation

# DESCRIBE, SHOW and SUMMARIZE read the catalogue (or a table) on both engines.
_QUERY_STARTS = frozenset({"SELECT", "WITH", "VALUES", "FROM", "TABLE", "(", "DESCRIBE", "SHOW", "SUMMARIZE"})
_EXPLAIN = "EXPLAIN"
_ANALYZE = frozenset({"ANALYZE", "ANALYSE"})
# Keywords that never belong inside a read, wherever they stand (a CTE body, a subquery, after UNION).
_WRITING = frozenset(
    {
        "INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "CREATE", "DROP", "ALTER", "TRUNCATE",
        "COPY", "EXPORT", "IMPORT", "ATTACH", "DETACH", "INSTALL", "LOAD", "PRAGMA", "CALL",
        "CHECKPOINT", "VACUUM", "GRANT", "REVOKE", "UNLOAD", "USE",
    }
)  # fmt: skip


@dataclass(frozen=True)
class _Token:
    text: str  # upper-cased for keywords and operators
    kind: str


def _tokens(sql: str) -> list[_Token]:
    try:
        raw = duckdb.tokenize(sql)
    except (duckdb.Error, RuntimeError) as exc:
        raise ReadOnlyViolation(f"ad-hoc SQL could not be read: {exc}") from exc
    out: list[_Token] = []
    for i, (start, kind) in enumerate(raw):
        if kind.name == "comment":
            continue
        end = raw[i + 1][0] if i + 1 < len(raw) else len(sql)
        text = sql[start:end].strip()
        out.append(_Token(text.upper() if kind.name in {"keyword", "operator"} else text, kind.name))
    return out


def _word(token: _Token) -> str:
    """A keyword or a bare word (UNLOAD, MSCK are identifiers to DuckDB's tokenizer) as upper case."""
    if token.kind == "operator":
        return token.text[:1]
    return token.text.upper() if token.kind in {"keyword", "identifier"} else ""


def check_read_only(sql: str) -> None:
    """Raises ReadOnlyViolation, with one line saying why, unless `sql` is one reading statement."""
    tokens = _tokens(sql)
    while tokens and tokens[-1].text == ";":
        tokens.pop()
    if not tokens:
        raise ReadOnlyViolation("ad-hoc SQL is empty")
    if any(t.text == ";" for t in tokens):
        raise ReadOnlyViolation("ad-hoc SQL must be exactly one statement")
    first = _word(tokens[0])
    body = tokens
    if first == _EXPLAIN:
        if len(tokens) > 1 and _word(tokens[1]) in _ANALYZE:
            raise ReadOnlyViolation("ad-hoc SQL is read-only: EXPLAIN ANALYZE runs its statement")
        body = tokens[1:]
        if not body:
            raise ReadOnlyViolation("ad-hoc SQL is read-only: EXPLAIN needs a query")
    start = _word(body[0])
    if start not in _QUERY_STARTS:
        raise ReadOnlyViolation(f"ad-hoc SQL is read-only: {start or 'that'} statements are not allowed")
    writing = next((_word(t) for t in body if t.kind == "keyword" and _word(t) in _WRITING), None)
    if writing:
        raise ReadOnlyViolation(f"ad-hoc SQL is read-only: {writing} is not allowed inside a query")
