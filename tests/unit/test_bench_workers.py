"""`cxrecon bench` runs as many handler containers as Lambda would run Reconcile functions at once."""

from __future__ import annotations

from pathlib import Path

import yaml

from cxrecon_local.bench import chunk_concurrency
from cxrecon_local.template import load_template


def test_default_workers_are_the_templates_chunk_concurrency(tmp_path: Path) -> None:
    template = load_template()
    assert chunk_concurrency() == int(template["Parameters"]["ChunkConcurrency"]["Default"]) == 5
    template["Parameters"]["ChunkConcurrency"]["Default"] = 3
    path = tmp_path / "template.yaml"
    path.write_text(yaml.safe_dump(template))
    assert chunk_concurrency(path) == 3
