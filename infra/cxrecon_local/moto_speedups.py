"""Speed-ups for moto's SQS, DynamoDB and request routing, for the local stack's moto server only.

Why: moto's SQS costs O(queue size) per call, and with thousands of queued messages the local
benchmarks measure moto instead of our code. In moto 5.2:

- every SendMessage reads `queue.attributes` (up to three times, more in a FIFO queue) for
  `ContentBasedDeduplication`, and `Queue.attributes` computes the three `ApproximateNumberOfMessages*`
  counts, each a pass over every message calling `Message.visible` / `Message.delayed`, each of which
  reads a `datetime`-based clock;
- ReceiveMessage builds `Queue.messages`, the list of every deliverable message, to take the first N,
  then checks each received message's retention through `get_queue_attributes`, which computes
  `queue.attributes` (and so the three counts) again, three times per requested name;
- DeleteMessage scans the whole queue twice for the receipt handle.

What `apply()` patches (in moto.sqs.models, and moto.dynamodb.models for 5; nothing in our code paths
that run on AWS imports this module, and the local stack calls it before starting the server):

1. the clock: `unix_time` / `unix_time_millis` as seen by moto.sqs.models, computed from
   `time.time_ns()` with exactly the arithmetic of moto's datetime-based functions (same float), and
   like moto's (which takes microseconds to read) never the same microsecond twice in a row;
2. `Queue.attributes`, inside a send (`send_message`, `send_message_batch`, `Queue.add_message`) is
   computed once and without the three counts (those calls only read `ContentBasedDeduplication`);
   inside `get_queue_attributes` it is computed once per request, without the counts unless they (or
   "All") were asked for;
3. `Queue.messages` returns a lazy view of the same messages (a snapshot of the queue's list, filtered
   with one clock reading as it is iterated), so ReceiveMessage stops after the first N deliverable
   messages; `len()` and truth value still work (ApproximateNumberOfMessages, long polling);
   the other two counts use one clock reading per pass instead of one per message;
4. receipt handles: every handle `Message.mark_received` hands out is indexed, so DeleteMessage and
   ChangeMessageVisibility find their message without a scan; they fall back to moto's own code for
   anything the index cannot vouch for (unknown or ambiguous handle, message not in that queue);
   `Message.had_receipt_handle` no longer builds a list per call;
5. DynamoDB's TransactWriteItems backs up, for its rollback, the items it names instead of deep-copying
   every table it names once per item (half the local pipeline benchmark's CPU went there, and a copy
   racing another request's write could fail with "dictionary changed size during iteration");
6. DynamoDB condition expressions are parsed once per (expression, names, values), and update
   expressions once per expression; request validation and the backend share the parse (it is only
   ever evaluated, read or deep-copied, never changed): a 100-item transaction of conditional puts
   parsed 200 expressions, ~0.2 ms each, 13 % of moto's CPU in the pipeline benchmark;
7. the server's routing lists moto's service folders once, not on every request (`os.listdir` and an
   `isdir` per folder, ~8 % of the server's CPU in the pipeline benchmark).

Behaviour is moto's: visibility timeouts, delays, in-flight tracking, FIFO groups and deduplication,
redrive to the DLQ, retention, approximate counts, purge; a cancelled transaction's rollback. The two
replaced functions mirror moto 5.2.5 (`Queue.delete_message`, and the body of
`SQSBackend.change_message_visibility` once its message is found); the rest wraps moto's own code. The
patches are written for moto 5.2: with any other moto version `apply()` logs one warning and patches
nothing (a slower stack is better than a wrong one).

`python -m cxrecon_local.moto_speedups` measures SQS call latencies with 10,000 queued messages, with
and without the patches (each in its own process).
"""

from __future__ import annotations

import argparse
import copy
import functools
import json
import logging
import statistics
import subprocess
import sys
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, overload

log = logging.getLogger(__name__)

