"""Rule inputs → what to fetch: one `LookupKeys` per chunk, so the gateway can batch its calls."""

from __future__ import annotations

from collections.abc import Sequence

from cxrecon.domain.case_reference import find_case_references
from cxrecon.domain.decide import legs_by_master
from cxrecon.domain.directory import Directory
from cxrecon.domain.identity import identity_of
from cxrecon.domain.interaction import Interaction
from cxrecon.domain.lookups import LookupKeys
from cxrecon.domain.names import name_phrases
from cxrecon.domain.normalise import email_without_tag, is_free_mail
from cxrecon.domain.search_limits import (
    CONTACT_NAME_MAX,
    DOMAIN_MAX,
    EMAIL_MAX,
    FEDERATION_ID_MAX,
    searchable,
)


def lookup_keys(interactions: Sequence[Interaction], directory: Directory, region: str = "US") -> LookupKeys:
    phones: set[str] = set()
    emails: set[str] = set()
    numbers: set[str] = set()
    case_ids: set[str] = set()
    domains: set[str] = set()
    for legs in legs_by_master(interactions).values():
        identity = identity_of(legs, region)
        phones.update(identity.phones, identity.other_phones)
        emails.update(identity.emails, identity.other_emails)
        emails.update(email_without_tag(e) for e in identity.emails)
        domains.update(d for d in identity.domains if not is_free_mail(d))
        refs = find_case_references(legs)
        numbers.update(refs.numbers)
        case_ids.update(refs.case_ids)
    emails = searchable(emails, EMAIL_MAX)
    return LookupKeys(
        phones=frozenset(phones),
        emails=frozenset(emails),
        case_numbers=frozenset(numbers),
        case_ids=frozenset(case_ids),
        cxone_contact_ids=frozenset(ix.interaction_id for ix in interactions),
        agent_ids=frozenset(
            searchable((ix.agent_id for ix in interactions if ix.agent_id), FEDERATION_ID_MAX)
        ),
        agent_names=frozenset(
            searchable((ix.agent_name for ix in interactions if ix.agent_name), CONTACT_NAME_MAX)
        ),
        account_ids=frozenset(directory.org_ids(emails, phones)),
        email_domains=frozenset(searchable(domains, DOMAIN_MAX)),
    )


def name_keys(interactions: Sequence[Interaction], region: str = "US") -> LookupKeys:
    """A second, smaller lookup: typed names of interactions nothing else identified, to rank
    candidates for reviewers (rule 10). Names are searched only where they are all there is: as
    phrases (either order, every nickname form), then word by word for the names no phrase found, so
    a typo still finds the person (`salesforce.reads`)."""
    typed = searchable(
        (
            identity.name
            for legs in legs_by_master(interactions).values()
            if (identity := identity_of(legs, region)).name
        ),
        CONTACT_NAME_MAX,
    )
    names = {key for name in typed for key in name_phrases(name)}
    return LookupKeys(names=frozenset(names), typed_names=frozenset(typed))
