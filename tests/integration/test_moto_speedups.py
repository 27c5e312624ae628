"""moto's SQS with the local stack's speed-ups (cxrecon_local.moto_speedups) behaves as plain moto.

Every test talks boto3 to a ThreadedMotoServer in this process, with the patches applied. The
differential tests also run the same calls against plain moto in a separate process and compare the
two transcripts call by call.
"""

from __future__ import annotations

import itertools
import random
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from cxrecon_local import moto_speedups
from cxrecon_local.sessions import fake_session

_PLAIN_MOTO = """
import sys
from moto.server import ThreadedMotoServer
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
print(server.get_host_and_port()[1], flush=True)
sys.stdin.read()
server.stop()
"""


def _client(endpoint: str, service: str = "sqs") -> Any:
    session: Any = fake_session("us-east-1")
    return session.client(service, endpoint_url=endpoint)


@pytest.fixture(scope="module")
def sqs() -> Iterator[Any]:
    from moto.server import ThreadedMotoServer  # noqa: PLC0415

    assert moto_speedups.apply(), "the speed-ups do not apply to the installed moto"
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield _client(f"http://{host}:{port}")
    finally:
        server.stop()


@pytest.fixture(scope="module")
def plain_sqs() -> Iterator[Any]:
    """Plain moto, in a process of its own (nothing there imports the speed-ups)."""
    process = subprocess.Popen(
        [sys.executable, "-c", _PLAIN_MOTO], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        port = int(process.stdout.readline())
        yield _client(f"http://127.0.0.1:{port}")
    finally:
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _queue(sqs: Any, suffix: str = "", **attributes: Any) -> str:
    name = f"q-{uuid.uuid4().hex[:12]}{suffix}"
    url: str = sqs.create_queue(QueueName=name, Attributes={k: str(v) for k, v in attributes.items()})[
        "QueueUrl"
    ]
    return url


def _arn(sqs: Any, url: str) -> str:
    arn: str = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return arn


def _send(sqs: Any, url: str, bodies: list[str], **extra: Any) -> None:
    for start in range(0, len(bodies), 10):
        entries = [
            {"Id": str(n), "MessageBody": b, **extra} for n, b in enumerate(bodies[start : start + 10])
        ]
        assert not sqs.send_message_batch(QueueUrl=url, Entries=entries).get("Failed")


def _receive(sqs: Any, url: str, n: int = 10, visibility: int = 300, **extra: Any) -> list[dict[str, Any]]:
    got: list[dict[str, Any]] = sqs.receive_message(
        QueueUrl=url,
        MaxNumberOfMessages=n,
        VisibilityTimeout=visibility,
        WaitTimeSeconds=0,
        MessageSystemAttributeNames=["All"],
        **extra,
    ).get("Messages", [])
    return got


def _bodies(messages: list[dict[str, Any]]) -> list[str]:
    return [m["Body"] for m in messages]


def _counts(sqs: Any, url: str) -> dict[str, int]:
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return {
        "visible": int(attrs["ApproximateNumberOfMessages"]),
        "not_visible": int(attrs["ApproximateNumberOfMessagesNotVisible"]),
        "delayed": int(attrs["ApproximateNumberOfMessagesDelayed"]),
    }


def _error(call: Callable[[], Any]) -> str:
    with pytest.raises(ClientError) as caught:
        call()
    return str(caught.value.response["Error"]["Code"])


# -- the patches themselves --------------------------------------------------------------------------


def test_clock_is_motos_clock_to_the_bit() -> None:
    from moto.core.utils import unix_time, unix_time_millis  # noqa: PLC0415

    rng = random.Random(7)
    epoch = datetime(1970, 1, 1)
    instants = [0, 1, 999, 1_000, 86_399_999_999_999, 86_400_000_000_000, time.time_ns()]
    instants += [rng.randrange(0, 4_102_444_800 * 10**9) for _ in range(20_000)]
    for ns in instants:
        moment = epoch + timedelta(microseconds=ns // 1_000)  # what datetime.now() holds at `ns`
        assert moto_speedups.unix_time_at(ns) == unix_time(moment), ns
        assert moto_speedups.unix_time_at(ns) * 1000.0 == unix_time_millis(moment), ns
    for _ in range(1_000):  # and the system clock is the one datetime.now() reads
        before = moto_speedups.unix_time_at(time.time_ns())
        now = unix_time()
        assert before <= now <= moto_speedups.unix_time_at(time.time_ns())
    # Like moto's (microseconds to read), never the same microsecond twice in a row.
    readings = [moto_speedups.now_ns() // 1_000 for _ in range(20_000)]
    assert all(a < b for a, b in itertools.pairwise(readings))


def test_other_moto_versions_are_left_alone(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(moto_speedups, "_warned", False)
    assert moto_speedups.supported("5.2.5")
    assert moto_speedups.supported("5.2.0")
    with caplog.at_level("WARNING", logger=moto_speedups.__name__):
        assert not moto_speedups.supported("5.3.0")
        assert not moto_speedups.supported("6.0.1")
        assert not moto_speedups.supported("dev")
    assert len(caplog.records) == 1
    assert "5.3.0" in caplog.records[0].getMessage()


def test_apply_is_idempotent() -> None:
    from moto.sqs import models  # noqa: PLC0415

    assert moto_speedups.apply()
    send = models.SQSBackend.send_message
    assert moto_speedups.apply()
    assert models.SQSBackend.send_message is send
    assert send.__wrapped__.__module__ == "moto.sqs.models"  # wrapped once, around moto's own
    assert models.Queue.delete_message.__wrapped__.__module__ == "moto.sqs.models"


class _M:
    def __init__(self, visible_at: float, delayed_until: float) -> None:
        self.visible_at, self.delayed_until = visible_at, delayed_until


def test_deliverable_messages_and_counts_judge_as_moto() -> None:
    from moto.core.utils import unix_time_millis  # noqa: PLC0415
    from moto.sqs.models import Message  # noqa: PLC0415

    now = unix_time_millis()
    messages = []
    for visible_at in (0.0, now - 1, now - 0.001, now, now + 0.001, now + 1_000):
        for delayed_until in (0.0, now - 1, now, now + 0.001, now + 1_000):
            message = Message(str(uuid.uuid4()), "x")
            message.visible_at, message.delayed_until = visible_at, delayed_until
            messages.append(message)
    # moto's own properties, at a frozen clock.
    import moto.sqs.models as models  # noqa: PLC0415

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(models, "unix_time_millis", lambda: now)
        visible = [m for m in messages if m.visible and not m.delayed]
        not_visible = len([m for m in messages if not m.visible])
        delayed = len([m for m in messages if m.delayed])
    assert list(moto_speedups.DeliverableMessages(messages, now)) == visible
    assert moto_speedups.count_not_visible(messages, now) == not_visible
    assert moto_speedups.count_delayed(messages, now) == delayed
    assert 0 < len(visible) < len(messages)
    assert not_visible > 0
    assert delayed > 0


def test_deliverable_messages_is_a_sequence() -> None:
    a, b, c, d = _M(0, 0), _M(200, 0), _M(0, 200), _M(99, 50)
    view = moto_speedups.DeliverableMessages([a, b, c, d], now=100)
    assert list(view) == [a, d]
    assert len(view) == 2 and bool(view) and view[1] is d and view[:1] == [a]
    assert view == [a, d] and a in view and b not in view
    assert not moto_speedups.DeliverableMessages([b, c, _M(100, 0)], now=100)
    assert len(moto_speedups.DeliverableMessages([], now=100)) == 0


# -- behaviour, through the API ----------------------------------------------------------------------


def test_receive_order_in_flight_and_counts(sqs: Any) -> None:
    url = _queue(sqs)
    bodies = [f"m{n:02d}" for n in range(25)]
    _send(sqs, url, bodies)
    assert _counts(sqs, url) == {"visible": 25, "not_visible": 0, "delayed": 0}
    assert _bodies(_receive(sqs, url)) == bodies[:10]
    assert _bodies(_receive(sqs, url, 3)) == bodies[10:13]
    assert _counts(sqs, url) == {"visible": 12, "not_visible": 13, "delayed": 0}
    got = sqs.get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessagesNotVisible", "DelaySeconds"]
    )["Attributes"]
    assert got == {"ApproximateNumberOfMessagesNotVisible": "13", "DelaySeconds": "0"}
    got = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["VisibilityTimeout"])["Attributes"]
    assert got == {"VisibilityTimeout": "30"}
    assert _bodies(_receive(sqs, url)) == bodies[13:23]
    assert _bodies(_receive(sqs, url)) == bodies[23:]
    assert _receive(sqs, url) == []


def test_each_attribute_alone_is_as_in_all(sqs: Any) -> None:
    dlq = _queue(sqs, ".fifo", FifoQueue="true")
    policy = f'{{"deadLetterTargetArn": "{_arn(sqs, dlq)}", "maxReceiveCount": 4}}'
    access = (
        '{"Version": "2012-10-17", "Statement": [{"Sid": "s", "Effect": "Allow", "Principal": "*", '
        '"Action": "sqs:SendMessage", "Resource": "*"}]}'
    )
    fifo = _queue(
        sqs,
        ".fifo",
        FifoQueue="true",
        ContentBasedDeduplication="true",
        RedrivePolicy=policy,
        Policy=access,
        KmsMasterKeyId="alias/x",
        VisibilityTimeout=45,
    )
    standard = _queue(sqs, DelaySeconds=3, MessageRetentionPeriod=600, ReceiveMessageWaitTimeSeconds=2)
    _send(sqs, fifo, ["a", "b"], MessageGroupId="G")
    _receive(sqs, fifo, 1)
    _send(sqs, standard, ["a"])
    for url in (fifo, standard):
        everything = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        assert "QueueArn" in everything and "ApproximateNumberOfMessages" in everything
        for name, value in everything.items():
            alone = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[name])["Attributes"]
            assert alone == {name: value}
        some = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=list(everything)[::2])["Attributes"]
        assert some == dict(list(everything.items())[::2])


