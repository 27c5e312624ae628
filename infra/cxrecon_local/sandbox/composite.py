"""sObject Collections (composite/sobjects) and the Composite resource with @{ref} references."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .errors import SalesforceError, bad, unable_to_lock
from .org import MultipleMatches, Org
from .rest import Call, Reply, Rest, method_not_allowed, split_data_path
from .schema import ObjectDef, to18

MAX_RECORDS = 200
MAX_SUBREQUESTS = 25
MAX_QUERY_OR_COLLECTION = 5
ROLLED_BACK = {
    "statusCode": "ALL_OR_NONE_OPERATION_ROLLED_BACK",
    "fields": [],
    "message": "Record rolled back because not all records were valid and the request was using "
    "AllOrNone header",
}
_REF = re.compile(r"@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}")

Op = Callable[[], tuple[str, bool | None]]


class _Rollback(Exception):
    pass


class Collections:
    def __init__(self, rest: Rest) -> None:
        self.rest = rest
        self.org: Org = rest.org

    def __call__(self, call: Call) -> Reply:
        parts, method = call.parts, call.method
        if len(parts) == 4 and method == "PATCH":
            return self._upsert(call, self.org.require_obj(parts[2]), parts[3])
        if len(parts) != 2:
            raise method_not_allowed(method, "PATCH")
        if method == "DELETE":
            ids = [i for i in call.params.get("ids", "").split(",") if i]
            if len(ids) > MAX_RECORDS:
                raise bad(
                    "EXCEEDED_ID_LIMIT",
                    f"record limit reached. cannot submit more than {MAX_RECORDS} records into this call",
                )
            ops: list[Op | SalesforceError] = [partial(self._delete, i) for i in ids]
            return Reply(
                200, self._run(ops, call.params.get("allOrNone", "false") == "true", call.lock_fault)
            )
        records, all_or_none = self._records(call)
        if method == "POST":
            ops = [self._create_op(rec) for rec in records]
        elif method == "PATCH":
            ops = [self._update_op(rec) for rec in records]
        else:
            raise method_not_allowed(method, "POST, PATCH, DELETE")
        return Reply(200, self._run(ops, all_or_none, call.lock_fault))

    def _records(self, call: Call) -> tuple[list[dict[str, Any]], bool]:
        body = call.body
        if not isinstance(body, dict) or not isinstance(body.get("records"), list):
            raise bad("JSON_PARSER_ERROR", 'The request body must be {"allOrNone": ..., "records": [...]}')
        records = body["records"]
        if len(records) > MAX_RECORDS:
            raise bad(
                "EXCEEDED_ID_LIMIT",
                f"record limit reached. cannot submit more than {MAX_RECORDS} records into this call",
            )
        if not all(isinstance(r, dict) for r in records):
            raise bad("JSON_PARSER_ERROR", "every record must be a JSON object")
        return records, bool(body.get("allOrNone", False))

    def _type(self, rec: dict[str, Any], default: ObjectDef | None = None) -> ObjectDef:
        attrs = rec.get("attributes") or {}
        name = attrs.get("type") if isinstance(attrs, dict) else None
        if name is None and default is not None:
            return default
        if name is None and to18(rec.get("Id")) and self.org.by_prefix(str(to18(rec.get("Id")))):
            return self.org.by_prefix(str(to18(rec["Id"])))  # type: ignore[return-value]
        obj = self.org.obj(str(name)) if name else None
        if obj is None or (default is not None and obj is not default):
            raise bad("INVALID_TYPE", "Must send a concrete entity type.")
        return obj

    def _create_op(self, rec: dict[str, Any]) -> Op | SalesforceError:
        try:
            obj = self._type(rec)
        except SalesforceError as exc:
            return exc
        body = {k: v for k, v in rec.items() if k != "attributes"}
        return lambda: (self.org.create(obj, body), None)

    def _update_op(self, rec: dict[str, Any]) -> Op | SalesforceError:
        record_id = next((v for k, v in rec.items() if k.lower() == "id"), None)
        if not isinstance(record_id, str) or not record_id:
            return bad("MISSING_ARGUMENT", "Id not specified in an update call", [])
        if to18(record_id) is None:
            return bad("MALFORMED_ID", f"invalid record id: {record_id}", ["Id"])
        try:
            obj = self._type(rec)
        except SalesforceError as exc:
            return exc
        body = {k: v for k, v in rec.items() if k != "attributes" and k.lower() != "id"}
        return lambda: (self.org.update(obj, record_id, body), None)

    def _delete(self, record_id: str) -> tuple[str, bool | None]:
        if to18(record_id) is None:
            raise bad("MALFORMED_ID", f"invalid record id: {record_id}", [])
        try:
            self.org.delete(None, record_id)
        except SalesforceError as exc:
            if exc.status == 404:
                raise bad("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", []) from None
            raise
        return record_id, None

    def _upsert(self, call: Call, obj: ObjectDef, field_name: str) -> Reply:
        fdef = obj.field(field_name)
        if fdef is None or not fdef.external_id:
            raise bad(
                "INVALID_FIELD",
                f"Provided external ID field does not exist or is not accessible: {field_name}",
                [field_name],
            )
        records, all_or_none = self._records(call)
        keys = [next((v for k, v in r.items() if k.lower() == fdef.name.lower()), None) for r in records]
        seen: dict[str, int] = {}
        for key in keys:
            if key is not None:
                seen[str(key).lower()] = seen.get(str(key).lower(), 0) + 1
        ops: list[Op | SalesforceError] = []
        for rec, key in zip(records, keys, strict=True):
            if key is None or key == "":
                ops.append(bad("MISSING_ARGUMENT", f"{fdef.name} not specified", [fdef.name]))
            elif seen[str(key).lower()] > 1:
                ops.append(
                    bad("DUPLICATE_EXTERNAL_ID", f"Duplicate external id specified: {key}", [fdef.name])
                )
            else:
                try:
                    self._type(rec, obj)
                except SalesforceError as exc:
                    ops.append(exc)
                    continue
                body = {k: v for k, v in rec.items() if k != "attributes"}
                ops.append(partial(self._upsert_one, obj, fdef.name, str(key), body))
        return Reply(200, self._run(ops, all_or_none, call.lock_fault, with_created=True))

    def _upsert_one(
        self, obj: ObjectDef, field_name: str, key: str, body: dict[str, Any]
    ) -> tuple[str, bool]:
        try:
            return self.org.upsert(obj, field_name, key, body)
        except MultipleMatches:
            raise bad(
                "DUPLICATE_EXTERNAL_ID",
                f"{field_name}: more than one record found for external id field: {key}",
                [field_name],
            ) from None

    def _run(
        self, ops: list[Op | SalesforceError], all_or_none: bool, lock_fault: bool, with_created: bool = False
    ) -> list[dict[str, Any]]:
        store = self.org.store
        results: list[dict[str, Any]] = []
        with store.lock:
            try:
                with store.transaction():
                    for op in ops:
                        try:
                            if lock_fault:
                                raise unable_to_lock()
                            if isinstance(op, SalesforceError):
                                raise op
                            # Each op is one Org write (create, update, upsert, delete), which is
                            # atomic by itself: a failed record leaves nothing behind.
                            record_id, created = op()
                            row = store.peek(str(to18(record_id)))
                            result: dict[str, Any] = {
                                "id": row.data["Id"] if row else record_id,
                                "success": True,
                                "errors": [],
                            }
                            if with_created:
                                result["created"] = bool(created)
                            results.append(result)
                        except SalesforceError as exc:
                            results.append({"success": False, "errors": [exc.save_error()]})
                    if all_or_none and any(not r["success"] for r in results):
                        raise _Rollback
            except _Rollback:
                results = [
                    {"success": False, "errors": [dict(ROLLED_BACK)]} if r["success"] else r for r in results
                ]
        return results


class Composite:
    def __init__(self, rest: Rest) -> None:
        self.rest = rest

    def __call__(self, call: Call) -> Reply:
        body = call.body
        subs = body.get("compositeRequest") if isinstance(body, dict) else None
        if not isinstance(subs, list) or not subs or not all(isinstance(s, dict) for s in subs):
            raise bad("JSON_PARSER_ERROR", "compositeRequest must be a non-empty list of subrequests")
        if len(subs) > MAX_SUBREQUESTS:
            raise bad(
                "INVALID_REQUEST", f"The composite request can contain at most {MAX_SUBREQUESTS} subrequests"
            )
        heavy = 0
        for sub in subs:
            path = urlsplit(str(sub.get("url", ""))).path
            if re.search(r"/v\d+\.\d/(query|queryAll|composite/sobjects)(/|$)", path):
                heavy += 1
            if not re.fullmatch(r"[A-Za-z0-9_]+", str(sub.get("referenceId", ""))) or not sub.get("method"):
                raise bad(
                    "INVALID_REQUEST",
                    "Each subrequest needs a method, url and referenceId (alphanumeric and _)",
                )
        if heavy > MAX_QUERY_OR_COLLECTION:
            raise bad(
                "INVALID_REQUEST",
                f"The composite request can contain at most {MAX_QUERY_OR_COLLECTION} "
                "query or sObject Collections subrequests",
            )
        all_or_none = bool(body.get("allOrNone", False)) if isinstance(body, dict) else False
        return Reply(200, {"compositeResponse": self._run(subs, all_or_none, call)})

    def _run(self, subs: list[dict[str, Any]], all_or_none: bool, call: Call) -> list[dict[str, Any]]:
        store = self.rest.org.store
        out: list[dict[str, Any]] = []
        refs: dict[str, Any] = {}
        with store.lock:
            try:
                with store.transaction():
                    halted = False
                    for sub in subs:
                        reply = (
                            _halted(
                                "The transaction was rolled back since another operation in the same "
                                "transaction failed."
                            )
                            if halted
                            else self._one(sub, refs, call)
                        )
                        out.append(
                            {
                                "body": reply.body,
                                "httpHeaders": reply.headers,
                                "httpStatusCode": reply.status,
                                "referenceId": sub["referenceId"],
                            }
                        )
                        if reply.status < 300:
                            refs[str(sub["referenceId"])] = reply.body
                        elif all_or_none:
                            halted = True
                    if halted:
                        raise _Rollback
            except _Rollback:
                for item in out:
                    if item["httpStatusCode"] < 300:
                        rolled = _halted(
                            "The transaction was rolled back since another operation in the same "
                            "transaction failed."
                        )
                        item.update(body=rolled.body, httpHeaders={}, httpStatusCode=400)
        return out

    def _one(self, sub: dict[str, Any], refs: dict[str, Any], parent: Call) -> Reply:
        try:
            url = _substitute(str(sub.get("url", "")), refs)
            body = _substitute_json(sub.get("body"), refs)
            parts = urlsplit(url)
            split = split_data_path(parts.path)
            if split is None or split[0] is None:
                raise bad("INVALID_REQUEST", f"Invalid subrequest url: {url}")
            if split[1][:1] == ["composite"] and split[1][1:2] != ["sobjects"]:
                raise bad("INVALID_REQUEST", "Composite subrequests cannot be composite requests")
            call = Call(
                str(sub["method"]).upper(),
                split[0],
                split[1],
                dict(parse_qsl(parts.query)),
                body,
                {k.lower(): str(v) for k, v in (sub.get("httpHeaders") or {}).items()},
                parent.lock_fault,
            )
            return self.rest.route(call)
        except _BadReference as exc:
            return _halted(str(exc))
        except SalesforceError as exc:
            return Reply(exc.status, exc.body())


class _BadReference(Exception):
    pass


def _halted(message: str) -> Reply:
    return Reply(400, [{"errorCode": "PROCESSING_HALTED", "message": message}])


def _resolve(match: re.Match[str], refs: dict[str, Any]) -> Any:
    name, path = match.group(1), match.group(2)
    if name not in refs:
        raise _BadReference(
            f"Invalid reference specified. No value for {match.group(0)[2:-1]} found in {name}. "
            "Provided referenceId ('" + name + "') must be defined before it's used."
        )
    value = refs[name]
    for key, index in re.findall(r"\.([A-Za-z0-9_]+)|\[(\d+)\]", path):
        try:
            value = value[int(index)] if index else value[key]
        except (KeyError, IndexError, TypeError):
            raise _BadReference(
                f"Invalid reference specified. No value for {match.group(0)[2:-1]} found in {name}."
            ) from None
    return value


def _substitute(text: str, refs: dict[str, Any]) -> str:
    return _REF.sub(lambda m: str(_resolve(m, refs)), text)


def _substitute_json(value: Any, refs: dict[str, Any]) -> Any:
    if isinstance(value, str):
        if "@{" not in value:  # most strings: no reference, no regex
            return value
        whole = _REF.fullmatch(value)
        return _resolve(whole, refs) if whole else _substitute(value, refs)
    if isinstance(value, list):
        return [_substitute_json(v, refs) for v in value]
    if isinstance(value, dict):
        return {k: _substitute_json(v, refs) for k, v in value.items()}
    return value
