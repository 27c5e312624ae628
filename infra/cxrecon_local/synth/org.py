"""The synthetic Salesforce org: valid record ids, phones in every stored format, and a record builder.

`OrgBuilder` owns every uniqueness guarantee the truth labels rely on: each generated phone (10 US
digits) and each email address (compared lower-cased) is handed out once, unless a scenario reuses one
on purpose (a household phone, a phone shared across accounts).
"""

from __future__ import annotations

import random
from typing import Any

from cxrecon_local.synth import names

Record = dict[str, Any]

_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_CHECK = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"

ACCOUNT, CONTACT, USER, CASE, TASK = "001", "003", "005", "500", "00T"
PREFIX_OF = {"Account": ACCOUNT, "Contact": CONTACT, "User": USER, "Case": CASE, "Task": TASK}

# The org id used in Salesforce email thread references ("ref:_00Dxx0000001gE._<case15>:ref").
ORG_REF = "00Dxx0000001gE"
OUR_DOMAIN = "example.com"
SUPPORT_INBOX = "support@example.com"
INTEGRATION_USERNAME = "cxrecon-integration@example.com"


def sf_checksum(id15: str) -> str:
    """The 3-character suffix that turns a 15-character Salesforce id into its 18-character form."""
    if len(id15) != 15:
        raise ValueError(f"not a 15-character id: {id15!r}")
    out = []
    for chunk in range(3):
        bits = 0
        for i, ch in enumerate(id15[chunk * 5 : chunk * 5 + 5]):
            if "A" <= ch <= "Z":
                bits |= 1 << i
        out.append(_CHECK[bits])
    return "".join(out)


def make_id(prefix: str, n: int) -> str:
    """The n-th record id for a key prefix: make_id("003", 7) -> "003Hs00000000078AA" (shape of a real id).

    15 characters = the 3-character key prefix, a 2-character pod/instance marker ("Hs", so the checksum
    sees upper-case letters), n in base 62 zero-padded to 10 digits; then the 3-character checksum.
    Different n give different ids; 0 <= n < 62**10.
    """
    if len(prefix) != 3 or not 0 <= n < 62**10:
        raise ValueError("prefix must be 3 characters and 0 <= n < 62**10")
    digits = []
    while n:
        n, r = divmod(n, 62)
        digits.append(_B62[r])
    id15 = prefix + "Hs" + "".join(reversed(digits)).rjust(10, "0")
    return id15 + sf_checksum(id15)


def is_valid_id(value: str) -> bool:
    if len(value) != 18 or any(ch not in _B62 for ch in value):
        return False
    return sf_checksum(value[:15]) == value[15:]


# ---- phones ---------------------------------------------------------------------------------------

AREA_CODES: tuple[str, ...] = (
    "415", "510", "650", "408", "707", "916", "925", "209", "559", "619", "858", "760", "951", "909",
    "213", "310", "818", "562", "714", "949", "805", "503", "971", "541", "206", "425", "253", "360",
    "509", "602", "480", "520", "702", "775", "801", "385", "303", "720", "719", "505", "512", "214",
)  # fmt: skip

PHONE_STYLES: tuple[str, ...] = ("paren", "dots", "e164_spaced", "digits", "one_dash", "dashes", "e164")


def format_phone(digits10: str, style: str) -> str:
    """A 10-digit US number as Salesforce users store it. Styles: see PHONE_STYLES."""
    a, b, c = digits10[:3], digits10[3:6], digits10[6:]
    if style == "paren":
        return f"({a}) {b}-{c}"
    if style == "dots":
        return f"{a}.{b}.{c}"
    if style == "e164_spaced":
        return f"+1 {a} {b} {c}"
    if style == "digits":
        return digits10
    if style == "one_dash":
        return f"1-{a}-{b}-{c}"
    if style == "dashes":
        return f"{a}-{b}-{c}"
    if style == "e164":
        return f"+1{digits10}"
    raise ValueError(style)


def e164(digits10: str) -> str:
    return f"+1{digits10}"


