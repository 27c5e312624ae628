"""Concurrent handler containers for the local stack: Lambda's concurrency, played by worker processes.

In AWS, the chunk queue's event-source mapping runs up to `MaximumConcurrency` Reconcile containers at
once, each with its own module state (token cache, boto3 clients, directory cache). Locally, each
worker is a separate Python process (spawned, never forked: the parent runs moto's and the sandbox's
server threads) that imports the handlers under the functions' environment and polls the queues with
the same `poll_once` the in-process drain uses. Processes, not threads: the handlers are CPU-bound
Python, and threads would share one core under the GIL.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
import time
import warnings
from dataclasses import dataclass
from multiprocessing.context import SpawnProcess
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Event
from typing import Any

from cxrecon.config import SERVICE
from cxrecon_local.poller import QueueBinding, poll_once
from cxrecon_local.stack import LocalStack

log = logging.getLogger(__name__)

_IDLE_SLEEP = (0.005, 0.1)  # seconds between empty polls: first, and at most (doubling)
_START_TIMEOUT = 120.0


@dataclass(frozen=True)
class BindingSpec:
    """A queue binding that crosses a process boundary: the handler by its import path."""

    function_name: str
    queue_url: str
    queue_arn: str
    handler: str  # "package.module:function"
    batch_size: int = 1

    def resolve(self) -> QueueBinding:
        module, _, name = self.handler.partition(":")
        handler = getattr(importlib.import_module(module), name)
        return QueueBinding(self.function_name, self.queue_url, self.queue_arn, handler, self.batch_size)


def set_log_level(level: str) -> None:
    """Powertools child loggers carry their own level, fixed when their module was imported (before the
    local environment existed): set it on the whole `cxrecon` logger tree."""
    for name in list(logging.Logger.manager.loggerDict):
        if name == SERVICE or name.startswith(SERVICE + "."):
            logging.getLogger(name).setLevel(level)


def quiet_handler_warnings() -> None:
    warnings.filterwarnings("ignore", message="No application metrics to publish")


def _worker(
    env: dict[str, str],
    stack: LocalStack,
    specs: list[BindingSpec],
    *,
    ready: Event,
    stop: Event,
    handled: Synchronized[int],
    busy: Synchronized[int],
) -> None:
    """One container: the functions' environment first (Powertools reads it at import), then poll.
    `busy` counts the containers between the start of a poll and the end of its handling, so the
    parent knows when asking moto whether the queues are empty can be worth it."""
    os.environ.update(env)
    bindings = [spec.resolve() for spec in specs]
    set_log_level(env.get("POWERTOOLS_LOG_LEVEL", "WARNING"))
    quiet_handler_warnings()
    sqs = stack.client("sqs")
    ready.set()
    idle = _IDLE_SLEEP[0]
    while not stop.is_set():
        with busy.get_lock():
            busy.value += 1
        try:
            received = sum(poll_once(sqs, binding, stack.region) for binding in bindings)
        finally:
            with busy.get_lock():
                busy.value -= 1
        if received:
            with handled.get_lock():
                handled.value += received
            idle = _IDLE_SLEEP[0]
        else:
            stop.wait(idle)
            idle = min(idle * 2, _IDLE_SLEEP[1])


class WorkerPool:
    """`size` containers polling `specs`, started (and warmed: handlers imported) before first use."""

    def __init__(self, size: int, env: dict[str, str], stack: LocalStack, specs: list[BindingSpec]) -> None:
        context = multiprocessing.get_context("spawn")
        self.stop = context.Event()
        self.handled: Synchronized[int] = context.Value("q", 0)
        self.busy: Synchronized[int] = context.Value("i", 0)
        readies = [context.Event() for _ in range(size)]
        self.processes: list[SpawnProcess] = [
            context.Process(
                target=_worker,
                args=(env, stack, specs),
                kwargs={"ready": ready, "stop": self.stop, "handled": self.handled, "busy": self.busy},
                name=f"cxrecon-worker-{i}",
                daemon=True,
            )
            for i, ready in enumerate(readies)
        ]
        for process in self.processes:
            process.start()
        deadline = time.monotonic() + _START_TIMEOUT
        for process, ready in zip(self.processes, readies, strict=True):
            while not ready.wait(0.1):
                if not process.is_alive() or time.monotonic() > deadline:
                    self.close()
                    raise RuntimeError(f"{process.name} did not start (exit code {process.exitcode})")

    def dead(self) -> list[str]:
        return [p.name for p in self.processes if not p.is_alive()]

    def close(self) -> None:
        self.stop.set()
        for process in self.processes:
            process.join(timeout=10)
            if process.is_alive():
                process.terminate()
                process.join()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
