"""Writes `samples/`: a small, readable world that shows every rule of issue 4 and every outcome.

    python -m cxrecon_local.synth.samples [OUT_DIR]   (default: ./samples)

Deterministic: the same code writes the same bytes. The README table is generated from the truth.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cxrecon_local.synth import names
from cxrecon_local.synth.exports import CSV_FILE, DFO_FILE, REPORTING_FILE
from cxrecon_local.synth.world import SCENARIO_BY_CODE, Person, World, _Generator

SEED = 20240603
INSTALLERS = [
    ("North Valley Solar", "https://www.northvalleysolar.com"),
    ("Bright Path Energy", "brightpathenergy.com"),
    ("Sunrise Solar Co", "http://SunriseSolarCo.com/about"),
    ("Redwood Home Energy", "www.redwoodhomeenergy.com/"),
]

PLAN: list[tuple[str, str]] = [
    # Reporting API
    ("phone_unique", "reporting"),
    ("email_unique", "reporting"),
    ("household_phone", "reporting"),
    ("case_number", "reporting"),
    ("transfer_leg", "reporting"),
    ("no_reply_sender", "reporting"),
    ("existing_task_correct", "reporting"),
    ("abandoned", "reporting"),
    ("shared_phone_two_accounts", "reporting"),
    ("conflicting_signals", "reporting"),
    ("chat_name_only", "reporting"),
    ("existing_task_wrong_human", "reporting"),
    ("rep_domain_match", "reporting"),
    ("bad_row", "reporting"),
    # Data Download CSV
    ("phone_unique", "csv"),
    ("email_unique", "csv"),
    ("case_number", "csv"),
    ("thread_ref", "csv"),
    ("rep_not_in_sf_directory", "csv"),
    ("homeowner_directory_job", "csv"),
    ("existing_task_unrelated", "csv"),
    ("abandoned", "csv"),
    ("case_other_account", "csv"),
    ("homeowner_unknown", "csv"),
    ("transfer_leg", "csv"),
    ("bad_row", "csv"),
    ("bad_row", "csv"),
    # DFO
    ("installer_and_homeowner", "dfo"),
    ("installer_and_homeowner", "dfo"),
    ("rep_free_mail_unknown", "dfo"),
    ("email_plus_variant", "dfo"),
    ("chat_name_only", "dfo"),
    ("household_phone", "dfo"),
    ("thread_ref", "dfo"),
    ("email_unique", "dfo"),
    ("phone_unique", "dfo"),
    ("existing_task_correct", "dfo"),
    ("bad_row", "dfo"),
]
# Forced defects for the bad rows, in PLAN order: one of each kind across the files.
DEFECTS = ["unknown_channel", "malformed_date", "missing_id", "missing_id"]

RULE_TEXT = {
    "1": "1 every handled interaction / skip",
    "2": "2 person found unambiguously",
    "3": "3 case",
    "4": "4 same contact info on several accounts",
    "5": "5 household",
    "6": "6 conflicting signals",
    "7": "7 person not in SF, org known",
    "8": "8 homeowner not in SF",
    "9": "9 installer + homeowner",
    "10": "10 chat with a typed name only",
    "11": "11 no-reply senders",
    "12": "12 legs of one interaction",
    "13": "13 existing CXone Task",
    "14": "14 owner and status",
    "15": "15 unusable rows",
}


def build() -> World:
    gen = _Generator(40, SEED, ("reporting", "csv", "dfo"))
    gen.build_population(INSTALLERS)
    north_valley = gen.installers[0][0]

    # The procedures' own example: Joe@gmail.com works for North Valley but has no contact record.
    gen.org.claim_email("joe@gmail.com")
    joe = Person("Joe", "Miller", None, north_valley, [gen.org.new_phone()], "joe@gmail.com")
    gen.add_directory("joe@gmail.com", joe, north_valley["Id"], "installer")
    spec = gen.new_spec("dfo", "email")
    gen.present_email(spec, "Joe@gmail.com", "Joe Miller")
    spec.subject = "Permit docs for the Alvarez job"
    gen.emit(
        spec,
        "rep_not_in_sf_directory",
        what=north_valley["Id"],
        note="Joe@gmail.com works for North Valley but has no contact record: the directory says so",
    )

    defects = iter(DEFECTS)
    for code, fmt in PLAN:
        before = len(gen.specs)
        getattr(gen, f"sc_{code}")(fmt)
        if code == "bad_row":
            bad = gen.specs[before]
            bad.defect = next(defects)
            gen.truth[bad.interaction_id] = gen.truth[bad.interaction_id].model_copy(
                update={"note": bad.defect}
            )

    # Rule 14: one handled interaction whose agent has no Salesforce User -> owned by the integration user.
    orphan = next(a for a in gen.agents if a.user_id is None)
    target = next(s for s in gen.specs if gen.truth[s.interaction_id].scenario == "phone_unique")
    target.agent = orphan
    t = gen.truth[target.interaction_id]
    gen.truth[target.interaction_id] = t.model_copy(
        update={
            "owner_id": gen.org.integration_user_id,
            "rule": "2, 14",
            "note": f"agent {orphan.agent_id} has no Salesforce User: the integration user owns the Task",
        }
    )
    return gen.world(pretty=True)


def _label(world: World, record_id: str | None) -> str:
    if not record_id:
        return "—"
    for sobject, records in world.org.items():
        for rec in records:
            if rec.get("Id") == record_id:
                if sobject == "Contact":
                    return f"{rec['FirstName']} {rec['LastName']} (Contact)"
                if sobject == "Case":
                    return f"Case {rec['CaseNumber']}"
                return f"{rec.get('Name')} ({sobject}{', ' + rec['Type'] if rec.get('Type') else ''})"
    return record_id


def readme(world: World) -> str:
    lines = [
        "# samples/",
        "",
        "A small hand-checkable world for `make demo`: an org snapshot (`org.json`), the Engine directory",
        "(`directory.csv`) and one CXone export per format (`exports/`). It is written by",
        "`python -m cxrecon_local.synth.samples` (deterministic) from the same scenario code as the",
        "accuracy harness (`cxrecon_local.synth.generate_world`), so the labels below are the truth the",
        "rules of issue 4 give. Every outcome and every rule 1–15 appears at least once.",
        "",
        "Conventions worth knowing when reading the rows:",
        "",
        "- `support@example.com` (a DFO email's primary recipient, a Reporting API email's `toAddr`) is",
        "  our own inbox, a role address, never an identity (rule 11). Agents are Users with",
        "  `FederationIdentifier` = the CXone agent id; one agent has no User, so its Task belongs to",
        "  `cxrecon-integration@example.com`.",
        "- Reporting API chats carry the typed visitor name in `fromAddr`; DFO chats have an opaque",
        "  `visitor-…` id and the typed name in `fullName`. `firstName`/`lastName` are always the agent's.",
        "- Phones are stored in every format on Contacts; exports send 10 digits, `1…` or `+1…`.",
        "- Emails compare case-insensitively. Plus-addressing is NOT folded: `x+jobs@gmail.com` matches only",
        "  a contact stored with exactly that address (the `email_plus_variant` row is queued, its stored",
        "  contact being the candidate).",
        "- Case references appear as `Case #00001234`, `case 1234`, `CASE-00001234`, `re: 00001234` and",
        "  `ref:_00Dxx0000001gE._<case id 15>:ref`; a number that is no Case is not a reference.",
        "- Installer + homeowner on one email: WhoIds = (sender, the other), WhatId = the quoted case, else",
        "  the homeowner's account. A no-reply sender quoting a case: WhatId = the case, no WhoId.",
        "- Bad rows: `unknown_channel` (mediaType 42 / `Fax` / `fax_1`), `malformed_date`, `missing_id`.",
        "",
        "| file | row | interaction id | scenario | rule | expected outcome | WhatId | WhoIds | why |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    row_no = {REPORTING_FILE: 0, CSV_FILE: 0, DFO_FILE: 0}
    for spec in sorted(world.specs, key=lambda s: {"reporting": 0, "csv": 1, "dfo": 2}[s.fmt]):
        truth = world.truth[spec.interaction_id]
        row_no[truth.source_file] += 1
        where = (
            f"line {row_no[truth.source_file] + 1}" if spec.fmt == "csv" else f"#{row_no[truth.source_file]}"
        )
        shown_id = "(missing)" if spec.defect == "missing_id" else spec.interaction_id
        rule = truth.rule or SCENARIO_BY_CODE[truth.scenario].rule
        who = ", ".join(_label(world, w) for w in truth.who_ids) or "—"
        why = truth.note or f"{truth.scenario.replace('_', ' ')}"
        if truth.expected_outcome == "queued_for_review" and truth.acceptable_candidates:
            why += "; reviewer picks " + " / ".join(_label(world, c) for c in truth.acceptable_candidates[:2])
        lines.append(
            f"| {truth.source_file} | {where} | {shown_id} | `{truth.scenario}` | {rule} | "
            f"**{truth.expected_outcome}** | {_label(world, truth.what_id)} | {who} | {why} |"
        )
    lines += [
        "",
        "Rules: " + "; ".join(RULE_TEXT.values()) + ".",
        "",
        f"Installers: {', '.join(n for n, _ in INSTALLERS)} (and a branch sharing a parent's website,",
        "so a domain match on it is not unique). Names with accents and nicknames come from",
        f"`{names.__name__}`.",
        "",
    ]
    return "\n".join(lines)


def write_samples(out_dir: Path) -> World:
    world = build()
    world.write(out_dir)
    (out_dir / "truth.jsonl").unlink()  # the README table is the samples' documented truth
    (out_dir / "README.md").write_text(readme(world), encoding="utf-8")
    return world


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else Path("samples")
    world = write_samples(out)
    print(f"wrote {out}: {len(world.truth)} interactions, files {sorted(world.exports)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
