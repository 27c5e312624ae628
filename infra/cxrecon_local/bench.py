"""`cxrecon bench`: throughput, Salesforce calls and memory of the whole pipeline on the local stack.

The timed span runs from the first upload to the drained queues; world generation and stack start-up are
timed apart. Memory is measured twice: the ingest path's Python allocation peak (`tracemalloc` around
reading and chunking the largest export, streamed from a file as Lambda streams it from S3), which must
not grow with the file, and this process's max RSS: the sandbox, plus moto's in-memory S3 and the
handlers when they run in-process (`--workers 0`). The CPU each part spent during the timed span is
read too (`CpuSplit`): on a machine with few cores the emulators take much of it.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cxrecon.domain.interaction import Interaction
from cxrecon.exports import read_export
from cxrecon.pipeline.chunks import encode_chunk
from cxrecon.pipeline.ingest import chunk_interactions
from cxrecon_local.local_pipeline import LocalPipeline
from cxrecon_local.synth import World, generate_world
from cxrecon_local.template import DEFAULT_TEMPLATE, load_template

DEFAULT_CHUNK = 1000


@dataclass(frozen=True)
class IngestMemory:
    interactions: int
    file_name: str
    file_bytes: int
    rows: int
    peak_bytes: int


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of another process, from Linux's /proc; None where that is absent."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rpartition(")")[2].split()  # the fields after the command name, from `state` on
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class CpuSplit:
    """CPU seconds spent during the timed span, by who spent them. On a machine with few cores the
    emulators compete with the handlers for them, so this says what the pipeline's own code costs."""

    handlers: float | None  # the handler containers (None: they ran in this process)
    moto: float | None  # moto's own process (None: it ran in this process)
    this_process: float  # the sandbox's server threads, the poller, and whatever ran in-process


class _CpuMeter:
    def __init__(self, local: LocalPipeline) -> None:
        workers = local.workers.processes if local.workers is not None else []
        self.handler_pids = [p.pid for p in workers if p.pid is not None]
        self.moto_pid = local.stack.server_pid
        self.start = self._read()

    def _read(self) -> tuple[float | None, float | None, float]:
        handlers = [cpu_seconds(pid) for pid in self.handler_pids]
        known = [h for h in handlers if h is not None]
        moto = cpu_seconds(self.moto_pid) if self.moto_pid else None
        return (sum(known) if known and len(known) == len(handlers) else None), moto, time.process_time()

    def split(self) -> CpuSplit:
        end = self._read()
        handlers, moto = (
            None if a is None or b is None else b - a for a, b in zip(self.start[:2], end[:2], strict=True)
        )
        return CpuSplit(handlers=handlers, moto=moto, this_process=end[2] - self.start[2])


@dataclass
class BenchReport:
    interactions: int
    generate_seconds: float
    startup_seconds: float
    pipeline_seconds: float
    salesforce_calls: int
    max_rss_bytes: int
    ingest_memory: list[IngestMemory] = field(default_factory=list)
    chunk_size: int | None = None
    workers: int = 0
    accounting_ok: bool = False
    cpu: CpuSplit | None = None

    @property
    def per_second(self) -> float:
        return self.interactions / self.pipeline_seconds if self.pipeline_seconds else 0.0

    @property
    def calls_per_1000(self) -> float:
        return 1000 * self.salesforce_calls / self.interactions if self.interactions else 0.0


