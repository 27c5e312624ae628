"""The review console in headless Chromium: load the queue, pick a candidate, apply, check Salesforce
and the decision row. Skipped where there is no system Chromium."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from cxrecon_local.review_server import console_stack, serve
from cxrecon_local.runner import run_pipeline

CHROMIUM = Path("/usr/bin/chromium")
SAMPLES = Path(__file__).resolve().parents[2] / "samples"


@pytest.mark.skipif(not CHROMIUM.exists(), reason="no system Chromium at /usr/bin/chromium")
def test_reviewer_picks_a_candidate_and_applies(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    run_pipeline(
        sorted((SAMPLES / "exports").glob("*")),
        org=SAMPLES / "org.json",
        out=tmp_path,
        directory=SAMPLES / "directory.csv",
    )
    with console_stack(tmp_path) as local, serve(local, "lead@example.com", data=tmp_path) as server:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=str(CHROMIUM),
                args=["--headless", "--no-sandbox", "--disable-background-networking", "--disable-gpu"],
            )
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.goto(f"http://127.0.0.1:{server.port}/")
            page.wait_for_selector("#candidates li")  # 1. the queue and its first item
            page.wait_for_function("document.getElementById('stats').textContent.includes('waiting')")
            item_id = page.inner_text("#facts").split("Interaction")[-1].strip().split()[0]
            first = page.inner_text("#candidates li >> nth=0")
            page.keyboard.press("1")  # 2. pick candidate 1
            assert "Chosen:" in page.inner_text("#chosen")
            page.keyboard.press("Enter")  # 3. apply
            page.wait_for_function("document.getElementById('message').textContent.startsWith('Related to')")
            browser.close()
        # 4. the Task in the sandbox and the decision row
        body = [b for b in local.queue_messages("ReviewQueue") if b.get("item_id") == item_id]
        assert body == []  # the message left the queue
        tasks = {t["CXone_Contact_Id__c"]: t for t in local.sandbox.dump()["Task"]}
        task = tasks[item_id]
        rows = [
            r
            for path in (tmp_path / "decisions").rglob("*review-*.parquet")
            for r in pq.read_table(path).to_pylist()
            if r["interaction_id"] == item_id
        ]
        assert len(rows) == 1 and rows[0]["decided_by"] == "lead@example.com"
        chosen = rows[0]["who_ids"] or [rows[0]["what_id"]]
        assert chosen[0][:15] in {str(task["WhoId"])[:15], str(task["WhatId"])[:15]}
        assert first  # the candidate the reviewer saw
    shutil.rmtree(tmp_path / "review", ignore_errors=True)
