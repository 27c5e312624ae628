"""Task shared activities: TaskWhoIds validation, TaskRelation rows, derived Task.AccountId/IsClosed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import bad
from .schema import to18

if TYPE_CHECKING:
    from .org import Org

MAX_WHOS = 50


class TaskRelations:
    def __init__(self, org: Org) -> None:
        self.org = org
        self.pending_whos: dict[str, list[str]] = {}  # seeded TaskWhoIds, applied after all records load
        self._closed: set[str] | None = None

    def validate_whos(self, whos: Any, data: dict[str, Any]) -> None:
        who_type = self._type(data.get("WhoId"))
        if whos is None:
            return
        if not isinstance(whos, list) or not all(isinstance(w, str) for w in whos):
            raise bad("JSON_PARSER_ERROR", "TaskWhoIds must be a list of ids", ["TaskWhoIds"])
        if len(whos) > MAX_WHOS:
            raise bad(
                "FIELD_INTEGRITY_EXCEPTION",
                f"TaskWhoIds: you can relate up to {MAX_WHOS} contacts to a task",
                ["TaskWhoIds"],
            )
        types: list[str] = []
        for who in whos:
            if to18(who) is None:
                raise bad("MALFORMED_ID", f"TaskWhoIds: id value of incorrect type: {who}", ["TaskWhoIds"])
            kind = self._type(who)
            if kind not in ("Contact", "Lead"):
                raise bad(
                    "INVALID_CROSS_REFERENCE_KEY",
                    f"invalid cross reference id: TaskWhoIds: {who}",
                    ["TaskWhoIds"],
                )
            types.append(kind)
        if ("Lead" in types and len(whos) > 1) or (
            types and who_type == "Lead" and to18(data.get("WhoId")) not in {to18(w) for w in whos}
        ):
            raise bad(
                "FIELD_INTEGRITY_EXCEPTION",
                "TaskWhoIds: a task can be related to up to 50 contacts or to exactly one lead",
                ["TaskWhoIds"],
            )

    def _type(self, record_id: Any) -> str | None:
        pk = to18(record_id)
        row = self.org.store.peek(pk) if pk else None
        return None if row is None or row.deleted else row.sobject

    def _account_of(self, record_id: Any) -> str | None:
        pk = to18(record_id)
        row = self.org.store.peek(pk) if pk else None
        if row is None:
            return None
        if row.sobject == "Account":
            return str(row.data["Id"])
        if row.sobject in ("Contact", "Case"):
            value = row.data.get("AccountId")
            return None if value is None else str(value)
        return None

    def _relations(self, pk: str, include_deleted: bool = False) -> list[dict[str, Any]]:
        pks = self.org.store.index_pks("TaskRelation", "task", pk, include_deleted)
        return [r.data for r in self.org.store.get_many(pks).values()]

    def closed_statuses(self) -> set[str]:
        """TaskStatus labels that close a task. Read once: TaskStatus is read-only through the API, and
        seeding (its only writer) calls `forget_statuses`."""
        if self._closed is None:
            rows = self.org.store.scan("TaskStatus")
            self._closed = {str(r.get("MasterLabel")) for r in rows if r.get("IsClosed")}
        return self._closed

    def forget_statuses(self) -> None:
        self._closed = None

    def after_write(
        self, pk: str, whos: list[str] | None, old: dict[str, Any] | None = None, keep_relations: bool = False
    ) -> None:
        """Recompute derived fields and the task's relation rows after the task row was written (an update,
        or a seeded task)."""
        store = self.org.store
        row = store.get(pk)
        assert row is not None
        data = dict(row.data)
        if whos is None and pk in self.pending_whos:
            whos = self.pending_whos.pop(pk)
        current = self._relations(pk)
        cur_whos = [str(r["RelationId"]) for r in current if not r.get("IsWhat")]
        new_whos = self._derive(data, whos, old, cur_whos)
        if data != row.data:
            store.update(pk, data)
            self.org.reindex(self.org.schema["task"], pk, data, old=row.data)
        if keep_relations:
            return
        what = data.get("WhatId")
        cur_what = [str(r["RelationId"]) for r in current if r.get("IsWhat")]
        if [to18(w) for w in cur_whos] == [to18(w) for w in new_whos] and [to18(w) for w in cur_what] == (
            [to18(what)] if what else []
        ):
            return
        for rel in current:
            store.delete_hard(str(to18(rel["Id"])))
        self.add_relations(str(data["Id"]), new_whos, what)

    def prepare_new(self, data: dict[str, Any], whos: list[str] | None) -> list[str]:
        """Derive a new task's fields before its row is first written (so it is written once); returns
        its who ids, for `add_relations` once the row has its Id."""
        return self._derive(data, whos, None, [])

    def _derive(
        self, data: dict[str, Any], whos: list[str] | None, old: dict[str, Any] | None, cur_whos: list[str]
    ) -> list[str]:
        """Set `data`'s WhoId, AccountId and IsClosed; return the task's who ids (TaskWhoIds as given,
        else the current ones with a changed WhoId swapped in)."""
        who = data.get("WhoId")
        who_changed = old is None or to18(old.get("WhoId")) != to18(who)
        if whos is not None:
            new_whos = list(dict.fromkeys(whos))
            keys = {to18(w) for w in new_whos}
            if who is not None and to18(who) not in keys:
                if who_changed:
                    new_whos.insert(0, who)
                else:
                    who = None
            if who is None:
                who = new_whos[0] if new_whos else None
            data["WhoId"] = who
        else:
            old_who = to18(old.get("WhoId")) if old else None
            new_whos = [w for w in cur_whos if to18(w) != old_who] if who_changed else cur_whos
            if who is not None and to18(who) not in {to18(w) for w in new_whos}:
                new_whos.insert(0, who)
        what = data.get("WhatId")
        what_type = self._type(what)
        account = self._account_of(what) if what_type in ("Account", "Case") else None
        if account is None and self._type(data.get("WhoId")) == "Contact":
            account = self._account_of(data.get("WhoId"))
        data["AccountId"] = account
        data["IsClosed"] = data.get("Status") in self.closed_statuses()
        return new_whos

    def add_relations(self, task_id: str, whos: list[str], what: Any) -> None:
        """The TaskRelation rows of a task that has none: one per who, then the what."""
        relobj = self.org.schema["taskrelation"]
        for rel_id in whos:
            self.org._finish_new(
                relobj,
                {
                    "TaskId": task_id,
                    "RelationId": rel_id,
                    "AccountId": self._account_of(rel_id),
                    "IsWhat": False,
                },
                True,
            )
        if what:
            self.org._finish_new(
                relobj,
                {"TaskId": task_id, "RelationId": what, "AccountId": self._account_of(what), "IsWhat": True},
                True,
            )

    def delete_relations(self, pk: str) -> None:
        for rel in self._relations(pk):
            rel_pk = str(to18(rel["Id"]))
            self.org.store.update(rel_pk, {**rel, "IsDeleted": True})
