"""moto's server in a process of its own, for runs whose handlers work in worker processes.

With handler containers in their own processes (`--workers N`), the parent process still runs the
Salesforce sandbox and, by default, moto's server threads: both emulators then share one GIL, and that
process, not the pipeline, sets the pace. Here moto runs in a spawned child (never forked: the parent
has server threads) with the same `moto_speedups`, listening on 127.0.0.1 only. It offers what
`ThreadedMotoServer` offers the stack: `get_host_and_port()` and `stop()`.
"""

from __future__ import annotations

import contextlib
import multiprocessing
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnProcess
from typing import Any

_START_TIMEOUT = 60.0
_SETTLE = "settle"


def _serve(conn: Connection) -> None:
    """The child: start moto, send its port, serve until the parent says stop (or goes away)."""
    from cxrecon import gc_tuning  # noqa: PLC0415
    from cxrecon_local import moto_speedups  # noqa: PLC0415
    from cxrecon_local.moto_server import KeepAliveMotoServer  # noqa: PLC0415

    moto_speedups.apply()
    server = KeepAliveMotoServer()
    server.start()
    # moto keeps every queued message and stored item as Python objects, and each full collection
    # walked them all (1.6 s of the bench's moto CPU): the collector is set as in the handlers'
    # containers, and frozen once the stack is deployed (its backends imported).
    gc_tuning.tune()
    try:
        conn.send(server.get_host_and_port())
        with contextlib.suppress(EOFError):
            while conn.recv() == _SETTLE:
                gc_tuning.freeze_once()
    finally:
        server.stop()


class MotoProcess:
    """moto's server in a spawned child process."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process: SpawnProcess = context.Process(
            target=_serve, args=(child,), name="cxrecon-moto", daemon=True
        )
        self._process.start()
        child.close()
        try:
            if not self._conn.poll(_START_TIMEOUT):
                raise RuntimeError(f"moto's server process did not start within {_START_TIMEOUT:.0f}s")
            self._address: tuple[str, int] = self._conn.recv()
        except (EOFError, RuntimeError) as exc:
            self.stop()
            code = self._process.exitcode
            raise RuntimeError(f"moto's server process did not start (exit code {code})") from exc

    @property
    def pid(self) -> int | None:
        return self._process.pid

    def get_host_and_port(self) -> tuple[str, int]:
        return self._address

    def settle(self) -> None:
        """Tell the server its set-up is done: what it holds now is exempt from garbage collection."""
        with contextlib.suppress(OSError):
            self._conn.send(_SETTLE)

    def stop(self) -> None:
        if self._process.is_alive():
            with contextlib.suppress(OSError):
                self._conn.send("stop")
            self._process.join(timeout=10)
            if self._process.is_alive():
                self._process.terminate()
                self._process.join(timeout=5)
        self._conn.close()

    def __enter__(self) -> MotoProcess:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()
