"""A step that fails for one conversation sets aside that conversation only; service faults still fail
the chunk."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cxrecon.adapters.exceptions import TransientAwsFault
from cxrecon.domain.interaction import Channel, Interaction
from cxrecon.pipeline.isolation import StepFailure, isolate, survivors
from cxrecon.salesforce.exceptions import TransientFault


def _ix(interaction_id: str, master: str | None = None) -> Interaction:
    return Interaction(
        interaction_id=interaction_id,
        master_interaction_id=master,
        channel=Channel.CALL,
        started_at=datetime(2024, 5, 1, tzinfo=UTC),
        customer_name="Jane Smith",
    )


CHUNK = [_ix("a"), _ix("b1", "b"), _ix("b2", "b"), _ix("c")]


def _ids(interactions: list[Interaction]) -> list[str]:
    if any(ix.interaction_id == "b2" for ix in interactions):
        raise KeyError(interactions[0].customer_name)  # a message quoting customer data
    return [ix.interaction_id for ix in interactions]


def test_a_step_that_succeeds_runs_once_for_the_whole_chunk() -> None:
    calls: list[int] = []

    def step(interactions: list[Interaction]) -> int:
        calls.append(len(interactions))
        return len(interactions)

    failures: dict[str, StepFailure] = {}
    assert isolate("keys", CHUNK, step, failures) == [(CHUNK, 4)]
    assert calls == [4] and failures == {}


def test_a_failing_conversation_is_set_aside_with_every_leg_and_the_others_carry_on() -> None:
    failures: dict[str, StepFailure] = {}
    parts = isolate("decision", CHUNK, _ids, failures)
    assert [ids for _, ids in parts] == [["a"], ["c"]]
    assert [ix.interaction_id for ix in survivors(parts)] == ["a", "c"]
    assert set(failures) == {"b1", "b2"}


def test_the_failure_names_the_step_type_and_place_never_the_message() -> None:
    failures: dict[str, StepFailure] = {}
    isolate("decision", CHUNK, _ids, failures)
    error = failures["b1"].error
    assert error.startswith("decision: KeyError at ") and "test_isolation.py:" in error
    assert "Jane" not in error


@pytest.mark.parametrize("fault", [TransientFault("Salesforce down"), TransientAwsFault("throttled")])
def test_service_faults_still_fail_the_chunk(fault: Exception) -> None:
    def step(interactions: list[Interaction]) -> None:
        raise fault

    with pytest.raises(type(fault)):
        isolate("fetch", CHUNK, step, {})
