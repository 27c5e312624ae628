"""CPython's cyclic garbage collector, set for a long-lived container that allocates in bursts.

Measured with `cxrecon bench` (20,000 interactions): a Reconcile container spent 13 % of its CPU in
the collector, three quarters of that in full collections, each of which walked every object the
container keeps for its whole life (botocore's service models, pydantic's validators, phonenumbers'
metadata, the caches). Two settings, neither of which changes behaviour: reference counting still
frees an object the moment nothing refers to it, and only garbage caught in reference cycles waits
longer for the collector.

- `tune()` raises the youngest generation's threshold from 700 allocations to 20,000, so a chunk's
  millions of short-lived objects start a collection about 30 times less often;
- `freeze_once()` runs after the first invocation, when the clients exist and lazily loaded metadata
  is in memory. It collects the young generations, then moves everything still alive into the
  permanent generation, which collections skip. (A full collection first took 0.15–0.45 s a process;
  what it would have found besides is garbage in reference cycles older than the first invocation's
  last young collections, which stays frozen: a bounded one-off, not a leak that grows.)

The local stack's emulator processes use the same two settings.
"""

from __future__ import annotations

import atexit
import gc
import threading

YOUNG_THRESHOLD = 20_000
"""Allocations (minus deallocations) that start a collection of the youngest generation (CPython: 700)."""

_lock = threading.Lock()
_frozen = False


def tune() -> None:
    """Raise the youngest generation's threshold; the older generations keep their ratios."""
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, oldest)


def freeze_once() -> None:
    """Collect the young generations, then exempt every surviving object from later collections. Once
    per process: later calls do nothing. At exit the objects are handed back, so the interpreter's last
    collection finalises them (extension types such as DuckDB's otherwise report themselves leaked)."""
    global _frozen  # noqa: PLW0603 - once per process
    with _lock:
        if _frozen:
            return
        _frozen = True
    gc.collect(1)
    gc.freeze()
    atexit.register(gc.unfreeze)
