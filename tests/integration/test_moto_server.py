"""moto on cheroot: what werkzeug's server did for moto still holds, and connections are kept."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import urllib3.connection

from cxrecon_local.moto_server import KeepAliveMotoServer


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    server = KeepAliveMotoServer()
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def _client(endpoint: str, service: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def test_s3_metadata_names_keep_their_underscores(endpoint: str) -> None:
    s3 = _client(endpoint, "s3")
    s3.create_bucket(Bucket="meta")
    key = "exports/a b+c/ü.json"
    s3.put_object(Bucket="meta", Key=key, Body=b"{}", Metadata={"file_id": "1", "Other-Key": "2"})
    head = s3.head_object(Bucket="meta", Key=key)
    assert head["Metadata"] == {"file_id": "1", "other-key": "2"}
    assert s3.get_object(Bucket="meta", Key=key)["Body"].read() == b"{}"


def test_one_client_keeps_one_connection(endpoint: str, monkeypatch: pytest.MonkeyPatch) -> None:
    connects: list[str] = []
    connect = urllib3.connection.HTTPConnection.connect

    def counted(self: urllib3.connection.HTTPConnection) -> None:
        connects.append(self.host)
        connect(self)

    monkeypatch.setattr(urllib3.connection.HTTPConnection, "connect", counted)
    sqs = _client(endpoint, "sqs")
    url = sqs.create_queue(QueueName="kept")["QueueUrl"]
    for n in range(5):
        sqs.send_message(QueueUrl=url, MessageBody=str(n))
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert sorted(m["Body"] for m in got) == [str(n) for n in range(5)]
    assert connects == ["127.0.0.1"]  # seven calls, one connection (werkzeug's server closed each)
