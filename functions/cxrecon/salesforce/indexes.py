"""Pure indexing of fetched records by the normalised lookup keys an `OrgView` is keyed by."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar
from urllib.parse import urlsplit

from cxrecon.domain.names import name_words
from cxrecon.domain.records import AccountRec, CaseRec, ContactRec, LeadRec, TaskRec, UserRec
from cxrecon.salesforce.records import Row, contact_rec, to_e164

R = TypeVar("R", AccountRec, CaseRec, ContactRec, LeadRec, UserRec)
P = TypeVar("P", ContactRec, LeadRec)


def by_lower_email(records: Iterable[P]) -> dict[str, list[P]]:
    """Records by lower-cased Email (Salesforce compares emails case-insensitively)."""
    out: dict[str, list[P]] = defaultdict(list)
    for rec in records:
        if rec.email:
            out[rec.email.lower()].append(rec)
    return out


def open_cases_by_account(cases: Iterable[CaseRec]) -> dict[str, list[CaseRec]]:
    out: dict[str, list[CaseRec]] = defaultdict(list)
    for case in cases:
        if case.account_id and not case.is_closed:
            out[case.account_id].append(case)
    return out


def index_by_phone(
    rows: Iterable[Row], phones: Iterable[str], region: str, build: Callable[[Row], P]
) -> dict[str, list[P]]:
    """Records indexed by each wanted E.164 number that one of their phone fields normalises to."""
    wanted = set(phones)
    out: dict[str, list[P]] = defaultdict(list)
    for row in {str(r["Id"]): r for r in rows}.values():
        rec = build(row)
        for e164 in dict.fromkeys(filter(None, (to_e164(p, region) for p in rec.phones))):
            if e164 in wanted:
                out[e164].append(rec)
    return out


def _name_words(contact: ContactRec) -> set[str]:
    """The words of the contact's names, split as a searched name is (`name_words`: "O'Brien" gives
    "brien"), so a searched name's words can be looked up among them."""
    return {
        w for part in (contact.name, contact.first_name, contact.last_name) for w in name_words(part or "")
    }


def name_matches(searched: str, contact: ContactRec) -> bool:
    """Whether every word of a searched name appears among the contact's name words."""
    want = name_words(searched)
    return bool(want) and set(want) <= _name_words(contact)


def website_domain(website: str | None) -> str | None:
    """A Website's bare domain: no scheme, `www.`, port or path; lower-case."""
    if not website or not website.strip():
        return None
    text = website.strip().lower()
    host = urlsplit(text if "://" in text else "//" + text).hostname or ""
    host = host.removeprefix("www.").rstrip(".")
    return host or None


def installers_by_domain(
    installers: list[AccountRec], domains: frozenset[str]
) -> dict[str, tuple[AccountRec, ...]]:
    out: dict[str, list[AccountRec]] = defaultdict(list)
    for acc in installers:
        domain = website_domain(acc.website)
        if domain in domains:
            out[domain].append(acc)
    return freeze(out)


def tasks_with_relations(tasks: Mapping[str, TaskRec], relations: Iterable[Row]) -> dict[str, TaskRec]:
    extra: dict[str, list[str]] = defaultdict(list)
    for rel in relations:
        extra[str(rel["TaskId"])].append(str(rel["RelationId"]))
    out: dict[str, TaskRec] = {}
    for task in tasks.values():
        who = list(dict.fromkeys([*task.who_ids, *extra.get(task.id, [])]))
        if task.cxone_contact_id:
            out[task.cxone_contact_id] = task.model_copy(update={"who_ids": tuple(who)})
    return out


def users_by_name(users: list[UserRec], names: frozenset[str]) -> dict[str, list[UserRec]]:
    wanted = {n.lower() for n in names}
    out: dict[str, list[UserRec]] = defaultdict(list)
    for user in {u.id: u for u in users}.values():
        if user.is_active and user.name.lower() in wanted:
            out[user.name.lower()].append(user)
    return out


def contacts_by_name(rows: list[Row], names: frozenset[str]) -> dict[str, list[ContactRec]]:
    """Each searched name → the contacts carrying every one of its words (one search covers many
    names). Indexed by word, so the cost grows with the results, not names × results."""
    by_word: dict[str, dict[str, ContactRec]] = defaultdict(dict)
    words_of: dict[str, set[str]] = {}
    for contact in map(contact_rec, rows):
        words_of[contact.id] = _name_words(contact)
        for word in words_of[contact.id]:
            by_word[word][contact.id] = contact
    out: dict[str, list[ContactRec]] = defaultdict(list)
    for name in names:
        want = name_words(name)
        if not want:
            continue
        pool = by_word.get(want[0], {})
        out[name.lower()].extend(c for c in pool.values() if set(want) <= words_of[c.id])
    return out


def cases_by_id(cases: dict[str, CaseRec], keys: frozenset[str]) -> dict[str, CaseRec]:
    """Cases indexed by the id as looked up, which may be the 15-character form."""
    by_15 = {c.id[:15]: c for c in cases.values()}
    return {key: by_15[key[:15]] for key in keys if key[:15] in by_15}


def freeze(index: dict[str, list[R]]) -> dict[str, tuple[R, ...]]:
    """Lists deduplicated by record id (order kept) as tuples; empty keys dropped."""
    return {key: tuple({v.id: v for v in vals}.values()) for key, vals in index.items() if vals}
