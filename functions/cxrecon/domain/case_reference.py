"""Case references quoted in an interaction: case numbers in any common style, and Salesforce email
thread references (`ref:_00D..._500...:ref`) that carry the case id itself (rule 3)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from cxrecon.domain.interaction import Interaction

CASE_NUMBER_DIGITS = 8
CASE_KEY_PREFIX = "500"

# "Case #00001234", "case 1234", "CASE-00001234", "Case Number: 1234", "case no. 1234"
_LABELLED = re.compile(r"\bcase\s*(?:number|num|no\.?|#)?\s*[:#-]?\s*#?\s*(\d{1,8})\b", re.IGNORECASE)
# A bare zero-padded 8-digit number ("re: 00001234") is how Salesforce prints case numbers. A full stop
# after it ends the sentence; only a decimal ("00001234.5") or a longer token disqualifies it.
_PADDED = re.compile(r"(?<![\d+.-])(0\d{7})(?![\d-]|\.\d)")
_THREAD = re.compile(r"ref:_?[0-9A-Za-z]{5,18}\._?([0-9A-Za-z]{5,18}):ref")


@dataclass(frozen=True)
class CaseReferences:
    numbers: tuple[str, ...] = ()  # zero-padded to 8 digits
    case_ids: tuple[str, ...] = ()  # 15-character ids from thread references

    def __bool__(self) -> bool:
        return bool(self.numbers or self.case_ids)


def _expand_thread_id(token: str) -> str | None:
    """Thread references shorten ids by dropping the zero padding after the 5-character prefix."""
    if not token.startswith(CASE_KEY_PREFIX):
        return None
    if len(token) >= 15:
        return token[:15]
    return token[:5] + "0" * (15 - len(token)) + token[5:]


def _texts(interaction: Interaction) -> Iterable[str]:
    yield from (t for t in (interaction.subject, interaction.notes) if t)
    yield from interaction.reference_texts


def find_case_references(interactions: Iterable[Interaction]) -> CaseReferences:
    numbers: dict[str, None] = {}
    ids: dict[str, None] = {}
    for interaction in interactions:
        for text in _texts(interaction):
            for match in _THREAD.finditer(text):
                case_id = _expand_thread_id(match.group(1))
                if case_id:
                    ids[case_id] = None
            stripped = _THREAD.sub(" ", text)
            for pattern in (_LABELLED, _PADDED):
                for match in pattern.finditer(stripped):
                    numbers[match.group(1).zfill(CASE_NUMBER_DIGITS)] = None
    return CaseReferences(numbers=tuple(numbers), case_ids=tuple(ids))
