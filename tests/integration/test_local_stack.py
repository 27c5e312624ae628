"""The embedded AWS stack: moto on loopback, populated from template.yaml."""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus, urlsplit

import pytest

from cxrecon.config import Settings
from cxrecon_local.stack import LocalStack, start_local_stack

QUEUES = {"IngestQueue": "IngestDLQ", "ChunkQueue": "ChunkDLQ", "ReviewQueue": "ReviewDLQ"}
FUNCTIONS = ("IngestFunction", "ReconcileFunction")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    # A developer's AWS configuration (another profile, region and keys) must play no part.
    aws = tmp_path_factory.mktemp("aws")
    (aws / "config").write_text("[profile cxrecon-dev]\nregion = eu-west-3\n")
    (aws / "credentials").write_text(
        "[cxrecon-dev]\naws_access_key_id = AKIAREALLOOKINGKEY00\naws_secret_access_key = x\n"
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AWS_CONFIG_FILE", str(aws / "config"))
        mp.setenv("AWS_SHARED_CREDENTIALS_FILE", str(aws / "credentials"))
        mp.setenv("AWS_PROFILE", "cxrecon-dev")
        mp.setenv("AWS_DEFAULT_REGION", "eu-west-3")
        mp.setenv("AWS_REGION", "eu-west-3")
        before = dict(os.environ)
        with start_local_stack() as local:
            assert dict(os.environ) == before, "start_local_stack changed os.environ"
            yield local


def _receive_all(sqs: Any, url: str, want: int, timeout: float = 10.0) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while len(messages) < want and time.monotonic() < deadline:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        for message in got.get("Messages", []):
            messages.append(message)
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return messages


def test_stack_comes_up(stack: LocalStack) -> None:
    assert stack.region == "us-east-1"
    assert ":us-east-1:" in stack.parameters["SalesforceSecretArn"]
    assert all(url.startswith("https://sqs.us-east-1.") for k, url in stack.resources.items() if k in QUEUES)
    assert urlsplit(stack.endpoint_url).hostname == "127.0.0.1"
    assert set(stack.resources) >= {
        "ExportsBucket",
        "OutputsBucket",
        "LedgerTable",
        *QUEUES,
        *QUEUES.values(),
    }
    assert not {k for k in stack.resources if k.endswith("Role") or k in FUNCTIONS}
    assert set(stack.dropped) >= set(FUNCTIONS)
    assert stack.outputs["ExportsBucketName"] == stack.resources["ExportsBucket"]
    assert stack.outputs["IngestQueueUrl"] == stack.resources["IngestQueue"]
    assert stack.outputs["ReviewDLQUrl"] == stack.resources["ReviewDLQ"]
    assert stack.outputs["LedgerTableName"] == stack.resources["LedgerTable"]
    assert 0 < stack.startup_seconds < 20
    buckets = {b["Name"] for b in stack.client("s3").list_buckets()["Buckets"]}
    assert {stack.resources["ExportsBucket"], stack.resources["OutputsBucket"]} <= buckets
    # Lambda is not emulated: a fake function behind a mapping would swallow the queues' messages.
    assert stack.client("lambda").list_event_source_mappings()["EventSourceMappings"] == []


def test_exports_upload_notifies_the_ingest_queue(stack: LocalStack) -> None:
    s3, sqs = stack.client("s3"), stack.client("sqs")
    bucket, queue = stack.resources["ExportsBucket"], stack.resources["IngestQueue"]
    s3.put_object(Bucket=bucket, Key="directory/users.csv", Body=b"email,name\n")  # not under exports/
    s3.put_object(Bucket=bucket, Key="exports/a b+c.json", Body=b"[]")
    test_event, created = _receive_all(sqs, queue, want=2)
    assert json.loads(test_event["Body"])["Event"] == "s3:TestEvent"
    (record,) = json.loads(created["Body"])["Records"]
    assert record["eventName"].startswith("ObjectCreated:")
    assert record["s3"]["bucket"]["name"] == bucket
    raw_key = record["s3"]["object"]["key"]
    assert raw_key != "exports/a b+c.json"  # URL-encoded, as in AWS
    assert unquote_plus(raw_key) == "exports/a b+c.json"
    # moto's events carry no versionId (AWS's do on a versioned bucket); the object has one.
    head = s3.head_object(Bucket=bucket, Key=unquote_plus(raw_key))
    assert head["VersionId"] and head["ETag"].strip('"') == record["s3"]["object"]["eTag"]
    assert _receive_all(sqs, queue, want=1, timeout=1.5) == []  # directory/ is filtered out


def test_bucket_settings_applied(stack: LocalStack) -> None:
    s3 = stack.client("s3")
    for logical_id in ("ExportsBucket", "OutputsBucket"):
        bucket = stack.resources[logical_id]
        block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
        assert all(block.values()) and len(block) == 4
        # The deny-unless-TLS bucket policy is not applied locally: moto enforces it, over plain http.
        with pytest.raises(s3.exceptions.ClientError, match="NoSuchBucketPolicy"):
            s3.get_bucket_policy(Bucket=bucket)
        assert s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert s3.get_bucket_versioning(Bucket=stack.resources["ExportsBucket"])["Status"] == "Enabled"
    (rule,) = s3.get_bucket_lifecycle_configuration(Bucket=stack.resources["OutputsBucket"])["Rules"]
    assert rule["Filter"] == {"Prefix": "work/"} and rule["Expiration"] == {"Days": 14}


@pytest.mark.parametrize(("queue", "dlq"), sorted(QUEUES.items()))
def test_queue_redrives_to_its_dlq(stack: LocalStack, queue: str, dlq: str) -> None:
    sqs = stack.client("sqs")
    attrs = sqs.get_queue_attributes(QueueUrl=stack.resources[queue], AttributeNames=["All"])["Attributes"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=stack.resources[dlq], AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    redrive = json.loads(attrs["RedrivePolicy"])
    assert redrive["deadLetterTargetArn"] == dlq_arn
    assert int(redrive["maxReceiveCount"]) >= 1
    assert attrs["SqsManagedSseEnabled"] == "true"


def test_ledger_table_with_gsi(stack: LocalStack) -> None:
    ddb = stack.client("dynamodb")
    name = stack.resources["LedgerTable"]
    table = ddb.describe_table(TableName=name)["Table"]
    assert table["TableStatus"] == "ACTIVE"
    assert [k["AttributeName"] for k in table["KeySchema"]] == ["pk", "sk"]
    (gsi,) = table["GlobalSecondaryIndexes"]
    assert gsi["IndexName"] == "gsi1"
    assert [k["AttributeName"] for k in gsi["KeySchema"]] == ["gsi1pk", "gsi1sk"]
    ttl = ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}
    ddb.put_item(
        TableName=name, Item={"pk": {"S": "p"}, "sk": {"S": "s"}, "gsi1pk": {"S": "g"}, "gsi1sk": {"S": "1"}}
    )
    found = ddb.query(
        TableName=name,
        IndexName="gsi1",
        KeyConditionExpression="gsi1pk = :g",
        ExpressionAttributeValues={":g": {"S": "g"}},
    )
    assert found["Count"] == 1


@pytest.mark.parametrize("function", FUNCTIONS)
def test_function_environment(stack: LocalStack, function: str, monkeypatch: pytest.MonkeyPatch) -> None:
    env = stack.function_environment[function]
    r = stack.resources
    expected = {
        "CXRECON_EXPORTS_BUCKET": r["ExportsBucket"],
        "CXRECON_OUTPUTS_BUCKET": r["OutputsBucket"],
        "CXRECON_CHUNK_QUEUE_URL": r["ChunkQueue"],
        "CXRECON_REVIEW_QUEUE_URL": r["ReviewQueue"],
        "CXRECON_LEDGER_TABLE": r["LedgerTable"],
        "CXRECON_CHUNK_SIZE": "1000",
        "CXRECON_DEFAULT_PHONE_REGION": "US",
    }
    assert {k: env.get(k) for k in expected} == expected
    assert env["POWERTOOLS_SERVICE_NAME"] == "cxrecon"
    assert env["LOG_LEVEL"] == "INFO"
    secret = stack.client("secretsmanager").describe_secret(SecretId=env["CXRECON_SALESFORCE_SECRET_ARN"])
    assert secret["ARN"] == env["CXRECON_SALESFORCE_SECRET_ARN"] == stack.parameters["SalesforceSecretArn"]
    # The settings object reads exactly these values.
    for name in [n for n in os.environ if n.startswith("CXRECON_")]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = Settings()
    assert settings.exports_bucket == r["ExportsBucket"]
    assert settings.chunk_queue_url == r["ChunkQueue"]
    assert settings.ledger_table == r["LedgerTable"]
    assert settings.chunk_size == 1000


def _listening_sockets_of_this_process() -> list[tuple[str, str]]:
    """(address family, local address) of every listening TCP socket this process owns (Linux /proc)."""
    inodes = set()
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    listening = []
    for family in ("tcp", "tcp6"):
        table = Path(f"/proc/self/net/{family}")
        if not table.exists():
            continue
        for line in table.read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and inode in inodes:  # 0A = LISTEN
                listening.append((family, local))
    return listening


@pytest.mark.skipif(not Path("/proc/self/net/tcp").exists(), reason="needs Linux /proc")
def test_listens_on_loopback_only(stack: LocalStack) -> None:
    port = urlsplit(stack.endpoint_url).port
    assert port
    listening = _listening_sockets_of_this_process()
    loopback_v4 = socket.inet_aton("127.0.0.1")[::-1].hex().upper()  # /proc/net/tcp is little-endian
    assert (("tcp", f"{loopback_v4}:{port:04X}")) in listening
    for family, local in listening:
        address = local.split(":")[0]
        if family == "tcp":
            assert bytes.fromhex(address)[::-1][0] == 127, local
        else:
            assert address in ("00000000000000000000000001000000", "0000000000000000FFFF00000100007F"), local
