"""Rule 10: a chat with only a typed name is never related; closest names are ranked for review."""

from __future__ import annotations

import difflib

from cxrecon.domain.decision import Outcome
from cxrecon.domain.lookup_keys import name_keys
from cxrecon.domain.lookups import LookupKeys
from cxrecon.domain.names import (
    MAX_PHRASES,
    name_phrases,
    name_search_keys,
    name_similarity,
    name_tokens,
    name_words,
)
from cxrecon.domain.records import ContactRec
from cxrecon.domain.rules.chat_name import MAX_CANDIDATES, rankable_by_name, unranked_names

from .builders import BOB, JANE, JOHN, interaction, view
from .helpers import decide_one


def test_chat_with_only_a_name_goes_to_review_with_similar_names_first():
    org = view(names={"jane smyth": (JOHN, JANE, BOB)})
    decision = decide_one(interaction(channel="chat", customer_name="Jane Smyth"), org)
    assert decision.outcome == Outcome.QUEUED_FOR_REVIEW
    assert decision.reason == "chat_name_only"
    assert decision.candidate_ids[0] == JANE.id
    assert BOB.id not in decision.candidate_ids


def test_swapped_accented_and_nickname_names_still_rank_first():
    assert name_similarity("Smith, Jane", "Jane Smith") == 1.0
    assert name_similarity("José Núñez", "Jose Nunez") == 1.0
    assert name_similarity("Bob Jones", "Robert Jones") == 1.0
    assert name_similarity("Jane Smith", "Bob Jones") < 0.6


def test_exact_name_match_alone_still_never_relates():
    org = view(names={"jane smith": (JANE,)})
    decision = decide_one(interaction(channel="chat", customer_name="Jane Smith"), org)
    assert decision.outcome == Outcome.QUEUED_FOR_REVIEW
    assert decision.candidate_ids == [JANE.id]


def test_a_typed_name_is_searched_as_phrases_in_both_orders_and_every_nickname_form():
    assert name_words("Smyth, Jane") == ("smyth", "jane")
    assert name_phrases("Smith, J. Jane") == ("smith jane", "jane smith")
    bob = name_phrases("Bob Jones")
    assert bob[0] == "bob jones"  # as typed first
    assert {"robert jones", "rob jones", "bobby jones", "jones robert"} <= set(bob)
    assert "bob jones" in name_phrases("Robert Jones")  # a nickname stored, the full name typed
    assert name_phrases("Jane") == ("jane",)
    keys = name_keys([interaction(channel="chat", customer_name="Smith, J. Jane")])
    assert keys.names == frozenset({"smith jane", "jane smith"})
    assert keys.typed_names == frozenset({"Smith, J. Jane"})


def test_phrases_are_capped_with_the_typed_order_kept():
    many = name_phrases("Chris Tom Bob")  # three words with nickname forms: 2 orders x 6 x 4 x 4
    assert len(many) == MAX_PHRASES and many[0] == "chris tom bob"
    assert "bob tom chris" in many  # the reversed order is searched too


def test_a_long_name_of_nicknames_is_not_expanded_into_every_combination():
    typed = "Bob Bill Jim Mike Tom Dave Dan Joe Chris Matt Nick Sam Steve Tony Jen Sue"  # 4^16 forms
    phrases = name_phrases(typed)
    assert len(phrases) == MAX_PHRASES and phrases[0] == typed.lower()


def test_the_rule_looks_under_the_whole_name_its_phrases_and_its_words():
    assert name_search_keys("Jane Smyth") == ("jane smyth", "smyth jane", "jane", "smyth")
    # GIVEN only a phrase found the person, under the nickname's full form
    robert = ContactRec(id="003A0000000000RAAA", name="Robert Jones", account_id=JANE.account_id)
    org = view(names={"robert jones": (robert,)})
    decision = decide_one(interaction(channel="chat", customer_name="Bob Jones"), org)
    assert decision.candidate_ids[0] == robert.id


def test_names_no_phrase_found_are_the_ones_searched_word_by_word():
    found = {"jane smith": (JANE,), "jane smiht": (), "smiht jane": ()}
    assert unranked_names(found, ["Jane Smith", "Jane Smiht", "Bob Jones"]) == ["Bob Jones", "Jane Smiht"]


