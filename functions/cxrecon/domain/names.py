"""Name similarity for typed names (chat): tolerant of typos, accents, nicknames and swapped order.

A name alone never relates an interaction (rule 10); this only ranks candidates for a reviewer, or
confirms a person among contacts another signal already found.
"""

from __future__ import annotations

import functools
import itertools
import unicodedata

from cydifflib import SequenceMatcher  # difflib's algorithm and results, in C++

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


# Every form of a first name, by each of its forms: "bob" → ("robert", "bob", "bobby", "rob").
NAME_FORMS: dict[str, tuple[str, ...]] = {
    form: (canonical, *sorted(n for n, c in NICKNAMES.items() if c == canonical and n != canonical))
    for canonical in set(NICKNAMES.values())
    for form in (canonical, *(n for n, c in NICKNAMES.items() if c == canonical))
}

# Shorter words (initials) would match half the org.
MIN_SEARCH_WORD = 2
# Phrases one typed name is searched as at most (orders × nickname forms).
MAX_PHRASES = 16


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c if c.isalnum() else " " for c in letters.casefold())


@functools.lru_cache(maxsize=65536)
def name_tokens(name: str) -> tuple[str, ...]:
    return tuple(NICKNAMES.get(token, token) for token in _fold(name).split())


@functools.lru_cache(maxsize=65536)
def name_words(name: str) -> tuple[str, ...]:
    """The words of a typed name as Salesforce would index them: case-folded, punctuation dropped."""
    words = "".join(c if c.isalnum() else " " for c in name.casefold()).split()
    return tuple(w for w in dict.fromkeys(words) if len(w) >= MIN_SEARCH_WORD)


@functools.lru_cache(maxsize=65536)
def name_phrases(name: str) -> tuple[str, ...]:
    """What a typed name is searched as first: its words as typed and in reverse ("Smith, Jane" is
    stored as "Jane Smith"), with each first name in its other forms too ("Bob Jones" is stored as
    "Robert Jones"). One word is itself. These find the person when the name is right; a name none of
    them finds (a typo, a middle name) is searched word by word (`name_words`)."""
    words = name_words(name)
    if len(words) < 2:
        return words
    phrases: dict[str, None] = {}
    for order in (words, words[::-1]):
        # Each word as typed first, so each order starts with the typed words; lazily and half the cap
        # each, since a long name of nicknames has millions of combinations.
        forms = [(w, *(f for f in NAME_FORMS.get(w, ()) if f != w)) for w in order]
        for combo in itertools.islice(itertools.product(*forms), MAX_PHRASES // 2):
            phrases[" ".join(combo)] = None
    return tuple(phrases)


@functools.lru_cache(maxsize=65536)
def name_search_keys(name: str) -> tuple[str, ...]:
    """The keys under which contacts a typed name may mean are found: the whole name, its phrases and
    each of its words. The words are what find "Harirs" (a typo) or "Mary Ann Jones" (a middle name);
    `name_similarity` then ranks the closest first."""
    return tuple(dict.fromkeys((name.casefold().strip(), *name_phrases(name), *name_words(name))))


@functools.lru_cache(maxsize=65536)
def name_similarity(a: str, b: str, floor: float = 0.0) -> float:
    """1.0 for the same name whatever the order, accents or nicknames; lower for typos and others.

    With `floor`, a pair below it scores 0.0, and most such pairs are told apart without the full
    comparison: both orders share one character multiset, so `quick_ratio` bounds both ratios.
    """
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return 0.0
    direct = SequenceMatcher(None, " ".join(ta), " ".join(tb))
    if floor and round(direct.quick_ratio(), 4) < floor:
        return 0.0
    swapped = SequenceMatcher(None, " ".join(sorted(ta)), " ".join(sorted(tb))).ratio()
    score = round(max(direct.ratio(), swapped), 4)
    return score if score >= floor else 0.0
