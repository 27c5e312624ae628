"""Rule 10: a chat with only a typed name. A name alone never relates; it ranks candidates."""

from __future__ import annotations

from cxrecon.domain.decision import Candidate, Evidence
from cxrecon.domain.names import name_search_keys, name_similarity
from cxrecon.domain.rules.facts import Facts

MIN_SIMILARITY = 0.6
MAX_CANDIDATES = 5


def name_candidates(facts: Facts) -> list[Candidate]:
    """Contacts whose name resembles the typed one, closest first."""
    name = facts.identity.name
    if not name:
        return []
    pool = {c.id: c for key in name_search_keys(name) for c in facts.view.contacts_by_name.get(key, ())}
    scored = [(name_similarity(name, c.name, MIN_SIMILARITY), c) for c in pool.values()]
    scored = sorted((s for s in scored if s[0] >= MIN_SIMILARITY), key=lambda s: (-s[0], s[1].id))
    return [
        facts.contact_candidate(
            contact, (Evidence(signal="name", how=f"similarity {score:.2f}", record_id=contact.id),), score
        )
        for score, contact in scored[:MAX_CANDIDATES]
    ]