def test_visibility_timeout_then_received_again(sqs: Any) -> None:
    url = _queue(sqs)
    _send(sqs, url, ["a", "b"])
    first = _receive(sqs, url, 1, visibility=1)
    assert _bodies(first) == ["a"]
    assert first[0]["Attributes"]["ApproximateReceiveCount"] == "1"
    assert _bodies(_receive(sqs, url, 10, visibility=1)) == ["b"]
    assert _receive(sqs, url) == []
    time.sleep(1.2)
    again = _receive(sqs, url, 1)
    assert _bodies(again) == ["a"]
    assert again[0]["MessageId"] == first[0]["MessageId"]
    assert again[0]["ReceiptHandle"] != first[0]["ReceiptHandle"]
    assert again[0]["Attributes"]["ApproximateReceiveCount"] == "2"
    # moto accepts any receipt handle the message ever had.
    sqs.delete_message(QueueUrl=url, ReceiptHandle=first[0]["ReceiptHandle"])
    sqs.delete_message(QueueUrl=url, ReceiptHandle=again[0]["ReceiptHandle"])  # again: no error
    assert _counts(sqs, url) == {"visible": 1, "not_visible": 0, "delayed": 0}  # b's timeout passed too
    assert _bodies(_receive(sqs, url)) == ["b"]


