"""How ledger writes are cut into transactions: DynamoDB takes at most 100 actions and 4 MB in one."""

from __future__ import annotations

from cxrecon.adapters.ledger import TRANSACT_MAX, TRANSACT_MAX_BYTES, _transaction_batches


def test_runs_are_cut_at_the_action_limit() -> None:
    runs = list(_transaction_batches(list(range(250)), lambda _: 1))
    assert [len(r) for r in runs] == [TRANSACT_MAX, TRANSACT_MAX, 50]
    assert [x for r in runs for x in r] == list(range(250))


def test_runs_are_cut_before_the_size_limit() -> None:
    big = TRANSACT_MAX_BYTES // 3 + 1  # three of these do not fit together
    runs = list(_transaction_batches(["a", "b", "c", "d", "e"], lambda _: big))
    assert runs == [["a", "b"], ["c", "d"], ["e"]]


def test_an_item_larger_than_the_limit_goes_alone_and_nothing_is_empty() -> None:
    sizes = {"small": 10, "huge": TRANSACT_MAX_BYTES * 2, "tail": 10}
    runs = list(_transaction_batches(list(sizes), sizes.__getitem__))
    assert runs == [["small"], ["huge"], ["tail"]]
    assert list(_transaction_batches([], lambda _: 1)) == []
