"""Values longer than the Salesforce field they would match are never looked up."""

from __future__ import annotations

from datetime import UTC, datetime

from cxrecon.domain.directory import Directory
from cxrecon.domain.interaction import Channel, Direction, Interaction
from cxrecon.domain.lookup_keys import lookup_keys, name_keys
from cxrecon.domain.search_limits import CONTACT_NAME_MAX, searchable


def _chat(i: int, name: str, agent: str = "Ana Lopez") -> Interaction:
    return Interaction(
        interaction_id=str(i),
        channel=Channel.CHAT,
        direction=Direction.INBOUND,
        started_at=datetime(2024, 5, 1, tzinfo=UTC),
        customer_name=name,
        agent_name=agent,
        source_file="x.json",
        source_line=i,
    )


def test_searchable_keeps_values_up_to_the_limit() -> None:
    assert searchable(["a" * 121, "b" * 122, "c"], CONTACT_NAME_MAX) == {"a" * 121, "c"}


def test_a_typed_name_no_contact_can_hold_is_not_searched_but_its_neighbours_are() -> None:
    keys = name_keys([_chat(1, "Hannah " + "x" * 5_000), _chat(2, "Jane Smith")])
    assert keys.typed_names == {"Jane Smith"}
    assert keys.names and all(len(n) <= CONTACT_NAME_MAX for n in keys.names)


def test_an_agent_name_no_user_can_hold_is_not_looked_up() -> None:
    keys = lookup_keys([_chat(1, "Jane", agent="A" * 500), _chat(2, "Jo", agent="Bo Chen")], Directory())
    assert keys.agent_names == {"Bo Chen"}