def test_change_visibility(sqs: Any) -> None:
    url = _queue(sqs)
    _send(sqs, url, ["a", "b", "c"])
    got = _receive(sqs, url)
    assert _bodies(got) == ["a", "b", "c"]
    handles = {m["Body"]: m["ReceiptHandle"] for m in got}
    sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=handles["b"], VisibilityTimeout=0)
    assert _counts(sqs, url) == {"visible": 1, "not_visible": 2, "delayed": 0}
    again = _receive(sqs, url)
    assert _bodies(again) == ["b"]
    assert again[0]["Attributes"]["ApproximateReceiveCount"] == "2"
    sqs.change_message_visibility_batch(
        QueueUrl=url,
        Entries=[
            {"Id": "a", "ReceiptHandle": handles["a"], "VisibilityTimeout": 0},
            {"Id": "c", "ReceiptHandle": handles["c"], "VisibilityTimeout": 600},
        ],
    )
    assert _bodies(_receive(sqs, url)) == ["a"]
    sqs.delete_message(QueueUrl=url, ReceiptHandle=handles["c"])
    assert "ReceiptHandleIsInvalid" in _error(
        lambda: sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=handles["c"], VisibilityTimeout=0)
    )
    assert "ReceiptHandleIsInvalid" in _error(
        lambda: sqs.change_message_visibility(QueueUrl=url, ReceiptHandle="x" * 185, VisibilityTimeout=0)
    )
    assert "InvalidParameterValue" in _error(
        lambda: sqs.change_message_visibility(
            QueueUrl=url, ReceiptHandle=again[0]["ReceiptHandle"], VisibilityTimeout=43_200
        )
    )
    assert _counts(sqs, url) == {"visible": 0, "not_visible": 2, "delayed": 0}


def test_receive_with_no_visibility_timeout_leaves_the_message_visible(sqs: Any) -> None:
    url = _queue(sqs)
    _send(sqs, url, ["a"])
    assert _bodies(_receive(sqs, url, visibility=0)) == ["a"]
    got = _receive(sqs, url, visibility=0)
    assert got[0]["Attributes"]["ApproximateReceiveCount"] == "2"
    assert _counts(sqs, url) == {"visible": 1, "not_visible": 0, "delayed": 0}


def test_delete(sqs: Any) -> None:
    url = _queue(sqs)
    other = _queue(sqs)
    _send(sqs, url, [str(n) for n in range(12)])
    _send(sqs, other, ["x"])
    got = _receive(sqs, url)
    elsewhere = _receive(sqs, other)[0]["ReceiptHandle"]
    sqs.delete_message(QueueUrl=url, ReceiptHandle=got[4]["ReceiptHandle"])
    sqs.delete_message(QueueUrl=url, ReceiptHandle=got[4]["ReceiptHandle"])
    failed = sqs.delete_message_batch(
        QueueUrl=url,
        Entries=[
            {"Id": "ok", "ReceiptHandle": got[0]["ReceiptHandle"]},
            {"Id": "other-queue", "ReceiptHandle": elsewhere},
            {"Id": "bogus", "ReceiptHandle": "y" * 185},
        ],
    )
    assert [s["Id"] for s in failed["Successful"]] == ["ok"]
    assert sorted(f["Id"] for f in failed["Failed"]) == ["bogus", "other-queue"]
    assert _counts(sqs, url) == {"visible": 2, "not_visible": 8, "delayed": 0}
    assert _counts(sqs, other) == {"visible": 0, "not_visible": 1, "delayed": 0}
    for m in got[1:4] + got[5:]:
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=0)
    assert _bodies(_receive(sqs, url)) == ["1", "2", "3", "5", "6", "7", "8", "9", "10", "11"]


