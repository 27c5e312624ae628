"""The IAM permissions an AWS call needs, including the ones its parameters or its answer decide."""

from __future__ import annotations

from typing import Any

from cxrecon_local.iam_actions import Account, AwsCall, Permission, required_permissions

ACCOUNT = Account("us-east-1", "123456789012")
QUEUE = "http://127.0.0.1:5000/123456789012/chunks"
QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:chunks"
TABLE_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/ledger"


def needs(service: str, operation: str, status: int | None = 200, **params: Any) -> list[Permission]:
    return required_permissions(AwsCall("F", service, operation, params, status), ACCOUNT)


def test_a_versioned_read_needs_get_object_version_not_get_object() -> None:
    assert needs("s3", "GetObject", Bucket="b", Key="exports/x", VersionId="v1") == [
        Permission("s3:GetObjectVersion", "arn:aws:s3:::b/exports/x")
    ]
    assert needs("s3", "HeadObject", Bucket="b", Key="k") == [Permission("s3:GetObject", "arn:aws:s3:::b/k")]


def test_a_read_answered_404_needs_list_bucket_or_s3_would_have_said_403() -> None:
    assert needs("s3", "HeadObject", 404, Bucket="b", Key="directory/users.csv") == [
        Permission("s3:GetObject", "arn:aws:s3:::b/directory/users.csv"),
        Permission("s3:ListBucket", "arn:aws:s3:::b"),
    ]


def test_listing_is_list_bucket_on_the_bucket_with_the_prefix_as_condition_key() -> None:
    assert needs("s3", "ListObjectsV2", Bucket="b", Prefix="decisions/") == [
        Permission("s3:ListBucket", "arn:aws:s3:::b", (("s3:prefix", "decisions/"),))
    ]


def test_sqs_batch_calls_need_the_single_message_actions_on_the_queue() -> None:
    for batch, single in [
        ("SendMessageBatch", "sqs:SendMessage"),
        ("DeleteMessageBatch", "sqs:DeleteMessage"),
        ("ChangeMessageVisibilityBatch", "sqs:ChangeMessageVisibility"),
    ]:
        assert needs("sqs", batch, QueueUrl=QUEUE) == [Permission(single, QUEUE_ARN)]


def test_a_transaction_needs_each_of_its_items_actions_once() -> None:
    items = [
        {"Put": {"TableName": "ledger"}},
        {"Update": {"TableName": "ledger"}},
        {"Update": {"TableName": "ledger"}},
        {"ConditionCheck": {"TableName": "ledger"}},
        {"Delete": {"TableName": "ledger"}},
    ]
    actions = [p.action for p in needs("dynamodb", "TransactWriteItems", TransactItems=items)]
    assert actions == [
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:ConditionCheckItem",
        "dynamodb:DeleteItem",
    ]


def test_batch_item_calls_keep_their_own_action_per_table() -> None:
    assert needs("dynamodb", "BatchGetItem", RequestItems={"ledger": {}}) == [
        Permission("dynamodb:BatchGetItem", TABLE_ARN)
    ]
    assert needs("dynamodb", "BatchWriteItem", RequestItems={"ledger": []}) == [
        Permission("dynamodb:BatchWriteItem", TABLE_ARN)
    ]


def test_a_query_on_an_index_is_on_the_index_resource() -> None:
    assert needs("dynamodb", "Query", TableName="ledger", IndexName="gsi1") == [
        Permission("dynamodb:Query", f"{TABLE_ARN}/index/gsi1")
    ]
    assert needs("dynamodb", "Query", TableName="ledger") == [Permission("dynamodb:Query", TABLE_ARN)]


def test_other_calls_need_the_action_of_their_name_on_what_they_name() -> None:
    assert needs("s3", "PutObject", Bucket="b", Key="k") == [Permission("s3:PutObject", "arn:aws:s3:::b/k")]
    assert needs("secretsmanager", "GetSecretValue", SecretId="arn:s") == [
        Permission("secretsmanager:GetSecretValue", "arn:s")
    ]


def test_pyarrow_s3_requests_are_named_as_their_api_operations() -> None:
    from cxrecon_local.iam_recorder import s3_operation  # noqa: PLC0415

    def op(method: str, path: str, query: str = "") -> tuple[str, dict[str, Any]]:
        return s3_operation({"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query})

    assert op("GET", "/b", "list-type=2&prefix=decisions%2F") == (
        "ListObjectsV2",
        {"Bucket": "b", "Prefix": "decisions/"},
    )
    assert op("GET", "/b/decisions/dt=x/a.parquet") == (
        "GetObject",
        {"Bucket": "b", "Key": "decisions/dt=x/a.parquet"},
    )
    assert op("HEAD", "/b/k", "versionId=v") == ("HeadObject", {"Bucket": "b", "Key": "k", "VersionId": "v"})
    assert op("GET", "/b/k", "acl=")[0].startswith("unrecognised")
