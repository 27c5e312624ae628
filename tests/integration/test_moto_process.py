"""moto in a process of its own: it serves on loopback, and is gone once stopped."""

from __future__ import annotations

import os

import boto3
import pytest

from cxrecon_local.moto_process import MotoProcess


def test_moto_process_serves_on_loopback_and_stops() -> None:
    with MotoProcess() as moto:
        host, port = moto.get_host_and_port()
        assert host == "127.0.0.1" and moto.pid is not None
        sqs = boto3.client(
            "sqs",
            endpoint_url=f"http://{host}:{port}",
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        url = sqs.create_queue(QueueName="q")["QueueUrl"]
        sqs.send_message_batch(
            QueueUrl=url, Entries=[{"Id": str(n), "MessageBody": str(n)} for n in range(10)]
        )
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
        assert sorted(int(m["Body"]) for m in got) == list(range(10))
    with pytest.raises(ProcessLookupError):  # the child is gone (and reaped) once stopped
        os.kill(moto.pid, 0)
