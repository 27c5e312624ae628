"""The DynamoDB ledger: files, chunks and review items. It makes every redelivery a no-op.

Layout (one table, `pk`/`sk`):
- `FILE#<file_id>` / `FILE`: the file's status, chunk count and running outcome counters;
- `FILE#<file_id>` / `CHUNK#<n>`: written once when a chunk is done (the idempotency key);
- `REVIEW#<interaction_id>` / `ITEM`: a review item and its status, indexed by status in `gsi1`;
- `REVIEWER#<reviewer>` / `HOLDS`: the ids of the items the reviewer claimed (a string set), so "the item
  I am working on" is one consistent GetItem, not a query of an eventually consistent index;
- `REVIEWBATCH#<batch>` / `BATCH`: written once the messages of the review items one chunk attempt
  recorded (each carries the token as `batch_id`) went out: their `sent_at`, for all of them in one write.
  It expires (`expires_at`, the table's TTL) long after SQS would have dropped those messages.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from aws_lambda_powertools import Logger
from botocore.exceptions import BotoCoreError, ClientError

from cxrecon.adapters.exceptions import AwsFault, TransientAwsFault, raise_aws_fault
from cxrecon.config import SERVICE
from cxrecon.domain.decision import Outcome

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


class FileStatus(StrEnum):
    INGESTING = "ingesting"
    CHUNKED = "chunked"
    COMPLETE = "complete"
    FAILED = "failed"


T = TypeVar("T")
logger = Logger(service=SERVICE, child=True)

BATCH_GET_MAX = 100
TRANSACT_MAX = 100  # actions in one TransactWriteItems
TRANSACT_MAX_BYTES = 3_000_000  # of attribute text per transaction: DynamoDB refuses more than 4 MB
# A review item may be (re)written until its message is known to have gone out, and never once a
# reviewer holds or decided it.
_UNSENT = "attribute_not_exists(pk) OR (attribute_not_exists(sent_at) AND #s = :open)"
_UNSENT_NAMES = {"#s": "status"}
_UNSENT_VALUES = {":open": {"S": "open"}}
# A batch marker outlives the longest SQS retention (14 days) by far: by then the sweep has re-sent
# every item still open and stamped its own `sent_at` on it.
BATCH_MARKER_DAYS = 30
# Cancellation reasons worth a retry (the whole chunk is retried by SQS); any other is a real fault.
_TRANSIENT_CANCELLATIONS = frozenset(
    {"TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"}
)


@dataclass(frozen=True)
class ReviewState:
    """A review item as the ledger has it: the file that queued it, and whether its message went out."""

    file_id: str | None
    sent: bool


def _review_key(interaction_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"REVIEW#{interaction_id}"}, "sk": {"S": "ITEM"}}


def _batch_key(batch: str) -> dict[str, Any]:
    return {"pk": {"S": f"REVIEWBATCH#{batch}"}, "sk": {"S": "BATCH"}}


def _holds_key(reviewer: str) -> dict[str, Any]:
    return {"pk": {"S": f"REVIEWER#{reviewer}"}, "sk": {"S": "HOLDS"}}


def _transaction_batches(items: Sequence[T], size: Callable[[T], int]) -> Iterator[Sequence[T]]:
    """`items` in runs that fit one transaction: at most TRANSACT_MAX of them and TRANSACT_MAX_BYTES."""
    start, total = 0, 0
    for i, item in enumerate(items):
        weight = size(item)
        if i > start and (i - start == TRANSACT_MAX or total + weight > TRANSACT_MAX_BYTES):
            yield items[start:i]
            start, total = i, 0
        total += weight
    if start < len(items):
        yield items[start:]


def _unless_condition_fails(call: Callable[[], T], what: str) -> T | None:
    """The call's response, or None when its condition failed: an expected outcome, not a fault."""
    try:
        return call()
    except ClientError as exc:
        if _conditional_failed(exc):
            return None
        raise_aws_fault(exc, what)
    except BotoCoreError as exc:
        raise_aws_fault(exc, what)


def _file_key(file_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"FILE#{file_id}"}, "sk": {"S": "FILE"}}


