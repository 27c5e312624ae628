"""The bench's CPU meter reads another process's CPU time from /proc."""

from __future__ import annotations

import os
import sys
import time

import pytest

from cxrecon_local.bench import cpu_seconds


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's")
def test_cpu_seconds_of_a_process_follows_the_cpu_it_spends() -> None:
    before = cpu_seconds(os.getpid())
    assert before is not None
    deadline = time.process_time() + 0.3
    while time.process_time() < deadline:
        pass
    after = cpu_seconds(os.getpid())
    assert after is not None and 0.2 <= after - before <= 2.0


def test_cpu_seconds_of_no_process_is_none() -> None:
    assert cpu_seconds(2**22 + 12345) is None  # above Linux's pid_max default
