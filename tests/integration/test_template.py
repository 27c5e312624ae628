"""template.yaml: lints clean, translates offline, matches the code, and keeps least privilege."""

from __future__ import annotations

import importlib
import json
import socket
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from cxrecon.config import Settings
from cxrecon_local.template import DEFAULT_TEMPLATE, load_template, prune_for_moto, references, translate

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = load_template(DEFAULT_TEMPLATE)
FUNCTIONS = {
    name: resource
    for name, resource in TEMPLATE["Resources"].items()
    if resource["Type"] == "AWS::Serverless::Function"
}
# Allow statements may use Resource "*" only for actions AWS cannot scope to a resource.
UNSCOPABLE_ACTIONS = {"xray:PutTraceSegments", "xray:PutTelemetryRecords", "cloudwatch:PutMetricData"}
ALLOWED_MANAGED_POLICIES = {
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
    "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
}
REQUIRED_ENV = {
    "CXRECON_EXPORTS_BUCKET",
    "CXRECON_OUTPUTS_BUCKET",
    "CXRECON_CHUNK_QUEUE_URL",
    "CXRECON_REVIEW_QUEUE_URL",
    "CXRECON_LEDGER_TABLE",
    "CXRECON_SALESFORCE_SECRET_ARN",
    "CXRECON_CHUNK_SIZE",
    "CXRECON_DEFAULT_PHONE_REGION",
}


@pytest.fixture(scope="module")
def cfn() -> dict[str, Any]:
    return translate(TEMPLATE, parameters={"SalesforceSecretArn": _secret_arn()})


def _secret_arn() -> str:
    return "arn:aws:secretsmanager:us-east-1:123456789012:secret:cxrecon/salesforce-AbCdEf"


def _of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: r for k, r in template["Resources"].items() if r["Type"] == kind}