def _plain(value: Mapping[str, Any]) -> Any:
    """DynamoDB's typed JSON → plain Python."""
    ((kind, inner),) = value.items()
    if kind == "N":
        number = Decimal(inner)
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == "M":
        return {k: _plain(v) for k, v in inner.items()}
    if kind == "L":
        return [_plain(v) for v in inner]
    if kind == "NULL":
        return None
    return inner


def _conditional_failed(exc: ClientError) -> bool:
    code = exc.response.get("Error", {}).get("Code")
    if code == "ConditionalCheckFailedException":
        return True
    reasons = exc.response.get("CancellationReasons", [])
    return code == "TransactionCanceledException" and any(
        r.get("Code") == "ConditionalCheckFailed" for r in reasons
    )


class Ledger:
    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self._db = client
        self._table = table

    def begin_file(self, file_id: str, attrs: Mapping[str, str], now: str) -> str | None:
        """Start (or resume after a failure) a file, and return when it first started (`now`, unless an
        earlier attempt started it): what the file's rows are partitioned by, whichever attempt writes
        them. None when it was already chunked or complete: a re-delivered event, which must change
        nothing."""
        zero = {"M": {o.value: {"N": "0"} for o in Outcome}}
        names = {"#s": "status", "#o": "outcomes"}
        values: dict[str, Any] = {
            ":ing": {"S": FileStatus.INGESTING},
            ":failed": {"S": FileStatus.FAILED},
            ":now": {"S": now},
            ":zero": zero,
            ":z": {"N": "0"},
        }
        sets = [
            "#s = :ing",
            "started_at = if_not_exists(started_at, :now)",
            "#o = if_not_exists(#o, :zero)",
            "chunks_done = if_not_exists(chunks_done, :z)",
            "salesforce_calls = if_not_exists(salesforce_calls, :z)",
        ]
        for i, (name, value) in enumerate(sorted(attrs.items())):
            names[f"#a{i}"] = name
            values[f":a{i}"] = {"S": value}
            sets.append(f"#a{i} = :a{i}")
        result = _unless_condition_fails(
            lambda: self._db.update_item(
                TableName=self._table,
                Key=_file_key(file_id),
                UpdateExpression="SET " + ", ".join(sets) + " REMOVE #e",
                ConditionExpression="attribute_not_exists(pk) OR #s IN (:ing, :failed)",
                ExpressionAttributeNames={**names, "#e": "error"},
                ExpressionAttributeValues=values,
                ReturnValues="ALL_NEW",
            ),
            "begin file",
        )
        if result is None:
            return None
        return str(result["Attributes"]["started_at"]["S"])

    def finish_ingest(
        self,
        file_id: str,
        *,
        rows_read: int,
        reader_rejected: int,
        chunk_count: int,
        read_error: str | None = None,
        read_stopped: tuple[int, int] | None = None,
    ) -> None:
        """The file is read and chunked. `read_error` says why reading stopped before the end (the
        rows before the break are still this file's): it outlives completion, unlike `error`.
        `read_stopped`: the source line of the last row read and the bytes of the object read."""
        values: dict[str, Any] = {
            ":chunked": {"S": FileStatus.CHUNKED},
            ":rows": {"N": str(rows_read)},
            ":rej": {"N": str(reader_rejected)},
            ":chunks": {"N": str(chunk_count)},
        }
        expression = "SET #s = :chunked, rows_read = :rows, reader_rejected = :rej, chunk_count = :chunks"
        if read_error:
            expression += ", read_error = :re"
            values[":re"] = {"S": read_error[:1000]}
        if read_stopped:
            expression += ", read_stopped_after_line = :rl, read_stopped_at_byte = :rb"
            values[":rl"] = {"N": str(read_stopped[0])}
            values[":rb"] = {"N": str(read_stopped[1])}
        self._update(file_id, expression, values)

    def fail_file(self, file_id: str, error: str, now: str) -> None:
        self._update(
            file_id,
            "SET #s = :failed, #e = :err, finished_at = :now",
            {":failed": {"S": FileStatus.FAILED}, ":err": {"S": error[:1000]}, ":now": {"S": now}},
            {"#e": "error"},
        )

    def complete_chunk(
        self,
        file_id: str,
        index: int,
        outcomes: Mapping[str, int],
        salesforce_calls: int,
        *,
        processing_failures: int = 0,
    ) -> bool:
        """Record a chunk's counts exactly once. False when the chunk was already recorded.
        `processing_failures`: how many of its `rejected` rows are interactions a reconcile step failed
        for (`processing_failed`), not rows the data made unusable."""
        adds = ["chunks_done :one", "salesforce_calls :calls"]
        values: dict[str, Any] = {":one": {"N": "1"}, ":calls": {"N": str(salesforce_calls)}}
        if processing_failures:
            adds.append("processing_failures :pf")
            values[":pf"] = {"N": str(processing_failures)}
        for i, (_outcome, count) in enumerate(sorted(outcomes.items())):
            adds.append(f"#o.#k{i} :v{i}")
            values[f":v{i}"] = {"N": str(count)}
        names = {"#o": "outcomes", **{f"#k{i}": k for i, k in enumerate(sorted(outcomes))}}
        result = _unless_condition_fails(
            lambda: self._db.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": {"pk": {"S": f"FILE#{file_id}"}, "sk": {"S": f"CHUNK#{index:05d}"}},
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    },
                    {
                        "Update": {
                            "TableName": self._table,
                            "Key": _file_key(file_id),
                            "UpdateExpression": "ADD " + ", ".join(adds),
                            "ExpressionAttributeNames": names,
                            "ExpressionAttributeValues": values,
                        }
                    },
                ]
            ),
            "complete chunk",
        )
        return result is not None

    def chunk_done(self, file_id: str, index: int) -> bool:
        key = {"pk": {"S": f"FILE#{file_id}"}, "sk": {"S": f"CHUNK#{index:05d}"}}
        try:
            return "Item" in self._db.get_item(TableName=self._table, Key=key, ConsistentRead=True)
        except (ClientError, BotoCoreError) as exc:
            raise_aws_fault(exc, "read chunk")

    def try_finalise(self, file_id: str, now: str) -> dict[str, Any] | None:
        """Mark the file complete when its last chunk is in. Exactly one caller wins and gets the record."""
        response = _unless_condition_fails(
            lambda: self._db.update_item(
                TableName=self._table,
                Key=_file_key(file_id),
                # A file failed by a chunk (org not ready) completes once its replayed chunks are in.
                UpdateExpression="SET #s = :complete, finished_at = :now REMOVE #e",
                ConditionExpression="#s IN (:chunked, :failed) AND chunks_done >= chunk_count",
                ExpressionAttributeNames={"#s": "status", "#e": "error"},
                ExpressionAttributeValues={
                    ":complete": {"S": FileStatus.COMPLETE},
                    ":chunked": {"S": FileStatus.CHUNKED},
                    ":failed": {"S": FileStatus.FAILED},
                    ":now": {"S": now},
                },
                ReturnValues="ALL_NEW",
            ),
            "finalise file",
        )
        if response is None:
            return None
        return {k: _plain(v) for k, v in response["Attributes"].items()}

    def get_file(self, file_id: str) -> dict[str, Any] | None:
        try:
            item = self._db.get_item(TableName=self._table, Key=_file_key(file_id), ConsistentRead=True).get(
                "Item"
            )
        except (ClientError, BotoCoreError) as exc:
            raise_aws_fault(exc, "read file")
        return {k: _plain(v) for k, v in item.items()} if item else None

    def review_states(self, interaction_ids: Sequence[str]) -> dict[str, ReviewState]:
        """What the ledger knows of these review items (absent ids were never queued), 100 a call. An
        item is sent when it has its own `sent_at` or the batch that recorded it was marked sent."""
        found = self._batch_get(
            [_review_key(i) for i in dict.fromkeys(interaction_ids)],
            "pk, file_id, sent_at, batch_id",
            "read review items",
        )
        unstamped = {str(i["batch_id"]["S"]) for i in found if "sent_at" not in i and "batch_id" in i}
        sent_batches = self.sent_batches(unstamped)
        return {
            str(item["pk"]["S"]).removeprefix("REVIEW#"): ReviewState(
                item.get("file_id", {}).get("S"),
                "sent_at" in item or item.get("batch_id", {}).get("S") in sent_batches,
            )
            for item in found
        }

    def sent_batches(self, batches: Iterable[str]) -> dict[str, str]:
        """When each of `batches` was marked sent (`mark_batch_sent`), by batch; absent: not (yet)."""
        found = self._batch_get(
            [_batch_key(b) for b in dict.fromkeys(batches)], "pk, sent_at", "read batches"
        )
        return {str(i["pk"]["S"]).removeprefix("REVIEWBATCH#"): str(i["sent_at"]["S"]) for i in found}

    def _batch_get(self, keys: list[dict[str, Any]], projection: str, what: str) -> list[dict[str, Any]]:
        """The items at `keys` that exist (typed JSON; consistent reads, 100 keys a call)."""
        out: list[dict[str, Any]] = []
        for start in range(0, len(keys), BATCH_GET_MAX):
            pending = keys[start : start + BATCH_GET_MAX]
            while pending:
                request = {
                    self._table: {"Keys": pending, "ConsistentRead": True, "ProjectionExpression": projection}
                }
                try:
                    response = self._db.batch_get_item(RequestItems=request)  # type: ignore[arg-type]
                except (ClientError, BotoCoreError) as exc:
                    raise_aws_fault(exc, what)
                out.extend(response.get("Responses", {}).get(self._table, []))
                unprocessed: Any = response.get("UnprocessedKeys") or {}
                pending = list((unprocessed.get(self._table) or {}).get("Keys", []))
        return out

    def add_review_items(
        self, items: Sequence[tuple[str, str, Mapping[str, str]]], *, batch: str | None = None
    ) -> list[str]:
        """Record review items (interaction id, queued at, attributes); returns the ids recorded, i.e.
        whose message must now be sent. One transaction of conditional puts per 100 items: a chunk's
        reviews cost a call or two, not one each. With `batch`, each item carries that token, and
        `mark_batch_sent(batch)` then marks them all sent in one write.

        The condition sees only the item itself (its own `sent_at`, its status), not its batch's
        marker: leave out what `review_states` says was sent."""
        tag = {"batch_id": batch} if batch else {}
        unique = list({item[0]: (item[0], item[1], {**item[2], **tag}) for item in items}.values())
        recorded: list[str] = []
        for chunk in _transaction_batches(unique, lambda item: sum(map(len, item[2].values()))):
            recorded.extend(self._put_new_reviews(chunk))
        return recorded

    def _put_new_reviews(self, batch: Sequence[tuple[str, str, Mapping[str, str]]]) -> list[str]:
        """A transaction fails whole when one condition fails (an item recorded and sent before, by
        a retry or another file, or already claimed): those items are dropped, and the rest is
        written again."""
        pending = list(batch)
        while pending:
            failed = self._transact(
                [
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": review_item(interaction_id, queued_at, attrs),
                            "ConditionExpression": _UNSENT,
                            "ExpressionAttributeNames": _UNSENT_NAMES,
                            "ExpressionAttributeValues": _UNSENT_VALUES,
                        }
                    }
                    for interaction_id, queued_at, attrs in pending
                ],
                "add review items",
            )
            if not failed:
                return [item[0] for item in pending]
            pending = [item for i, item in enumerate(pending) if i not in failed]
        return []

    def mark_batch_sent(self, batch: str, sent_at: str) -> None:
        """Mark every item `add_review_items(..., batch=batch)` recorded as sent: one small write, where
        stamping each item would rewrite it whole (body and index copy included)."""
        expires = datetime.fromisoformat(sent_at) + timedelta(days=BATCH_MARKER_DAYS)
        item = {
            **_batch_key(batch),
            "sent_at": {"S": sent_at},
            "expires_at": {"N": str(int(expires.timestamp()))},
        }
        try:
            self._db.put_item(TableName=self._table, Item=item)
        except (ClientError, BotoCoreError) as exc:
            raise_aws_fault(exc, "mark batch sent")

    def _transact(self, actions: list[dict[str, Any]], what: str) -> set[int]:
        """Run one transaction. Returns the positions of the actions whose condition failed (nothing
        was written then); any other cancellation (a conflict, throttling) is a fault."""
        try:
            self._db.transact_write_items(TransactItems=actions)  # type: ignore[arg-type]
        except ClientError as exc:
            reasons = exc.response.get("CancellationReasons", [])
            failed = {i for i, r in enumerate(reasons) if r.get("Code") == "ConditionalCheckFailed"}
            others = {r.get("Code") for r in reasons} - {"ConditionalCheckFailed", "None", None}
            if failed and not others:
                return failed
            if others:
                code = sorted(str(c) for c in others)[0]
                fault = TransientAwsFault if others <= _TRANSIENT_CANCELLATIONS else AwsFault
                raise fault(f"{what}: transaction cancelled ({code})", code) from exc
            raise_aws_fault(exc, what)
        except BotoCoreError as exc:
            raise_aws_fault(exc, what)
        return set()

    def _update(
        self, file_id: str, expression: str, values: dict[str, Any], names: dict[str, str] | None = None
    ) -> None:
        try:
            self._db.update_item(
                TableName=self._table,
                Key=_file_key(file_id),
                UpdateExpression=expression,
                ExpressionAttributeNames={"#s": "status", **(names or {})},
                ExpressionAttributeValues=values,
            )
        except (ClientError, BotoCoreError) as exc:
            raise_aws_fault(exc, "update file")


