"""Fault injection: latency, failure rate and queued failures, deterministic through a seeded RNG."""

from __future__ import annotations

import random
import threading
from collections import deque

KINDS = ("503", "REQUEST_LIMIT_EXCEEDED", "UNABLE_TO_LOCK_ROW", "INVALID_SESSION_ID")


def _check(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown fault kind {kind!r}; expected one of {', '.join(KINDS)}")
    return kind


class FaultPlan:
    """Mutable at runtime and thread-safe. `draw()` is called once per /services/data request."""

    def __init__(
        self, latency_ms: int = 0, fail_rate: float = 0.0, fail_with: str = "503", seed: int = 0
    ) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(seed)  # noqa: S311 (faults, not security)
        self._queue: deque[str] = deque()
        self.latency_ms = latency_ms
        self.fail_rate = fail_rate
        self._fail_with = _check(fail_with)

    @property
    def fail_with(self) -> str:
        return self._fail_with

    @fail_with.setter
    def fail_with(self, kind: str) -> None:
        self._fail_with = _check(kind)

    def fail_next(self, n: int, kind: str) -> None:
        """The next `n` API requests fail with `kind` (before any random failure)."""
        _check(kind)
        with self._lock:
            self._queue.extend([kind] * n)

    def reseed(self, seed: int) -> None:
        with self._lock:
            self._rng = random.Random(seed)  # noqa: S311 (faults, not security)

    def clear(self) -> None:
        """No latency, no failures, nothing queued."""
        with self._lock:
            self._queue.clear()
            self.latency_ms = 0
            self.fail_rate = 0.0

    def draw(self) -> str | None:
        """The fault for this request, if any."""
        with self._lock:
            if self._queue:
                return self._queue.popleft()
            if self.fail_rate > 0 and self._rng.random() < self.fail_rate:
                return self._fail_with
            return None
