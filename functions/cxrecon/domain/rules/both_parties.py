"""Rule 9: an installer and a homeowner on the same interaction get one Task related to both.

The other party comes from the email's other recipients or a conference leg, or from a case whose
contact differs from the caller (complaints, cancellations, fraud).
"""

from __future__ import annotations

from cxrecon.domain.records import ContactRec
from cxrecon.domain.rules.facts import Facts

MAX_WHO_IDS = 50


def other_party_contacts(facts: Facts, person: ContactRec) -> list[ContactRec]:
    """Contacts that unambiguously match another party's email or phone (one contact per signal)."""
    found: dict[str, ContactRec] = {}
    signals = [facts.view.contacts_by_email.get(e, ()) for e in facts.identity.other_emails]
    signals += [facts.view.contacts_by_phone.get(p, ()) for p in facts.identity.other_phones]
    for contacts in signals:
        if len(contacts) == 1 and contacts[0].id != person.id:
            found.setdefault(contacts[0].id, contacts[0])
    return list(found.values())


def is_installer_and_homeowner(facts: Facts, a: ContactRec, b: ContactRec) -> bool:
    return facts.is_organisation(a.account_id) != facts.is_organisation(b.account_id)


def homeowner_account(facts: Facts, contacts: list[ContactRec]) -> str | None:
    for contact in contacts:
        if contact.account_id and not facts.is_organisation(contact.account_id):
            return contact.account_id
    return None


def who_ids(*contacts: ContactRec | None) -> tuple[str, ...]:
    ids = list(dict.fromkeys(c.id for c in contacts if c is not None))
    return tuple(ids[:MAX_WHO_IDS])
