from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from cxrecon.analytics.catalogue import DateWindow
from cxrecon.analytics.duck import DuckDbRunner
from cxrecon.analytics.tables import LocalOutputs

from .dataset import write_outputs

WINDOW = DateWindow(date(2026, 1, 5), date(2026, 1, 6))


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_outputs(tmp_path_factory.mktemp("outputs"))


@pytest.fixture
def runner(outputs: Path) -> Iterator[DuckDbRunner]:
    with DuckDbRunner(LocalOutputs(outputs)) as duck:
        yield duck
