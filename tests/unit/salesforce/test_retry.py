from __future__ import annotations

import random

import pytest

from cxrecon.salesforce.exceptions import RequestRejected, TransientFault
from cxrecon.salesforce.retry import backoff_delay, retry_transient


class Flaky:
    def __init__(self, failures: list[Exception]) -> None:
        self.failures = failures
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return "ok"


def _run(fn: Flaky, sleeps: list[float], attempts: int = 5) -> str:
    return retry_transient(
        fn, attempts=attempts, base_delay=1.0, max_delay=8.0, sleep=sleeps.append, rng=random.Random(7)
    )


def test_transient_faults_are_retried_until_success() -> None:
    sleeps: list[float] = []
    fn = Flaky([TransientFault("503", code="HTTP_503"), TransientFault("lock", code="UNABLE_TO_LOCK_ROW")])
    assert _run(fn, sleeps) == "ok"
    assert fn.calls == 3
    assert len(sleeps) == 2
    assert 0 <= sleeps[0] <= 1.0 and 0 <= sleeps[1] <= 2.0


def test_terminal_faults_are_not_retried() -> None:
    sleeps: list[float] = []
    fn = Flaky([RequestRejected("bad", code="INVALID_FIELD")])
    with pytest.raises(RequestRejected):
        _run(fn, sleeps)
    assert fn.calls == 1 and sleeps == []


def test_last_transient_fault_is_reraised_after_all_attempts() -> None:
    sleeps: list[float] = []
    last = TransientFault("503", code="HTTP_503")
    fn = Flaky([TransientFault("a"), TransientFault("b"), last])
    with pytest.raises(TransientFault) as info:
        _run(fn, sleeps, attempts=3)
    assert info.value is last
    assert fn.calls == 3 and len(sleeps) == 2


def test_backoff_is_capped_full_jitter_and_deterministic() -> None:
    delays = [backoff_delay(n, base_delay=1.0, max_delay=8.0, rng=random.Random(1)) for n in range(10)]
    again = [backoff_delay(n, base_delay=1.0, max_delay=8.0, rng=random.Random(1)) for n in range(10)]
    assert delays == again
    assert all(0 <= d <= min(8.0, 2**n) for n, d in enumerate(delays))
