"""The collector settings of a warm container, checked in a fresh interpreter (they are per process)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

PROBE = textwrap.dedent(
    """
    import gc
    from cxrecon.gc_tuning import YOUNG_THRESHOLD, freeze_once, tune

    middle, oldest = gc.get_threshold()[1:]
    tune()
    assert gc.get_threshold() == (YOUNG_THRESHOLD, middle, oldest), gc.get_threshold()
    assert gc.get_freeze_count() == 0
    kept = [[n] for n in range(1000)]  # alive when the container settles: frozen
    freeze_once()
    frozen = gc.get_freeze_count()
    assert frozen > len(kept), frozen
    freeze_once()  # once per process
    assert gc.get_freeze_count() == frozen
    cycle = []
    cycle.append(cycle)
    del cycle
    assert gc.collect() >= 1  # the collector still runs, and finds new cyclic garbage
    print("ok")
    """
)


def test_tune_and_freeze_once_in_a_fresh_process() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], check=False, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
    assert "leaked" not in result.stderr  # frozen objects are handed back at exit