def test_delays(sqs: Any) -> None:
    url = _queue(sqs, DelaySeconds=1)
    sqs.send_message(QueueUrl=url, MessageBody="queue-delay")
    sqs.send_message(QueueUrl=url, MessageBody="no-delay", DelaySeconds=0)
    plain = _queue(sqs)
    sqs.send_message(QueueUrl=plain, MessageBody="message-delay", DelaySeconds=1)
    _send(sqs, plain, ["batch-delay"], DelaySeconds=1)
    sqs.send_message(QueueUrl=plain, MessageBody="now")
    assert _counts(sqs, url) == {"visible": 1, "not_visible": 0, "delayed": 1}
    assert _counts(sqs, plain) == {"visible": 1, "not_visible": 0, "delayed": 2}
    assert _bodies(_receive(sqs, url)) == ["no-delay"]
    assert _bodies(_receive(sqs, plain)) == ["now"]
    time.sleep(1.2)
    assert _counts(sqs, plain) == {"visible": 2, "not_visible": 1, "delayed": 0}
    assert _bodies(_receive(sqs, url)) == ["queue-delay"]
    assert _bodies(_receive(sqs, plain)) == ["message-delay", "batch-delay"]


def test_redrive_after_max_receive_count(sqs: Any) -> None:
    dlq = _queue(sqs)
    policy = f'{{"deadLetterTargetArn": "{_arn(sqs, dlq)}", "maxReceiveCount": "2"}}'
    url = _queue(sqs, RedrivePolicy=policy)
    _send(sqs, url, ["poison", "fine"])
    for receive_count in ("1", "2"):
        got = _receive(sqs, url, 1, visibility=0)
        assert _bodies(got) == ["poison"]
        assert got[0]["Attributes"]["ApproximateReceiveCount"] == receive_count
    # Third receive: poison has been received maxReceiveCount times: it moves to the DLQ instead.
    assert _bodies(_receive(sqs, url, 1, visibility=0)) == ["fine"]
    assert _counts(sqs, dlq) == {"visible": 1, "not_visible": 0, "delayed": 0}
    dead = _receive(sqs, dlq)
    assert _bodies(dead) == ["poison"]
    assert dead[0]["Attributes"]["ApproximateReceiveCount"] == "3"
    sqs.delete_message(QueueUrl=dlq, ReceiptHandle=dead[0]["ReceiptHandle"])
    assert _counts(sqs, dlq) == {"visible": 0, "not_visible": 0, "delayed": 0}
    assert [q.rsplit("/", 1)[-1] for q in sqs.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"]] == [
        url.rsplit("/", 1)[-1]
    ]


def test_purge(sqs: Any) -> None:
    url = _queue(sqs)
    _send(sqs, url, [str(n) for n in range(5)])
    got = _receive(sqs, url, 2)
    sqs.purge_queue(QueueUrl=url)
    assert _counts(sqs, url) == {"visible": 0, "not_visible": 0, "delayed": 0}
    assert _receive(sqs, url) == []
    assert "ReceiptHandleIsInvalid" in _error(
        lambda: sqs.delete_message(QueueUrl=url, ReceiptHandle=got[0]["ReceiptHandle"])
    )
    _send(sqs, url, ["after"])
    assert _bodies(_receive(sqs, url)) == ["after"]


def test_retention(sqs: Any) -> None:
    url = _queue(sqs, MessageRetentionPeriod=1)
    _send(sqs, url, ["old"])
    time.sleep(1.2)
    assert _receive(sqs, url) == []


def test_long_polling_wakes_on_a_send(sqs: Any) -> None:
    url = _queue(sqs)
    assert sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages", []) == []
    sender = _client(sqs.meta.endpoint_url)
    threading.Timer(0.3, lambda: sender.send_message(QueueUrl=url, MessageBody="late")).start()
    got = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=5).get("Messages", [])
    assert _bodies(got) == ["late"]


