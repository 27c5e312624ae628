"""`generate_world`: a labelled synthetic world (org snapshot, directory, exports, truth) from a seed.

Each interaction is drawn from a scenario (see `SCENARIOS`) and creates the records its label depends
on, so labels hold by construction: every phone and email is unique in the org unless a scenario
shares it on purpose. Installer organisations, agents and a background population of homeowners,
reps, cases and directory entries are shared noise. Everything is O(n) and uses one `random.Random`.

Labelling decisions that the rules leave open (documented in samples/README.md too):
- plus-addressed emails are distinct addresses: `joe+jobs@x.com` matches only a contact stored with
  exactly that address (case-insensitively); a plus variant of a stored address is `email_plus_variant`
  (ambiguous; the stored contact is the acceptable candidate);
- installer + homeowner on one email (rule 9): `who_ids` = (the sender, the other), `what_id` = the
  homeowner's case when one is quoted, else the homeowner's account;
- a no-reply sender quoting an existing case: related to the case with no WhoId (nobody contacted us);
- conflicting legs: two call legs of one master contact reaching two homeowners of different accounts
  (not installer + homeowner, which would be rule 9) are ambiguous; the first leg's caller is the truth.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cxrecon_local.synth import names
from cxrecon_local.synth.exports import FILE_OF_FORMAT, Agent, Spec, dump_json, render
from cxrecon_local.synth.org import (
    INTEGRATION_USERNAME,
    ORG_REF,
    PHONE_STYLES,
    OrgBuilder,
    Record,
    format_phone,
)
from cxrecon_local.synth.truth import Kind, Outcome, Truth

DIRECTORY_COLUMNS: tuple[str, ...] = ("email", "name", "phone", "org_account_id", "role", "job_url")
ALL_FORMATS: tuple[str, ...] = ("reporting", "csv", "dfo")
# Chosen so the overall split lands near 50/30/20 once DFO-only scenarios are added.
FORMAT_WEIGHTS = {"reporting": 50.0, "csv": 33.0, "dfo": 17.0}
PHONE_SCENARIO_FORMATS = ALL_FORMATS
EMAIL_SCENARIO_FORMATS = ALL_FORMATS


@dataclass(frozen=True)
class Scenario:
    code: str
    kind: Kind
    outcome: Outcome
    share: float  # percent of interactions
    formats: tuple[str, ...]
    legs: int = 1
    rule: str = ""


SCENARIOS: tuple[Scenario, ...] = (
    # unambiguous, related (~55%)
    Scenario("phone_unique", "unambiguous", "related", 18.0, ALL_FORMATS, rule="2"),
    Scenario("email_unique", "unambiguous", "related", 12.0, ALL_FORMATS, rule="2"),
    Scenario("household_phone", "unambiguous", "related", 4.0, ALL_FORMATS, rule="5"),
    Scenario("case_number", "unambiguous", "related", 9.0, ALL_FORMATS, rule="3"),
    Scenario("thread_ref", "unambiguous", "related", 3.0, ALL_FORMATS, rule="3"),
    Scenario("transfer_leg", "unambiguous", "related", 4.0, ("reporting", "csv"), legs=2, rule="12"),
    Scenario("installer_and_homeowner", "unambiguous", "related", 2.0, ("dfo",), rule="9"),
    Scenario("no_reply_sender", "unambiguous", "related", 2.0, ALL_FORMATS, rule="11"),
    Scenario("existing_task_unrelated", "unambiguous", "related", 1.0, ALL_FORMATS, rule="13"),
    # related to the organisation (~10%)
    Scenario("rep_not_in_sf_directory", "unambiguous", "related_to_org", 5.5, ALL_FORMATS, rule="7"),
    Scenario("rep_domain_match", "unambiguous", "related_to_org", 3.0, ALL_FORMATS, rule="7"),
    Scenario("homeowner_directory_job", "unambiguous", "related_to_org", 1.5, ALL_FORMATS, rule="8"),
    # already related (~5%)
    Scenario("existing_task_correct", "unambiguous", "already_related", 5.0, ALL_FORMATS, rule="13"),
    # skipped / rejected
    Scenario("abandoned", "skip", "skipped", 5.0, ("reporting", "csv"), rule="1"),
    Scenario("bad_row", "reject", "rejected", 2.0, ALL_FORMATS, rule="15"),
    # ambiguous (~23%)
    Scenario("shared_phone_two_accounts", "ambiguous", "queued_for_review", 5.0, ALL_FORMATS, rule="4"),
    Scenario("conflicting_signals", "ambiguous", "queued_for_review", 3.0, ("reporting", "csv"), 2, "6"),
    Scenario("case_other_account", "ambiguous", "queued_for_review", 3.0, ALL_FORMATS, rule="3"),
    Scenario("rep_free_mail_unknown", "ambiguous", "queued_for_review", 2.0, ("dfo",), rule="7"),
    Scenario("homeowner_unknown", "ambiguous", "queued_for_review", 2.0, ALL_FORMATS, rule="8"),
    Scenario("chat_name_only", "ambiguous", "queued_for_review", 4.0, ("reporting", "dfo"), rule="10"),
    Scenario("email_plus_variant", "ambiguous", "queued_for_review", 1.0, ("dfo",), rule="2"),
    Scenario("existing_task_wrong_human", "ambiguous", "queued_for_review", 3.0, ALL_FORMATS, rule="13"),
)
SCENARIO_BY_CODE = {s.code: s for s in SCENARIOS}

SKILLS = {
    "call": ("Homeowner Support Phone", "Installer Support Phone", "Billing Phone"),
    "voicemail": ("Support Voicemail",),
    "sms": ("Support SMS",),
    "email": ("Homeowner Support Email", "Installer Support Email"),
    "chat": ("Web Chat",),
}
DISPOSITIONS: tuple[tuple[int, str], ...] = (
    (101, "Resolved"),
    (102, "Information Provided"),
    (103, "Follow-up Required"),
    (104, "Escalated to Case"),
    (105, "Billing Question"),
    (106, "Scheduling"),
    (107, "Warranty Claim"),
)
CASE_SUBJECTS: tuple[str, ...] = (
    "Inverter fault code",
    "Monitoring offline",
    "Billing question",
    "Permit delay",
    "Roof leak after install",
    "Panel cleaning request",
    "Cancellation request",
    "Complaint - installer no-show",
    "Interconnection paperwork",
    "Battery not charging",
)
NOTE_SNIPPETS: tuple[str, ...] = (
    "Customer asked about install date.",
    "Explained monitoring app login.",
    "Reviewed last invoice.",
    "Scheduled site visit.",
    "Walked through inverter reset.",
    "Updated mailing address.",
    "Asked for production report.",
)
REP_TITLES = ("Sales Rep", "Installer", "Project Manager", "Sales Manager")
SUBTYPE = {"call": "Call", "voicemail": "Call", "email": "Email", "chat": "Task", "sms": "Task"}


@dataclass
class Person:
    first: str
    last: str
    contact: Record | None
    account: Record
    phones: list[str]  # 10 digits, first = the one they call from
    email: str | None  # as stored


@dataclass
class WorldPaths:
    org: Path
    directory: Path
    exports: dict[str, Path]
    truth: Path


@dataclass
class World:
    org: dict[str, list[dict[str, Any]]]
    directory_rows: list[dict[str, str]]
    exports: dict[str, bytes]
    truth: dict[str, Truth]
    specs: list[Spec] = field(default_factory=list, repr=False)
    pretty: bool = False

    def org_json(self) -> bytes:
        return dump_json(self.org, self.pretty)

    def directory_csv(self) -> bytes:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(DIRECTORY_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.directory_rows)
        return buf.getvalue().encode("utf-8")

    def truth_jsonl(self) -> bytes:
        lines = [t.model_dump_json() for t in self.truth.values()]
        return ("\n".join(lines) + "\n").encode("utf-8")

    def write(self, out_dir: Path) -> WorldPaths:
        out_dir = Path(out_dir)
        (out_dir / "exports").mkdir(parents=True, exist_ok=True)
        paths = WorldPaths(
            org=out_dir / "org.json",
            directory=out_dir / "directory.csv",
            exports={name: out_dir / "exports" / name for name in self.exports},
            truth=out_dir / "truth.jsonl",
        )
        paths.org.write_bytes(self.org_json())
        paths.directory.write_bytes(self.directory_csv())
        for name, data in self.exports.items():
            paths.exports[name].write_bytes(data)
        paths.truth.write_bytes(self.truth_jsonl())
        return paths


def scenario_counts(n: int, formats: tuple[str, ...]) -> dict[str, int]:
    """Interactions per scenario in a world of n (legs counted); phone_unique takes the rest."""
    counts: dict[str, int] = {}
    for sc in SCENARIOS:
        if sc.code == "phone_unique" or not set(sc.formats) & set(formats):
            continue
        k = int(n * sc.share / 100.0)
        counts[sc.code] = k - k % sc.legs
    counts["phone_unique"] = max(0, n - sum(counts.values()))
    return counts


class _Generator:
    def __init__(self, n: int, seed: int, formats: tuple[str, ...]) -> None:
        self.n = n
        self.rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
        self.formats = formats
        self.org = OrgBuilder(self.rng)
        self.directory: list[dict[str, str]] = []
        self.specs: list[Spec] = []
        self.truth: dict[str, Truth] = {}
        self.clock = datetime(2024, 6, 3, 13, 0, 0, tzinfo=UTC)
        self._next_cx = 600_000_000_000
        self._job = 10_000
        self.agents: list[Agent] = []
        self.installers: list[tuple[Record, str]] = []
        self.unique_domain_installers: list[tuple[Record, str]] = []
        self.background: list[Person] = []

    # ---- shared population ------------------------------------------------------------------------
    def build_population(self, installer_names: list[tuple[str, str]] | None = None) -> None:
        rng, org = self.rng, self.org
        integ = org.add_user("CXrecon", "Integration", agent_id=None, username=INTEGRATION_USERNAME)
        org.integration_user_id = integ["Id"]
        for i in range(6 + self.n // 400):
            first, last = org.person_name()
            agent_id = org.next_agent_id()
            email = f"{names.ascii_token(first)}.{names.ascii_token(last)}{i}@example.com"
            in_sf = i % 8 != 3  # a few agents have no Salesforce User: their Tasks go to the integration user
            user_id = org.add_user(first, last, agent_id=agent_id, username=email)["Id"] if in_sf else None
            dfo_id = f"{rng.getrandbits(64):016x}"
            self.agents.append(Agent(agent_id, first, last, email, user_id, dfo_id))
        org.add_user("Former", "Agent", agent_id=None, active=False, username="former.agent@example.com")

        n_orgs = 4 + self.n // 40
        for name, website in installer_names or []:
            self.installers.append(org.add_installer(name, website))
        while len(self.installers) < n_orgs:
            self.installers.append(org.add_installer())
        shared: set[str] = set()
        # A few parent/branch pairs share one website domain: a domain match there is not unique.
        for parent, domain in list(self.installers[len(installer_names or []) :: 17]):
            branch_name = f"{parent['Name']} - East Bay"
            branch, _ = org.add_installer(branch_name, parent["Website"], parent_id=parent["Id"])
            self.installers.append((branch, domain))
            shared.add(domain)
        self.unique_domain_installers = [(a, d) for a, d in self.installers if d not in shared]

        # Background: reps on every org, homeowners with cases, directory rows that mirror Salesforce.
        for acc, domain in self.installers:
            for _ in range(rng.randrange(1, 4)):
                rep = self.new_rep(acc, domain, work_email=rng.random() < 0.8)
                self.background.append(rep)
                if rng.random() < 0.2 and rep.email:
                    self.add_directory(rep.email, rep, acc["Id"], rng.choice(("installer", "sales_rep")))
        for _ in range(self.n // 8 + 3):
            self.background.append(self.new_homeowner()[0])

    # ---- people -----------------------------------------------------------------------------------
    def stored_email(self, email: str) -> str:
        """How the address is typed into Salesforce: usually as is, sometimes capitalised."""
        r = self.rng.random()
        if r < 0.12:
            local, _, domain = email.partition("@")
            return ".".join(p.capitalize() for p in local.split(".")) + "@" + domain.capitalize()
        if r < 0.15:
            return email.upper()
        return email

    def personal_email(self, first: str, last: str) -> str:
        email = self.org.email_for(first, last, self.rng.choice(names.FREE_MAIL_DOMAINS))
        if self.rng.random() < 0.05:  # plus-addressed, stored exactly so
            local, _, domain = email.partition("@")
            plus = f"{local}+{self.rng.choice(('solar', 'jobs', 'home'))}@{domain}"
            if self.org.claim_email(plus):
                return plus
        return email

    def phone_fields(self, primary: str, homeowner: bool) -> dict[str, str]:
        rng = self.rng
        fields = (
            ["Phone", "MobilePhone", "HomePhone", "OtherPhone"] if homeowner else ["Phone", "MobilePhone"]
        )
        chosen = rng.sample(fields, 2)
        phones = {chosen[0]: primary}
        if rng.random() < 0.4:
            phones[chosen[1]] = self.org.new_phone()
        return phones

    def new_homeowner(
        self, n_contacts: int = 1, *, email: bool = True, name: tuple[str, str] | None = None
    ) -> list[Person]:
        rng, org = self.rng, self.org
        first, last = name or org.person_name()
        account = org.add_homeowner_account(first, last, org.new_phone() if rng.random() < 0.3 else None)
        people = []
        for i in range(n_contacts):
            f = first if i == 0 else org.person_name()[0]
            primary = org.new_phone()
            addr = self.personal_email(f, last) if email else None
            contact = org.add_contact(
                account,
                f,
                last,
                email=self.stored_email(addr) if addr else None,
                phones=self.phone_fields(primary, True),
            )
            people.append(Person(f, last, contact, account, [primary], contact["Email"]))
        if rng.random() < 0.3:
            org.add_case(
                account, people[0].contact, rng.choice(CASE_SUBJECTS), rng.choice(("Closed", "Working"))
            )
        return people

    def new_rep(
        self, acc: Record, domain: str, *, work_email: bool = True, name: tuple[str, str] | None = None
    ) -> Person:
        org = self.org
        first, last = name or org.person_name()
        addr = org.email_for(first, last, domain) if work_email else self.personal_email(first, last)
        primary = org.new_phone()
        contact = org.add_contact(
            acc,
            first,
            last,
            email=self.stored_email(addr),
            phones=self.phone_fields(primary, False),
            title=self.rng.choice(REP_TITLES),
        )
        return Person(first, last, contact, acc, [primary], contact["Email"])

    def add_directory(
        self, email: str | None, person: Person | None, org_id: str, role: str, **kw: str
    ) -> None:
        phone = kw.get("phone", person.phones[0] if person else "")
        self.directory.append(
            {
                "email": email or "",
                "name": kw.get("name", f"{person.first} {person.last}" if person else ""),
                "phone": format_phone(phone, self.rng.choice(PHONE_STYLES)) if phone else "",
                "org_account_id": org_id,
                "role": role,
                "job_url": kw.get("job_url", ""),
            }
        )

    def installer(self, unique_domain: bool = False) -> tuple[Record, str]:
        pool = self.unique_domain_installers if unique_domain else self.installers
        return self.rng.choice(pool)

    # ---- interactions -----------------------------------------------------------------------------
    def next_cx_id(self) -> str:
        self._next_cx += self.rng.randrange(1, 9)
        return str(self._next_cx)

    def pick_format(self, allowed: tuple[str, ...]) -> str:
        options = [f for f in allowed if f in self.formats]
        weights = [FORMAT_WEIGHTS[f] for f in options]
        return self.rng.choices(options, weights)[0]

    def new_spec(self, fmt: str, channel: str, *, master: str | None = None, agent: bool = True) -> Spec:
        rng = self.rng
        self.clock += timedelta(seconds=rng.randrange(5, 200))
        cx_id = self.next_cx_id()
        disp_id, disp = rng.choice(DISPOSITIONS)
        spec = Spec(
            interaction_id=cx_id,
            master_id=master or cx_id,
            fmt=fmt,
            channel=channel,
            start=self.clock,
            duration=rng.randrange(30, 1500),
            agent=rng.choice(self.agents) if agent else None,
            skill=rng.choice(SKILLS[channel]),
            disposition_id=disp_id,
            disposition=disp,
            notes=rng.choice(NOTE_SNIPPETS),
            legacy_strings=fmt == "reporting" and rng.random() < 0.05,
        )
        if fmt == "dfo":
            spec.thread_id = f"{channel}-{rng.getrandbits(48):012x}"
            spec.preview = spec.notes
        return spec

    def phone_channel(self, fmt: str) -> str:
        if fmt == "dfo":
            return "sms"
        r = self.rng.random()
        if fmt == "csv":
            return "call" if r < 0.9 else "voicemail"
        return "call" if r < 0.8 else "voicemail" if r < 0.88 else "sms"

    def present_phone(self, spec: Spec, digits: str) -> None:
        r = self.rng.random()
        if spec.fmt == "dfo" or spec.channel == "sms":
            spec.phone = f"+1{digits}"
        elif r < 0.8:
            spec.phone = digits
        elif r < 0.9:
            spec.phone = f"+1{digits}"
        else:
            spec.phone = f"1{digits}"
        if spec.channel == "call" and self.rng.random() < 0.15:
            spec.outbound = True

    def present_email(self, spec: Spec, stored: str, name: str | None) -> None:
        r = self.rng.random()
        spec.email = stored.lower() if r < 0.6 else stored if r < 0.85 else stored.upper()
        spec.name = name
        spec.subject = self.rng.choice(
            ("Question about my system", "Re: your invoice", "Help", "Install update")
        )

    def identity_spec(self, fmt: str, person: Person, *, by: str | None = None) -> Spec:
        """A spec whose only identity evidence is the person's phone or email."""
        use_email = person.email is not None and (by == "email" or (by is None and self.rng.random() < 0.35))
        if use_email and person.email:
            spec = self.new_spec(fmt, "email")
            self.present_email(spec, person.email, f"{person.first} {person.last}")
        else:
            spec = self.new_spec(fmt, self.phone_channel(fmt))
            self.present_phone(spec, person.phones[0])
            if spec.channel == "sms" and self.rng.random() < 0.5:
                spec.name = f"{person.first} {person.last}"
        return spec

    def owner_of(self, spec: Spec) -> str | None:
        if spec.agent is None:
            return None
        return spec.agent.user_id or self.org.integration_user_id

    def emit(
        self,
        spec: Spec,
        scenario: str,
        *,
        what: str | None = None,
        who: tuple[str, ...] = (),
        candidates: tuple[str, ...] = (),
        note: str = "",
        kind: Kind | None = None,
        outcome: Outcome | None = None,
    ) -> Truth:
        sc = SCENARIO_BY_CODE[scenario]
        truth = Truth(
            interaction_id=spec.interaction_id,
            kind=kind or sc.kind,
            scenario=scenario,
            expected_outcome=outcome or sc.outcome,
            what_id=what,
            who_ids=who,
            acceptable_candidates=candidates,
            source_file=FILE_OF_FORMAT[spec.fmt],
            channel=spec.channel,
            owner_id=self.owner_of(spec) if sc.kind not in ("skip", "reject") else None,
            rule=sc.rule,
            note=note,
        )
        self.specs.append(spec)
        self.truth[spec.interaction_id] = truth
        return truth

    def case_ref(self, case: Record, style: str | None = None) -> str:
        style = style or self.rng.choice(("hash", "plain", "dash", "re"))
        number = case["CaseNumber"]
        if style == "hash":
            return f"Case #{number}"
        if style == "plain":
            return f"case {int(number)}"
        if style == "dash":
            return f"CASE-{number}"
        if style == "re":
            return f"re: {number}"
        if style == "thread":
            return f"ref:_{ORG_REF}._{case['Id'][:15]}:ref"
        raise ValueError(style)

    def place_ref(self, spec: Spec, text: str) -> None:
        """Put a case reference where this format can carry one."""
        rng = self.rng
        places = ["notes"]
        if spec.fmt != "csv":
            places.append("tags")
        if spec.subject is not None and spec.fmt != "csv":  # Data Download CSV has no subject column
            places += ["subject", "subject"]
        if spec.fmt == "dfo":
            places += ["custom", "preview"]
        where = rng.choice(places)
        if where == "notes":
            spec.notes = f"{spec.notes} Customer calling about {text}."
            spec.preview = spec.notes if spec.fmt == "dfo" else spec.preview
        elif where == "tags":
            spec.tags.append(text)
        elif where == "subject":
            spec.subject = f"{spec.subject} [{text}]"
        elif where == "custom":
            spec.custom_fields.append(("case_number", text))
        else:
            spec.preview = f"Hello, following up on {text}. {spec.preview}"

    # ---- scenarios ----------------------------------------------------------------------------------
    def someone(self, fmt: str, *, rep_share: float = 0.3) -> Person:
        if self.rng.random() < rep_share:
            acc, domain = self.installer()
            return self.new_rep(acc, domain, work_email=self.rng.random() < 0.7)
        return self.new_homeowner()[0]

    def sc_phone_unique(self, fmt: str) -> None:
        person = self.someone(fmt)
        spec = self.identity_spec(fmt, person, by="phone")
        if self.rng.random() < 0.05:  # a number that is no Case: not a reference
            spec.notes += f" Mentioned case #{self.rng.randrange(90_000_000, 99_999_999)} (not ours)."
        assert person.contact is not None
        self.emit(spec, "phone_unique", what=person.account["Id"], who=(person.contact["Id"],))

    def sc_email_unique(self, fmt: str) -> None:
        person = self.someone(fmt)
        spec = self.identity_spec(fmt, person, by="email")
        assert person.contact is not None
        self.emit(spec, "email_unique", what=person.account["Id"], who=(person.contact["Id"],))

    def sc_household_phone(self, fmt: str) -> None:
        rng, org = self.rng, self.org
        people = self.new_homeowner(rng.choice((2, 2, 3)))
        shared = org.new_phone()
        for p in people:
            assert p.contact is not None
            p.contact["HomePhone"] = format_phone(shared, rng.choice(PHONE_STYLES))
        spec = self.new_spec(fmt, self.phone_channel(fmt))
        self.present_phone(spec, shared)
        who: tuple[str, ...] = ()
        note = "household phone: account only"
        if spec.fmt == "dfo" and rng.random() < 0.5:
            picked = rng.choice(people)
            assert picked.contact is not None
            spec.name = f"{picked.first} {picked.last}"
            who, note = (picked.contact["Id"],), "household phone; the SMS name picks one member"
        self.emit(spec, "household_phone", what=people[0].account["Id"], who=who, note=note)

    def sc_case_number(self, fmt: str) -> None:
        rng, org = self.rng, self.org
        person = self.someone(fmt, rep_share=0.15)
        assert person.contact is not None
        cases = [
            org.add_case(
                person.account,
                person.contact,
                rng.choice(CASE_SUBJECTS),
                rng.choice(("New", "Working", "Escalated", "Closed")),
            )
            for _ in range(rng.randrange(1, 4))
        ]
        case = rng.choice(cases)
        spec = self.identity_spec(fmt, person)
        self.place_ref(spec, self.case_ref(case))
        note = "closed case still named" if case["IsClosed"] else "open case named"
        self.emit(spec, "case_number", what=case["Id"], who=(person.contact["Id"],), note=note)

    def sc_thread_ref(self, fmt: str) -> None:
        rng, org = self.rng, self.org
        person = self.new_homeowner()[0]
        assert person.contact is not None and person.email is not None
        case = org.add_case(
            person.account, person.contact, rng.choice(CASE_SUBJECTS), rng.choice(("Working", "Closed"))
        )
        spec = self.identity_spec(fmt, person, by="email")
        ref = self.case_ref(case, "thread")
        if spec.fmt == "csv" or rng.random() < 0.3:
            spec.notes = f"{spec.notes} {ref}"
            spec.preview = spec.notes if spec.fmt == "dfo" else ""
        else:
            spec.subject = f"RE: {case['Subject']} [ {ref} ]"
        self.emit(spec, "thread_ref", what=case["Id"], who=(person.contact["Id"],))

    def sc_transfer_leg(self, fmt: str) -> None:
        person = self.someone(fmt)
        assert person.contact is not None
        first = self.new_spec(fmt, "call")
        self.present_phone(first, person.phones[0])
        first.outbound = False
        second = self.new_spec(fmt, "call", master=first.interaction_id)
        second.phone = ""
        second.notes = (
            "Transferred from " + (first.agent.first if first.agent else "queue") + ". " + second.notes
        )
        for spec in (first, second):
            self.emit(
                spec,
                "transfer_leg",
                what=person.account["Id"],
                who=(person.contact["Id"],),
                note=f"leg of master {first.interaction_id}; identity on the first leg only",
            )

    def sc_installer_and_homeowner(self, fmt: str) -> None:
        rng = self.rng
        acc, domain = self.installer()
        rep = self.new_rep(acc, domain, work_email=True)
        owner = self.new_homeowner()[0]
        assert rep.contact and owner.contact and rep.email and owner.email
        sender, other = (rep, owner) if rng.random() < 0.6 else (owner, rep)
        assert sender.email and other.email and sender.contact and other.contact
        spec = self.new_spec(fmt, "email")
        self.present_email(spec, sender.email, f"{sender.first} {sender.last}")
        spec.cc.append((other.email.lower(), f"{other.first} {other.last}"))
        what = owner.account["Id"]
        if rng.random() < 0.5:
            case = self.org.add_case(owner.account, owner.contact, rng.choice(CASE_SUBJECTS), "Working")
            self.place_ref(spec, self.case_ref(case))
            what = case["Id"]
        self.emit(
            spec,
            "installer_and_homeowner",
            what=what,
            who=(sender.contact["Id"], other.contact["Id"]),
            note="installer and homeowner on one email: sender first",
        )

    def sc_no_reply_sender(self, fmt: str) -> None:
        rng = self.rng
        person = self.new_homeowner()[0]
        case = self.org.add_case(
            person.account, person.contact, "Permit status", rng.choice(("Working", "New"))
        )
        spec = self.new_spec(fmt, "email")
        sender = f"{rng.choice(names.NO_REPLY_LOCALS)}@{rng.choice(names.NO_REPLY_DOMAINS)}"
        self.present_email(spec, sender, "Notifications")
        spec.subject = f"Status update for {self.case_ref(case, rng.choice(('hash', 'dash')))}"
        if spec.fmt == "csv":
            spec.notes = f"{spec.notes} {spec.subject}"
        self.emit(
            spec,
            "no_reply_sender",
            what=case["Id"],
            who=(),
            note="no-reply sender excluded; the case reference decides",
        )

    def _existing_task(
        self, spec: Spec, who: str | None, what: str | None, owner: str | None, status: str
    ) -> None:
        self.org.add_task(
            cxone_id=spec.interaction_id,
            subject=f"{SUBTYPE[spec.channel]} {spec.start:%m/%d/%Y %H:%M}",
            status=status,
            who_id=who,
            what_id=what,
            owner_id=owner or self.org.integration_user_id,
            subtype=SUBTYPE[spec.channel],
        )

    def sc_existing_task_unrelated(self, fmt: str) -> None:
        person = self.someone(fmt)
        assert person.contact is not None
        spec = self.identity_spec(fmt, person)
        self._existing_task(spec, None, None, self.owner_of(spec), "Open")
        self.emit(
            spec,
            "existing_task_unrelated",
            what=person.account["Id"],
            who=(person.contact["Id"],),
            note="CXone created an unrelated Task: update it",
        )

    def sc_existing_task_correct(self, fmt: str) -> None:
        person = self.someone(fmt)
        assert person.contact is not None
        spec = self.identity_spec(fmt, person)
        self._existing_task(
            spec, person.contact["Id"], person.account["Id"], self.owner_of(spec), "Completed"
        )
        self.emit(spec, "existing_task_correct", what=person.account["Id"], who=(person.contact["Id"],))

    def sc_existing_task_wrong_human(self, fmt: str) -> None:
        person = self.someone(fmt)
        assert person.contact is not None
        spec = self.identity_spec(fmt, person)
        wrong = self.rng.choice(self.background)
        assert wrong.contact is not None
        self._existing_task(spec, wrong.contact["Id"], wrong.account["Id"], self.owner_of(spec), "Completed")
        self.emit(
            spec,
            "existing_task_wrong_human",
            what=person.account["Id"],
            who=(person.contact["Id"],),
            candidates=(person.contact["Id"], person.account["Id"]),
            note="an agent related the Task to someone else: never overwrite a human's relation",
        )

    def sc_rep_not_in_sf_directory(self, fmt: str) -> None:
        rng, org = self.rng, self.org
        acc, domain = self.installer()
        first, last = org.person_name()
        by_phone = rng.random() < 0.3
        if rng.random() < 0.6:  # "Joe@gmail.com works for North Valley"
            addr = f"{names.ascii_token(first)}{rng.randrange(10, 99)}@{rng.choice(names.FREE_MAIL_DOMAINS)}"
            if not org.claim_email(addr):
                addr = org.email_for(first, last, rng.choice(names.FREE_MAIL_DOMAINS))
        else:
            addr = org.email_for(first, last, domain)
        phone = org.new_phone()
        ghost = Person(first, last, None, acc, [phone], addr)
        self.add_directory(addr, ghost, acc["Id"], rng.choice(("installer", "sales_rep")))
        spec = self.identity_spec(fmt, ghost, by="phone" if by_phone else "email")
        if spec.email and rng.random() < 0.3:
            spec.email = spec.email.capitalize()
        self.emit(
            spec,
            "rep_not_in_sf_directory",
            what=acc["Id"],
            note="no Contact; the directory lists the person with the organisation",
        )

    def sc_rep_domain_match(self, fmt: str) -> None:
        acc, domain = self.installer(unique_domain=True)
        first, last = self.org.person_name()
        addr = self.org.email_for(first, last, domain)
        ghost = Person(first, last, None, acc, [], addr)
        spec = self.identity_spec(fmt, ghost, by="email")
        self.emit(
            spec,
            "rep_domain_match",
            what=acc["Id"],
            note=f"no Contact; {domain} is the Website domain of exactly one installer",
        )

    def sc_homeowner_directory_job(self, fmt: str) -> None:
        rng, org = self.rng, self.org
        acc, _ = self.installer()
        first, last = org.person_name()
        addr = self.personal_email(first, last)
        phone = org.new_phone()
        ghost = Person(first, last, None, acc, [phone], addr)
        self._job += rng.randrange(1, 30)
        self.add_directory(
            addr, ghost, acc["Id"], "homeowner", job_url=f"https://engine.example.com/jobs/J-{self._job}"
        )
        spec = self.identity_spec(fmt, ghost)
        self.emit(
            spec,
            "homeowner_directory_job",
            what=acc["Id"],
            note="homeowner not in Salesforce; the directory ties them to a job and an installer",
        )

    def sc_abandoned(self, fmt: str) -> None:
        rng = self.rng
        channel = "chat" if fmt == "reporting" and rng.random() < 0.15 else "call"
        spec = self.new_spec(fmt, channel, agent=False)
        spec.abandoned = True
        spec.duration = rng.randrange(0, 60)
        spec.notes, spec.disposition, spec.disposition_id = "", "", None
        if channel == "chat":
            spec.name = f"{self.org.person_name()[0]}"
        elif rng.random() < 0.5:
            self.present_phone(spec, rng.choice(self.background).phones[0])
        else:
            self.present_phone(spec, self.org.new_phone())
        spec.outbound = False
        self.emit(spec, "abandoned", note="abandoned before reaching an agent")

    def sc_bad_row(self, fmt: str) -> None:
        person = self.rng.choice(self.background)
        spec = self.identity_spec(fmt, person)
        spec.defect = self.rng.choice(("malformed_date", "unknown_channel"))
        self.emit(spec, "bad_row", note=spec.defect)

    def sc_shared_phone_two_accounts(self, fmt: str) -> None:
        rng, org = self.rng, self.org
        caller = self.new_homeowner()[0]
        assert caller.contact is not None
        phone = caller.phones[0]
        if rng.random() < 0.5:  # the same person on a second property
            acc2 = org.add_homeowner_account(caller.first, caller.last)
            twin = org.add_contact(acc2, caller.first, caller.last, email=None, phones={"MobilePhone": phone})
            cands: tuple[str, ...] = (caller.contact["Id"], caller.account["Id"], twin["Id"], acc2["Id"])
            note = "same person on two homeowner accounts"
        else:  # a rep at an installer has the number as OtherPhone
            acc2, domain = self.installer()
            first, last = org.person_name()
            twin = org.add_contact(
                acc2,
                first,
                last,
                email=org.email_for(first, last, domain),
                phones={"Phone": org.new_phone(), "OtherPhone": phone},
            )
            cands = (caller.contact["Id"], caller.account["Id"])
            note = "the number is also on a contact of another account"
        spec = self.new_spec(fmt, self.phone_channel(fmt))
        self.present_phone(spec, phone)
        self.emit(
            spec,
            "shared_phone_two_accounts",
            what=caller.account["Id"],
            who=(caller.contact["Id"],),
            candidates=cands,
            note=note,
        )

    def sc_conflicting_signals(self, fmt: str) -> None:
        a = self.new_homeowner()[0]
        b = self.new_homeowner()[0]
        assert a.contact is not None and b.contact is not None
        first = self.new_spec(fmt, "call")
        self.present_phone(first, a.phones[0])
        first.outbound = False
        second = self.new_spec(fmt, "call", master=first.interaction_id)
        self.present_phone(second, b.phones[0])
        cands = (a.contact["Id"], a.account["Id"], b.contact["Id"], b.account["Id"])
        for spec in (first, second):
            self.emit(
                spec,
                "conflicting_signals",
                what=a.account["Id"],
                who=(a.contact["Id"],),
                candidates=cands,
                note="legs of one contact identify two homeowners on different accounts",
            )

    def sc_case_other_account(self, fmt: str) -> None:
        rng = self.rng
        person = self.new_homeowner()[0]
        other = self.new_homeowner()[0]
        assert person.contact is not None
        case = self.org.add_case(
            other.account, other.contact, rng.choice(CASE_SUBJECTS), rng.choice(("Working", "Closed"))
        )
        spec = self.identity_spec(fmt, person)
        self.place_ref(spec, self.case_ref(case))
        self.emit(
            spec,
            "case_other_account",
            what=person.account["Id"],
            who=(person.contact["Id"],),
            candidates=(person.contact["Id"], person.account["Id"], case["Id"]),
            note="the named case belongs to another account",
        )

    def sc_rep_free_mail_unknown(self, fmt: str) -> None:
        rng = self.rng
        acc, domain = self.installer()
        rep = self.new_rep(acc, domain, work_email=True)
        assert rep.contact is not None
        private = self.personal_email(rep.first, rep.last)
        spec = self.new_spec(fmt, "email")
        shown = rep.first if rng.random() < 0.5 else (names.nickname_for(rep.first, rng) or rep.first)
        self.present_email(spec, private, f"{shown} {rep.last}")
        self.emit(
            spec,
            "rep_free_mail_unknown",
            what=acc["Id"],
            who=(rep.contact["Id"],),
            candidates=(rep.contact["Id"], acc["Id"]),
            note="a rep writes from a free-mail address not on file: the name is the only link",
        )

    def sc_homeowner_unknown(self, fmt: str) -> None:
        org = self.org
        first, last = org.person_name()
        addr = self.personal_email(first, last)
        ghost = Person(first, last, None, {"Id": ""}, [org.new_phone()], addr)
        spec = self.identity_spec(fmt, ghost)
        self.emit(spec, "homeowner_unknown", note="nobody in Salesforce or the directory: a human must look")

    def sc_chat_name_only(self, fmt: str) -> None:
        rng, org = self.rng, self.org
        pair = org.reserve_unique_name()
        if rng.random() < 0.25:
            acc, domain = self.installer()
            person = self.new_rep(acc, domain, name=pair)
        else:
            person = self.new_homeowner(name=pair)[0]
        assert person.contact is not None
        spec = self.new_spec(fmt, "chat")
        typed, variant = names.typed_chat_name(person.first, person.last, rng)
        spec.name = typed
        if fmt == "dfo":
            spec.visitor_id = f"visitor-{rng.getrandbits(40):010x}"
        self.emit(
            spec,
            "chat_name_only",
            what=person.account["Id"],
            who=(person.contact["Id"],),
            candidates=(person.contact["Id"], person.account["Id"]),
            note=f"typed name: {variant}",
        )

    def sc_email_plus_variant(self, fmt: str) -> None:
        rng, org = self.rng, self.org
        first, last = org.person_name()
        base = org.email_for(first, last, rng.choice(names.FREE_MAIL_DOMAINS))
        acc = org.add_homeowner_account(first, last)
        contact = org.add_contact(acc, first, last, email=base, phones={"MobilePhone": org.new_phone()})
        local, _, domain = base.partition("@")
        plus = f"{local}+{rng.choice(('jobs', 'solar', 'bills'))}@{domain}"
        org.claim_email(plus)
        spec = self.new_spec(fmt, "email")
        self.present_email(spec, plus, f"{first} {last}")
        self.emit(
            spec,
            "email_plus_variant",
            what=acc["Id"],
            who=(contact["Id"],),
            candidates=(contact["Id"], acc["Id"]),
            note="plus-addressed variant of a stored address: not an exact match",
        )

    # ---- driver -------------------------------------------------------------------------------------
    def run_plan(self, plan: list[tuple[str, str]]) -> None:
        for code, fmt in plan:
            getattr(self, f"sc_{code}")(fmt)

    def plan(self) -> list[tuple[str, str]]:
        counts = scenario_counts(self.n, self.formats)
        draws: list[str] = []
        for sc in SCENARIOS:
            draws += [sc.code] * (counts.get(sc.code, 0) // sc.legs)
        self.rng.shuffle(draws)
        return [(code, self.pick_format(SCENARIO_BY_CODE[code].formats)) for code in draws]

    def world(self, pretty: bool = False) -> World:
        by_format: dict[str, list[Spec]] = {f: [] for f in ALL_FORMATS}
        for spec in self.specs:
            by_format[spec.fmt].append(spec)
        return World(
            org=self.org.records,
            directory_rows=self.directory,
            exports=render(by_format, pretty),
            truth=self.truth,
            specs=self.specs,
            pretty=pretty,
        )


def generate_world(
    n_interactions: int, seed: int = 7, *, formats: tuple[str, ...] = ("reporting", "csv", "dfo")
) -> World:
    """A labelled world of exactly `n_interactions` interactions (legs counted), deterministic per seed."""
    unknown = set(formats) - set(ALL_FORMATS)
    if unknown or not formats:
        raise ValueError(f"formats must be a non-empty subset of {ALL_FORMATS}")
    gen = _Generator(n_interactions, seed, tuple(formats))
    gen.build_population()
    gen.run_plan(gen.plan())
    return gen.world()