# --- review items: open → claimed → resolved | dismissed (claimed → open on release or claim expiry) ----
REVIEW_STATUSES = ("open", "claimed", "resolved", "dismissed")
_BATCH_ATTEMPTS = 8


def review_item(
    interaction_id: str, queued_at: str, attrs: Mapping[str, str], *, status: str = "open"
) -> dict[str, Any]:
    """A review item as the ledger stores it (typed JSON): `attrs` are extra string attributes."""
    return {
        "pk": {"S": f"REVIEW#{interaction_id}"},
        "sk": {"S": "ITEM"},
        "status": {"S": status},
        "queued_at": {"S": queued_at},
        "gsi1pk": {"S": f"REVIEW#{status}"},
        "gsi1sk": {"S": f"{queued_at}#{interaction_id}"},
        **{k: {"S": v} for k, v in attrs.items()},
    }


class ReviewLedger(Ledger):
    """The review-item part of the ledger: the durable record of every item and who holds it.

    Every status change is one conditional update, so two reviewers can never both hold or resolve an
    item; `gsi1` (`REVIEW#<status>`, `<queued_at>#<id>`) lists items by status, oldest first.
    """

    def get_review_item(self, interaction_id: str) -> dict[str, Any] | None:
        try:
            item = self._db.get_item(
                TableName=self._table, Key=_review_key(interaction_id), ConsistentRead=True
            ).get("Item")
        except (ClientError, BotoCoreError) as exc:
            raise_aws_fault(exc, "read review item")
        return {k: _plain(v) for k, v in item.items()} if item else None

    def existing_review_items(self, interaction_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The recorded items among `interaction_ids` (BatchGetItem, 100 keys a call), by id."""
        found: dict[str, dict[str, Any]] = {}
        ids = list(dict.fromkeys(interaction_ids))
        for start in range(0, len(ids), 100):
            request: dict[str, Any] = {
                self._table: {
                    "Keys": [_review_key(i) for i in ids[start : start + 100]],
                    "ConsistentRead": True,
                }
            }
            for _ in range(_BATCH_ATTEMPTS):
                try:
                    page = self._db.batch_get_item(RequestItems=request)
                except (ClientError, BotoCoreError) as exc:
                    raise_aws_fault(exc, "read review items")
                for item in page.get("Responses", {}).get(self._table, []):
                    record = {k: _plain(v) for k, v in item.items()}
                    found[str(record["pk"]).removeprefix("REVIEW#")] = record
                request = dict(page.get("UnprocessedKeys") or {})
                if not request:
                    break
                time.sleep(0.05)
            else:
                raise TransientAwsFault("read review items: unprocessed keys after retries")
        return found

    def put_review_items(self, items: Sequence[Mapping[str, Any]]) -> None:
        """Write whole items (typed JSON, see `review_item`) with BatchWriteItem, 25 a call. Unconditional:
        for bulk loads of items known not to be recorded yet (or re-writes of what was just written)."""
        for start in range(0, len(items), 25):
            request: dict[str, Any] = {
                self._table: [{"PutRequest": {"Item": dict(i)}} for i in items[start : start + 25]]
            }
            for _ in range(_BATCH_ATTEMPTS):
                try:
                    page = self._db.batch_write_item(RequestItems=request)
                except (ClientError, BotoCoreError) as exc:
                    raise_aws_fault(exc, "write review items")
                request = dict(page.get("UnprocessedItems") or {})
                if not request:
                    break
                time.sleep(0.05)
            else:
                raise TransientAwsFault("write review items: unprocessed items after retries")

    def review_items(self, status: str, *, limit: int | None = None) -> list[dict[str, Any]]:
        """Items with `status`, oldest queued first (all of them when `limit` is None)."""
        out: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :g",
            "ExpressionAttributeValues": {":g": {"S": f"REVIEW#{status}"}},
        }
        while True:
            if limit is not None:
                kwargs["Limit"] = limit - len(out)
            try:
                page = self._db.query(**kwargs)
            except (ClientError, BotoCoreError) as exc:
                raise_aws_fault(exc, "list review items")
            out.extend({k: _plain(v) for k, v in item.items()} for item in page.get("Items", []))
            last = page.get("LastEvaluatedKey")
            if not last or (limit is not None and len(out) >= limit):
                return out
            kwargs["ExclusiveStartKey"] = last

    def count_review_items(self, status: str) -> int:
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :g",
            "ExpressionAttributeValues": {":g": {"S": f"REVIEW#{status}"}},
            "Select": "COUNT",
        }
        total = 0
        while True:
            try:
                page = self._db.query(**kwargs)
            except (ClientError, BotoCoreError) as exc:
                raise_aws_fault(exc, "count review items")
            total += int(page.get("Count", 0))
            last = page.get("LastEvaluatedKey")
            if not last:
                return total
            kwargs["ExclusiveStartKey"] = last

    def claim_review_item(
        self, interaction_id: str, reviewer: str, *, now: str, until: str, receipt: str | None = None
    ) -> dict[str, Any] | None:
        """Claim an open item (or one whose claim expired, or re-claim one's own). None: someone else
        holds it, or it is resolved or dismissed."""
        sets = "#s = :claimed, gsi1pk = :g, claimed_by = :me, claimed_at = :now, claim_expires = :until"
        values: dict[str, Any] = {
            ":claimed": {"S": "claimed"},
            ":open": {"S": "open"},
            ":g": {"S": "REVIEW#claimed"},
            ":me": {"S": reviewer},
            ":now": {"S": now},
            ":until": {"S": until},
        }
        if receipt is not None:
            sets += ", receipt = :r"
            values[":r"] = {"S": receipt}
        # The hold is noted first: a hold without a claim is dropped by the next `held_review_ids` caller
        # that fails to extend it, while a claim without a hold would leave its reviewer a second item.
        self._update_holds(reviewer, "ADD", interaction_id)
        claimed = self._review_update(
            interaction_id,
            "SET " + sets,
            "#s = :open OR (#s = :claimed AND (claimed_by = :me OR claim_expires < :now))",
            values,
            what="claim review item",
        )
        if claimed is None:
            self._update_holds(reviewer, "DELETE", interaction_id)
        return claimed

    def held_review_ids(self, reviewer: str) -> list[str]:
        """The items `reviewer` claimed and has not closed or skipped, read consistently. Some of these
        claims may have expired or been taken over since: the caller confirms each with
        `extend_review_claim` and drops the ones it no longer holds with `forget_hold`."""
        try:
            item = self._db.get_item(
                TableName=self._table,
                Key=_holds_key(reviewer),
                ConsistentRead=True,
                ProjectionExpression="#i",
                ExpressionAttributeNames={"#i": "items"},
            ).get("Item")
        except (ClientError, BotoCoreError) as exc:
            raise_aws_fault(exc, "read reviewer's holds")
        return sorted(item["items"]["SS"]) if item and "items" in item else []

    def forget_hold(self, reviewer: str, interaction_id: str) -> None:
        self._update_holds(reviewer, "DELETE", interaction_id)

    def _update_holds(self, reviewer: str, verb: str, interaction_id: str) -> None:
        """ADD or DELETE one id in the reviewer's holds (DynamoDB removes the attribute with its last id)."""
        try:
            self._db.update_item(
                TableName=self._table,
                Key=_holds_key(reviewer),
                UpdateExpression=f"{verb} #i :id",
                ExpressionAttributeNames={"#i": "items"},
                ExpressionAttributeValues={":id": {"SS": [interaction_id]}},
            )
        except (ClientError, BotoCoreError) as exc:
            raise_aws_fault(exc, "update reviewer's holds")

    def _forget_closed_hold(self, reviewer: str, interaction_id: str) -> None:
        """After the item itself was closed or released: a failure here leaves a stale id that the next
        `held_review_ids` caller drops, so it must not turn a done decision into an error."""
        try:
            self.forget_hold(reviewer, interaction_id)
        except AwsFault as exc:
            logger.warning("closed item left in a reviewer's holds", extra={"error": str(exc)})

    def extend_review_claim(
        self, interaction_id: str, reviewer: str, *, now: str, until: str
    ) -> dict[str, Any] | None:
        """Push a live claim's expiry: the item as it is now, or None when the caller no longer holds it."""
        return self._review_update(
            interaction_id,
            "SET claim_expires = :until",
            "#s = :claimed AND claimed_by = :me AND claim_expires >= :now",
            {
                ":claimed": {"S": "claimed"},
                ":me": {"S": reviewer},
                ":now": {"S": now},
                ":until": {"S": until},
            },
            what="extend review claim",
        )

    def release_review_item(self, interaction_id: str, reviewer: str | None) -> dict[str, Any] | None:
        """Back to open: a reviewer's own claim (skip), or any claim when `reviewer` is None (sweep of an
        expired claim, checked by the caller)."""
        values: dict[str, Any] = {
            ":open": {"S": "open"},
            ":claimed": {"S": "claimed"},
            ":g": {"S": "REVIEW#open"},
        }
        condition = "#s = :claimed"
        if reviewer is not None:
            condition += " AND claimed_by = :me"
            values[":me"] = {"S": reviewer}
        released = self._review_update(
            interaction_id,
            "SET #s = :open, gsi1pk = :g REMOVE claimed_by, claim_expires, claimed_at",
            condition,
            values,
            what="release review item",
        )
        if released is not None and reviewer is not None:
            self._forget_closed_hold(reviewer, interaction_id)
        return released

    def close_review_item(
        self, interaction_id: str, reviewer: str, *, status: str, action: str, now: str
    ) -> dict[str, Any] | None:
        """Resolve or dismiss an item the reviewer holds; None when they no longer hold it."""
        closed = self._review_update(
            interaction_id,
            "SET #s = :st, gsi1pk = :g, resolved_by = :me, resolved_at = :now, #a = :action "
            "REMOVE claim_expires",
            "#s = :claimed AND claimed_by = :me",
            {
                ":st": {"S": status},
                ":g": {"S": f"REVIEW#{status}"},
                ":claimed": {"S": "claimed"},
                ":me": {"S": reviewer},
                ":now": {"S": now},
                ":action": {"S": action},
            },
            what="close review item",
            names={"#a": "action"},
        )
        if closed is not None:
            self._forget_closed_hold(reviewer, interaction_id)
        return closed

    def put_review_body(self, interaction_id: str, body: str, sent_at: str) -> None:
        """Record that the item's message was (re-)sent with `body`."""
        self._review_update(
            interaction_id,
            "SET body = :b, sent_at = :at",
            "attribute_exists(pk)",
            {":b": {"S": body}, ":at": {"S": sent_at}},
            what="mark review re-sent",
        )

    def _review_update(
        self,
        interaction_id: str,
        expression: str,
        condition: str,
        values: dict[str, Any],
        *,
        what: str,
        names: dict[str, str] | None = None,
    ) -> dict[str, Any] | None:
        all_names = dict(names or {})
        if "#s" in condition + expression:
            all_names["#s"] = "status"
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "Key": _review_key(interaction_id),
            "UpdateExpression": expression,
            "ConditionExpression": condition,
            "ExpressionAttributeValues": values,
            "ReturnValues": "ALL_NEW",
        }
        if all_names:
            kwargs["ExpressionAttributeNames"] = all_names
        response = _unless_condition_fails(lambda: self._db.update_item(**kwargs), what)
        if response is None:
            return None
        return {k: _plain(v) for k, v in response.get("Attributes", {}).items()}