def test_fifo_groups_and_deduplication(sqs: Any) -> None:
    url = _queue(sqs, ".fifo", FifoQueue="true", ContentBasedDeduplication="true")
    first = sqs.send_message(QueueUrl=url, MessageBody="a1", MessageGroupId="A")
    duplicate = sqs.send_message(QueueUrl=url, MessageBody="a1", MessageGroupId="A")
    assert duplicate["MessageId"] != first["MessageId"]  # accepted, but not queued twice
    _send(sqs, url, ["a2", "b1"], MessageGroupId="A")
    sqs.send_message(QueueUrl=url, MessageBody="b1", MessageGroupId="B")  # same body: deduplicated
    sqs.send_message(QueueUrl=url, MessageBody="b2", MessageGroupId="B")
    sqs.send_message(QueueUrl=url, MessageBody="c1", MessageGroupId="C", MessageDeduplicationId="x")
    sqs.send_message(QueueUrl=url, MessageBody="c2", MessageGroupId="C", MessageDeduplicationId="x")
    assert _counts(sqs, url) == {"visible": 5, "not_visible": 0, "delayed": 0}
    a1 = _receive(sqs, url, 1)
    assert _bodies(a1) == ["a1"]
    assert a1[0]["Attributes"]["MessageGroupId"] == "A"
    assert _bodies(_receive(sqs, url, 1)) == ["b2"]  # group A is in flight; "b1" went to group A
    assert _bodies(_receive(sqs, url, 1)) == ["c1"]
    assert _receive(sqs, url) == []  # every group has a message in flight
    sqs.delete_message(QueueUrl=url, ReceiptHandle=a1[0]["ReceiptHandle"])
    assert _bodies(_receive(sqs, url)) == ["a2", "b1"]

    explicit = _queue(sqs, ".fifo", FifoQueue="true")
    assert "MissingParameter" in _error(lambda: sqs.send_message(QueueUrl=explicit, MessageBody="x"))
    assert "InvalidParameterValue" in _error(
        lambda: sqs.send_message(QueueUrl=explicit, MessageBody="x", MessageGroupId="G")
    )
    for n in range(3):
        sqs.send_message(
            QueueUrl=explicit, MessageBody=f"x{n}", MessageGroupId="G", MessageDeduplicationId="d"
        )
    sqs.send_message(QueueUrl=explicit, MessageBody="y", MessageGroupId="G", MessageDeduplicationId="e")
    assert _bodies(_receive(sqs, explicit)) == ["x0", "y"]
    attrs = sqs.get_queue_attributes(QueueUrl=explicit, AttributeNames=["All"])["Attributes"]
    assert attrs["FifoQueue"] == "true" and attrs["ContentBasedDeduplication"] == "false"


@pytest.mark.parametrize("server", ["sqs", "plain_sqs"])
def test_fifo_visibility_reset_releases_the_group(server: str, request: pytest.FixtureRequest) -> None:
    # ChangeMessageVisibility(0) takes the message out of the in-flight set only if `visible`, read just
    # after the new visible_at was stored, is already true: moto's clock never reads the same
    # microsecond twice in a row, so it always is, and a later receive starts with the group's head.
    sqs = request.getfixturevalue(server)
    url = _queue(sqs, ".fifo", FifoQueue="true", ContentBasedDeduplication="true")
    for n in range(40):
        _send(sqs, url, [f"{n}-head", f"{n}-next"], MessageGroupId=f"G{n}")
        handles = [m["ReceiptHandle"] for m in _receive(sqs, url)]
        assert len(handles) == 2
        sqs.change_message_visibility_batch(
            QueueUrl=url,
            Entries=[
                {"Id": str(i), "ReceiptHandle": h, "VisibilityTimeout": 0} for i, h in enumerate(handles)
            ],
        )
        got = _receive(sqs, url)
        assert _bodies(got) == [f"{n}-head", f"{n}-next"], n
        for m in got:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])


def test_fifo_redrive(sqs: Any) -> None:
    dlq = _queue(sqs, ".fifo", FifoQueue="true", ContentBasedDeduplication="true")
    policy = f'{{"deadLetterTargetArn": "{_arn(sqs, dlq)}", "maxReceiveCount": 1}}'
    url = _queue(sqs, ".fifo", FifoQueue="true", ContentBasedDeduplication="true", RedrivePolicy=policy)
    sqs.send_message(QueueUrl=url, MessageBody="p", MessageGroupId="A")
    got = _receive(sqs, url, 1)
    sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=got[0]["ReceiptHandle"], VisibilityTimeout=0)
    assert _receive(sqs, url) == []
    assert _bodies(_receive(sqs, dlq)) == ["p"]


# -- differential: the same calls against plain moto -------------------------------------------------


class _Transcript:
    """Runs one random sequence of SQS calls, recording what a client can observe (no ids or times)."""

    def __init__(self, sqs: Any, fifo: bool) -> None:
        self.sqs = sqs
        self.fifo = fifo
        suffix, extra = (
            (".fifo", {"FifoQueue": "true", "ContentBasedDeduplication": "true"}) if fifo else ("", {})
        )
        self.dlq = _queue(sqs, suffix, **extra)
        policy = f'{{"deadLetterTargetArn": "{_arn(sqs, self.dlq)}", "maxReceiveCount": 3}}'
        self.url = _queue(sqs, suffix, RedrivePolicy=policy, **extra)
        self.handles: list[str] = []
        self.sent = 0

    def step(self, rng: random.Random) -> object:
        sqs, url = self.sqs, self.url
        op = rng.choice(["send", "send", "receive", "receive", "receive", "change", "delete", "counts"])
        if op == "send":
            entries = []
            for n in range(rng.randint(1, 6)):
                extra = {"MessageGroupId": rng.choice("GHI")} if self.fifo else {}
                body = f"m{rng.randrange(self.sent + 1)}" if self.fifo else f"m{self.sent}"
                entries.append({"Id": str(n), "MessageBody": body, **extra})
                self.sent += 1
            sent = sqs.send_message_batch(QueueUrl=url, Entries=entries)
            return (
                "send",
                [(s["Id"], s["MD5OfMessageBody"]) for s in sent["Successful"]],
                sent.get("Failed"),
            )
        if op == "receive":
            queue = url if rng.random() < 0.85 else self.dlq
            got = _receive(sqs, queue, rng.randint(1, 10), visibility=rng.choice([0, 0, 300]))
            self.handles += [m["ReceiptHandle"] for m in got]
            return (
                "receive",
                queue == url,
                [(m["Body"], m["Attributes"]["ApproximateReceiveCount"], m["MD5OfBody"]) for m in got],
            )
        if op == "counts":
            return ("counts", _counts(sqs, url), _counts(sqs, self.dlq))
        if not self.handles:
            return (op, None)
        handle = rng.choice(self.handles)
        queue = url if rng.random() < 0.85 else self.dlq
        try:
            if op == "change":
                seconds = rng.choice([0, 0, 300])
                sqs.change_message_visibility(QueueUrl=queue, ReceiptHandle=handle, VisibilityTimeout=seconds)
            else:
                sqs.delete_message(QueueUrl=queue, ReceiptHandle=handle)
        except ClientError as exc:
            return (op, queue == url, exc.response["Error"]["Code"])
        return (op, queue == url, "ok")


