"""The synthetic world: determinism, valid ids, truth consistency, scenario mix, export shapes, samples."""

from __future__ import annotations

import csv
import io
import json
import random
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from cxrecon_local.synth import SCENARIOS, generate_world, is_valid_id, make_id, scenario_counts, sf_checksum
from cxrecon_local.synth.exports import CSV_COLUMNS, DFO_FIELDS, REPORTING_FIELDS
from cxrecon_local.synth.names import typed_chat_name
from cxrecon_local.synth.samples import write_samples
from cxrecon_local.synth.world import DIRECTORY_COLUMNS, World

REPO = Path(__file__).resolve().parents[3]
PREFIXES = {"Account": "001", "Contact": "003", "User": "005", "Case": "500", "Task": "00T"}


@pytest.fixture(scope="module")
def world() -> World:
    return generate_world(2000, seed=11)


def _ids(org: dict[str, list[dict[str, Any]]]) -> dict[str, str]:
    return {rec["Id"]: sobject for sobject, recs in org.items() for rec in recs}


def test_checksum_known_values() -> None:
    # Salesforce's documented example: 001A0000006Vm9r -> 001A0000006Vm9rIAC
    assert sf_checksum("001A0000006Vm9r") == "IAC"
    assert is_valid_id(make_id("003", 0)) and is_valid_id(make_id("00T", 123456789))
    assert make_id("001", 5) != make_id("001", 6)
    assert not is_valid_id(make_id("001", 5)[:-1] + "Z")


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    a, b = generate_world(300, seed=3), generate_world(300, seed=3)
    pa, pb = a.write(tmp_path / "a"), b.write(tmp_path / "b")
    for x, y in [(pa.org, pb.org), (pa.directory, pb.directory), (pa.truth, pb.truth)]:
        assert x.read_bytes() == y.read_bytes()
    assert a.exports == b.exports
    assert generate_world(300, seed=4).exports != a.exports


def test_ids_valid_with_prefixes(world: World) -> None:
    for sobject, recs in world.org.items():
        for rec in recs:
            assert is_valid_id(rec["Id"]), rec["Id"]
            assert rec["Id"].startswith(PREFIXES[sobject])
    assert len(_ids(world.org)) == sum(len(v) for v in world.org.values())


def test_org_references_exist(world: World) -> None:
    _check_references(world.org)


def _check_references(org: dict[str, list[dict[str, Any]]]) -> None:
    ids = _ids(org)
    for c in org["Contact"]:
        assert ids[c["AccountId"]] == "Account"
    for a in org["Account"]:
        assert a["Type"] in ("Installer", "Homeowner")
        if a.get("ParentId"):
            assert ids[a["ParentId"]] == "Account"
    for case in org["Case"]:
        assert ids[case["AccountId"]] == "Account"
        assert case["ContactId"] is None or ids[case["ContactId"]] == "Contact"
        assert len(case["CaseNumber"]) == 8 and case["CaseNumber"].isdigit()
        assert case["IsClosed"] == (case["Status"] == "Closed")
    for t in org["Task"]:
        assert t["WhoId"] is None or ids[t["WhoId"]] == "Contact"
        assert t["WhatId"] is None or ids[t["WhatId"]] in ("Account", "Case")
        assert ids[t["OwnerId"]] == "User"
    assert sum(u["Username"] == "cxrecon-integration@example.com" for u in org["User"]) == 1


def test_truth_references_existing_records(world: World) -> None:
    ids = _ids(world.org)
    contacts = {c["Id"]: c for c in world.org["Contact"]}
    cases = {c["Id"]: c for c in world.org["Case"]}
    accounts = {a["Id"]: a for a in world.org["Account"]}
    for t in world.truth.values():
        for rid in (t.what_id, *t.who_ids, *t.acceptable_candidates, t.owner_id):
            assert rid is None or rid in ids, (t.scenario, rid)
        assert t.who_ids == () or all(ids[w] == "Contact" for w in t.who_ids)
        if t.expected_outcome == "related_to_org":
            assert accounts[t.what_id or ""]["Type"] == "Installer" and t.who_ids == ()
        if t.kind == "ambiguous":
            assert t.expected_outcome == "queued_for_review"
            assert t.acceptable_candidates or t.scenario == "homeowner_unknown"
        if t.expected_outcome == "related" and len(t.who_ids) == 1 and t.what_id in accounts:
            # rule 2: WhatId is the person's own account
            assert contacts[t.who_ids[0]]["AccountId"] == t.what_id
        if t.scenario == "case_number":
            assert t.what_id in cases and cases[t.what_id]["AccountId"] == contacts[t.who_ids[0]]["AccountId"]
        if t.kind in ("skip", "reject"):
            assert t.what_id is None and t.who_ids == ()


def test_existing_tasks_match_truth(world: World) -> None:
    tasks = {t["CXone_Contact_Id__c"]: t for t in world.org["Task"]}
    for t in world.truth.values():
        if t.scenario == "existing_task_correct":
            task = tasks[t.interaction_id]
            assert (task["WhoId"], task["WhatId"]) == (t.who_ids[0], t.what_id)
        if t.scenario == "existing_task_wrong_human":
            assert tasks[t.interaction_id]["WhoId"] not in t.who_ids