def website_for(domain_stem: str, display: str, rng: random.Random) -> str:
    """An installer's Website in one of the forms admins type: https://www.x.com, x.com, http://X.com/about."""
    style = rng.randrange(5)
    if style == 0:
        return f"https://www.{domain_stem}.com"
    if style == 1:
        return f"{domain_stem}.com"
    if style == 2:
        camel = "".join(ch for ch in display if ch.isalnum())
        return f"http://{camel}.com/about"
    if style == 3:
        return f"www.{domain_stem}.com/"
    return f"https://{domain_stem}.com/contact-us"


class OrgBuilder:
    """Accumulates an org snapshot. Every method consumes the shared rng in a fixed order."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.records: dict[str, list[Record]] = {
            k: [] for k in ("Account", "Contact", "Case", "User", "Task")
        }
        self._counters: dict[str, int] = dict.fromkeys(self.records, 0)
        self.used_phones: set[str] = set()
        self.used_emails: set[str] = set()
        self.reserved_names: set[tuple[str, str]] = set()
        self._names_used: set[tuple[str, str]] = set()
        self.used_domains: set[str] = set()
        self.used_org_names: set[str] = set()
        self.case_by_id: dict[str, Record] = {}
        self._next_case_number = 1000
        self._next_agent = 10000
        self.integration_user_id = ""

    # ---- identity material ----------------------------------------------------------------------
    def next_id(self, sobject: str) -> str:
        self._counters[sobject] += 1
        return make_id(PREFIX_OF[sobject], self._counters[sobject])

    def new_phone(self) -> str:
        rng = self.rng
        while True:
            exchange = rng.randrange(200, 1000)
            if exchange % 100 == 11 or exchange == 555:
                continue
            digits = f"{rng.choice(AREA_CODES)}{exchange}{rng.randrange(10000):04d}"
            if digits not in self.used_phones:
                self.used_phones.add(digits)
                return digits

    def claim_email(self, email: str) -> bool:
        key = email.lower()
        if key in self.used_emails:
            return False
        self.used_emails.add(key)
        return True

    def person_name(self) -> tuple[str, str]:
        """A first/last pair that is not reserved for a chat target (see `reserve_unique_name`)."""
        while True:
            pair = (self.rng.choice(names.FIRST_NAMES), self.rng.choice(names.LAST_NAMES))
            if pair not in self.reserved_names:
                return pair

    def reserve_unique_name(self) -> tuple[str, str] | None:
        """A first/last pair no contact has had yet and none will get: a chat target's name.

        The caller must check no existing contact has it; we track names handed out by `add_contact`.
        """
        for _ in range(200):
            pair = (self.rng.choice(names.FIRST_NAMES), self.rng.choice(names.LAST_NAMES))
            if pair not in self.reserved_names and pair not in self._names_used:
                self.reserved_names.add(pair)
                return pair
        return None

    def email_for(self, first: str, last: str, domain: str) -> str:
        """A unique address for a person at a domain, in the usual local-part patterns."""
        f, last_tok = names.ascii_token(first), names.ascii_token(last)
        for attempt in range(100):
            style = self.rng.randrange(5)
            if style == 0:
                local = f"{f}.{last_tok}"
            elif style == 1:
                local = f"{f[:1]}{last_tok}"
            elif style == 2:
                local = f"{f}{last_tok}{self.rng.randrange(1, 99)}"
            elif style == 3:
                local = f"{f}_{last_tok}"
            else:
                local = f"{f}.{last_tok}{self.rng.randrange(100, 9999)}"
            if attempt > 20:
                local = f"{local}{self.rng.randrange(10**6)}"
            email = f"{local}@{domain}"
            if self.claim_email(email):
                return email
        raise RuntimeError("could not make a unique email")

    # ---- records --------------------------------------------------------------------------------
    def add_installer(
        self, name: str | None = None, website: str | None = None, parent_id: str | None = None
    ) -> tuple[Record, str]:
        """An installer organisation Account. Returns (record, its email/web domain)."""
        rng = self.rng
        if name is None:
            while True:
                name = (
                    f"{rng.choice(names.ORG_PREFIXES)} {rng.choice(names.ORG_STEMS)}"
                    f"{rng.choice(names.ORG_SUFFIXES)}"
                )
                stem = names.ascii_token(name.replace(" Inc", "").replace(" LLC", "").replace(" Group", ""))
                if name not in self.used_org_names and stem not in self.used_domains:
                    break
        stem = names.ascii_token(name.replace(" Inc", "").replace(" LLC", "").replace(" Group", ""))
        self.used_org_names.add(name)
        if website is None:
            website = website_for(stem, name.split(" Inc")[0].split(" LLC")[0], rng)
        domain = website.lower().split("://")[-1].split("/")[0].removeprefix("www.")
        self.used_domains.add(domain.removesuffix(".com"))
        rec: Record = {
            "Id": self.next_id("Account"),
            "Name": name,
            "Type": "Installer",
            "Website": website,
            "Phone": format_phone(self.new_phone(), rng.choice(PHONE_STYLES)),
        }
        if parent_id:
            rec["ParentId"] = parent_id
        self.records["Account"].append(rec)
        return rec, domain

    def add_homeowner_account(self, first: str, last: str, phone: str | None = None) -> Record:
        rng = self.rng
        display = f"{last} Residence" if rng.random() < 0.4 else f"{first} {last}"
        rec: Record = {"Id": self.next_id("Account"), "Name": display, "Type": "Homeowner"}
        if phone:
            rec["Phone"] = format_phone(phone, rng.choice(PHONE_STYLES))
        self.records["Account"].append(rec)
        return rec

    def add_contact(
        self,
        account: Record,
        first: str,
        last: str,
        *,
        email: str | None,
        phones: dict[str, str],
        title: str | None = None,
    ) -> Record:
        """`phones` maps a phone field (Phone/MobilePhone/HomePhone/OtherPhone) to 10 digits."""
        rng = self.rng
        rec: Record = {
            "Id": self.next_id("Contact"),
            "FirstName": first,
            "LastName": last,
            "Email": email,
        }
        for field in ("Phone", "MobilePhone", "HomePhone", "OtherPhone"):
            digits = phones.get(field)
            rec[field] = format_phone(digits, rng.choice(PHONE_STYLES)) if digits else None
        rec["AccountId"] = account["Id"]
        if title:
            rec["Title"] = title
        self._names_used.add((first, last))
        self.records["Contact"].append(rec)
        return rec

    def add_case(self, account: Record, contact: Record | None, subject: str, status: str) -> Record:
        self._next_case_number += self.rng.randrange(1, 4)
        rec: Record = {
            "Id": self.next_id("Case"),
            "CaseNumber": f"{self._next_case_number:08d}",
            "Subject": subject,
            "Status": status,
            "IsClosed": status == "Closed",
            "AccountId": account["Id"],
            "ContactId": contact["Id"] if contact else None,
        }
        self.records["Case"].append(rec)
        self.case_by_id[rec["Id"]] = rec
        return rec

    def add_user(
        self, first: str, last: str, *, agent_id: str | None, active: bool = True, username: str | None = None
    ) -> Record:
        email = username or f"{names.ascii_token(first)}.{names.ascii_token(last)}@{OUR_DOMAIN}"
        rec: Record = {
            "Id": self.next_id("User"),
            "Name": f"{first} {last}",
            "FirstName": first,
            "LastName": last,
            "Email": email,
            "Username": email,
            "IsActive": active,
            "FederationIdentifier": agent_id,
        }
        self.records["User"].append(rec)
        return rec

    def add_task(
        self,
        *,
        cxone_id: str,
        subject: str,
        status: str,
        who_id: str | None,
        what_id: str | None,
        owner_id: str,
        subtype: str,
    ) -> Record:
        rec: Record = {
            "Id": self.next_id("Task"),
            "Subject": subject,
            "Status": status,
            "CXone_Contact_Id__c": cxone_id,
            "WhoId": who_id,
            "WhatId": what_id,
            "OwnerId": owner_id,
            "TaskSubtype": subtype,
        }
        self.records["Task"].append(rec)
        return rec

    def next_agent_id(self) -> str:
        self._next_agent += self.rng.randrange(1, 40)
        return str(self._next_agent)