@pytest.mark.parametrize("fifo", [False, True], ids=["standard", "fifo"])
def test_same_transcript_as_plain_moto(sqs: Any, plain_sqs: Any, fifo: bool) -> None:
    patched, plain = _Transcript(sqs, fifo), _Transcript(plain_sqs, fifo)

    def run(transcript: _Transcript) -> list[object]:
        rng = random.Random(11)  # each call's choices depend only on the calls before it
        return [transcript.step(rng) for _ in range(250)]

    with ThreadPoolExecutor(2) as pool:  # plain moto is the slow one: run both at once
        ours, theirs = pool.map(run, [patched, plain])
    for n, (mine, moto) in enumerate(zip(ours, theirs, strict=True)):
        assert mine == moto, f"call {n}"
    assert _counts(sqs, patched.url) == _counts(plain_sqs, plain.url)
    assert _counts(sqs, patched.dlq) == _counts(plain_sqs, plain.dlq)


# -- DynamoDB TransactWriteItems: the named items are backed up, not the tables ----------------------


def test_a_transaction_copies_no_table() -> None:
    from moto.dynamodb import models  # noqa: PLC0415
    from moto.dynamodb.models.table import Table  # noqa: PLC0415

    assert moto_speedups.apply()
    table = Table(
        "t",
        account_id="123456789012",
        region="us-east-1",
        schema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        attr=[{"AttributeName": "pk", "AttributeType": "S"}],
    )
    other = {"nested": [1, 2]}
    assert models.copy.deepcopy(table) is not table  # outside a transaction: a real copy
    token = moto_speedups._IN_TRANSACTION.set(True)
    try:
        assert models.copy.deepcopy(table) is table
        assert models.copy.deepcopy(other) == other and models.copy.deepcopy(other) is not other
    finally:
        moto_speedups._IN_TRANSACTION.reset(token)
    assert models.copy.copy is __import__("copy").copy


def _backend_with_table(name: str, *keys: str) -> Any:
    """A bare moto DynamoDB backend holding one table keyed on `keys` (hash, then range)."""
    from moto.dynamodb.models import DynamoDBBackend  # noqa: PLC0415

    backend = DynamoDBBackend("us-east-1", "123456789012")
    backend.create_table(
        name,
        schema=[{"AttributeName": k, "KeyType": t} for k, t in zip(keys, ("HASH", "RANGE"), strict=False)],
        throughput=None,
        attr=[{"AttributeName": k, "AttributeType": "S"} for k in keys],
        global_indexes=None,
        indexes=None,
        streams=None,
        billing_mode="PAY_PER_REQUEST",
        sse_specification=None,
        tags=[],
        deletion_protection_enabled=False,
        warm_throughput=None,
    )
    return backend


def test_a_cancelled_transaction_restores_every_item_it_touched() -> None:
    from moto.dynamodb.exceptions import TransactionCanceledException  # noqa: PLC0415

    assert moto_speedups.apply()
    backend = _backend_with_table("r", "pk", "sk")

    def key(pk: str, sk: str) -> dict[str, Any]:
        return {"pk": {"S": pk}, "sk": {"S": sk}}

    def state() -> dict[tuple[str, str], dict[str, Any]]:
        return {
            (i.hash_key.value, i.range_key.value): i.to_json()["Attributes"]
            for i in backend.get_table("r").all_items()
        }

    backend.transact_write_items([{"Put": {"TableName": "r", "Item": {**key("a", "1"), "n": {"N": "1"}}}}])
    before = state()
    with pytest.raises(TransactionCanceledException):
        backend.transact_write_items(
            [
                {"Put": {"TableName": "r", "Item": {**key("a", "2"), "n": {"N": "2"}}}},  # a new item
                {
                    "Update": {  # an existing item, changed
                        "TableName": "r",
                        "Key": key("a", "1"),
                        "UpdateExpression": "SET n = :n",
                        "ExpressionAttributeValues": {":n": {"N": "9"}},
                    }
                },
                {"Delete": {"TableName": "r", "Key": key("b", "1")}},  # absent, stays absent
                {  # and the condition that cancels it all
                    "ConditionCheck": {
                        "TableName": "r",
                        "Key": key("c", "1"),
                        "ConditionExpression": "attribute_exists(pk)",
                    }
                },
            ]
        )
    assert state() == before


