"""Exponential backoff with full jitter for transient Salesforce faults."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TypeVar

from cxrecon.salesforce.exceptions import TransientFault

T = TypeVar("T")


def backoff_delay(attempt: int, *, base_delay: float, max_delay: float, rng: random.Random) -> float:
    """Full jitter: a uniform delay in [0, min(max_delay, base_delay * 2**attempt)]."""
    return rng.uniform(0.0, min(max_delay, base_delay * (2**attempt)))


def retry_transient(
    fn: Callable[[], T],
    *,
    attempts: int,
    base_delay: float,
    max_delay: float,
    sleep: Callable[[float], None],
    rng: random.Random,
) -> T:
    """Call `fn` up to `attempts` times, sleeping between tries, retrying only `TransientFault`.

    Any other fault surfaces at once; after the last attempt the transient fault itself is re-raised.
    """
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    for attempt in range(attempts):
        try:
            return fn()
        except TransientFault:
            if attempt == attempts - 1:
                raise
            sleep(backoff_delay(attempt, base_delay=base_delay, max_delay=max_delay, rng=rng))
    raise AssertionError("unreachable")  # pragma: no cover
