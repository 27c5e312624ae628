"""Reviewer input is checked before anything is read or written."""

from __future__ import annotations

import pytest

from cxrecon.review import ApplyRequest, InvalidInput, RecordInfo, StaleItem
from cxrecon.review.validation import is_salesforce_id, parse_ref, relation_for

HOME = RecordInfo("001Hs000000000LIAQ", "Account", "Thompson Residence", "001Hs000000000LIAQ", "Homeowner")
ORG = RecordInfo("001Hs0000000002IAA", "Account", "Bright Path Energy", "001Hs0000000002IAA", "Installer")
ASHLEY = RecordInfo("003Hs000000000WIAQ", "Contact", "Ashley Thompson", HOME.id)
MATT = RecordInfo("003Hs000000000XIAQ", "Contact", "Matthew Perry", ORG.id)
CASE = RecordInfo("500Hs0000000008IAA", "Case", "Case 00001016", HOME.id, case_number="00001016")
RECORDS = {r.id[:15]: r for r in (HOME, ORG, ASHLEY, MATT, CASE)}


def test_eighteen_character_ids_must_match_their_checksum() -> None:
    assert is_salesforce_id("003Hs000000000WIAQ") and is_salesforce_id("003Hs000000000W")
    assert not is_salesforce_id("003Hs000000000WAAA")


@pytest.mark.parametrize(
    "text", ["", "hello", "003Hs000000000WIA", "005Hs0000000001IAA", "00T5g000000000VEAQ"]
)
def test_malformed_or_wrong_type_ids_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_ref(text)


def test_digits_are_a_case_number() -> None:
    assert parse_ref(" #1016 ") == ("case", "1016")


def test_a_contact_alone_is_related_to_its_account() -> None:
    relation = relation_for([ASHLEY.id], RECORDS)
    assert relation.what_id == HOME.id and relation.who_ids == (ASHLEY.id,)


def test_homeowner_and_installer_with_the_case() -> None:
    relation = relation_for([ASHLEY.id, MATT.id, CASE.id, HOME.id], RECORDS)
    assert relation.what_id == CASE.id and relation.who_ids == (ASHLEY.id, MATT.id)


def test_two_accounts_are_refused() -> None:
    with pytest.raises(InvalidInput, match="one Account"):
        relation_for([HOME.id, ORG.id], RECORDS)


def test_a_deleted_record_is_stale() -> None:
    gone = RecordInfo("003Hs000000000ZIAQ", "Contact", "Gone", HOME.id, deleted=True)
    with pytest.raises(StaleItem):
        relation_for([gone.id], {gone.id[:15]: gone})


def test_relate_to_org_needs_one_account_and_carries_the_note() -> None:
    relation = relation_for([ORG.id], RECORDS, org=True, note="Contact not in Salesforce:\nPhone: 1")
    assert relation.what_id == ORG.id and relation.who_ids == () and relation.note
    with pytest.raises(InvalidInput):
        relation_for([MATT.id], RECORDS, org=True)


def test_the_same_action_has_the_same_key() -> None:
    a = ApplyRequest(action="relate", records=["003Hs000000000WIAQ"])
    assert a.key() == ApplyRequest(action="relate", records=["003Hs000000000W"]).key()
    with pytest.raises(ValueError):
        ApplyRequest.model_validate({"action": "relate", "records": [], "extra": 1})
