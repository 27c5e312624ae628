"""SQLite state: records as JSON rows keyed by 18-char id, plus lookup indexes (ext ids, phones, emails)."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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

    def close(self) -> None:
        with self.lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A (nestable) transaction: rolled back if the block raises."""
        with self.lock:
            self._depth += 1
            name = f"sp{self._depth}"
            self._db.execute(f"SAVEPOINT {name}")
            try:
                yield
            except BaseException:
                self._db.execute(f"ROLLBACK TO {name}")
                self._db.execute(f"RELEASE {name}")
                raise
            else:
                self._db.execute(f"RELEASE {name}")
            finally:
                self._depth -= 1

    def next_counter(self, name: str) -> int:
        with self.lock:
            row = self._db.execute("SELECT v FROM meta WHERE k = ?", (f"counter:{name}",)).fetchone()
            value = int(row[0]) + 1 if row else 1
            self.set_meta(f"counter:{name}", str(value))
            return value

    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT v FROM meta WHERE k = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta (k, v) VALUES (?, ?)", (key, value))

    def exists(self, pk: str) -> bool:
        return self._db.execute("SELECT 1 FROM records WHERE pk = ?", (pk,)).fetchone() is not None

    def insert(self, pk: str, sobject: str, data: dict[str, Any]) -> None:
        seq = self.next_counter("seq")
        self._db.execute(
            "INSERT INTO records (pk, sobject, seq, deleted, data) VALUES (?, ?, ?, ?, ?)",
            (pk, sobject, seq, int(bool(data.get("IsDeleted"))), json.dumps(data)),
        )

    def update(self, pk: str, data: dict[str, Any]) -> None:
        self._db.execute(
            "UPDATE records SET data = ?, deleted = ? WHERE pk = ?",
            (json.dumps(data), int(bool(data.get("IsDeleted"))), pk),
        )

    def get(self, pk: str) -> Row | None:
        row = self._db.execute(
            "SELECT pk, sobject, deleted, data FROM records WHERE pk = ?", (pk,)
        ).fetchone()
        if row is None:
            return None
        return Row(row[0], row[1], bool(row[2]), json.loads(row[3]))

    def get_many(self, pks: Iterable[str]) -> dict[str, Row]:
        out: dict[str, Row] = {}
        keys = list(dict.fromkeys(pks))
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._db.execute(
                f"SELECT pk, sobject, deleted, data FROM records WHERE pk IN ({marks})",  # noqa: S608
                chunk,
            ):
                out[row[0]] = Row(row[0], row[1], bool(row[2]), json.loads(row[3]))
        return out

    def scan(self, sobject: str, include_deleted: bool = False) -> list[dict[str, Any]]:
        deleted = (0, 1) if include_deleted else (0, 0)
        sql = "SELECT data FROM records WHERE sobject = ? AND deleted IN (?, ?) ORDER BY seq"
        return [json.loads(r[0]) for r in self._db.execute(sql, (sobject, *deleted))]

    def sobjects(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT DISTINCT sobject FROM records")]

    def set_index(self, pk: str, sobject: str, entries: Iterable[tuple[str, str]]) -> None:
        self._db.execute("DELETE FROM idx WHERE pk = ?", (pk,))
        self._db.executemany(
            "INSERT INTO idx (sobject, kind, key, pk) VALUES (?, ?, ?, ?)",
            [(sobject, kind, key, pk) for kind, key in entries],
        )

    def lookup(self, sobject: str, kind: str, keys: Iterable[str]) -> list[tuple[str, str]]:
        """(key, pk) pairs of non-deleted records whose index entry `kind` has one of `keys`."""
        out: list[tuple[str, str]] = []
        klist = list(dict.fromkeys(keys))
        for start in range(0, len(klist), 500):
            chunk = klist[start : start + 500]
            marks = ",".join("?" * len(chunk))
            out.extend(
                (r[0], r[1])
                for r in self._db.execute(
                    "SELECT i.key, i.pk FROM idx i JOIN records r ON r.pk = i.pk "  # noqa: S608
                    f"WHERE i.sobject = ? AND i.kind = ? AND r.deleted = 0 AND i.key IN ({marks})",
                    [sobject, kind, *chunk],
                )
            )
        return out

    def delete_hard(self, pk: str) -> None:
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
