"""Which looked-up values can match anything at all: none longer than the Salesforce field it is
compared with. A 5,000-character typed name equals no Contact's name (FirstName 40 + LastName 80), so
searching for it finds nothing and only risks a query over Salesforce's size limits, which would fail
the whole chunk. Such a value is left out of the lookups; its interaction is decided on the rest of its
evidence (a chat with only such a name goes to review as `chat_name_only`, with no candidates)."""

from __future__ import annotations

from collections.abc import Iterable

# Standard field lengths (Salesforce's object reference).
CONTACT_NAME_MAX = 121  # FirstName 40, a space, LastName 80; User.Name is built the same way
EMAIL_MAX = 80  # Contact.Email, Lead.Email
DOMAIN_MAX = 253  # the longest DNS name, well inside Account.Website (255)
FEDERATION_ID_MAX = 512  # User.FederationIdentifier, which holds the CXone agent id


def searchable(values: Iterable[str], limit: int) -> set[str]:
    """The values no longer than `limit` characters, the only ones a field of that length can hold."""
    return {value for value in values if len(value) <= limit}
