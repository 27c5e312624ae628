"""Who contacted us, as usable evidence: normalised phones, emails and a typed name.

No-reply senders, mailer daemons, role addresses and withheld caller ids are not identities (rule 11):
they are dropped from the evidence, and the drop itself is recorded so a reviewer can see why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from cxrecon.domain.decision import Evidence
from cxrecon.domain.interaction import Channel, Interaction, Party
from cxrecon.domain.normalise import (
    email_domain,
    is_unusable_email,
    is_unusable_phone,
    normalise_email,
    normalise_phone,
)

# Shared mailboxes identify a company, never a person. Their domain may still name an organisation.
ROLE_LOCAL_PARTS = frozenset(
    {
        "info", "support", "sales", "admin", "office", "contact", "hello", "service", "services",
        "billing", "accounts", "accounting", "team", "help", "helpdesk", "orders", "customerservice",
        "customer.service", "enquiries", "inquiries", "marketing", "hr", "jobs", "careers",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Identity:
    """The customer's usable signals, plus the other people on the interaction (rule 9)."""

    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    name: str | None = None
    # Domains of role addresses: they can name an organisation, but not a person.
    org_domains: tuple[str, ...] = ()
    other_phones: tuple[str, ...] = ()
    other_emails: tuple[str, ...] = ()
    excluded: tuple[Evidence, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return not (self.phones or self.emails or self.name or self.org_domains)

    @property
    def domains(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([*(email_domain(e) for e in self.emails), *self.org_domains]))


class _Collector:
    def __init__(self, region: str) -> None:
        self.region = region
        self.phones: dict[str, None] = {}
        self.emails: dict[str, None] = {}
        self.org_domains: dict[str, None] = {}
        self.excluded: list[Evidence] = []

    def phone(self, raw: str | None) -> None:
        if not raw or not raw.strip():
            return
        unusable = is_unusable_phone(raw)
        e164 = None if unusable else normalise_phone(raw, self.region)
        if e164:
            self.phones[e164] = None
        else:
            self.excluded.append(Evidence(signal="phone", how=f"excluded: {unusable or 'invalid_number'}"))

    def email(self, raw: str | None) -> None:
        if not raw or not raw.strip():
            return
        email = normalise_email(raw)
        if email is None:
            self.excluded.append(Evidence(signal="email", how="excluded: invalid_address"))
            return
        unusable = is_unusable_email(email)
        if unusable:
            self.excluded.append(Evidence(signal="email", how=f"excluded: {unusable}"))
        elif email.split("@", 1)[0] in ROLE_LOCAL_PARTS:
            self.excluded.append(Evidence(signal="email", how="excluded: role_address"))
            self.org_domains[email_domain(email)] = None
        else:
            self.emails[email] = None


def _party_signals(parties: Iterable[Party], region: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    collector = _Collector(region)
    for party in parties:
        collector.phone(party.phone)
        collector.email(party.email)
    return tuple(collector.phones), tuple(collector.emails)


def identity_of(legs: Iterable[Interaction], region: str) -> Identity:
    """The identity of one customer across every leg of an interaction (rule 12)."""
    collector = _Collector(region)
    names: list[str] = []
    parties: list[Party] = []
    for leg in legs:
        collector.phone(leg.customer_phone)
        collector.email(leg.customer_email)
        if leg.customer_name and leg.customer_name.strip():
            names.append(" ".join(leg.customer_name.split()))
        parties.extend(leg.other_parties)
    other_phones, other_emails = _party_signals(parties, region)
    return Identity(
        phones=tuple(collector.phones),
        emails=tuple(collector.emails),
        name=names[0] if names else None,
        org_domains=tuple(
            d for d in collector.org_domains if d not in {email_domain(e) for e in collector.emails}
        ),
        other_phones=tuple(p for p in other_phones if p not in collector.phones),
        other_emails=tuple(e for e in other_emails if e not in collector.emails),
        excluded=tuple(collector.excluded),
    )


def is_chat(interaction: Interaction) -> bool:
    return interaction.channel in {Channel.CHAT, Channel.DIGITAL, Channel.SOCIAL}
