"""Rule 10: a chat with only a typed name is never related; closest names are ranked for review."""

from __future__ import annotations

from cxrecon.domain.decision import Outcome
from cxrecon.domain.names import name_similarity

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