def max_rss_bytes() -> int:
    """The process's peak resident set size (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


def measure_ingest(path: Path, chunk_size: int = DEFAULT_CHUNK) -> tuple[int, int]:
    """Read and chunk one export exactly as the Ingest function does (streamed, gzip'd chunks); return
    (rows, peak bytes Python allocated meanwhile). The file is streamed from disk, never held whole."""

    count = 0
    tracemalloc.start()
    try:
        with path.open("rb") as stream:
            interactions = (row for row in read_export(stream, path.name) if isinstance(row, Interaction))
            for chunk in chunk_interactions(interactions, chunk_size):
                count += len(chunk)
                encode_chunk(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return count, peak


def ingest_memory(world: World, workdir: Path) -> IngestMemory:
    """The ingest peak for the world's largest export."""
    name, data = max(world.exports.items(), key=lambda item: len(item[1]))
    path = workdir / name
    path.write_bytes(data)
    rows, peak = measure_ingest(path)
    path.unlink()
    return IngestMemory(len(world.truth), name, len(data), rows, peak)


def run_bench(
    interactions: int,
    seed: int,
    *,
    chunk_size: int | None = None,
    workers: int | None = 0,
    second_size: bool = True,
    progress: Callable[[str], None] | None = None,
) -> BenchReport:
    """`workers=None`: as many handler containers as the template lets Lambda run Reconcile at once."""
    if workers is None:
        workers = chunk_concurrency()
    started = time.perf_counter()
    world = generate_world(interactions, seed)
    generated = time.perf_counter()
    with LocalPipeline.start(world.org, chunk_size=chunk_size, workers=workers) as local:
        up = time.perf_counter()
        meter = _CpuMeter(local)
        local.upload_directory(world.directory_csv())
        for name, data in world.exports.items():
            local.upload_export(name, data)
        local.drain(progress=progress)
        done = time.perf_counter()
        cpu = meter.split()
        calls = local.sandbox.api_calls
        accounting_ok = all(m.accounting_ok for m in local.manifests())
    report = BenchReport(
        interactions=interactions,
        generate_seconds=generated - started,
        startup_seconds=up - generated,
        pipeline_seconds=done - up,
        salesforce_calls=calls,
        max_rss_bytes=0,
        chunk_size=chunk_size,
        workers=workers,
        accounting_ok=accounting_ok,
        cpu=cpu,
    )
    with tempfile.TemporaryDirectory(prefix="cxrecon-bench-") as tmp:
        report.ingest_memory.append(ingest_memory(world, Path(tmp)))
        if second_size and interactions >= 8:
            small = generate_world(interactions // 4, seed)
            report.ingest_memory.append(ingest_memory(small, Path(tmp)))
    report.max_rss_bytes = max_rss_bytes()
    return report


def chunk_concurrency(template: Path = DEFAULT_TEMPLATE) -> int:
    """The template's default `ChunkConcurrency`: the chunk queue's MaximumConcurrency, i.e. how many
    Reconcile containers Lambda runs at once. While one container waits on Salesforce or AWS, another
    computes; on a machine with few cores the local emulators do the waiting's work too."""
    return int(load_template(template)["Parameters"]["ChunkConcurrency"]["Default"])


def _mib(n: int) -> str:
    return f"{n / 2**20:.1f} MiB"


def _cpu_lines(report: BenchReport) -> list[str]:
    cpu = report.cpu
    if cpu is None:
        return []
    parts = []
    if cpu.handlers is not None:
        rate = report.interactions / cpu.handlers if cpu.handlers else 0.0
        parts.append(f"handler containers {cpu.handlers:.1f}s ({rate:,.0f} interactions per CPU-second)")
    if cpu.moto is not None:
        parts.append(f"moto {cpu.moto:.1f}s")
    here = "sandbox + poller" if cpu.handlers is not None else "handlers + sandbox + poller"
    here += "" if cpu.moto is not None else " + moto"
    parts.append(f"{here} {cpu.this_process:.1f}s")
    return [f"CPU during the run ({os.cpu_count()} cores): " + ", ".join(parts)]


def render_bench(report: BenchReport) -> str:
    lines = [
        f"interactions: {report.interactions}   chunk size: {report.chunk_size or 'template default'}   "
        f"handler containers: {report.workers or 'in-process'}   "
        f"accounting: {'ok' if report.accounting_ok else 'FAILED'}",
        f"world generation: {report.generate_seconds:.1f}s   stack start-up: {report.startup_seconds:.1f}s "
        "(not timed below)",
        f"end to end (first upload → drained): {report.pipeline_seconds:.1f}s = "
        f"{report.per_second:,.0f} interactions/s",
        f"Salesforce API calls: {report.salesforce_calls} = "
        f"{report.calls_per_1000:.1f} per 1,000 interactions",
        *_cpu_lines(report),
        f"process max RSS: {_mib(report.max_rss_bytes)} (the sandbox org"
        + (
            ", moto's in-memory S3 and the handlers)"
            if not report.workers
            else "; moto and the handlers run apart)"
        ),
    ]
    for m in report.ingest_memory:
        lines.append(
            f"ingest peak (tracemalloc, read + chunk {m.file_name}): {_mib(m.peak_bytes)} for a "
            f"{_mib(m.file_bytes)} file of {m.rows} rows (world of {m.interactions})"
        )
    if len(report.ingest_memory) == 2:
        big, small = report.ingest_memory
        ratio_file = big.file_bytes / small.file_bytes if small.file_bytes else 0.0
        ratio_peak = big.peak_bytes / small.peak_bytes if small.peak_bytes else 0.0
        lines.append(f"file grew x{ratio_file:.1f}, ingest peak x{ratio_peak:.2f}")
    return "\n".join(lines)
