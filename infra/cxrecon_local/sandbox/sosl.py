"""SOSL subset: FIND {terms} IN <group> FIELDS RETURNING Obj(fields WHERE ... LIMIT n), ..."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .errors import SalesforceError, bad
from .org import Org
from .query import Evaluator
from .schema import to18
from .soql import Parser, Select, tokenize
from .values import phone_digits

MAX_FIND = 4000
MAX_RESULTS = 2000
NAME_FIELDS = ("Name", "FirstName", "LastName", "Company", "CaseNumber")
DEFAULT_RETURNING = ("Account", "Contact", "Lead")
_WORD = re.compile(r"[^\W_]+")


def malformed_search(message: str) -> SalesforceError:
    return bad("MALFORMED_SEARCH", message)


@dataclass
class Term:
    text: str
    phrase: bool = False


@dataclass
class Search:
    expr: Any
    group: str = "ALL"
    returning: list[Select] = field(default_factory=list)
    limit: int = MAX_RESULTS


def _split_find(q: str) -> tuple[str, str]:
    m = re.match(r"\s*FIND\s*\{", q, re.I)
    if m is None:
        raise malformed_search("line 1:1 no viable alternative at character; expecting FIND {...}")
    i = m.end()
    while i < len(q):
        if q[i] == "\\":
            i += 2
            continue
        if q[i] == "}":
            return q[m.end() : i], q[i + 1 :]
        i += 1
    raise malformed_search("unterminated search term: missing '}'")


def _lex_terms(text: str) -> list[Any]:
    out: list[Any] = []
    i = 0
    buf: list[str] = []

    def flush() -> None:
        if buf:
            word = "".join(buf)
            out.append(word if word in ("OR", "AND", "NOT") else Term(word))
            buf.clear()

    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            buf.append(text[i + 1])
            i += 2
        elif ch == '"':
            flush()
            j, phrase = i + 1, []
            while j < len(text) and text[j] != '"':
                if text[j] == "\\" and j + 1 < len(text):
                    j += 1
                phrase.append(text[j])
                j += 1
            out.append(Term("".join(phrase), phrase=True))
            i = j + 1
        elif ch in "()" or ch.isspace():
            flush()
            if not ch.isspace():
                out.append(ch)
            i += 1
        else:
            buf.append(ch)
            i += 1
    flush()
    return out


class _TermParser:
    def __init__(self, toks: list[Any]) -> None:
        self.toks = toks
        self.i = 0

    def peek(self) -> Any:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def expr(self) -> Any:
        node = self.conj()
        while self.peek() == "OR":
            self.i += 1
            node = ("or", node, self.conj())
        return node

    def conj(self) -> Any:
        node = self.unary()
        while self.peek() not in (None, "OR", ")"):
            if self.peek() == "AND":
                self.i += 1
            if self.peek() == "NOT":
                self.i += 1
                node = ("andnot", node, self.unary())
            else:
                node = ("and", node, self.unary())
        return node

    def unary(self) -> Any:
        tok = self.peek()
        self.i += 1
        if tok == "(":
            node = self.expr()
            if self.peek() != ")":
                raise malformed_search("missing ')' in search term")
            self.i += 1
            return node
        if not isinstance(tok, Term):
            raise malformed_search(f"unexpected token in search term: {tok}")
        return tok


def parse_search(q: str) -> Search:
    if len(q) > MAX_FIND:
        raise malformed_search(f"search query longer than {MAX_FIND} characters")
    terms, rest = _split_find(q)
    toks = _lex_terms(terms)
    if not toks:
        raise malformed_search("search term must be longer than one character")
    tp = _TermParser(toks)
    search = Search(tp.expr())
    if tp.peek() is not None:
        raise malformed_search(f"unexpected token in search term: {tp.peek()}")
    p = Parser(tokenize(rest))
    if p.kw("IN"):
        group = p.ident().upper()
        if group not in ("ALL", "NAME", "EMAIL", "PHONE", "SIDEBAR"):
            raise malformed_search(f"unexpected token: '{group}'")
        search.group = "ALL" if group == "SIDEBAR" else group
        p.expect_kw("FIELDS")
    if p.kw("RETURNING"):
        while True:
            sel = Select(p.ident())
            if p.punct("("):
                p.fields(sel)
                p.tail(sel)
                p.expect_punct(")")
            search.returning.append(sel)
            if not p.punct(","):
                break
    if p.kw("LIMIT"):
        search.limit = min(p.number(), MAX_RESULTS)
    if p.tok.kind != "eof":
        raise malformed_search(f"unexpected token: '{p.tok.value}'")
    return search


def _pattern(term: Term) -> list[re.Pattern[str]]:
    words = re.findall(r"[^\W_]+|[*?]", term.text.lower()) if term.phrase else [term.text.lower()]
    pats = []
    for raw in words:
        word = raw if term.phrase else re.sub(r"[^\w*?]+", " ", raw).strip()
        rx = "".join(r"\w*" if c == "*" else r"\w" if c == "?" else re.escape(c) for c in word)
        pats.append(re.compile(rx.replace(r"\ ", r"\s+")))
    return pats


def _text_match(pats: list[re.Pattern[str]], rec: dict[str, Any], fields: list[str]) -> bool:
    for fname in fields:
        words = _words(rec, fname)
        if words and all(p.search(words) for p in pats):
            return True
    return False


def _words(rec: dict[str, Any], fname: str) -> str:
    """A field's words, lower-cased and space-joined; computed once per row and search."""
    cache: dict[str, str] = rec.setdefault("__words", {})
    if fname not in cache:
        value = rec.get(fname)
        cache[fname] = "" if value is None else " ".join(_WORD.findall(str(value).lower()))
    return cache[fname]