def _listify(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _getatt_target(node: Any) -> str:
    assert isinstance(node, dict) and "Fn::GetAtt" in node, node
    target = node["Fn::GetAtt"]
    return str(target[0] if isinstance(target, list) else target.split(".")[0])


def test_cfn_lint_passes() -> None:
    cfn_lint = Path(sys.executable).with_name("cfn-lint")
    result = subprocess.run(
        [str(cfn_lint), "--format", "parseable", str(DEFAULT_TEMPLATE)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    # Exit code bits: 2 error, 4 warning, 8 informational (allowed).
    assert result.returncode & 0b0111 == 0, result.stdout + result.stderr


def test_translates_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"the SAM translation tried to connect: {args}")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    out = translate(TEMPLATE, parameters={"SalesforceSecretArn": _secret_arn()})
    assert "Transform" not in out
    kinds = {r["Type"] for r in out["Resources"].values()}
    assert not {k for k in kinds if k.startswith("AWS::Serverless::")}
    assert set(_of_type(out, "AWS::Lambda::Function")) == set(FUNCTIONS)
    sqs_events = [
        event
        for function in FUNCTIONS.values()
        for event in function["Properties"].get("Events", {}).values()
        if event["Type"] == "SQS"
    ]
    mappings = _of_type(out, "AWS::Lambda::EventSourceMapping").values()
    assert len(mappings) == len(sqs_events)
    assert all(m["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"] for m in mappings)


def test_every_reference_exists() -> None:
    known = set(TEMPLATE["Resources"]) | set(TEMPLATE["Parameters"])
    assert references(TEMPLATE) <= known


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_handler_resolves_to_a_callable(function: str) -> None:
    props = FUNCTIONS[function]["Properties"]
    assert props["CodeUri"] == "functions/"
    module_name, _, attribute = props["Handler"].rpartition(".")
    assert (REPO / "functions" / module_name.replace(".", "/")).with_suffix(".py").is_file(), module_name
    module = importlib.import_module(module_name)
    assert callable(getattr(module, attribute, None)), props["Handler"]


def test_sam_build_installs_the_runtime_dependencies() -> None:
    # `sam build` installs requirements.txt from each function's CodeUri, nothing from pyproject.toml.
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    lines = (REPO / "functions" / "requirements.txt").read_text().splitlines()
    assert [line for line in lines if line.strip() and not line.startswith("#")] == declared


def test_globals_environment_matches_settings() -> None:
    function_globals = TEMPLATE["Globals"]["Function"]
    assert function_globals["Runtime"] == "python3.12"
    assert function_globals["Architectures"] == ["arm64"]
    assert function_globals["Tracing"] == "Active"
    variables = function_globals["Environment"]["Variables"]
    assert variables["POWERTOOLS_SERVICE_NAME"] == "cxrecon"
    assert variables["POWERTOOLS_METRICS_NAMESPACE"] == "cxrecon"
    assert "LOG_LEVEL" in variables
    names = {name for name in variables if name.startswith("CXRECON_")}
    assert names >= REQUIRED_ENV
    settings = {f"CXRECON_{field.upper()}" for field in Settings.model_fields}
    assert names <= settings, f"not a Settings field: {names - settings}"
    # Function-level variables must be settings too.
    for function in FUNCTIONS.values():
        own = function["Properties"].get("Environment", {}).get("Variables", {})
        assert {n for n in own if n.startswith("CXRECON_")} <= settings


def test_parameters() -> None:
    params = TEMPLATE["Parameters"]
    assert params["SalesforceSecretArn"]["Type"] == "String"
    assert params["ChunkConcurrency"]["Type"] == "Number"
    assert params["ChunkConcurrency"]["Default"] == 5
    assert params["ChunkConcurrency"]["MinValue"] == 2
    assert params["ChunkSize"]["Default"] == 1000
    assert params["DefaultPhoneRegion"]["Default"] == "US"
    assert "LogLevel" in params


def test_no_wildcard_allow_actions(cfn: dict[str, Any]) -> None:
    roles = _of_type(cfn, "AWS::IAM::Role")
    assert set(roles) == {f"{name}Role" for name in FUNCTIONS}
    for name, role in roles.items():
        props = role["Properties"]
        assert set(props.get("ManagedPolicyArns", [])) <= ALLOWED_MANAGED_POLICIES, name
        for policy in props.get("Policies", []):
            for statement in _listify(policy["PolicyDocument"]["Statement"]):
                if statement["Effect"] != "Allow":
                    continue
                actions = _listify(statement["Action"])
                assert not [a for a in actions if "*" in a], (name, statement)
                assert "NotAction" not in statement and "NotResource" not in statement
                if "*" in _listify(statement["Resource"]):
                    assert set(actions) <= UNSCOPABLE_ACTIONS, (name, statement)


def _statements(cfn: dict[str, Any], function: str) -> list[dict[str, Any]]:
    role = cfn["Resources"][f"{function}Role"]["Properties"]
    return [s for p in role["Policies"] for s in _listify(p["PolicyDocument"]["Statement"])]


def _grants(cfn: dict[str, Any], function: str) -> dict[str, list[str]]:
    """action -> resources, rendered as JSON text so Sub/GetAtt/Ref can be matched."""
    grants: dict[str, list[str]] = {}
    for statement in _statements(cfn, function):
        for action in _listify(statement["Action"]):
            grants.setdefault(action, []).extend(json.dumps(r) for r in _listify(statement["Resource"]))
    return grants


def test_ingest_permissions(cfn: dict[str, Any]) -> None:
    grants = _grants(cfn, "IngestFunction")
    assert set(grants) == {
        "s3:GetObject",
        "s3:GetObjectVersion",  # events name the version the export was uploaded as
        "s3:PutObject",
        "sqs:SendMessage",
        "dynamodb:GetItem",
        "dynamodb:UpdateItem",
    }  # exactly what the code calls: tests/e2e/test_iam_follows_code.py
    for read in ("s3:GetObject", "s3:GetObjectVersion"):
        assert grants[read] == [json.dumps({"Fn::Sub": "${ExportsBucket.Arn}/exports/*"})]
    assert sorted(grants["s3:PutObject"]) == sorted(
        json.dumps({"Fn::Sub": f"${{OutputsBucket.Arn}}/{p}/*"})
        for p in ("work", "manifests", "runs", "decisions")
    )
    assert grants["sqs:SendMessage"] == [json.dumps({"Fn::GetAtt": ["ChunkQueue", "Arn"]})]


def test_reconcile_permissions(cfn: dict[str, Any]) -> None:
    grants = _grants(cfn, "ReconcileFunction")
    assert grants["secretsmanager:GetSecretValue"] == [json.dumps({"Ref": "SalesforceSecretArn"})]
    assert grants["sqs:SendMessage"] == [json.dumps({"Fn::GetAtt": ["ReviewQueue", "Arn"]})]
    assert "dynamodb:BatchGetItem" in grants and "dynamodb:Query" not in grants
    # a missing optional directory must answer 404 (NoSuchKey), not 403
    assert grants["s3:ListBucket"] == [json.dumps({"Fn::GetAtt": ["ExportsBucket", "Arn"]})]
    assert sorted(grants["s3:GetObject"]) == sorted(
        [
            json.dumps({"Fn::Sub": "${OutputsBucket.Arn}/work/*"}),
            json.dumps({"Fn::Sub": "${ExportsBucket.Arn}/directory/*"}),
        ]
    )
    assert sorted(grants["s3:PutObject"]) == sorted(
        json.dumps({"Fn::Sub": f"${{OutputsBucket.Arn}}/{p}/*"})
        for p in ("decisions", "manifests", "runs", "review_items")
    )


def test_buckets_block_public_access_encrypt_and_deny_plain_http(cfn: dict[str, Any]) -> None:
    buckets = _of_type(cfn, "AWS::S3::Bucket")
    assert set(buckets) == {"ExportsBucket", "OutputsBucket"}
    policies = {
        p["Properties"]["Bucket"]["Ref"]: p["Properties"]["PolicyDocument"]
        for p in _of_type(cfn, "AWS::S3::BucketPolicy").values()
    }
    for name, bucket in buckets.items():
        props = bucket["Properties"]
        block = props["PublicAccessBlockConfiguration"]
        assert all(
            block[k] is True
            for k in ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")
        ), name
        assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"], name
        denies = [s for s in policies[name]["Statement"] if s["Effect"] == "Deny"]
        assert any(
            "s3:*" in _listify(s["Action"]) and s["Condition"]["Bool"]["aws:SecureTransport"] == "false"
            for s in denies
        ), name
    assert buckets["ExportsBucket"]["Properties"]["VersioningConfiguration"]["Status"] == "Enabled"
    rules = buckets["OutputsBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    assert {"Prefix": "work/", "ExpirationInDays": 14, "Status": "Enabled"}.items() <= rules[0].items()


def test_exports_notification_goes_to_ingest_queue(cfn: dict[str, Any]) -> None:
    bucket = cfn["Resources"]["ExportsBucket"]
    (config,) = bucket["Properties"]["NotificationConfiguration"]["QueueConfigurations"]
    assert config["Event"] == "s3:ObjectCreated:*"
    assert config["Filter"]["S3Key"]["Rules"] == [{"Name": "prefix", "Value": "exports/"}]
    assert _getatt_target(config["Queue"]) == "IngestQueue"
    assert "IngestQueuePolicy" in _listify(bucket["DependsOn"])
    policy = cfn["Resources"]["IngestQueuePolicy"]["Properties"]
    assert policy["Queues"] == [{"Ref": "IngestQueue"}]
    (statement,) = policy["PolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "s3.amazonaws.com"}
    assert statement["Action"] == "sqs:SendMessage"
    assert "aws:SourceArn" in statement["Condition"]["ArnEquals"]
    assert statement["Condition"]["StringEquals"]["aws:SourceAccount"] == {"Ref": "AWS::AccountId"}
    # The queue policy names the bucket without referring to it (that would be a cycle).
    source_arn = statement["Condition"]["ArnEquals"]["aws:SourceArn"]["Fn::Sub"]
    bucket_name = bucket["Properties"]["BucketName"]["Fn::Sub"]
    assert source_arn.endswith(f":s3:::{bucket_name}")


def test_queues_are_encrypted_with_dead_letter_queues(cfn: dict[str, Any]) -> None:
    queues = _of_type(cfn, "AWS::SQS::Queue")
    assert set(queues) == {"IngestQueue", "IngestDLQ", "ChunkQueue", "ChunkDLQ", "ReviewQueue", "ReviewDLQ"}
    fortnight = 14 * 24 * 3600
    for name, queue in queues.items():
        props = queue["Properties"]
        assert props["SqsManagedSseEnabled"] is True, name
        if name.endswith("DLQ"):
            assert "RedrivePolicy" not in props
            assert props["MessageRetentionPeriod"] == fortnight, name
        else:
            redrive = props["RedrivePolicy"]
            assert _getatt_target(redrive["deadLetterTargetArn"]) == name.replace("Queue", "DLQ")
            assert redrive["maxReceiveCount"] >= 1
    assert queues["IngestQueue"]["Properties"]["RedrivePolicy"]["maxReceiveCount"] == 5
    assert queues["ChunkQueue"]["Properties"]["RedrivePolicy"]["maxReceiveCount"] == 5
    assert queues["ReviewQueue"]["Properties"]["MessageRetentionPeriod"] == fortnight


def test_event_source_mappings(cfn: dict[str, Any]) -> None:
    functions = _of_type(cfn, "AWS::Lambda::Function")
    queues = _of_type(cfn, "AWS::SQS::Queue")
    mappings = {
        m["Properties"]["FunctionName"]["Ref"]: m["Properties"]
        for m in _of_type(cfn, "AWS::Lambda::EventSourceMapping").values()
    }
    assert set(mappings) == {"IngestFunction", "ReconcileFunction", "ReviewApiFunction"}
    for function, mapping in mappings.items():
        assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"], function
        queue = _getatt_target(mapping["EventSourceArn"])
        timeout = functions[function]["Properties"]["Timeout"]
        assert queues[queue]["Properties"]["VisibilityTimeout"] >= 6 * timeout, (function, queue)
    assert _getatt_target(mappings["IngestFunction"]["EventSourceArn"]) == "IngestQueue"
    assert mappings["IngestFunction"]["BatchSize"] == 1
    chunk = mappings["ReconcileFunction"]
    assert _getatt_target(chunk["EventSourceArn"]) == "ChunkQueue"
    assert 1 <= chunk["BatchSize"] <= 10
    assert chunk["ScalingConfig"]["MaximumConcurrency"] == {"Ref": "ChunkConcurrency"}


def test_ledger_table(cfn: dict[str, Any]) -> None:
    props = cfn["Resources"]["LedgerTable"]["Properties"]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["KeySchema"] == [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ]
    (gsi,) = props["GlobalSecondaryIndexes"]
    assert gsi["IndexName"] == "gsi1"
    assert [k["AttributeName"] for k in gsi["KeySchema"]] == ["gsi1pk", "gsi1sk"]
    assert gsi["Projection"] == {"ProjectionType": "ALL"}
    assert {a["AttributeName"]: a["AttributeType"] for a in props["AttributeDefinitions"]} == {
        "pk": "S",
        "sk": "S",
        "gsi1pk": "S",
        "gsi1sk": "S",
    }
    assert props["SSESpecification"] == {"SSEEnabled": True}
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}


def test_outputs() -> None:
    assert set(TEMPLATE["Outputs"]) >= {
        "ExportsBucketName",
        "OutputsBucketName",
        "IngestQueueUrl",
        "ChunkQueueUrl",
        "ReviewQueueUrl",
        "IngestDLQUrl",
        "ChunkDLQUrl",
        "ReviewDLQUrl",
        "LedgerTableName",
    }


def test_prune_for_moto_drops_what_moto_must_not_create(cfn: dict[str, Any]) -> None:
    extended = json.loads(json.dumps(cfn))
    extended["Resources"]["Db"] = {"Type": "AWS::Glue::Database", "Properties": {"DatabaseInput": {}}}
    extended["Resources"]["Wg"] = {"Type": "AWS::Athena::WorkGroup", "Properties": {"Name": {"Ref": "Db"}}}
    extended["Resources"]["Needs"] = {
        "Type": "AWS::SQS::Queue",
        "Properties": {"QueueName": {"Fn::Sub": "${Wg}-q"}},
    }
    extended["Resources"]["Waits"] = {"Type": "AWS::SQS::Queue", "DependsOn": ["Db", "IngestDLQ"]}
    extended["Outputs"]["DbName"] = {"Value": {"Ref": "Db"}}
    deployable, dropped = prune_for_moto(extended)
    kinds = {r["Type"] for r in deployable["Resources"].values()}
    assert not {k for k in kinds if k.startswith(("AWS::Lambda::", "AWS::IAM::", "AWS::Serverless::"))}
    assert {"Db", "Wg", "Needs", "IngestFunction", "ReconcileFunctionChunkReady"} <= set(dropped)
    assert deployable["Resources"]["Waits"]["DependsOn"] == ["IngestDLQ"]
    assert "DbName" not in deployable["Outputs"] and "IngestQueueUrl" in deployable["Outputs"]
    assert "DependsOn" not in deployable["Resources"]["ExportsBucket"]  # the queue policy is applied later
    known = set(deployable["Resources"]) | set(deployable["Parameters"])
    assert references(deployable) <= known