def test_each_transaction_backs_up_afresh() -> None:
    from moto.dynamodb.exceptions import TransactionCanceledException  # noqa: PLC0415

    assert moto_speedups.apply()
    backend = _backend_with_table("t", "pk")

    def put(key: str, condition: str | None = None) -> dict[str, Any]:
        op: dict[str, Any] = {"TableName": "t", "Item": {"pk": {"S": key}}}
        if condition:
            op["ConditionExpression"] = condition
        return {"Put": op}

    def keys() -> list[str]:
        return sorted(i.hash_key.value for i in backend.get_table("t").all_items())

    backend.transact_write_items([put("a")])
    with pytest.raises(TransactionCanceledException):
        backend.transact_write_items([put("b"), put("a", "attribute_not_exists(pk)")])
    assert keys() == ["a"]  # rolled back to the state before this transaction, not an older one
    backend.transact_write_items([put("c")])
    with pytest.raises(TransactionCanceledException):
        backend.transact_write_items([put("d"), put("c", "attribute_not_exists(pk)")])
    assert keys() == ["a", "c"]


def _table(db: Any, name: str) -> None:
    db.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
            {"AttributeName": "g", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "gsi",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )


def _dump(db: Any, name: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = db.scan(TableName=name, ConsistentRead=True)["Items"]
    return sorted(items, key=lambda i: (i["pk"]["S"], i["sk"]["S"]))


class _Transactions:
    """Random TransactWriteItems over two tables, recording what a client observes."""

    def __init__(self, db: Any) -> None:
        self.db = db
        self.tables = [f"t-{uuid.uuid4().hex[:10]}" for _ in range(2)]
        for name in self.tables:
            _table(db, name)

    def step(self, rng: random.Random) -> object:
        actions, keys = [], set()
        for _ in range(rng.randint(1, 6)):
            table = rng.choice(range(2))
            key = (table, f"p{rng.randrange(6)}", f"s{rng.randrange(3)}")
            if key in keys and rng.random() < 0.9:
                continue  # a repeated key cancels the whole transaction: sometimes, not always
            keys.add(key)
            name = self.tables[table]
            item_key = {"pk": {"S": key[1]}, "sk": {"S": key[2]}}
            kind = rng.choice(["Put", "Put", "Update", "Delete", "ConditionCheck"])
            condition = rng.choice(
                [None] * 6 + ["attribute_not_exists(pk)", "attribute_exists(pk)", "n < :limit"]
            )
            op: dict[str, Any] = {"TableName": name}
            if kind == "Put":
                op["Item"] = {**item_key, "n": {"N": str(rng.randrange(20))}, "g": {"S": rng.choice("ab")}}
            else:
                op["Key"] = item_key
            if kind == "Update":
                if rng.random() < 0.5:
                    op["UpdateExpression"] = "ADD n :one SET g = :g"
                    op["ExpressionAttributeValues"] = {":one": {"N": "1"}, ":g": {"S": rng.choice("ab")}}
                else:  # a plain SET
                    op["UpdateExpression"] = rng.choice(["SET g = :g", "SET #g = :g, m = :m"])
                    op["ExpressionAttributeValues"] = {":g": {"S": rng.choice("ab")}}
                    if "#g" in op["UpdateExpression"]:
                        op["ExpressionAttributeNames"] = {"#g": "g"}
                        op["ExpressionAttributeValues"][":m"] = {"N": str(rng.randrange(3))}
            if kind == "ConditionCheck" and condition is None:
                condition = "attribute_exists(pk)"
            if condition is not None:
                op["ConditionExpression"] = condition
                if ":limit" in condition:
                    # The same expression with other values: a parsed condition is reused only for
                    # the same values.
                    limit = {"N": str(rng.choice([5, 10, 15]))}
                    op.setdefault("ExpressionAttributeValues", {})[":limit"] = limit
            actions.append({kind: op})
        try:
            self.db.transact_write_items(TransactItems=actions)
            outcome: object = "ok"
        except ClientError as exc:
            reasons = exc.response.get("CancellationReasons", [])
            outcome = (exc.response["Error"]["Code"], [r.get("Code") for r in reasons])
        by_gsi = [
            sorted(
                (i["pk"]["S"], i["sk"]["S"])
                for i in self.db.query(
                    TableName=name,
                    IndexName="gsi",
                    KeyConditionExpression="g = :g",
                    ExpressionAttributeValues={":g": {"S": "a"}},
                )["Items"]
            )
            for name in self.tables
        ]
        return outcome, [_dump(self.db, name) for name in self.tables], by_gsi


def test_transactions_as_plain_moto(sqs: Any, plain_sqs: Any) -> None:
    patched = _Transactions(_client(sqs.meta.endpoint_url, "dynamodb"))
    plain = _Transactions(_client(plain_sqs.meta.endpoint_url, "dynamodb"))

    def run(transactions: _Transactions) -> list[object]:
        rng = random.Random(5)
        return [transactions.step(rng) for _ in range(150)]

    with ThreadPoolExecutor(2) as pool:
        ours, theirs = pool.map(run, [patched, plain])
    outcomes = [o[0] for o in ours]
    assert "ok" in outcomes and any(o != "ok" for o in outcomes)  # both commits and rollbacks happened
    for n, (mine, moto) in enumerate(zip(ours, theirs, strict=True)):
        assert mine == moto, f"transaction {n}"


def test_an_invalid_condition_fails_every_time(sqs: Any) -> None:
    db = _client(sqs.meta.endpoint_url, "dynamodb")
    name = f"t-{uuid.uuid4().hex[:10]}"
    _table(db, name)
    item = {"pk": {"S": "p"}, "sk": {"S": "s"}, "g": {"S": "a"}}
    codes = []
    for _ in range(2):  # a value the request does not define (moto answers 500): refused again
        with pytest.raises(ClientError) as caught:
            db.put_item(TableName=name, Item=item, ConditionExpression="n < :missing")
        codes.append(caught.value.response["Error"]["Code"])
    assert codes[0] == codes[1]
    assert "Item" not in db.get_item(TableName=name, Key={"pk": {"S": "p"}, "sk": {"S": "s"}})
    db.put_item(TableName=name, Item=item, ConditionExpression="attribute_not_exists(pk)")
    with pytest.raises(ClientError) as again:
        db.put_item(TableName=name, Item=item, ConditionExpression="attribute_not_exists(pk)")
    assert again.value.response["Error"]["Code"] == "ConditionalCheckFailedException"


def _expression_transcript(db: Any) -> list[object]:
    """The same conditions and update expressions again and again, valid and not, with names and
    values the request uses or leaves unused (moto refuses those): what a client sees of each."""
    name = f"t-{uuid.uuid4().hex[:10]}"
    _table(db, name)
    key = {"pk": {"S": "p"}, "sk": {"S": "s"}}

    def update(expression: str, values: dict[str, Any], **extra: Any) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": name,
                "Key": key,
                "UpdateExpression": expression,
                "ExpressionAttributeValues": values,
                **extra,
            }
        }

    names = {"#p": "pk", "#g": "g"}
    requests: list[dict[str, Any]] = [
        {"Put": {"TableName": name, "Item": {**key, "g": {"S": "a"}}}},
        # names used by the condition and by the update expression between them
        update(
            "SET #g = :g",
            {":g": {"S": "b"}},
            ConditionExpression="attribute_exists(#p)",
            ExpressionAttributeNames=names,
        ),
        # the same condition, names and values, but #g unused now: refused, though the request
        # before used it (a parse's placeholder lists are per request)
        update(
            "SET g = :g",
            {":g": {"S": "b"}},
            ConditionExpression="attribute_exists(#p)",
            ExpressionAttributeNames=names,
        ),
        # a name nothing uses
        update(
            "SET g = :g",
            {":g": {"S": "c"}},
            ConditionExpression="attribute_exists(#p)",
            ExpressionAttributeNames={"#p": "pk", "#unused": "g"},
        ),
        update("SET = :g", {":g": {"S": "d"}}),  # invalid syntax
        update("SET g = :missing", {":g": {"S": "e"}}),  # a value the expression does not define
        # plain SETs that moto refuses: a key attribute, an index key set empty, a reserved word
        update("SET sk = :v", {":v": {"S": "t"}}),
        update("SET g = :v", {":v": {"S": ""}}),
        update("SET status = :v", {":v": {"S": "x"}}),
        # a plain SET that works, with a name and two values
        update(
            "SET #g = :g, sent_at = :at",
            {":g": {"S": "b"}, ":at": {"S": "2026-11-23"}},
            ExpressionAttributeNames={"#g": "g"},
        ),
        {
            "ConditionCheck": {
                "TableName": name,
                "Key": key,
                "ConditionExpression": "g = :g",
                "ExpressionAttributeValues": {":g": {"S": "b"}},
            }
        },
    ]
    seen: list[object] = []
    for _ in range(3):
        for request in requests:
            try:
                db.transact_write_items(TransactItems=[request])
                seen.append("ok")
            except ClientError as exc:
                seen.append((exc.response["Error"]["Code"], exc.response["Error"].get("Message", "")))
        seen.append(_dump(db, name))  # the whole item after each round
    return seen


def test_parsed_expressions_answer_as_plain_moto(sqs: Any, plain_sqs: Any) -> None:
    ours = _expression_transcript(_client(sqs.meta.endpoint_url, "dynamodb"))
    theirs = _expression_transcript(_client(plain_sqs.meta.endpoint_url, "dynamodb"))
    assert ours == theirs
    assert "ok" in ours and any(isinstance(o, tuple) for o in ours)  # both answers happened
    third = len(ours) // 3
    assert ours[:third] == ours[third : 2 * third] == ours[2 * third :]  # each round answers alike