def test_contacts_found_by_any_word_of_the_typed_name_are_ranked_by_similarity():
    # GIVEN a typo in the last name: only the first name found anyone
    org = view(names={"jane": (JANE,), "john": (JOHN,)})
    decision = decide_one(interaction(channel="chat", customer_name="Jane Smiht"), org)
    assert decision.outcome == Outcome.QUEUED_FOR_REVIEW
    assert decision.candidate_ids[0] == JANE.id
    assert JOHN.id not in decision.candidate_ids


def test_a_floor_only_zeroes_the_pairs_that_cannot_reach_it() -> None:
    names = ["Jane Smith", "Smith, Jane", "Jan Smyth", "Bob Jones", "Robert Jonas", "José Núñez", "Al", "J S"]
    for a in names:
        for b in names:
            full = name_similarity(a, b)
            assert name_similarity(a, b, 0.6) == (full if full >= 0.6 else 0.0), (a, b)


def test_scores_are_difflibs_ratio_of_the_closer_word_order() -> None:
    # cydifflib computes them; a reviewer's "similarity 0.87" must be what difflib itself says.
    pairs = [
        ("Jane Smiht", "Jane Smith"),
        ("Mary Ann Jones", "Mary Jones"),
        ("Harirs Lee", "Lee Harris"),
        ("Zoë Müller-Lüdenscheidt", "Zoe Mueller"),
        ("Ng", "Nguyen Van An"),
        ("Aaron Aaronson", "Aron Aronson"),
    ]
    for a, b in pairs:
        ta, tb = name_tokens(a), name_tokens(b)
        expected = max(
            difflib.SequenceMatcher(None, " ".join(ta), " ".join(tb)).ratio(),
            difflib.SequenceMatcher(None, " ".join(sorted(ta)), " ".join(sorted(tb))).ratio(),
        )
        assert name_similarity(a, b) == round(expected, 4), (a, b)


def test_only_what_could_rank_for_a_typed_name_is_kept_and_ranking_is_unchanged():
    # GIVEN a common first name that found every Jane, and two typed names
    jane_doe = ContactRec(id="003A00000000009AAA", name="Jane Doe", account_id=JANE.account_id)
    found = {"jane": (JANE, jane_doe), "smiht": (), "bob": (BOB,), "jones": (BOB,)}
    typed = ["Jane Smiht", "Bob Jones"]
    # WHEN the search results are cut down to what rule 10 can offer
    kept = rankable_by_name(found, typed)
    # THEN the people no typed name resembles are gone, under every key
    assert {c.id for cs in kept.values() for c in cs} == {JANE.id, BOB.id}
    assert kept["jane"] == [JANE]
    # AND each typed name ranks exactly the candidates it ranked before
    for name in typed:
        ix = interaction(channel="chat", customer_name=name)
        before = decide_one(ix, view(names=found)).candidate_ids
        assert decide_one(ix, view(names=kept)).candidate_ids == before
    assert keys_of(["Jane Smiht"]).typed_names == frozenset({"Jane Smiht"})


def test_of_many_close_names_only_the_ones_a_reviewer_is_offered_are_kept():
    # GIVEN a first name that found a dozen people, all close enough to rank for "Jane Smyth"
    janes = [
        ContactRec(
            id=f"003A0000000001{i:02d}AA", name=f"Jane Smyth{'e' * (i % 3)}{chr(97 + i)}", account_id=None
        )
        for i in range(12)
    ]
    found = {"jane": tuple(janes), "smyth": (JANE,)}
    typed = ["Jane Smyth"]
    ix = interaction(channel="chat", customer_name="Jane Smyth")
    before = decide_one(ix, view(names=found)).candidate_ids
    # WHEN the results are cut down
    kept = rankable_by_name(found, typed)
    # THEN only the MAX_CANDIDATES offered survive, and the offer is the same
    assert len(before) == MAX_CANDIDATES
    assert {c.id for cs in kept.values() for c in cs} == set(before)
    assert decide_one(ix, view(names=kept)).candidate_ids == before


def keys_of(names: list[str]) -> LookupKeys:
    return name_keys([interaction(channel="chat", customer_name=n, interaction_id=n) for n in names])
