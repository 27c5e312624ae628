"""REST resources under /services/data/vNN.N/: query, search, sobjects, describe, limits."""

from __future__ import annotations

import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from .errors import SalesforceError, bad, not_found, unable_to_lock
from .org import MultipleMatches, Org
from .query import run_query
from .schema import to18
from .sosl import run_search

MAX_BATCH = 2000
MIN_BATCH = 200


@dataclass
class Call:
    method: str
    version: str
    parts: list[str]  # decoded path segments after /services/data/vNN.N/
    params: dict[str, str] = field(default_factory=dict)
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    lock_fault: bool = False


@dataclass
class Reply:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


def method_not_allowed(method: str, allowed: str) -> SalesforceError:
    return SalesforceError(
        405, "METHOD_NOT_ALLOWED", f"HTTP Method '{method}' not allowed. Allowed are {allowed}"
    )


class Rest:
    def __init__(self, org: Org, limits: Callable[[], dict[str, Any]]) -> None:
        self.org = org
        self.limits = limits
        self._cursors: OrderedDict[str, tuple[list[dict[str, Any]], int]] = OrderedDict()
        self._cursor_lock = threading.Lock()
        self.collections: Callable[[Call], Reply] | None = None
        self.composite: Callable[[Call], Reply] | None = None

    def route(self, call: Call) -> Reply:
        parts, method = call.parts, call.method
        head = parts[0] if parts else ""
        if not parts:
            names = ["sobjects", "query", "queryAll", "search", "limits", "composite"]
            return Reply(200, {n: f"/services/data/v{call.version}/{n}" for n in names})
        if head == "composite" and len(parts) > 1 and parts[1] == "sobjects" and self.collections:
            return self.collections(call)
        if head == "composite" and len(parts) == 1 and self.composite:
            if method != "POST":
                raise method_not_allowed(method, "POST")
            return self.composite(call)
        if call.lock_fault:
            raise unable_to_lock()
        if head in ("query", "queryAll") and method == "GET":
            return self.query(call, include_deleted=head == "queryAll")
        if head == "search" and len(parts) == 1 and method == "GET":
            return Reply(200, {"searchRecords": run_search(self.org, call.params.get("q", ""), call.version)})
        if head == "limits" and len(parts) == 1:
            return Reply(200, self.limits())
        if head == "sobjects":
            return self.sobjects(call)
        raise not_found()

    # ---- query -------------------------------------------------------------------------------
    def query(self, call: Call, include_deleted: bool) -> Reply:
        endpoint = call.parts[0]
        if len(call.parts) == 2:
            return self._more(call, endpoint, call.parts[1])
        if len(call.parts) != 1 or "q" not in call.params:
            raise bad("MALFORMED_QUERY", "A query string must be provided with the 'q' parameter")
        records, total = run_query(self.org, call.params["q"], include_deleted, call.version)
        batch = MAX_BATCH
        options = call.headers.get("sforce-query-options", "")
        for item in options.split(","):
            key, _, value = item.partition("=")
            if key.strip().lower() == "batchsize" and value.strip().isdigit():
                batch = max(MIN_BATCH, min(MAX_BATCH, int(value.strip())))
        if len(records) <= batch:
            return Reply(200, {"totalSize": total, "done": True, "records": records})
        locator = "01g" + secrets.token_hex(8)[:12].upper() + "AAA"
        with self._cursor_lock:
            self._cursors[locator] = (records, batch)
            while len(self._cursors) > 50:
                self._cursors.popitem(last=False)
        return self._page(call.version, endpoint, locator, records, 0, batch)

    def _page(  # noqa: PLR0917
        self, version: str, endpoint: str, locator: str, records: list[dict[str, Any]], start: int, batch: int
    ) -> Reply:
        end = start + batch
        body: dict[str, Any] = {
            "totalSize": len(records),
            "done": end >= len(records),
            "records": records[start:end],
        }
        if end < len(records):
            body["nextRecordsUrl"] = f"/services/data/v{version}/{endpoint}/{locator}-{end}"
        return Reply(200, body)

    def _more(self, call: Call, endpoint: str, token: str) -> Reply:
        locator, _, offset = token.partition("-")
        with self._cursor_lock:
            cursor = self._cursors.get(locator)
        if cursor is None or not offset.isdigit():
            raise bad("INVALID_QUERY_LOCATOR", "invalid query locator")
        records, batch = cursor
        start = int(offset)
        return self._page(call.version, endpoint, locator, records, start, batch)

    # ---- sobjects ----------------------------------------------------------------------------
    def sobjects(self, call: Call) -> Reply:
        parts, method = call.parts, call.method
        org = self.org
        if len(parts) == 1:
            if method != "GET":
                raise method_not_allowed(method, "GET")
            objs = [{k: v for k, v in o.describe().items() if k != "fields"} for o in org.schema.values()]
            return Reply(200, {"encoding": "UTF-8", "maxBatchSize": 200, "sobjects": objs})
        obj = org.require_obj(parts[1])
        if len(parts) == 2:
            if method == "POST":
                body = self._body(call)
                with org.store.lock:
                    new_id = org.create(obj, body)
                    row = org.get_row(new_id)
                return Reply(
                    201,
                    {"id": row.data["Id"], "success": True, "errors": []},
                    {"Location": org.url(obj.name, str(row.data["Id"]), call.version)},
                )
            if method == "GET":
                info = {k: v for k, v in obj.describe().items() if k != "fields"}
                return Reply(200, {"objectDescribe": info, "recentItems": []})
            raise method_not_allowed(method, "GET, POST")
        if len(parts) == 3 and parts[2] == "describe":
            return Reply(200, obj.describe())
        if len(parts) == 3:
            return self._record(call, obj.name, parts[2])
        if len(parts) == 4:
            return self._by_external_id(call, obj.name, parts[2], parts[3])
        raise not_found()

    def _body(self, call: Call) -> dict[str, Any]:
        if not isinstance(call.body, dict):
            raise bad("JSON_PARSER_ERROR", "The request body must be a JSON object")
        return call.body

    def _record(self, call: Call, sobject: str, record_id: str) -> Reply:
        org = self.org
        obj = org.require_obj(sobject)
        with org.store.lock:
            if to18(record_id) is None:
                raise not_found(
                    f"Provided external ID field does not exist or is not accessible: {record_id}"
                )
            if call.method == "GET":
                row = org.get_row(record_id, obj)
                return Reply(200, self.shape(obj.name, row.data, call.params.get("fields"), call.version))
            if call.method == "PATCH":
                org.update(obj, record_id, self._body(call))
                return Reply(204)
            if call.method == "DELETE":
                org.delete(obj, record_id)
                return Reply(204)
        raise method_not_allowed(call.method, "GET, PATCH, DELETE")

    def _by_external_id(self, call: Call, sobject: str, field_name: str, value: str) -> Reply:
        org = self.org
        obj = org.require_obj(sobject)
        with org.store.lock:
            try:
                if call.method == "PATCH":
                    new_id, created = org.upsert(obj, field_name, value, self._body(call))
                    row = org.get_row(new_id)
                    return Reply(
                        201 if created else 200,
                        {"id": row.data["Id"], "success": True, "errors": [], "created": created},
                    )
                fdef = obj.field(field_name)
                if fdef is None or not (fdef.external_id or fdef.name == "Id"):
                    raise not_found(
                        f"Provided external ID field does not exist or is not accessible: {field_name}"
                    )
                hits = [
                    pk for _, pk in org.store.lookup(obj.name, "ext:" + fdef.name.lower(), [value.lower()])
                ]
                if fdef.name == "Id":
                    hits = [str(to18(value))] if to18(value) else []
                if len(hits) > 1:
                    raise MultipleMatches([org.url(obj.name, pk, call.version) for pk in hits])
                if not hits:
                    raise not_found()
                if call.method == "GET":
                    row = org.get_row(hits[0], obj)
                    return Reply(200, self.shape(obj.name, row.data, call.params.get("fields"), call.version))
                if call.method == "DELETE":
                    org.delete(obj, hits[0])
                    return Reply(204)
            except MultipleMatches as exc:
                return Reply(300, exc.urls)
        raise method_not_allowed(call.method, "GET, PATCH, DELETE")

    def shape(self, sobject: str, data: dict[str, Any], fields: str | None, version: str) -> dict[str, Any]:
        obj = self.org.require_obj(sobject)
        out: dict[str, Any] = {
            "attributes": {"type": obj.name, "url": self.org.url(obj.name, str(data["Id"]), version)}
        }
        names = (
            [f.strip() for f in fields.split(",") if f.strip()]
            if fields
            else [f.name for f in obj.fields.values() if f.type != "junctionidlist"]
        )
        for name in names:
            fdef = obj.field(name)
            if fdef is None:
                raise bad("INVALID_FIELD", f"No such column '{name}' on entity '{obj.name}'", [name])
            out[fdef.name] = data.get(fdef.name)
        return out


def split_data_path(raw_path: str) -> tuple[str | None, list[str]] | None:
    """('62.0', ['sobjects', 'Task', ...]) for /services/data/v62.0/sobjects/Task/...; (None, []) for
    /services/data; None when the path is not under /services/data. Segments are percent-decoded once."""
    segments = [unquote(s) for s in raw_path.split("?", 1)[0].split("/")]
    if segments[:3] != ["", "services", "data"]:
        return None
    rest = segments[3:]
    while rest and rest[-1] == "":
        rest.pop()
    if not rest:
        return None, []
    match = re.fullmatch(r"v(\d+\.\d)", rest[0])
    if match is None:
        raise not_found()
    return match.group(1), rest[1:]
