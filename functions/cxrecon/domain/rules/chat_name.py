"""Rule 10: a chat with only a typed name. A name alone never relates; it ranks candidates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from cxrecon.domain.decision import Candidate, Evidence
from cxrecon.domain.names import name_search_keys, name_similarity
from cxrecon.domain.records import ContactRec
from cxrecon.domain.rules.facts import Facts

MIN_SIMILARITY = 0.6
MAX_CANDIDATES = 5


def _close_names(
    name: str, contacts_by_name: Mapping[str, Sequence[ContactRec]]
) -> list[tuple[float, ContactRec]]:
    """The contacts found under the typed name's search keys whose name resembles it enough to rank,
    closest first (ties by id, so the order is total)."""
    pool = {c.id: c for key in name_search_keys(name) for c in contacts_by_name.get(key, ())}
    scored = [(name_similarity(name, c.name, MIN_SIMILARITY), c) for c in pool.values()]
    return sorted((s for s in scored if s[0] >= MIN_SIMILARITY), key=lambda s: (-s[0], s[1].id))


def rankable_by_name(
    contacts_by_name: Mapping[str, Sequence[ContactRec]], typed_names: Iterable[str]
) -> dict[str, list[ContactRec]]:
    """`contacts_by_name` cut down to the contacts `name_candidates` will offer for one of
    `typed_names`: the closest MAX_CANDIDATES of each. A common first name finds hundreds of people,
    dozens of them resembling a short name; only the offered ones are worth fetching the accounts and
    open cases of.

    Ranking is unchanged: a contact dropped here is outranked, for every typed name whose keys found
    it, by the MAX_CANDIDATES kept for that name."""
    keep = {c.id for name in typed_names for _, c in _close_names(name, contacts_by_name)[:MAX_CANDIDATES]}
    return {key: [c for c in found if c.id in keep] for key, found in contacts_by_name.items()}


def unranked_names(
    contacts_by_name: Mapping[str, Sequence[ContactRec]], typed_names: Iterable[str]
) -> list[str]:
    """The `typed_names` for which no contact in `contacts_by_name` could be offered: the ones to
    search again, word by word."""
    return sorted(name for name in typed_names if not _close_names(name, contacts_by_name))


def name_candidates(facts: Facts) -> list[Candidate]:
    """Contacts whose name resembles the typed one, closest first."""
    name = facts.identity.name
    if not name:
        return []
    scored = _close_names(name, facts.view.contacts_by_name)
    return [
        facts.contact_candidate(
            contact, (Evidence(signal="name", how=f"similarity {score:.2f}", record_id=contact.id),), score
        )
        for score, contact in scored[:MAX_CANDIDATES]
    ]