SUPPORTED_MOTO = (5, 2)
"""moto major.minor the patches were written against (mirrors moto 5.2.5)."""
_MARKER = "_cxrecon_moto_speedups"
_COUNT_ATTRIBUTES = frozenset(
    {
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesDelayed",
        "ApproximateNumberOfMessagesNotVisible",
    }
)
_warned = False
_APPLYING = threading.Lock()


def apply() -> bool:
    """Patch moto's SQS, once per process. True if the patches are in place, False if moto's version
    is not the one they were written for (then nothing is patched and a warning is logged once)."""
    import moto  # noqa: PLC0415 - moto is heavy; import it when used
    from moto.dynamodb import models as dynamodb  # noqa: PLC0415
    from moto.dynamodb.models.dynamo_type import DynamoType  # noqa: PLC0415
    from moto.sqs import models  # noqa: PLC0415

    with _APPLYING:
        if getattr(models.Queue, _MARKER, False):
            return True
        if not supported(str(moto.__version__)):
            return False
        _patch(models)
        _patch_dynamodb(dynamodb, DynamoType)
        _patch_parsers()
        _patch_routing()
        setattr(models.Queue, _MARKER, True)
        return True


def supported(version: str) -> bool:
    """Whether `version` is the moto major.minor the patches were written for; warns once if not."""
    global _warned  # noqa: PLW0603 - one warning per process
    try:
        major_minor = tuple(int(part) for part in version.split(".")[:2])
    except ValueError:
        major_minor = ()
    if major_minor == SUPPORTED_MOTO:
        return True
    if not _warned:
        _warned = True
        log.warning(
            "moto %s is not %d.%d: SQS speed-ups not applied (the local stack works, slower)",
            version,
            *SUPPORTED_MOTO,
        )
    return False


# -- 1. the clock ------------------------------------------------------------------------------------


