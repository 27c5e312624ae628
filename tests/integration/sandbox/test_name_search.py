"""SOSL NAME-group searches through simple-salesforce: what the word index must not change.

The sandbox answers `IN NAME FIELDS` from an inverted index of the words of Name/FirstName/LastName/
Company/CaseNumber, then checks each candidate with the term's patterns. These tests pin the results:
words and phrases, punctuation, case, deletes and renames, wildcards (which fall back to reading every
record), OR-batches, and an equivalence check against that fallback for many terms.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from simple_salesforce import Salesforce

from cxrecon_local.sandbox import Sandbox, sosl

from .conftest import seed_org

# Seeded with 15-character ids, which records keep as their Id.
ANN = "003000000000001"  # Ann O'Brien
BOB = "003000000000002"  # Bob Builder
CY = "003000000000003"  # Cy Dots
LEE = "00Q000000000001"  # Lead: Lee, company Leads Inc


def _ids(res: dict[str, Any]) -> list[str]:
    return sorted(str(r["Id"]) for r in res["searchRecords"])


def _names(sf: Salesforce, terms: str, returning: str = "Contact(Id)") -> list[str]:
    return _ids(sf.search(f"FIND {{{terms}}} IN NAME FIELDS RETURNING {returning}"))


def test_single_word(sf: Salesforce) -> None:
    assert _names(sf, "Ann") == [ANN]
    assert _names(sf, "builder") == [BOB]
    assert _names(sf, "Ann", "Account(Id), Contact(Id)") == ["001000000000002", "003000000000001"]


def test_phrase_across_first_and_last_name(sf: Salesforce) -> None:
    assert _names(sf, '"Bob Builder"') == [BOB]
    assert _names(sf, '"Ann O\'Brien"') == [ANN]
    # Both words are on the lead, but in different fields (LastName, Company): no match.
    assert _names(sf, '"Lee Leads"', "Lead(Id)") == []
    assert _names(sf, '"Leads Inc"', "Lead(Id)") == [LEE]
    assert _names(sf, '"Bob Dots"') == []


def test_apostrophes_and_hyphens(sf: Salesforce) -> None:
    created = sf.Contact.create({"FirstName": "Mary-Jane", "LastName": "O'Neil"})
    mary = [created["id"]]
    assert _names(sf, '"Mary-Jane O\'Neil"') == mary
    assert _names(sf, '"mary jane o neil"') == mary
    assert _names(sf, "O\\'Neil") == mary
    assert _names(sf, "Mary\\-Jane") == mary
    assert _names(sf, "neil") == mary
    assert _names(sf, "oneil") == []
    assert _names(sf, "O\\'Brien") == [ANN]


def test_case_insensitive(sf: Salesforce) -> None:
    assert _names(sf, '"BOB builder"') == [BOB]
    assert _names(sf, "bOb") == [BOB]
    created = sf.Contact.create({"FirstName": "Élodie", "LastName": "Ångström"})
    assert _names(sf, '"élodie ÅNGSTRÖM"') == [created["id"]]


def test_deleted_records_are_not_found(sf: Salesforce) -> None:
    created = sf.Contact.create({"FirstName": "Gone", "LastName": "Soon"})
    assert _names(sf, '"Gone Soon"') == [created["id"]]
    sf.Contact.delete(created["id"])
    assert _names(sf, '"Gone Soon"') == []
    assert _names(sf, "Soon") == []
    assert _names(sf, "Soo*") == []


def test_rename_reindexes(sf: Salesforce) -> None:
    created = sf.Contact.create({"FirstName": "Zed", "LastName": "Oldname"})
    sf.Contact.update(created["id"], {"LastName": "Newname"})
    assert _names(sf, "Oldname") == []
    assert _names(sf, '"Zed Oldname"') == []
    assert _names(sf, '"Zed Newname"') == [created["id"]]
    sf.Lead.update(LEE, {"Company": "Renamed Co"})
    assert _names(sf, "Leads", "Lead(Id)") == []
    assert _names(sf, '"Renamed Co"', "Lead(Id)") == [LEE]


def test_wildcards(sf: Salesforce) -> None:
    assert _names(sf, "Bui*") == [BOB]  # no literal word left: every record is read
    assert _names(sf, "B?b") == [BOB]
    assert _names(sf, "Bob Bui*") == [BOB]  # "bob" narrows, "bui*" is checked on the hits
    assert _names(sf, "Ann Bui*") == []
    assert _names(sf, "*s") == [CY]


def test_or_of_phrases(sf: Salesforce) -> None:
    terms = '"Ann O\'Brien" OR "Bob Builder" OR "Nobody Here" OR "Cy Dots"'
    assert _names(sf, terms) == [ANN, BOB, CY]
    assert _names(sf, "(Ann OR Bob) AND NOT Builder") == [ANN]
    assert _names(sf, "Bob AND Builder") == [BOB]


def test_name_that_matches_nothing(sf: Salesforce) -> None:
    assert _names(sf, '"Xavier Nonexistent"') == []
    assert _names(sf, "Nonexistent") == []
    assert sf.search('FIND {"Xavier Nonexistent"} IN NAME FIELDS RETURNING Contact(Id)') == {
        "searchRecords": []
    }


def test_common_word_with_rare_word(sf: Salesforce) -> None:
    """A common first name beside a rare last name still finds exactly the person named."""
    for n in range(30):
        sf.Contact.create({"FirstName": "Common", "LastName": f"Person{n}"})
    rare = sf.Contact.create({"FirstName": "Common", "LastName": "Rarest"})
    assert _names(sf, '"Common Rarest"') == [rare["id"]]
    assert len(_names(sf, "Common")) == 31


def test_a_word_searched_before_is_found_on_records_written_after(sf: Salesforce) -> None:
    """What a search read of the index is never served once the index changed."""
    assert _names(sf, "Laterword") == []
    created = sf.Contact.create({"FirstName": "Early", "LastName": "Laterword"})
    assert _names(sf, '"Early Laterword"') == [created["id"]]
    sf.Contact.update(created["id"], {"FirstName": "Renamed"})
    assert _names(sf, '"Early Laterword"') == []
    assert _names(sf, '"Renamed Laterword"') == [created["id"]]
    second = sf.Contact.create({"FirstName": "Renamed", "LastName": "Laterword"})
    assert sorted(_names(sf, '"Renamed Laterword"')) == sorted([created["id"], second["id"]])


TERMS = [
    "Ann",
    '"ann o brien"',
    "O\\'Brien",
    '"brien ann"',
    "Bob Builder",
    '"Builder"',
    "Bui*",
    "*der",
    '"Bob Bui*"',
    "B?b",
    "Acme",
    '"Acme Installers"',
    '"Home of Ann"',
    "Leads",
    "00001234",
    "Agent",
    '"agent smith"',
    "Ann OR Acme",
    "Ann AND NOT Home",
    "o",
    '"!!"',
    "nothing",
]


@pytest.mark.parametrize("terms", TERMS)
def test_index_finds_what_a_full_read_finds(
    sf: Salesforce, terms: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same search with no literal words (every record read and checked) finds the same records."""
    sf.Contact.create({"FirstName": "Ann-Marie", "LastName": "O'Brien-Smith"})
    returning = "Account(Id, Name), Contact(Id, Name), Lead(Id), Case(Id), User(Id)"
    query = f"FIND {{{terms}}} IN NAME FIELDS RETURNING {returning}"
    indexed = sf.search(query)
    monkeypatch.setattr(sosl, "_literal_words", lambda term: [])
    assert sf.search(query) == indexed


def test_database_from_an_older_sandbox_is_reindexed(tmp_path: Path) -> None:
    """A SQLite file written before the word index existed gets its words when opened."""
    db = tmp_path / "org.sqlite"
    with Sandbox.start(seed_org(), db_path=db) as sb:
        assert _names(sb.client(), '"Bob Builder"') == [BOB]
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM idx WHERE kind = 'word' OR kind LIKE 'ref:%'")
        conn.execute("DELETE FROM meta WHERE k = 'index:version'")
    with Sandbox.start(None, db_path=db) as sb2:
        sf = sb2.client()
        assert _names(sf, '"Bob Builder"') == [BOB]
        res = sf.query("SELECT Id FROM Contact WHERE AccountId = '001000000000001'")
        assert [r["Id"] for r in res["records"]] == ["003000000000002"]
