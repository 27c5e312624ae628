"""What IAM asks of one AWS API call: the actions, on which resource ARNs, with which condition keys.

Pure: a recorded call (service, operation, parameters, HTTP status) in, permissions out. Most calls need
the action of their own name on the resource their parameters name; the exceptions are listed here:

- S3 reads of a version (`VersionId`) are `s3:GetObjectVersion`, not `s3:GetObject`;
- an S3 read answered 404 was answered so only because the caller may list the bucket: without
  `s3:ListBucket` S3 says 403, and the code would see a fault where it saw "missing";
- listing a bucket is `s3:ListBucket` on the bucket, with the listed prefix as `s3:prefix`;
- SQS batch calls need the single-message action; a DynamoDB transaction needs each item's action.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

_SQS_BATCH = {
    "SendMessageBatch": "SendMessage",
    "DeleteMessageBatch": "DeleteMessage",
    "ChangeMessageVisibilityBatch": "ChangeMessageVisibility",
}
_TRANSACT_ITEM = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
    "Get": "GetItem",
}
_S3_VERSIONED_READS = frozenset({"GetObject", "HeadObject"})
_S3_BUCKET_LISTS = frozenset({"ListObjects", "ListObjectsV2", "HeadBucket"})


@dataclass(frozen=True)
class AwsCall:
    """One API call as botocore (or the S3 request log) saw it."""

    function: str
    service: str  # the IAM prefix: s3, sqs, dynamodb, secretsmanager
    operation: str  # the API operation, e.g. HeadObject
    params: Mapping[str, Any] = field(default_factory=dict)
    status: int | None = None  # the HTTP status of the answer (None: no answer)


@dataclass(frozen=True)
class Permission:
    action: str
    resource: str
    context: tuple[tuple[str, str], ...] = ()  # condition keys the request carries, e.g. s3:prefix

    def __str__(self) -> str:
        extra = "".join(f" [{k}={v}]" for k, v in self.context)
        return f"{self.action} on {self.resource}{extra}"


@dataclass(frozen=True)
class Account:
    region: str
    account_id: str
    partition: str = "aws"


def required_permissions(call: AwsCall, account: Account) -> list[Permission]:
    """The permissions IAM checks for `call` (in AWS, each must be allowed or the call is denied)."""
    if call.service == "s3":
        return _s3(call, account)
    if call.service == "sqs":
        operation = _SQS_BATCH.get(call.operation, call.operation)
        return [Permission(f"sqs:{operation}", queue_arn(str(call.params["QueueUrl"]), account))]
    if call.service == "dynamodb":
        return _dynamodb(call, account)
    if call.service == "secretsmanager":
        return [Permission(f"secretsmanager:{call.operation}", str(call.params.get("SecretId", "*")))]
    return [Permission(f"{call.service}:{call.operation}", "*")]


def _s3(call: AwsCall, account: Account) -> list[Permission]:
    p = account.partition
    bucket = str(call.params.get("Bucket", ""))
    bucket_arn = f"arn:{p}:s3:::{bucket}"
    if call.operation in _S3_BUCKET_LISTS:
        context = (
            () if call.operation == "HeadBucket" else (("s3:prefix", str(call.params.get("Prefix", ""))),)
        )
        return [Permission("s3:ListBucket", bucket_arn, context)]
    if call.operation == "CopyObject":
        source = str(call.params["CopySource"]).lstrip("/")
        read = Permission("s3:GetObject", f"arn:{p}:s3:::{source}")
        return [read, Permission("s3:PutObject", f"{bucket_arn}/{call.params['Key']}")]
    object_arn = f"{bucket_arn}/{call.params.get('Key', '')}"
    if call.operation in _S3_VERSIONED_READS:
        action = "s3:GetObjectVersion" if call.params.get("VersionId") else "s3:GetObject"
        needed = [Permission(action, object_arn)]
        if call.status == 404:
            needed.append(Permission("s3:ListBucket", bucket_arn))
        return needed
    return [Permission(f"s3:{call.operation}", object_arn)]


def _dynamodb(call: AwsCall, account: Account) -> list[Permission]:
    params = call.params
    if call.operation in ("BatchGetItem", "BatchWriteItem"):
        tables = sorted(params.get("RequestItems", {}))
        return [Permission(f"dynamodb:{call.operation}", table_arn(t, account)) for t in tables]
    if call.operation in ("TransactWriteItems", "TransactGetItems"):
        needed: list[Permission] = []
        for item in params.get("TransactItems", []):
            ((kind, body),) = item.items()
            permission = Permission(f"dynamodb:{_TRANSACT_ITEM[kind]}", table_arn(body["TableName"], account))
            if permission not in needed:
                needed.append(permission)
        return needed
    resource = table_arn(str(params.get("TableName", "*")), account)
    if call.operation in ("Query", "Scan") and params.get("IndexName"):
        resource = f"{resource}/index/{params['IndexName']}"
    return [Permission(f"dynamodb:{call.operation}", resource)]


def table_arn(table: str, account: Account) -> str:
    if table.startswith("arn:"):
        return table
    return f"arn:{account.partition}:dynamodb:{account.region}:{account.account_id}:table/{table}"


def queue_arn(queue_url: str, account: Account) -> str:
    """`https://sqs.REGION.amazonaws.com/ACCOUNT/NAME` (or moto's `http://HOST/ACCOUNT/NAME`) → its ARN."""
    account_id, name = urlsplit(queue_url).path.strip("/").split("/")[-2:]
    return f"arn:{account.partition}:sqs:{account.region}:{account_id}:{name}"
