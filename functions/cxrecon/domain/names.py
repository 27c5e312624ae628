"""Name similarity for typed names (chat): tolerant of typos, accents, nicknames and swapped order.

A name alone never relates an interaction (rule 10); this only ranks candidates for a reviewer, or
confirms a person among contacts another signal already found.
"""

from __future__ import annotations

import unicodedata
from difflib import SequenceMatcher

NICKNAMES: dict[str, str] = {
    "bob": "robert", "rob": "robert", "bobby": "robert", "bill": "william", "will": "william",
    "liz": "elizabeth", "beth": "elizabeth", "lizzie": "elizabeth", "betty": "elizabeth",
    "jim": "james", "jimmy": "james", "mike": "michael", "mick": "michael", "kate": "katherine",
    "katie": "katherine", "kathy": "katherine", "tom": "thomas", "tommy": "thomas", "dave": "david",
    "dan": "daniel", "danny": "daniel", "joe": "joseph", "joey": "joseph", "chris": "christopher",
    "matt": "matthew", "nick": "nicholas", "sam": "samuel", "steve": "steven", "tony": "anthony",
    "jen": "jennifer", "jenny": "jennifer", "sue": "susan", "peggy": "margaret", "maggie": "margaret",
    "pat": "patricia", "patty": "patricia", "rick": "richard", "dick": "richard", "rich": "richard",
    "ed": "edward", "ted": "edward", "eddie": "edward", "alex": "alexander", "andy": "andrew",
    "greg": "gregory", "jon": "jonathan", "josh": "joshua", "ben": "benjamin", "charlie": "charles",
    "chuck": "charles", "cathy": "catherine", "abby": "abigail", "meg": "megan", "jose": "jose",
}  # fmt: skip


# Shorter words (initials) would match half the org.
MIN_SEARCH_WORD = 2


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c if c.isalnum() else " " for c in letters.casefold())


def name_tokens(name: str) -> tuple[str, ...]:
    return tuple(NICKNAMES.get(token, token) for token in _fold(name).split())


def name_search_keys(name: str) -> tuple[str, ...]:
    """What to search Salesforce for to find the contacts a typed name may mean: the whole name, and each
    of its words as typed, without accents and as the full form of a nickname. Searching word by word
    is what finds "Harirs" (a typo), "Smith, Jane" (swapped) and "Bjorn" (accents dropped); the ranking
    by `name_similarity` then puts the closest first."""
    whole = name.casefold().strip()
    words = "".join(c if c.isalnum() else " " for c in whole).split()
    folded = _fold(name).split()
    keys = [whole, *words, *folded, *(NICKNAMES.get(w, w) for w in folded)]
    return tuple(k for k in dict.fromkeys(keys) if len(k) >= MIN_SEARCH_WORD)


def name_similarity(a: str, b: str) -> float:
    """1.0 for the same name whatever the order, accents or nicknames; lower for typos and others."""
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return 0.0
    direct = SequenceMatcher(None, " ".join(ta), " ".join(tb)).ratio()
    swapped = SequenceMatcher(None, " ".join(sorted(ta)), " ".join(sorted(tb))).ratio()
    return round(max(direct, swapped), 4)
