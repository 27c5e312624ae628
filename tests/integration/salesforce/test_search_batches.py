"""Batched SOSL searches against the sandbox's 2,000-record cap: nothing is lost, little is wasted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from cxrecon.salesforce.queries import SOSL_MAX_RECORDS, run_search
from cxrecon.salesforce.reads import NAME_SEARCH

from .conftest import make_factory, org_snapshot, sf_id

WORDS = [f"Name{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(40)]
PEOPLE_PER_WORD = 120  # 40 words find 4,800 people: more than two capped searches' worth


def _crowded_org() -> dict[str, Any]:
    org = org_snapshot()
    org["Contact"] = [
        {"Id": sf_id("003", 1000 + n), "FirstName": word, "LastName": f"Person{i}"}
        for n, (word, i) in enumerate((w, i) for w in WORDS for i in range(PEOPLE_PER_WORD))
    ]
    return org


@pytest.fixture
def searched(start_sandbox: Callable[..., Any], keypair: tuple[bytes, bytes]) -> Any:
    sb = start_sandbox(org=_crowded_org())
    factory = make_factory(sb, keypair[0])
    sizes: list[int] = []

    def call(fn: Callable[[Any], Any]) -> Any:
        rows = factory.call(fn)
        sizes.append(len(rows))
        return rows

    return call, sizes


@pytest.mark.parametrize("max_terms", [None, 12])
def test_every_person_is_found_once_and_capped_searches_are_not_repeated(
    searched: Any, max_terms: int | None
) -> None:
    call, sizes = searched
    # WHEN 40 first names that find 120 people each are searched together
    rows = run_search(call, WORDS, NAME_SEARCH, phrases=True, max_terms=max_terms)
    # THEN everyone is found, each once
    ids = [r["Id"] for r in rows]
    assert len(ids) == len(set(ids)) == len(WORDS) * PEOPLE_PER_WORD
    # AND once a search told how many people a word finds, no later batch hits the cap
    first_full = next(i for i, n in enumerate(sizes) if n < SOSL_MAX_RECORDS)
    assert all(n < SOSL_MAX_RECORDS for n in sizes[first_full:]), sizes
    if max_terms is not None:
        assert max(sizes) <= max_terms * PEOPLE_PER_WORD
