"""SOSL subset: FIND {terms} IN <group> FIELDS RETURNING Obj(fields WHERE ... LIMIT n), ..."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .errors import SalesforceError, bad
from .org import Org
from .query import Evaluator
from .schema import WORD_RE, ObjectDef, field_words, name_fields, to18
from .soql import Parser, Select, tokenize
from .values import phone_digits

MAX_FIND = 4000
MAX_RESULTS = 2000
DEFAULT_RETURNING = ("Account", "Contact", "Lead")


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


def _term_words(term: Term) -> list[str]:
    """The lower-cased words a term's patterns are built from: a phrase's words (and lone wildcards) one
    by one, an unquoted term whole with its punctuation turned to spaces."""
    if term.phrase:
        return re.findall(r"[^\W_]+|[*?]", term.text.lower())
    return [re.sub(r"[^\w*?]+", " ", term.text.lower()).strip()]


def _pattern(term: Term) -> list[re.Pattern[str]]:
    pats = []
    for word in _term_words(term):
        rx = "".join(r"\w*" if c == "*" else r"\w" if c == "?" else re.escape(c) for c in word)
        pats.append(re.compile(rx.replace(r"\ ", r"\s+")))
    return pats


def _literal_words(term: Term) -> list[str]:
    """Words every record matching `term` in the NAME group has as a whole word of one NAME field.

    A pattern matches a field's space-joined words (`field_words`) only between word boundaries or
    spaces, so each of its wildcard-free pieces is one of them. Pieces with `*`/`?` (or `_`, which a
    field's words never contain) are left out: they only narrow less."""
    pieces = (piece for word in _term_words(term) for piece in word.split(" "))
    return sorted({piece for piece in pieces if WORD_RE.fullmatch(piece)})


def _phone_keys(term: Term) -> set[str]:
    digits = phone_digits(term.text)
    if len(digits) < 3:
        return set()
    return {digits, digits[1:] if len(digits) == 11 and digits[0] == "1" else digits, "1" + digits}


def _all_text_fields(obj: ObjectDef) -> list[str]:
    """The fields the ALL group searches by words."""
    return [f.name for f in obj.fields.values() if f.type in ("string", "textarea", "email", "url")]


def _terms(node: Any) -> list[Term]:
    return [node] if isinstance(node, Term) else [*_terms(node[1]), *_terms(node[2])]


class _Scope:
    """One search over one RETURNING object: index hits looked up in one query per kind, and records
    decoded only as needed.

    In the NAME group a term's candidates are the records holding all of its literal words
    (`_literal_words`, intersected by the index in one query for every term), checked with the term's
    patterns. Only a term with no literal word, or the ALL group, reads every record."""

    def __init__(self, org: Org, obj: ObjectDef, group: str, terms: list[Term]) -> None:
        self.store = org.store
        self.obj = obj
        self.group = group
        self.rows: dict[str, dict[str, Any]] = {}  # pk -> record, live records of `obj` only
        self.scanned = False
        self.hits: dict[tuple[str, str], set[str]] = {}  # ("phone" / "email", key) -> pks
        self._words: dict[tuple[str, str], str] = {}
        self._candidates: dict[int, set[str] | None] = {}
        self.fields = _all_text_fields(obj) if group == "ALL" else name_fields(obj)
        self._prefetch(terms)

    def _prefetch(self, terms: list[Term]) -> None:
        keys: dict[str, set[str]] = {"phone": set(), "email": set()}
        for term in terms:
            if self.group in ("PHONE", "ALL"):
                keys["phone"] |= _phone_keys(term)
            if self.group in ("EMAIL", "ALL") and "@" in term.text:
                keys["email"].add(term.text.lower())
        for kind, wanted in keys.items():
            for key in wanted:
                self.hits[(kind, key)] = set()
            if wanted:
                for key, pk in self.store.lookup(self.obj.name, kind, wanted):
                    self.hits[(kind, key)].add(pk)
        if self.group == "NAME":
            worded = [term for term in terms if _literal_words(term)]
            hits = self.store.intersect_keys(self.obj.name, "word", [_literal_words(t) for t in worded])
            self._candidates.update(zip(map(id, worded), hits, strict=True))
        if self.group in ("NAME", "ALL"):
            pools = [self.candidates(term) for term in terms]
            if any(pool is None for pool in pools):
                self.load_all()
            else:
                self.load(set().union(*(pool for pool in pools if pool is not None)))

    def candidates(self, term: Term) -> set[str] | None:
        """The pks that may match `term` by name, or None when every record may."""
        return self._candidates.get(id(term))

    def load_all(self) -> None:
        if not self.scanned:
            self.rows.update((str(to18(r["Id"])), r) for r in self.store.scan(self.obj.name))
            self.scanned = True

    def load(self, pks: set[str]) -> None:
        missing = [] if self.scanned else sorted(pks - self.rows.keys())
        for pk, row in self.store.get_many(missing).items():
            if not row.deleted and row.sobject == self.obj.name:
                self.rows[pk] = row.data

    def term_pks(self, term: Term) -> set[str]:
        pks: set[str] = set()
        if self.group in ("PHONE", "ALL"):
            for key in _phone_keys(term):
                pks |= self.hits.get(("phone", key), set())
        if self.group in ("EMAIL", "ALL") and "@" in term.text:
            pks |= self.hits.get(("email", term.text.lower()), set())
        if self.group in ("NAME", "ALL"):
            pats = [re.compile(rf"(?<!\w){p.pattern}(?!\w)") for p in _pattern(term)]
            pool = self.candidates(term)
            pks |= {pk for pk in (self.rows if pool is None else pool) if self._match(pats, pk)}
        return pks

    def _match(self, pats: list[re.Pattern[str]], pk: str) -> bool:
        """Whether one of the searched fields of record `pk` matches every pattern."""
        rec = self.rows.get(pk)
        if rec is None:
            return False
        for fname in self.fields:
            words = self._field_text(pk, rec, fname)
            if words and all(p.search(words) for p in pats):
                return True
        return False

    def _field_text(self, pk: str, rec: dict[str, Any], fname: str) -> str:
        """A field's words space-joined; computed once per record and search."""
        key = (pk, fname)
        text = self._words.get(key)
        if text is None:
            text = self._words[key] = " ".join(field_words(rec.get(fname)))
        return text

    def eval(self, node: Any) -> set[str]:
        if isinstance(node, Term):
            return self.term_pks(node)
        left, right = self.eval(node[1]), self.eval(node[2])
        return left | right if node[0] == "or" else left & right if node[0] == "and" else left - right

    def records(self, pks: set[str]) -> list[dict[str, Any]]:
        """The live records among `pks`, ordered by id."""
        self.load(pks)
        return [self.rows[pk] for pk in sorted(pks) if pk in self.rows]


def run_search(org: Org, q: str, version: str) -> list[dict[str, Any]]:
    search = parse_search(q)
    selects = search.returning or [Select(name) for name in DEFAULT_RETURNING]
    terms = _terms(search.expr)
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
            scope = _Scope(org, obj, search.group, terms)
            found = scope.records(scope.eval(search.expr))
            if sel.where is not None:
                found = [r for r in found if ev.matches(r, sel.where)]
            found = found[sel.offset :][: sel.limit if sel.limit is not None else MAX_RESULTS]
            out.extend(ev.project(r, fields) for r in found)
    return out[: search.limit]