def test_scenario_mix(world: World) -> None:
    n = len(world.truth)
    assert n == 2000
    kinds = Counter(t.expected_outcome for t in world.truth.values())
    assert kinds["related_to_org"] / n == pytest.approx(0.10, abs=0.01)
    assert kinds["already_related"] / n == pytest.approx(0.05, abs=0.01)
    assert kinds["skipped"] / n == pytest.approx(0.05, abs=0.01)
    assert kinds["rejected"] / n == pytest.approx(0.02, abs=0.005)
    assert kinds["related"] / n == pytest.approx(0.55, abs=0.02)
    assert kinds["queued_for_review"] / n == pytest.approx(0.23, abs=0.02)
    scenarios = Counter(t.scenario for t in world.truth.values())
    assert set(scenarios) == {s.code for s in SCENARIOS}
    assert scenario_counts(2000, ("reporting", "csv", "dfo")) == dict(scenarios)
    files = Counter(t.source_file for t in world.truth.values())
    assert files["completed_contacts.json"] / n == pytest.approx(0.5, abs=0.05)
    assert files["data_download.csv"] / n == pytest.approx(0.3, abs=0.05)
    assert files["dfo_cases.json"] / n == pytest.approx(0.2, abs=0.05)


def test_exports_parse_with_documented_columns(world: World) -> None:
    seen: list[str] = []
    rep = json.loads(world.exports["completed_contacts.json"])["completedContacts"]
    for row in rep:
        assert set(REPORTING_FIELDS) <= set(row)
        seen.append(str(row["contactId"]))
    reader = csv.DictReader(io.StringIO(world.exports["data_download.csv"].decode("utf-8")))
    assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
    for crow in reader:
        seen.append(crow["Contact_ID"])
    for drow in json.loads(world.exports["dfo_cases.json"]):
        assert set(DFO_FIELDS) <= set(drow)
        assert drow["status"] == "closed"
        seen.append(drow["id"])
    assert sorted(seen) == sorted(world.truth)  # every id unique across files, one row each
    # chats only via DFO or the Reporting API
    assert all(t.channel != "chat" for t in world.truth.values() if t.source_file == "data_download.csv")


def test_directory_columns(world: World) -> None:
    text = world.directory_csv().decode("utf-8")
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames or ()) == DIRECTORY_COLUMNS
    ids = _ids(world.org)
    for row in reader:
        assert ids[row["org_account_id"]] == "Account"
        assert row["role"] in ("installer", "sales_rep", "homeowner")


def test_transfer_legs_share_truth(world: World) -> None:
    legs: dict[str, list[Any]] = {}
    for spec in world.specs:
        if world.truth[spec.interaction_id].scenario == "transfer_leg":
            legs.setdefault(spec.master_id, []).append(world.truth[spec.interaction_id])
    assert legs
    for pair in legs.values():
        assert len(pair) == 2 and pair[0].what_id == pair[1].what_id and pair[0].who_ids == pair[1].who_ids


def test_formats_subset() -> None:
    w = generate_world(200, seed=1, formats=("csv",))
    assert set(w.exports) == {"data_download.csv"} and len(w.truth) == 200


def test_typed_chat_name_variants() -> None:
    rng = random.Random(1)
    variants = {typed_chat_name("Robert", "Peña", rng)[1] for _ in range(200)}
    assert variants == {"exact", "lower", "no_accents", "swapped", "typo", "nickname"}


def test_fast_enough() -> None:
    started = time.perf_counter()
    generate_world(20_000, seed=5)
    assert time.perf_counter() - started < 10


def test_samples_consistent() -> None:
    samples = REPO / "samples"
    org = json.loads((samples / "org.json").read_text(encoding="utf-8"))
    for sobject, recs in org.items():
        for rec in recs:
            assert is_valid_id(rec["Id"]) and rec["Id"].startswith(PREFIXES[sobject])
    _check_references(org)
    ids = _ids(org)
    with (samples / "directory.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            assert ids[row["org_account_id"]] == "Account"
    readme = (samples / "README.md").read_text(encoding="utf-8")
    for outcome in (
        "related",
        "related_to_org",
        "already_related",
        "queued_for_review",
        "skipped",
        "rejected",
    ):
        assert f"**{outcome}**" in readme
    assert "Joe@gmail.com" in readme
    exports = samples / "exports"
    json.loads((exports / "completed_contacts.json").read_text(encoding="utf-8"))
    json.loads((exports / "dfo_cases.json").read_text(encoding="utf-8"))
    with (exports / "data_download.csv").open(encoding="utf-8", newline="") as fh:
        assert tuple(csv.DictReader(fh).fieldnames or ()) == CSV_COLUMNS


def test_samples_regenerate_identically(tmp_path: Path) -> None:
    write_samples(tmp_path)
    for rel in (
        "org.json",
        "directory.csv",
        "README.md",
        "exports/completed_contacts.json",
        "exports/data_download.csv",
        "exports/dfo_cases.json",
    ):
        assert (tmp_path / rel).read_bytes() == (REPO / "samples" / rel).read_bytes(), rel