def _term_pks(org: Org, sobject: str, term: Term, group: str, rows: list[dict[str, Any]]) -> set[str]:
    pks: set[str] = set()
    obj = org.schema[sobject.lower()]
    if group in ("PHONE", "ALL"):
        digits = phone_digits(term.text)
        if len(digits) >= 3:
            keys = {digits, digits[1:] if len(digits) == 11 and digits[0] == "1" else digits, "1" + digits}
            pks |= {pk for _, pk in org.store.lookup(obj.name, "phone", keys)}
    if group in ("EMAIL", "ALL") and "@" in term.text:
        pks |= {pk for _, pk in org.store.lookup(obj.name, "email", [term.text.lower()])}
    if group in ("NAME", "ALL"):
        names = [f.name for f in obj.fields.values() if f.name in NAME_FIELDS]
        if group == "ALL":
            names = [f.name for f in obj.fields.values() if f.type in ("string", "textarea", "email", "url")]
        pats = [re.compile(rf"(?<!\w){p.pattern}(?!\w)") for p in _pattern(term)]
        pks |= {str(r["__pk"]) for r in rows if _text_match(pats, r, names)}
    return pks


def _eval(org: Org, sobject: str, node: Any, group: str, rows: list[dict[str, Any]]) -> set[str]:
    if isinstance(node, Term):
        return _term_pks(org, sobject, node, group, rows)
    left = _eval(org, sobject, node[1], group, rows)
    right = _eval(org, sobject, node[2], group, rows)
    return left | right if node[0] == "or" else left & right if node[0] == "and" else left - right


def run_search(org: Org, q: str, version: str) -> list[dict[str, Any]]:
    search = parse_search(q)
    selects = search.returning or [Select(name) for name in DEFAULT_RETURNING]
    out: list[dict[str, Any]] = []
    with org.store.lock:
        for sel in selects:
            obj = org.obj(sel.sobject)
            if obj is None:
                raise bad("INVALID_TYPE", f"sObject type '{sel.sobject}' is not supported.")
            ev = Evaluator(org, obj, version)
            fields = sel.fields or ["Id"]
            for dotted in fields:
                ev.path(dotted)
            if sel.where is not None:
                ev.check(sel.where)
            rows: list[dict[str, Any]] = []
            if search.group in ("NAME", "ALL"):
                rows = [{**r, "__pk": to18(r["Id"])} for r in org.store.scan(obj.name)]
            pks = _eval(org, obj.name, search.expr, search.group, rows)
            found = [r.data for pk, r in sorted(org.store.get_many(pks).items()) if not r.deleted]
            if sel.where is not None:
                found = [r for r in found if ev.matches(r, sel.where)]
            found = found[sel.offset :][: sel.limit if sel.limit is not None else MAX_RESULTS]
            out.extend(ev.project(r, fields) for r in found)
    return out[: search.limit]