def unix_time_at(ns: int) -> float:
    """moto's `unix_time(datetime.now(UTC))` for the instant `ns` (nanoseconds since the epoch).

    datetime.now() truncates the system clock to microseconds; moto then subtracts the epoch and sums
    the timedelta's days, seconds and microseconds in this order. Same operations, same float."""
    seconds, rest = divmod(ns, 1_000_000_000)
    days, seconds = divmod(seconds, 86_400)
    return (days * 86_400) + (seconds + ((rest // 1_000) / 1e6))


_THREAD_CLOCK = threading.local()


def now_ns() -> int:
    """time.time_ns(), never in the same microsecond as the calling thread's previous reading.

    moto's clock takes microseconds to read, so two readings in a row never share a microsecond, and
    moto relies on it: ChangeMessageVisibility(0) stores visible_at = now, then asks `visible`
    (now > visible_at) to take the message out of the in-flight set (for a FIFO queue, to release its
    group). A reading that would repeat the previous one waits for the next microsecond instead."""
    last = getattr(_THREAD_CLOCK, "us", None)
    ns = time.time_ns()
    while ns // 1_000 == last:
        ns = time.time_ns()
    _THREAD_CLOCK.us = ns // 1_000
    return ns


def _clock(original_unix_time: Callable[..., float]) -> tuple[Callable[..., float], Callable[..., float]]:
    def unix_time(dt: Any = None) -> float:
        return unix_time_at(now_ns()) if dt is None else original_unix_time(dt)

    def unix_time_millis(dt: Any = None) -> float:
        return unix_time(dt) * 1000.0

    return unix_time, unix_time_millis


# -- 2. queue attributes, once per request -----------------------------------------------------------


@dataclass
class _AttributesScope:
    omit_counts: bool
    memo: dict[int, dict[str, Any]] = field(default_factory=dict)


_SCOPE: ContextVar[_AttributesScope | None] = ContextVar("moto_speedups_attributes", default=None)


@contextmanager
def _attributes_scope(*, omit_counts: bool) -> Iterator[None]:
    token = _SCOPE.set(_AttributesScope(omit_counts))
    try:
        yield
    finally:
        _SCOPE.reset(token)


def _attributes_without_counts(queue: Any, camelcase_to_underscores: Callable[[str], str]) -> dict[str, Any]:
    """moto 5.2.5's `Queue.attributes` without the three ApproximateNumberOfMessages* entries."""
    result: dict[str, Any] = {}
    for attribute in queue.BASE_ATTRIBUTES:
        if attribute not in _COUNT_ATTRIBUTES:
            result[attribute] = getattr(queue, camelcase_to_underscores(attribute))
    if queue.fifo_queue:
        for attribute in queue.FIFO_ATTRIBUTES:
            result[attribute] = getattr(queue, camelcase_to_underscores(attribute))
    if queue.kms_master_key_id:
        for attribute in queue.KMS_ATTRIBUTES:
            result[attribute] = getattr(queue, camelcase_to_underscores(attribute))
    if queue.policy:
        result["Policy"] = queue.policy
    if queue.redrive_policy:
        result["RedrivePolicy"] = json.dumps(queue.redrive_policy)
    for key, value in result.items():
        if isinstance(value, bool):
            result[key] = str(value).lower()
    return result


def _scoped(omit_counts: bool, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def scoped(*args: Any, **kwargs: Any) -> Any:
        with _attributes_scope(omit_counts=omit_counts):
            return function(*args, **kwargs)

    return scoped


def _get_queue_attributes(original: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    @functools.wraps(original)
    def get_queue_attributes(self: Any, queue_name: str, attribute_names: list[str]) -> dict[str, Any]:
        names = attribute_names or []
        counts = "All" in names or any(n in _COUNT_ATTRIBUTES for n in names)
        with _attributes_scope(omit_counts=not counts):
            return original(self, queue_name, attribute_names)

    return get_queue_attributes


# -- 3. deliverable messages, lazily -----------------------------------------------------------------


def count_delayed(messages: list[Any], now: float) -> int:
    """moto's `len([m for m in messages if m.delayed])` with one clock reading (delayed: now < until)."""
    return sum(1 for m in messages if now < m.delayed_until)


def count_not_visible(messages: list[Any], now: float) -> int:
    """moto's `len([m for m in messages if not m.visible])` with one clock reading (visible: now > at)."""
    return sum(1 for m in messages if not now > m.visible_at)


class DeliverableMessages(Sequence[Any]):
    """What moto's `Queue.messages` lists (visible and not delayed, in queue order), evaluated lazily.

    The queue's list is copied (pointers) when the view is made and each message is judged with the
    clock read at that moment, as moto's list comprehension does, but only as far as it is iterated."""

    def __init__(self, messages: list[Any], now: float) -> None:
        self._messages = messages
        self._now = now
        self._listed: list[Any] | None = None

    def __iter__(self) -> Iterator[Any]:
        now = self._now
        # Message.visible is `now > visible_at`, Message.delayed is `now < delayed_until`.
        return (m for m in self._messages if now > m.visible_at and not now < m.delayed_until)

    def __bool__(self) -> bool:
        return next(iter(self), None) is not None

    def _list(self) -> list[Any]:
        if self._listed is None:
            self._listed = list(iter(self))  # not list(self): that asks len(self)
        return self._listed

    def __len__(self) -> int:
        return len(self._list())

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        return self._list()[index]

    def __eq__(self, other: object) -> bool:
        return self._list() == (list(other) if isinstance(other, DeliverableMessages) else other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self._list())


# -- 4. receipt handles ------------------------------------------------------------------------------

_BY_HANDLE: weakref.WeakValueDictionary[str, Any] = weakref.WeakValueDictionary()
_AMBIGUOUS: set[str] = set()
"""Handles seen on two messages (only possible if moto's random generator was re-seeded): no fast path."""


def _mark_received(original: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(original)
    def mark_received(self: Any, visibility_timeout: int | None = None) -> None:
        original(self, visibility_timeout)
        handle = self.receipt_handle
        if _BY_HANDLE.setdefault(handle, self) is not self:
            _AMBIGUOUS.add(handle)

    return mark_received


def _had_receipt_handle(self: Any, receipt_handle: str) -> bool:
    """moto's `receipt_handle in self.all_receipt_handles`, without building the list."""
    return receipt_handle == self.receipt_handle or receipt_handle in self._old_receipt_handles


def _indexed(messages: list[Any], receipt_handle: str) -> int:
    """Where in `messages` the message that had `receipt_handle` is, or -1 if the index cannot say."""
    if receipt_handle in _AMBIGUOUS:
        return -1
    message = _BY_HANDLE.get(receipt_handle)
    if message is None or not _had_receipt_handle(message, receipt_handle):
        return -1
    for at, candidate in enumerate(messages):
        if candidate is message:
            return at
    return -1


def _delete_message(original: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(original)
    def delete_message(self: Any, receipt_handle: str) -> None:
        # Mirrors moto 5.2.5 Queue.delete_message; handles are unique, so "every message that had
        # this handle" is the one the index names.
        if receipt_handle in self.deleted_messages:
            return
        messages = self._messages
        at = _indexed(messages, receipt_handle)
        if at < 0:
            original(self, receipt_handle)
            return
        message = messages[at]
        self.pending_messages.discard(message)
        self.deleted_messages.update(message.all_receipt_handles)
        self._messages = messages[:at] + messages[at + 1 :]  # a new list, as moto's

    return delete_message


def _change_message_visibility(
    original: Callable[..., None],
    unix_time_millis: Callable[..., float],
    invalid_parameter_value: type[Exception],
) -> Callable[..., None]:
    @functools.wraps(original)
    def change_message_visibility(
        self: Any, queue_name: str, receipt_handle: str, visibility_timeout: int
    ) -> None:
        queue = self.get_queue(queue_name)
        at = _indexed(queue._messages, receipt_handle)
        if at < 0:
            original(self, queue_name, receipt_handle, visibility_timeout)
            return
        message = queue._messages[at]
        # From here on, moto 5.2.5 SQSBackend.change_message_visibility once it has found the message.
        visibility_timeout_msec = int(visibility_timeout) * 1000
        given_visibility_timeout = unix_time_millis() + visibility_timeout_msec
        if given_visibility_timeout - message.sent_timestamp > 43200 * 1000:
            raise invalid_parameter_value(
                f"Value {visibility_timeout} for parameter VisibilityTimeout is invalid. Reason: Total "
                "VisibilityTimeout for the message is beyond the limit [43200 seconds]"
            )
        message.change_visibility(visibility_timeout)
        if message.visible and message in queue.pending_messages:
            queue.pending_messages.remove(message)

    return change_message_visibility


# -- applying ----------------------------------------------------------------------------------------


def _patch(models: Any) -> None:
    queue_cls, message_cls, backend_cls = models.Queue, models.Message, models.SQSBackend

    unix_time, unix_time_millis = _clock(models.unix_time)
    models.unix_time = unix_time
    models.unix_time_millis = unix_time_millis

    original_attributes = queue_cls.attributes.fget
    camelcase_to_underscores = models.camelcase_to_underscores

    @functools.wraps(original_attributes)
    def attributes(self: Any) -> dict[str, Any]:
        scope = _SCOPE.get()
        if scope is None:
            return original_attributes(self)  # type: ignore[no-any-return]
        found = scope.memo.get(id(self))
        if found is None:
            if scope.omit_counts:
                found = _attributes_without_counts(self, camelcase_to_underscores)
            else:
                found = original_attributes(self)
            scope.memo[id(self)] = found
        return found

    def messages(self: Any) -> DeliverableMessages:
        return DeliverableMessages(list(self._messages), unix_time_millis())

    def approximate_number_of_messages_delayed(self: Any) -> int:
        return count_delayed(self._messages, unix_time_millis())

    def approximate_number_of_messages_not_visible(self: Any) -> int:
        return count_not_visible(self._messages, unix_time_millis())

    queue_cls.attributes = property(attributes)
    queue_cls.messages = property(messages)
    queue_cls.approximate_number_of_messages_delayed = property(approximate_number_of_messages_delayed)
    queue_cls.approximate_number_of_messages_not_visible = property(
        approximate_number_of_messages_not_visible
    )
    queue_cls.add_message = _scoped(True, queue_cls.add_message)
    queue_cls.delete_message = _delete_message(queue_cls.delete_message)
    backend_cls.send_message = _scoped(True, backend_cls.send_message)
    backend_cls.send_message_batch = _scoped(True, backend_cls.send_message_batch)
    backend_cls.get_queue_attributes = _get_queue_attributes(backend_cls.get_queue_attributes)
    backend_cls.change_message_visibility = _change_message_visibility(
        backend_cls.change_message_visibility, unix_time_millis, models.InvalidParameterValue
    )
    message_cls.mark_received = _mark_received(message_cls.mark_received)
    message_cls.had_receipt_handle = _had_receipt_handle


# -- 5. DynamoDB: TransactWriteItems backs up the items it names, not whole tables ---------------------

_IN_TRANSACTION: ContextVar[bool] = ContextVar("moto_speedups_in_transaction", default=False)
_Saved = tuple[Any, Any, Any, Any]  # table, hash key, range key (or None), the item before (or None)


class _CopyModule:
    """Stands in for the `copy` module in moto.dynamodb.models: inside a patched `transact_write_items`
    a table is not deep-copied at all (the items the transaction names are backed up instead)."""

    def __init__(self, table_cls: type) -> None:
        self._table_cls = table_cls

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)

    def deepcopy(self, x: Any, memo: dict[int, Any] | None = None) -> Any:
        if _IN_TRANSACTION.get() and memo is None and isinstance(x, self._table_cls):
            return x  # moto's rollback then puts the live table back: a no-op; `_restore` undoes
        return copy.deepcopy(x, memo)


def _item_key(table: Any, op_type: str, op: dict[str, Any], dynamo_type: type) -> tuple[Any, Any] | None:
    """The (hash, range) key an action names, as moto's Table indexes it; None if it names none (moto
    then refuses the action itself, before writing)."""
    attrs = op.get("Item") if op_type == "Put" else op.get("Key")
    if not isinstance(attrs, dict) or table.hash_key_attr not in attrs:
        return None
    range_attr = table.range_key_attr
    if range_attr is not None and range_attr not in attrs:
        return None
    hash_value = dynamo_type(attrs[table.hash_key_attr])
    return hash_value, dynamo_type(attrs[range_attr]) if range_attr is not None else None


def _snapshot(backend: Any, transact_items: list[dict[str, Any]], dynamo_type: type) -> list[_Saved]:
    saved: list[_Saved] = []
    for entry in transact_items:
        if not isinstance(entry, dict) or len(entry) != 1:
            continue
        ((op_type, op),) = entry.items()
        table = backend.tables.get(op.get("TableName")) if isinstance(op, dict) else None
        if table is None:
            continue
        key = _item_key(table, op_type, op, dynamo_type)
        if key is not None:
            saved.append((table, *key, copy.deepcopy(table.get_item(*key))))
    return saved


def _restore(saved: list[_Saved]) -> None:
    """Put every named item back as it was (the first backup of an item named twice wins)."""
    for table, hash_value, range_value, item in reversed(saved):
        if item is None:
            if range_value is not None:
                table.items.get(hash_value, {}).pop(range_value, None)
            else:
                table.items.pop(hash_value, None)
        elif range_value is not None:
            table.items[hash_value][range_value] = item
        else:
            table.items[hash_value] = item


def _patch_dynamodb(models: Any, dynamo_type: type) -> None:
    """moto 5.2.5's `transact_write_items` backs up every table the transaction names, for the
    rollback, by deep-copying the whole table once per item naming it: a 100-item transaction on a
    table of 10,000 items copies a million items, and a copy racing another request's write can fail
    with "dictionary changed size during iteration". A transaction only changes the items it names, so
    backing those up (and restoring them if the call raises, whatever moto raised) is the same
    rollback at the cost of the transaction's own size."""
    backend_cls = models.DynamoDBBackend
    original = backend_cls.transact_write_items

    @functools.wraps(original)
    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        saved = _snapshot(self, transact_items, dynamo_type)
        token = _IN_TRANSACTION.set(True)
        try:
            original(self, transact_items)
        except BaseException:
            _restore(saved)
            raise
        finally:
            _IN_TRANSACTION.reset(token)

    models.copy = _CopyModule(models.Table)
    backend_cls.transact_write_items = transact_write_items


# -- 6. DynamoDB: condition and update expressions parsed once ---------------------------------------

CONDITION_CACHE = 1024


def _canonical(*parts: Any) -> tuple[str, ...] | None:
    """`parts` as canonical JSON, to key a cache by; None when one is not JSON (nothing is cached)."""
    try:
        return tuple(json.dumps(part, sort_keys=True) for part in parts)
    except (TypeError, ValueError):
        return None


class _ParsedCondition:
    """Stands in for a `ConditionExpressionParser` whose `parse()` already ran: the same condition,
    and the placeholders it found as fresh lists (callers extend them)."""

    def __init__(self, op: Any, names_found: tuple[str, ...], values_found: tuple[str, ...]) -> None:
        self._op = op
        self._names_found = names_found
        self._values_found = values_found

    def parse(self) -> Any:
        return self._op

    @property
    def expr_attr_names_found(self) -> list[str]:
        return list(self._names_found)

    @property
    def expr_attr_values_found(self) -> list[str]:
        return list(self._values_found)


def _patch_parsers() -> None:
    """moto's request handlers parse every condition and update expression to validate the request
    (the placeholders used, the syntax), and the backend parses them again to run them: a 100-item
    transaction parsed 200 expressions. Each (expression, names, values) is parsed once here, and the
    backend's `get_filter_expression` (the condition of every put, update, delete and check) goes
    through the same factory. A parsed condition is only ever evaluated; an update expression's syntax
    tree is only ever read or deep-copied (moto's validator copies it before resolving it against an
    item), so the same tree serves every request. A parse that raises is not cached: an invalid
    expression fails every time, as in moto."""
    from moto.dynamodb import comparisons, responses  # noqa: PLC0415
    from moto.dynamodb import models as dynamodb_models  # noqa: PLC0415
    from moto.dynamodb.parsing import expressions  # noqa: PLC0415

    original_factory = comparisons.create_condition_expression_parser

    @functools.lru_cache(maxsize=CONDITION_CACHE)
    def parsed(expr: str | None, names: str, values: str) -> _ParsedCondition:
        parser = original_factory(expr, json.loads(names), json.loads(values))
        op = parser.parse()
        return _ParsedCondition(op, tuple(parser.expr_attr_names_found), tuple(parser.expr_attr_values_found))

    @functools.wraps(original_factory)
    def create_condition_expression_parser(expr: str | None, names: Any, values: Any) -> Any:
        key = _canonical(names, values)
        if key is None:
            return original_factory(expr, names, values)
        try:
            return parsed(expr, *key)
        except Exception:  # moto's own parser, returned, raises it again where moto's caller expects
            return original_factory(expr, names, values)

    for module in (comparisons, responses, dynamodb_models):
        module.create_condition_expression_parser = create_condition_expression_parser  # type: ignore[attr-defined]

    parser_cls: Any = expressions.UpdateExpressionParser  # type: ignore[attr-defined]
    make = parser_cls.make  # a classmethod, bound to its class
    parser_cls.make = staticmethod(functools.lru_cache(maxsize=CONDITION_CACHE)(make))


# -- 7. server routing: moto's service folders listed once ---------------------------------------------


def _patch_routing() -> None:
    from moto import backends  # noqa: PLC0415

    modules = tuple(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: modules


# -- benchmark ---------------------------------------------------------------------------------------


def _ms(values: list[float]) -> str:
    return f"p50 {statistics.median(values):8.1f} ms   max {max(values):8.1f} ms   (n={len(values)})"


def _measure(patched: bool, queued: int, samples: int) -> dict[str, Any]:
    """One process's figures: SQS call latencies through boto3 with `queued` messages in the queue."""
    from moto.server import ThreadedMotoServer  # noqa: PLC0415
    from moto.sqs.models import Message, sqs_backends  # noqa: PLC0415

    from cxrecon_local.sessions import fake_session  # noqa: PLC0415

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    if patched and not apply():
        raise SystemExit("the patches do not apply to this moto version")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    figures: dict[str, Any] = {}
    try:
        host, port = server.get_host_and_port()
        session: Any = fake_session("us-east-1")
        sqs = session.client("sqs", endpoint_url=f"http://{host}:{port}")
        url = sqs.create_queue(QueueName="bench")["QueueUrl"]
        body = json.dumps({"item": "x" * 500})
        if patched:
            started = time.perf_counter()
            for start in range(0, queued, 10):
                entries = [{"Id": str(n), "MessageBody": body} for n in range(min(10, queued - start))]
                sqs.send_message_batch(QueueUrl=url, Entries=entries)
            figures["fill"] = time.perf_counter() - started
        else:  # through the API this would take the better part of an hour
            queue = sqs_backends["123456789012"]["us-east-1"].get_queue("bench")
            for _ in range(queued):
                message = Message(str(uuid.uuid4()), body)
                message.mark_sent(delay_seconds=0)
                queue.add_message(message)

        def timed(call: Callable[[], Any]) -> tuple[float, Any]:
            t0 = time.perf_counter()
            got = call()
            return (time.perf_counter() - t0) * 1000, got

        entries = [{"Id": str(n), "MessageBody": body} for n in range(10)]
        figures["SendMessageBatch (10)"] = [
            timed(lambda: sqs.send_message_batch(QueueUrl=url, Entries=entries))[0] for _ in range(samples)
        ]
        receives, handles = [], []
        for _ in range(samples):
            took, got = timed(
                lambda: sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=300)
            )
            receives.append(took)
            handles += [m["ReceiptHandle"] for m in got.get("Messages", [])]
        figures["ReceiveMessage (10)"] = receives
        deletes = []
        for handle in handles[: samples * 2]:
            deletes.append(
                timed(functools.partial(sqs.delete_message, QueueUrl=url, ReceiptHandle=handle))[0]
            )
        figures["DeleteMessage"] = deletes
        figures["GetQueueAttributes (All)"] = [
            timed(lambda: sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"]))[0]
            for _ in range(samples)
        ]
    finally:
        server.stop()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="SQS latencies in moto, with and without the speed-ups.")
    parser.add_argument("--messages", type=int, default=10_000, help="messages queued (default 10,000)")
    parser.add_argument("--samples", type=int, default=5, help="calls timed per operation (default 5)")
    parser.add_argument("--patched-only", action="store_true", help="skip plain moto (minutes at 10,000)")
    parser.add_argument("--child", choices=["moto", "patched"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_measure(args.child == "patched", args.messages, args.samples)))
        return 0
    modes = ["patched"] if args.patched_only else ["moto", "patched"]
    print(f"{args.messages:,} messages queued; boto3 → moto server on loopback; one process each")
    for mode in modes:
        command = [sys.executable, "-m", "cxrecon_local.moto_speedups", "--child", mode]
        command += ["--messages", str(args.messages), "--samples", str(args.samples)]
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603
        figures = json.loads(out.strip().splitlines()[-1])
        label = "moto" if mode == "moto" else "moto + speed-ups"
        print(f"{label}:")
        if "fill" in figures:
            fill = f"fill: SendMessageBatch x{-(-args.messages // 10)}"
            print(f"  {fill:<28} {figures.pop('fill'):8.1f} s")
        for name, values in figures.items():
            print(f"  {name:<28} {_ms(values)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
