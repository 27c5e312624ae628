"""SOQL tokenizer and parser (a subset) into a small AST; evaluation lives in query.py."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from .errors import malformed_query

_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_TOKEN_RE = re.compile(
    r"""(?P<ws>\s+)
    |(?P<plain>'[^'\\]*')
    |(?P<string>')
    |(?P<punct>[(),:])
    |(?P<datetime>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}))
    |(?P<date>\d{4}-\d{2}-\d{2}(?![\dT]))
    |(?P<number>-?\d+(?:\.\d+)?)
    |(?P<ident>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
    |(?P<op>!=|<>|<=|>=|=|<|>)""",
    re.VERBOSE,
)


@dataclass
class Tok:
    kind: str
    value: Any
    pos: int
    like: str = ""  # for strings with escapes: the LIKE regex built from the raw literal ("" = `plain_like`)


@dataclass
class Lit:
    kind: str  # string, number, bool, null, date, datetime, range
    value: Any
    like: str = ""


@dataclass
class Compare:
    path: str
    op: str
    value: Lit


@dataclass
class InList:
    path: str
    values: list[Lit]
    negate: bool


@dataclass
class Like:
    path: str
    value: Lit


@dataclass
class BoolOp:
    op: str  # and / or / not
    args: list[Any]


@dataclass
class Select:
    sobject: str
    fields: list[str] = field(default_factory=list)
    count: bool = False
    aggregate: str | None = None  # COUNT(field)
    where: Any = None
    order: list[tuple[str, bool, bool]] = field(default_factory=list)  # path, descending, nulls_first
    limit: int | None = None
    offset: int = 0


def _read_string(text: str, start: int) -> tuple[str, str, int]:
    out: list[str] = []
    like: list[str] = []
    i = start + 1
    while i < len(text):
        ch = text[i]
        if ch == "'":
            return "".join(out), "".join(like), i + 1
        if ch == "\\":
            nxt = text[i + 1 : i + 2]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                like.append(re.escape(_ESCAPES[nxt]))
            elif nxt in ("_", "%"):
                out.append("\\" + nxt)
                like.append(re.escape(nxt))
            else:
                raise malformed_query(f"Invalid string literal: unknown escape sequence '\\{nxt}'")
            i += 2
            continue
        out.append(ch)
        like.append(".*" if ch == "%" else "." if ch == "_" else re.escape(ch))
        i += 1
    raise malformed_query("unexpected token: unterminated string literal")


def plain_like(value: str) -> str:
    """The LIKE regex of a literal without escapes, as `_read_string` builds it char by char (`re.escape`
    leaves `%` and `_` alone). Built only for literals LIKE uses, not for every literal of an IN list."""
    return re.escape(value).replace("%", ".*").replace("_", ".")


def tokenize(text: str) -> list[Tok]:
    toks: list[Tok] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if m is None:
            raise malformed_query(f"unexpected token: '{text[pos : pos + 20]}'")
        kind = m.lastgroup or ""
        if kind == "plain":  # no escapes: the common case, and the bulk of long IN lists
            toks.append(Tok("string", m.group()[1:-1], m.start()))
            pos = m.end()
            continue
        if kind == "string":
            value, like, pos = _read_string(text, pos)
            toks.append(Tok("string", value, m.start(), like))
            continue
        if kind != "ws":
            toks.append(Tok(kind, m.group(), m.start()))
        pos = m.end()
    toks.append(Tok("eof", "", len(text)))
    return toks


def date_range(name: str, n: int | None) -> tuple[str, str] | None:
    today = datetime.now(UTC).date()
    spans: dict[str, tuple[date, date]] = {
        "TODAY": (today, today),
        "YESTERDAY": (today - timedelta(1), today - timedelta(1)),
        "TOMORROW": (today + timedelta(1), today + timedelta(1)),
    }
    if n is not None and name == "LAST_N_DAYS":
        spans[name] = (today - timedelta(n), today)
    if n is not None and name == "NEXT_N_DAYS":
        spans[name] = (today, today + timedelta(n))
    span = spans.get(name)
    return None if span is None else (span[0].isoformat(), span[1].isoformat())


class Parser:
    """Recursive descent over tokens; also used by the SOSL RETURNING clause."""

    def __init__(self, toks: list[Tok]) -> None:
        self.toks = toks
        self.i = 0

    @property
    def tok(self) -> Tok:
        return self.toks[self.i]

    def kw(self, *words: str) -> bool:
        t = self.tok
        if t.kind == "ident" and t.value.upper() in words:
            self.i += 1
            return True
        return False

    def expect_kw(self, word: str) -> None:
        if not self.kw(word):
            raise malformed_query(f"unexpected token: '{self.tok.value}', expecting {word}")

    def punct(self, ch: str) -> bool:
        if self.tok.kind == "punct" and self.tok.value == ch:
            self.i += 1
            return True
        return False

    def expect_punct(self, ch: str) -> None:
        if not self.punct(ch):
            raise malformed_query(f"unexpected token: '{self.tok.value}', expecting '{ch}'")

    def ident(self) -> str:
        t = self.tok
        if t.kind != "ident":
            raise malformed_query(f"unexpected token: '{t.value}'")
        self.i += 1
        return str(t.value)

    def fields(self, sel: Select) -> None:
        if (
            self.tok.kind == "ident"
            and self.tok.value.upper() == "COUNT"
            and self.toks[self.i + 1].value == "("
        ):
            self.i += 2
            if self.punct(")"):
                sel.count = True
            else:
                sel.aggregate = self.ident()
                self.expect_punct(")")
            return
        sel.fields.append(self.ident())
        while self.punct(","):
            if self.tok.kind == "punct" and self.tok.value == "(":
                raise malformed_query("Nested (child relationship) queries are not supported by the sandbox")
            sel.fields.append(self.ident())
        if sel.fields[-1].upper() == "FROM":
            raise malformed_query("unexpected token: 'FROM'")

    def condition(self) -> Any:
        args = [self.conjunction()]
        while self.kw("OR"):
            args.append(self.conjunction())
        return args[0] if len(args) == 1 else BoolOp("or", args)

    def conjunction(self) -> Any:
        args = [self.negation()]
        while self.kw("AND"):
            args.append(self.negation())
        return args[0] if len(args) == 1 else BoolOp("and", args)

    def negation(self) -> Any:
        if self.kw("NOT"):
            return BoolOp("not", [self.negation()])
        if self.punct("("):
            inner = self.condition()
            self.expect_punct(")")
            return inner
        path = self.ident()
        if self.kw("LIKE"):
            lit = self.literal()
            if lit.kind != "string":
                raise malformed_query("LIKE requires a string literal")
            if not lit.like:
                lit.like = plain_like(lit.value)
            return Like(path, lit)
        negate = self.kw("NOT")
        if self.kw("IN"):
            self.expect_punct("(")
            values = [self.literal()]
            while self.punct(","):
                values.append(self.literal())
            self.expect_punct(")")
            return InList(path, values, negate)
        if negate or self.tok.kind != "op":
            raise malformed_query(f"unexpected token: '{self.tok.value}'")
        op = self.tok.value
        self.i += 1
        return Compare(path, "!=" if op == "<>" else op, self.literal())

    def literal(self) -> Lit:
        t = self.tok
        self.i += 1
        if t.kind == "string":
            return Lit("string", t.value, t.like)
        if t.kind == "number":
            return Lit("number", float(t.value) if "." in t.value else int(t.value))
        if t.kind in ("date", "datetime"):
            return Lit(t.kind, t.value)
        if t.kind == "ident":
            word = t.value.upper()
            if word in ("TRUE", "FALSE"):
                return Lit("bool", word == "TRUE")
            if word == "NULL":
                return Lit("null", None)
            n: int | None = None
            if self.punct(":"):
                num = self.tok
                self.i += 1
                if num.kind != "number":
                    raise malformed_query(f"unexpected token: '{num.value}'")
                n = int(num.value)
            span = date_range(word, n)
            if span is not None:
                return Lit("range", span)
        raise malformed_query(f"unexpected token: '{t.value}'")

    def order_by(self, sel: Select) -> None:
        while True:
            path = self.ident()
            desc = self.kw("DESC")
            if not desc:
                self.kw("ASC")
            nulls_first = not desc
            if self.kw("NULLS"):
                if self.kw("FIRST"):
                    nulls_first = True
                else:
                    self.expect_kw("LAST")
                    nulls_first = False
            sel.order.append((path, desc, nulls_first))
            if not self.punct(","):
                return

    def number(self) -> int:
        t = self.tok
        if t.kind != "number" or "." in t.value or t.value.startswith("-"):
            raise malformed_query(f"unexpected token: '{t.value}'")
        self.i += 1
        return int(t.value)

    def tail(self, sel: Select) -> None:
        if self.kw("WHERE"):
            sel.where = self.condition()
        if self.kw("ORDER"):
            self.expect_kw("BY")
            self.order_by(sel)
        if self.kw("LIMIT"):
            sel.limit = self.number()
        if self.kw("OFFSET"):
            sel.offset = self.number()


def parse(text: str) -> Select:
    if len(text) > 100_000:
        raise malformed_query("SOQL statements cannot be longer than 100,000 characters")
    p = Parser(tokenize(text))
    p.expect_kw("SELECT")
    sel = Select("")
    p.fields(sel)
    p.expect_kw("FROM")
    sel.sobject = p.ident()
    p.tail(sel)
    if p.tok.kind != "eof":
        raise malformed_query(f"unexpected token: '{p.tok.value}'")
    return sel
