"""Small helpers shared by commands."""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
SAMPLES = REPO_ROOT / "samples"


def progress(message: str) -> None:
    """A one-line progress indicator on an interactive terminal; silent otherwise."""
    if sys.stderr.isatty():
        print(f"\r  … {message}", end="", file=sys.stderr, flush=True)


def end_progress() -> None:
    if sys.stderr.isatty():
        print(file=sys.stderr)
