"""The Engine user directory, indexed by normalised email and phone."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from cxrecon.domain.normalise import normalise_email, normalise_phone
from cxrecon.domain.records import DirectoryEntry


class Directory:
    """Who works for which organisation (or which job a homeowner belongs to), per Engine."""

    def __init__(self, entries: Iterable[DirectoryEntry] = (), region: str = "US") -> None:
        self._by_email: dict[str, list[DirectoryEntry]] = defaultdict(list)
        self._by_phone: dict[str, list[DirectoryEntry]] = defaultdict(list)
        self.size = 0
        for entry in entries:
            self.size += 1
            email = normalise_email(entry.email)
            phone = normalise_phone(entry.phone, region)
            if email:
                self._by_email[email].append(entry)
            if phone:
                self._by_phone[phone].append(entry)

    def by_email(self, email: str) -> list[DirectoryEntry]:
        return list(self._by_email.get(email, ()))

    def by_phone(self, phone: str) -> list[DirectoryEntry]:
        return list(self._by_phone.get(phone, ()))

    def org_ids(self, emails: Iterable[str], phones: Iterable[str]) -> set[str]:
        entries = [e for email in emails for e in self.by_email(email)]
        entries += [e for phone in phones for e in self.by_phone(phone)]
        return {e.org_account_id for e in entries if e.org_account_id}
