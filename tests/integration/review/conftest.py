"""A run of the samples, then the review console's stack on its output (moto + a persisted sandbox)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from cxrecon.bootstrap import container
from cxrecon.review import ReviewService
from cxrecon.review.wiring import review_service
from cxrecon_local.local_pipeline import LocalPipeline
from cxrecon_local.review_server import console_stack
from cxrecon_local.runner import run_pipeline

SAMPLES = Path(__file__).resolve().parents[3] / "samples"


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run")
    run_pipeline(
        sorted((SAMPLES / "exports").glob("*")),
        org=SAMPLES / "org.json",
        out=out,
        directory=SAMPLES / "directory.csv",
    )
    return out


@pytest.fixture(scope="module")
def console(run_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalPipeline]:
    data = tmp_path_factory.mktemp("data")
    shutil.copytree(run_dir, data, dirs_exist_ok=True)
    with console_stack(data) as local:
        yield local


@pytest.fixture
def service(console: LocalPipeline) -> ReviewService:
    return review_service(container())
