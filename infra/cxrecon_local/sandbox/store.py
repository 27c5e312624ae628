"""SQLite state: records as JSON rows keyed by 18-char id, plus lookup indexes (ext ids, phones, emails)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

ROW_CACHE = 4096
_DDL = """
CREATE TABLE IF NOT EXISTS records (
  pk TEXT PRIMARY KEY, sobject TEXT NOT NULL, seq INTEGER NOT NULL, deleted INTEGER NOT NULL,
  data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS records_by_type ON records (sobject, seq);
CREATE TABLE IF NOT EXISTS idx (
  sobject TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, pk TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS idx_lookup ON idx (sobject, kind, key);
CREATE INDEX IF NOT EXISTS idx_pk ON idx (pk);
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
"""


def _dump(data: dict[str, Any]) -> str:
    """A record as stored: JSON text (orjson: the sandbox encodes and decodes every record it touches)."""
    return orjson.dumps(data).decode()


_IN_BATCH = 500  # values per `IN (...)`: under SQLite's host-parameter limit


def _in_batches(values: list[str]) -> Iterator[tuple[list[str], str]]:
    """`values` in runs for one `IN (...)` each, with the run's `?` placeholders."""
    for start in range(0, len(values), _IN_BATCH):
        chunk = values[start : start + _IN_BATCH]
        yield chunk, ",".join("?" * len(chunk))


@dataclass
class Row:
    pk: str
    sobject: str
    deleted: bool
    data: dict[str, Any]


class Store:
    """All access happens under `lock` (the server serialises requests on it)."""

    def __init__(self, db_path: str | Path | None = None) -> None:
        self.lock = threading.RLock()
        self._db = sqlite3.connect(
            ":memory:" if db_path is None else str(db_path), check_same_thread=False, isolation_level=None
        )
        self._db.executescript(_DDL)
        self._depth = 0
        # Rows `get` decoded, by pk: a write validates the same few parents (contact, account, owner)
        # record after record. A write drops its row, a rollback everything; bounded by clearing.
        self._rows: dict[str, Row] = {}
        # Index keys' pks by (sobject, kind, key), as `intersect_keys` read them; an object's entries
        # are dropped whenever its index is written, and everything on a rollback.
        self._keyed: dict[str, dict[tuple[str, str], frozenset[str]]] = {}
        self._counters: dict[str, int] = {}  # meta counters, current (see `next_counter`)
        self._dirty: set[str] = set()  # counters changed since last written to `meta`

    def close(self) -> None:
        with self.lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A (nestable) transaction: rolled back if the block raises. Counters are kept in memory and
        written when the outermost transaction commits; a rollback puts them back as they were."""
        with self.lock:
            self._depth += 1
            name = f"sp{self._depth}"
            saved = dict(self._counters), set(self._dirty)
            self._db.execute(f"SAVEPOINT {name}")
            try:
                yield
                if self._depth == 1:
                    self._flush_counters()
            except BaseException:
                self._rows.clear()
                self._keyed.clear()
                self._counters, self._dirty = saved
                self._db.execute(f"ROLLBACK TO {name}")
                self._db.execute(f"RELEASE {name}")
                raise
            else:
                self._db.execute(f"RELEASE {name}")
            finally:
                self._depth -= 1

    def next_counter(self, name: str) -> int:
        """Increment and return a counter (1 first). Every insert takes two, so the value lives in
        memory and is written once per (outermost) transaction, or at once outside one."""
        key = f"counter:{name}"
        with self.lock:
            known = self._counters.get(key)
            if known is None:
                row = self._db.execute("SELECT v FROM meta WHERE k = ?", (key,)).fetchone()
                known = int(row[0]) if row else 0
            self._counters[key] = known + 1
            self._dirty.add(key)
            if self._depth == 0:
                self._flush_counters()
            return known + 1

    def _flush_counters(self) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO meta (k, v) VALUES (?, ?)",
            [(key, str(self._counters[key])) for key in sorted(self._dirty)],
        )
        self._dirty.clear()

    def get_meta(self, key: str) -> str | None:
        if key in self._counters:
            return str(self._counters[key])
        row = self._db.execute("SELECT v FROM meta WHERE k = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self._counters.pop(key, None)
        self._dirty.discard(key)
        self._db.execute("INSERT OR REPLACE INTO meta (k, v) VALUES (?, ?)", (key, value))

    def insert(self, pk: str, sobject: str, data: dict[str, Any], *, unless_taken: bool = False) -> bool:
        """Insert a record; with `unless_taken`, False (and nothing written) when `pk` is already used,
        where a plain insert raises."""
        self._rows.pop(pk, None)
        seq = self.next_counter("seq")
        verb = "INSERT OR IGNORE" if unless_taken else "INSERT"
        cursor = self._db.execute(
            f"{verb} INTO records (pk, sobject, seq, deleted, data) VALUES (?, ?, ?, ?, ?)",
            (pk, sobject, seq, int(bool(data.get("IsDeleted"))), _dump(data)),
        )
        return cursor.rowcount == 1

    def update(self, pk: str, data: dict[str, Any]) -> None:
        self._rows.pop(pk, None)
        self._db.execute(
            "UPDATE records SET data = ?, deleted = ? WHERE pk = ?",
            (_dump(data), int(bool(data.get("IsDeleted"))), pk),
        )

    def peek(self, pk: str) -> Row | None:
        """One record, read-only: the cached row itself, for checks that only look (a reference's type,
        a parent's account), record after record of a bulk write."""
        cached = self._rows.get(pk)
        if cached is None:
            found = self._db.execute(
                "SELECT pk, sobject, deleted, data FROM records WHERE pk = ?", (pk,)
            ).fetchone()
            if found is None:
                return None
            if len(self._rows) >= ROW_CACHE:
                self._rows.clear()
            cached = self._rows[pk] = Row(found[0], found[1], bool(found[2]), orjson.loads(found[3]))
        return cached

    def get(self, pk: str) -> Row | None:
        """One record; its data is the caller's own copy."""
        cached = self.peek(pk)
        return None if cached is None else Row(cached.pk, cached.sobject, cached.deleted, dict(cached.data))

    def get_many(self, pks: Iterable[str]) -> dict[str, Row]:
        out: dict[str, Row] = {}
        keys = list(dict.fromkeys(pks))
        for chunk, marks in _in_batches(keys):
            for row in self._db.execute(
                f"SELECT pk, sobject, deleted, data FROM records WHERE pk IN ({marks})",  # noqa: S608
                chunk,
            ):
                out[row[0]] = Row(row[0], row[1], bool(row[2]), orjson.loads(row[3]))
        return out

    def scan(self, sobject: str, include_deleted: bool = False) -> list[dict[str, Any]]:
        deleted = (0, 1) if include_deleted else (0, 0)
        sql = "SELECT data FROM records WHERE sobject = ? AND deleted IN (?, ?) ORDER BY seq"
        return [orjson.loads(r[0]) for r in self._db.execute(sql, (sobject, *deleted))]

    def sobjects(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT DISTINCT sobject FROM records")]

    def set_index(
        self, pk: str, sobject: str, entries: Iterable[tuple[str, str]], *, new: bool = False
    ) -> None:
        """Replace a record's index entries (`new`: it has none yet)."""
        self._keyed.pop(sobject, None)
        if not new:
            self._db.execute("DELETE FROM idx WHERE pk = ?", (pk,))
        self._db.executemany(
            "INSERT INTO idx (sobject, kind, key, pk) VALUES (?, ?, ?, ?)",
            [(sobject, kind, key, pk) for kind, key in entries],
        )

    def lookup(self, sobject: str, kind: str, keys: Iterable[str]) -> list[tuple[str, str]]:
        """(key, pk) pairs of non-deleted records whose index entry `kind` has one of `keys`."""
        out: list[tuple[str, str]] = []
        klist = list(dict.fromkeys(keys))
        for chunk, marks in _in_batches(klist):
            out.extend(
                (r[0], r[1])
                for r in self._db.execute(
                    "SELECT i.key, i.pk FROM idx i JOIN records r ON r.pk = i.pk "  # noqa: S608
                    f"WHERE i.sobject = ? AND i.kind = ? AND r.deleted = 0 AND i.key IN ({marks})",
                    [sobject, kind, *chunk],
                )
            )
        return out

    def intersect_keys(self, sobject: str, kind: str, groups: Sequence[Sequence[str]]) -> list[set[str]]:
        """For each group of keys, the pks whose `kind` entries include every key of the group (deleted
        records too: callers decode and check what they keep).

        A key's pks are read once and kept until the object's index changes: name searches ask for the
        same common words ("john") chunk after chunk, and each group is intersected smallest set first,
        so a rare word bounds the work, not a common one."""
        cached = self._keyed.setdefault(sobject, {})
        wanted = sorted({key for keys in groups for key in keys if (kind, key) not in cached})
        found: dict[str, set[str]] = {key: set() for key in wanted}
        for chunk, marks in _in_batches(wanted):
            sql = f"SELECT key, pk FROM idx WHERE sobject = ? AND kind = ? AND key IN ({marks})"  # noqa: S608
            for key, pk in self._db.execute(sql, [sobject, kind, *chunk]):
                found[key].add(pk)
        cached.update(((kind, key), frozenset(pks)) for key, pks in found.items())
        out: list[set[str]] = []
        for keys in groups:
            sets = sorted((cached[(kind, key)] for key in set(keys)), key=len)
            out.append(set(sets[0]).intersection(*sets[1:]) if sets else set())
        return out

    def index_rows(
        self, sobject: str, kind: str, keys: Iterable[str], include_deleted: bool = False
    ) -> list[dict[str, Any]]:
        """The records whose index entry `kind` has one of `keys`, in `scan` order (insertion): a filter
        answered from the index returns what the scan it replaces would have, decoding only the hits."""
        found: dict[str, tuple[int, str]] = {}
        klist = list(dict.fromkeys(keys))
        live = "" if include_deleted else " AND r.deleted = 0"
        for chunk, marks in _in_batches(klist):
            sql = (
                "SELECT r.pk, r.seq, r.data FROM idx i JOIN records r ON r.pk = i.pk "  # noqa: S608
                f"WHERE i.sobject = ? AND i.kind = ? AND i.key IN ({marks}){live}"
            )
            for pk, seq, data in self._db.execute(sql, [sobject, kind, *chunk]):
                found[pk] = (seq, data)
        return [orjson.loads(data) for _, data in sorted(found.values())]

    def delete_hard(self, pk: str) -> None:
        self._rows.pop(pk, None)
        self._keyed.clear()  # rare (a task's relations rewritten): not worth finding the object
        self._db.execute("DELETE FROM records WHERE pk = ?", (pk,))
        self._db.execute("DELETE FROM idx WHERE pk = ?", (pk,))

    def index_pks(self, sobject: str, kind: str, key: str, include_deleted: bool = False) -> list[str]:
        sql = (
            "SELECT i.pk FROM idx i JOIN records r ON r.pk = i.pk "
            "WHERE i.sobject = ? AND i.kind = ? AND i.key = ?"
        )
        if not include_deleted:
            sql += " AND r.deleted = 0"
        return [r[0] for r in self._db.execute(sql, (sobject, kind, key))]
