"""One interaction's failure is that interaction's rejection, never its chunk's.

Reconcile's pure steps (lookup keys, the decision, the Task's content, the decision row) look at one
conversation (the legs of one master contact) at a time. When one of them raises for a chunk, the
cause is a defect or an input no check foresaw, tied to one conversation's data: retrying the chunk
would fail it the same way five times and dead-letter its good rows with it. So the step is run again
conversation by conversation; a conversation that still fails is set aside with the step and the place
that failed (never the exception's message: it may quote customer data), and its interactions are
rejected as `processing_failed`. The others carry on as if the failed one had never been in the chunk.

Faults of the services (Salesforce down, AWS throttling) come from the steps that do I/O, which are
not isolated: they still fail the chunk, and SQS retries it.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from aws_lambda_powertools import Logger

from cxrecon.adapters.exceptions import AwsFault
from cxrecon.config import SERVICE
from cxrecon.domain.decide import legs_by_master
from cxrecon.domain.interaction import Interaction
from cxrecon.salesforce.exceptions import SalesforceFault

logger = Logger(service=SERVICE, child=True)

R = TypeVar("R")
# Never a conversation's own failure: an outage, or the process itself in trouble.
_NOT_ISOLATED = (SalesforceFault, AwsFault, MemoryError, RecursionError)


@dataclass(frozen=True)
class StepFailure:
    """Why a conversation was set aside: `error` names the step, the exception type and where it was
    raised (`decision: KeyError at cxrecon/domain/rules/person.py:74`)."""

    step: str
    error: str


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return type(exc).__name__
    last = frames[-1]
    path = last.filename.replace("\\", "/")
    path = path[path.rfind("/cxrecon/") + 1 :] if "/cxrecon/" in path else path.rsplit("/", 1)[-1]
    return f"{type(exc).__name__} at {path}:{last.lineno}"


def isolate(
    step: str,
    interactions: Sequence[Interaction],
    run: Callable[[list[Interaction]], R],
    failures: dict[str, StepFailure],
    *,
    file_id: str = "",
) -> list[tuple[list[Interaction], R]]:
    """`run` over `interactions`: [(interactions, result)] when it succeeds for all of them. When it
    raises, [(conversation, result)] for each conversation it succeeds for, run alone; the interactions
    of the others are added to `failures`. Service faults are raised as they are."""
    everyone = list(interactions)
    if not everyone:
        return []
    try:
        return [(everyone, run(everyone))]
    except _NOT_ISOLATED:
        raise
    except Exception:
        # Not swallowed: each conversation is run again alone below, and the ones that fail are recorded.
        logger.warning(
            "a reconcile step failed for the chunk; running it per conversation", extra={"step": step}
        )
    parts: list[tuple[list[Interaction], R]] = []
    for legs in legs_by_master(everyone).values():
        conversation = list(legs)
        try:
            parts.append((conversation, run(conversation)))
        except _NOT_ISOLATED:
            raise
        except Exception as exc:
            failure = StepFailure(step, f"{step}: {_where(exc)}")
            for ix in conversation:
                failures[ix.interaction_id] = failure
            logger.error(
                "an interaction failed in reconcile; rejected, its chunk carries on",
                extra={
                    "file_id": file_id,
                    "interaction_ids": [ix.interaction_id for ix in conversation],
                    "step": step,
                    "error": failure.error,
                },
            )
    return parts


def survivors(parts: Sequence[tuple[list[Interaction], object]]) -> list[Interaction]:
    """The interactions `isolate` could run the step for, in the order of its parts."""
    return [ix for conversation, _ in parts for ix in conversation]
