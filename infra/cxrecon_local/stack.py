"""The embedded AWS side of the local stack: moto in server mode on loopback, populated from template.yaml.

    with start_local_stack() as stack:
        s3 = stack.client("s3")
        s3.put_object(Bucket=stack.resources["ExportsBucket"], Key="exports/x.json", Body=b"...")
        env = stack.function_environment["IngestFunction"]   # what Lambda would see, moto values

The template is SAM-transformed offline, cut down to what moto can create (no Lambda, no IAM, ...), and
created through moto's CloudFormation, so the template and the code cannot drift apart. Properties that
moto's CloudFormation ignores (bucket notifications, versioning, public access block, lifecycle, bucket
and queue policies, table TTL and PITR) are then applied through the service APIs, read from the
template. Every client uses explicit fake credentials; nothing reads or writes the developer's AWS
configuration or os.environ.

moto keeps its state per process: run one local stack per process at a time. The state is reset when
the stack stops.
"""

from __future__ import annotations

import json
import logging
import re
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from cxrecon_local.moto_process import MotoProcess
from cxrecon_local.sessions import fake_session
from cxrecon_local.template import DEFAULT_TEMPLATE, load_template, prune_for_moto, translate

log = logging.getLogger(__name__)

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"  # moto's default account
_PLACEHOLDER_SECRET = {"consumer_key": "", "username": "", "private_key": "", "token_url": ""}
_SUB_VAR = re.compile(r"\$\{([^}]*)\}")


@dataclass(frozen=True)
class LocalStack:
    endpoint_url: str
    region: str
    resources: dict[str, str]
    """Logical id → physical id (bucket name, queue URL, table name) of everything created in moto."""
    outputs: dict[str, str]
    """The template's Outputs, resolved (those referring to resources not created in moto are absent)."""
    function_environment: dict[str, dict[str, str]]
    """Function logical id → its environment variables (Globals merged), references resolved."""
    parameters: dict[str, str] = field(default_factory=dict)
    """The stack parameters as used (defaults included)."""
    dropped: tuple[str, ...] = ()
    """Logical ids in the translated template that were not created in moto."""
    startup_seconds: float = 0.0
    server_pid: int | None = None
    """moto's process when it runs in its own (`moto_process`); None when it runs in this one."""
    function_policies: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Function logical id → the statements of its role's inline policies, resolved to the local ARNs
    (the managed policies SAM adds for the event sources are not among them: the IAM check compares
    these with what the handler's code calls)."""

    def session(self) -> boto3.Session:
        return fake_session(self.region)

    def client(self, service: str) -> Any:
        config = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2, "mode": "standard"})
        session: Any = self.session()  # `service` is any name: skip the per-service overloads
        return session.client(service, endpoint_url=self.endpoint_url, config=config)


class UnresolvableError(ValueError):
    """An intrinsic function or reference that cannot be resolved against the local stack."""


class _Resolver:
    """Evaluates CloudFormation intrinsics against the created stack."""

    def __init__(
        self,
        stack: LocalStack,
        parameters: dict[str, str],
        types: dict[str, str],
        pseudo: dict[str, str],
    ) -> None:
        self._stack = stack
        self._values = {**pseudo, **parameters}
        self._types = types
        self._cache: dict[tuple[str, str], str] = {}

    def __call__(self, node: Any) -> Any:
        if isinstance(node, list):
            return [self(item) for item in node]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            ((key, arg),) = node.items()
            if key == "Ref":
                return self.ref(arg)
            if key == "Fn::GetAtt":
                name, attr = arg.split(".", 1) if isinstance(arg, str) else arg
                return self.getatt(name, attr)
            if key == "Fn::Sub":
                return self.sub(arg)
            if key == "Fn::Join":
                return str(arg[0]).join(_text(v) for v in self(arg[1]))
            if key == "Fn::Select":
                return self(arg[1])[int(self(arg[0]))]
            if key == "Fn::Split":
                return _text(self(arg[1])).split(arg[0])
            if key.startswith("Fn::") or key == "Condition":
                raise UnresolvableError(f"unsupported intrinsic {key}")
        return {k: self(v) for k, v in node.items()}

    def ref(self, name: str) -> str:
        if name in self._values:
            return self._values[name]
        if name in self._stack.resources:
            return self._stack.resources[name]
        raise UnresolvableError(f"Ref {name}: not a parameter or a resource created in moto")

    def getatt(self, name: str, attr: str) -> str:
        if (name, attr) not in self._cache:
            self._cache[name, attr] = self._getatt(name, attr)
        return self._cache[name, attr]

    def _getatt(self, name: str, attr: str) -> str:
        physical = self.ref(name)
        kind = self._types.get(name)
        if kind == "AWS::S3::Bucket":
            if attr == "Arn":
                return f"arn:aws:s3:::{physical}"
            if attr == "DomainName":
                return f"{physical}.s3.amazonaws.com"
        elif kind == "AWS::SQS::Queue":
            if attr == "QueueUrl":
                return physical
            if attr == "QueueName":
                return physical.rsplit("/", 1)[-1]
            if attr == "Arn":
                attrs = self._stack.client("sqs").get_queue_attributes(
                    QueueUrl=physical, AttributeNames=["QueueArn"]
                )
                return str(attrs["Attributes"]["QueueArn"])
        elif kind == "AWS::DynamoDB::Table" and attr in ("Arn", "StreamArn"):
            table = self._stack.client("dynamodb").describe_table(TableName=physical)["Table"]
            key = "TableArn" if attr == "Arn" else "LatestStreamArn"
            if key in table:
                return str(table[key])
        elif kind == "AWS::SNS::Topic" and attr == "TopicArn":
            return physical
        raise UnresolvableError(f"GetAtt {name}.{attr} ({kind or 'unknown resource'})")

    def sub(self, arg: Any) -> str:
        text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], self(arg[1]))

        def replace(match: re.Match[str]) -> str:
            var = match.group(1)
            if var.startswith("!"):
                return "${" + var[1:] + "}"
            if var in variables:
                return _text(variables[var])
            if "." in var and var not in self._values:
                name, attr = var.split(".", 1)
                return self.getatt(name, attr)
            return self.ref(var)

        return _SUB_VAR.sub(replace, str(text))


def _text(value: Any) -> str:
    """How CloudFormation renders a scalar where a string is expected."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        raise UnresolvableError(f"expected a scalar, got {value!r}")
    return str(value)


def _free_moto_server() -> Any:
    from cxrecon_local import moto_speedups  # noqa: PLC0415 - moto is heavy; import it when used
    from cxrecon_local.moto_server import KeepAliveMotoServer  # noqa: PLC0415

    moto_speedups.apply()  # moto's SQS is O(queue size) per call; see moto_speedups
    server = KeepAliveMotoServer()
    server.start()
    return server


def _stack_parameters(
    template: dict[str, Any], given: dict[str, str], secret_arn: str | None
) -> dict[str, str]:
    declared: dict[str, Any] = template.get("Parameters", {})
    unknown = set(given) - set(declared)
    if unknown:
        raise ValueError(f"unknown template parameter(s): {', '.join(sorted(unknown))}")
    values = {name: _text(spec["Default"]) for name, spec in declared.items() if "Default" in spec}
    values.update({k: str(v) for k, v in given.items()})
    if secret_arn is not None and "SalesforceSecretArn" in declared:
        values.setdefault("SalesforceSecretArn", secret_arn)
    missing = set(declared) - set(values)
    if missing:
        raise ValueError(f"template parameter(s) without a value: {', '.join(sorted(missing))}")
    return values


def _wait_created(cfn: Any, stack_name: str, timeout: float = 60.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        stack: dict[str, Any] = cfn.describe_stacks(StackName=stack_name)["Stacks"][0]
        status = stack["StackStatus"]
        if status == "CREATE_COMPLETE":
            return stack
        if not status.endswith("IN_PROGRESS"):
            events = cfn.describe_stack_events(StackName=stack_name)["StackEvents"]
            reasons = [e.get("ResourceStatusReason") for e in events if e.get("ResourceStatusReason")]
            raise RuntimeError(f"local stack {stack_name}: {status} {reasons[:3]}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"local stack {stack_name} still {status} after {timeout}s")
        time.sleep(0.05)


def _notification_configuration(cfn_config: dict[str, Any], resolve: _Resolver) -> dict[str, Any]:
    """Bucket NotificationConfiguration (CloudFormation shape) → PutBucketNotificationConfiguration shape."""

    def filter_of(entry: dict[str, Any]) -> dict[str, Any]:
        rules = entry.get("Filter", {}).get("S3Key", {}).get("Rules", [])
        if not rules:
            return {}
        return {"Filter": {"Key": {"FilterRules": [{"Name": r["Name"], "Value": r["Value"]} for r in rules]}}}

    api: dict[str, Any] = {}
    for cfn_key, api_key, target_key, arn_key in (
        ("QueueConfigurations", "QueueConfigurations", "Queue", "QueueArn"),
        ("TopicConfigurations", "TopicConfigurations", "Topic", "TopicArn"),
    ):
        entries = [
            {arn_key: resolve(entry[target_key]), "Events": [entry["Event"]], **filter_of(entry)}
            for entry in cfn_config.get(cfn_key, [])
        ]
        if entries:
            api[api_key] = entries
    if cfn_config.get("LambdaConfigurations"):
        log.debug("bucket Lambda notifications are not applied locally (Lambda is not emulated)")
    if cfn_config.get("EventBridgeConfiguration", {}).get("EventBridgeEnabled"):
        api["EventBridgeConfiguration"] = {}
    return api


def _lifecycle_rule(rule: dict[str, Any]) -> dict[str, Any]:
    api: dict[str, Any] = {"Status": rule["Status"], "Filter": {"Prefix": rule.get("Prefix", "")}}
    if "Id" in rule:
        api["ID"] = rule["Id"]
    if "ExpirationInDays" in rule:
        api["Expiration"] = {"Days": int(rule["ExpirationInDays"])}
    if "NoncurrentVersionExpirationInDays" in rule:
        api["NoncurrentVersionExpiration"] = {
            "NoncurrentDays": int(rule["NoncurrentVersionExpirationInDays"])
        }
    if "AbortIncompleteMultipartUpload" in rule:
        days = rule["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"]
        api["AbortIncompleteMultipartUpload"] = {"DaysAfterInitiation": int(days)}
    return api


def _apply_ignored_properties(stack: LocalStack, cfn: dict[str, Any], resolve: _Resolver) -> None:
    """Apply what moto's CloudFormation skips, reading it from the translated template."""
    s3, sqs, ddb = stack.client("s3"), stack.client("sqs"), stack.client("dynamodb")
    for logical_id, resource in cfn["Resources"].items():
        kind, props = resource["Type"], _props(resource)
        if kind == "AWS::S3::Bucket" and logical_id in stack.resources:
            bucket = stack.resources[logical_id]
            if "VersioningConfiguration" in props:
                status = resolve(props["VersioningConfiguration"]["Status"])
                s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": status})
            if "PublicAccessBlockConfiguration" in props:
                s3.put_public_access_block(
                    Bucket=bucket,
                    PublicAccessBlockConfiguration=resolve(props["PublicAccessBlockConfiguration"]),
                )
            if "LifecycleConfiguration" in props:
                rules = [_lifecycle_rule(r) for r in resolve(props["LifecycleConfiguration"]["Rules"])]
                s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules})
            if "NotificationConfiguration" in props:
                config = _notification_configuration(props["NotificationConfiguration"], resolve)
                s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration=config)
        # AWS::S3::BucketPolicy is deliberately not applied: moto enforces bucket policies, and the
        # template's deny-unless-TLS statement would refuse every request to the plain-http endpoint.
        elif kind == "AWS::SQS::QueuePolicy":
            policy = json.dumps(resolve(props["PolicyDocument"]))
            for url in resolve(props["Queues"]):
                sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": policy})
        elif kind == "AWS::DynamoDB::Table" and logical_id in stack.resources:
            table = stack.resources[logical_id]
            ttl = props.get("TimeToLiveSpecification")
            if ttl and _text(ttl.get("Enabled", False)) == "true":
                ddb.update_time_to_live(
                    TableName=table,
                    TimeToLiveSpecification={"AttributeName": ttl["AttributeName"], "Enabled": True},
                )
            pitr = props.get("PointInTimeRecoverySpecification")
            if pitr and _text(pitr.get("PointInTimeRecoveryEnabled", False)) == "true":
                ddb.update_continuous_backups(
                    TableName=table,
                    PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
                )


def _props(resource: dict[str, Any]) -> dict[str, Any]:
    """The resource's Properties, unresolved (resolution happens per property, where needed)."""
    props: dict[str, Any] = resource.get("Properties") or {}
    return props


def _function_environment(cfn: dict[str, Any], resolve: _Resolver) -> dict[str, dict[str, str]]:
    environments: dict[str, dict[str, str]] = {}
    for logical_id, resource in cfn["Resources"].items():
        if resource["Type"] != "AWS::Lambda::Function":
            continue
        variables = _props(resource).get("Environment", {}).get("Variables", {})
        env: dict[str, str] = {}
        for name, expression in variables.items():
            try:
                env[name] = _text(resolve(expression))
            except UnresolvableError as exc:
                log.warning("%s: environment variable %s not set locally: %s", logical_id, name, exc)
        environments[logical_id] = env
    return environments


def _function_policies(cfn: dict[str, Any], resolve: _Resolver) -> dict[str, list[dict[str, Any]]]:
    resources = cfn["Resources"]
    policies: dict[str, list[dict[str, Any]]] = {}
    for logical_id, resource in resources.items():
        role = _props(resource).get("Role") if resource["Type"] == "AWS::Lambda::Function" else None
        if not (isinstance(role, dict) and "Fn::GetAtt" in role):
            continue
        role_id = (
            role["Fn::GetAtt"][0]
            if isinstance(role["Fn::GetAtt"], list)
            else role["Fn::GetAtt"].split(".")[0]
        )
        documents = [p["PolicyDocument"] for p in _props(resources[role_id]).get("Policies", [])]
        policies[logical_id] = [resolve(statement) for d in documents for statement in d["Statement"]]
    return policies


def _reset_moto(endpoint_url: str) -> None:
    request = urllib.request.Request(f"{endpoint_url}/moto-api/reset", method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=10):  # noqa: S310 - loopback http, our own server
        pass


@contextmanager
def start_local_stack(
    *,
    template_path: Path = DEFAULT_TEMPLATE,
    parameters: dict[str, str] | None = None,
    stack_name: str = "cxrecon-local",
    moto_process: bool = False,
) -> Iterator[LocalStack]:
    """Start moto on 127.0.0.1:<free port>, create the template's stack in it, and stop it on exit.

    `moto_process` runs moto's server in a child process (`MotoProcess`) instead of threads of this one.
    """
    started = time.perf_counter()
    template = load_template(template_path)
    server = MotoProcess() if moto_process else _free_moto_server()
    try:
        host, port = server.get_host_and_port()
        endpoint_url = f"http://{host}:{port}"
        bootstrap = LocalStack(endpoint_url, REGION, {}, {}, {})
        given = dict(parameters or {})
        secret_arn = None
        if "SalesforceSecretArn" not in given:
            secret_arn = bootstrap.client("secretsmanager").create_secret(
                Name=f"{stack_name}/salesforce",
                Description="Placeholder Salesforce JWT bearer credentials for the local stack",
                SecretString=json.dumps(_PLACEHOLDER_SECRET),
            )["ARN"]
        values = _stack_parameters(template, given, secret_arn)
        cfn = translate(template, region=REGION, parameters=values)
        deployable, dropped = prune_for_moto(cfn)

        cloudformation = bootstrap.client("cloudformation")
        cloudformation.create_stack(
            StackName=stack_name,
            TemplateBody=json.dumps(deployable),
            Parameters=[
                {"ParameterKey": k, "ParameterValue": v}
                for k, v in values.items()
                if k in deployable.get("Parameters", {})
            ],
            Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"],
        )
        created = _wait_created(cloudformation, stack_name)
        summaries = cloudformation.get_paginator("list_stack_resources").paginate(StackName=stack_name)
        resources = {
            s["LogicalResourceId"]: s["PhysicalResourceId"]
            for page in summaries
            for s in page["StackResourceSummaries"]
        }
        outputs = {o["OutputKey"]: o["OutputValue"] for o in created.get("Outputs", [])}
        stack = LocalStack(endpoint_url, REGION, resources, outputs, {})
        pseudo = {
            "AWS::AccountId": ACCOUNT_ID,
            "AWS::Region": REGION,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::StackName": stack_name,
            "AWS::StackId": created["StackId"],
        }
        types = {k: r["Type"] for k, r in cfn["Resources"].items()}
        resolve = _Resolver(stack, values, types, pseudo)
        _apply_ignored_properties(stack, cfn, resolve)
        stack = LocalStack(
            endpoint_url=endpoint_url,
            region=REGION,
            resources=resources,
            outputs=outputs,
            function_environment=_function_environment(cfn, resolve),
            function_policies=_function_policies(cfn, resolve),
            parameters=values,
            dropped=tuple(dropped),
            startup_seconds=time.perf_counter() - started,
            server_pid=server.pid if isinstance(server, MotoProcess) else None,
        )
        if isinstance(server, MotoProcess):
            server.settle()
        log.info("local stack %s up at %s in %.2fs", stack_name, endpoint_url, stack.startup_seconds)
        yield stack
    finally:
        if not moto_process:  # moto's state lives on in this process's backends: drop it
            try:
                _reset_moto(f"http://127.0.0.1:{server.get_host_and_port()[1]}")
            except OSError as exc:
                log.warning("could not reset moto state: %s", exc)
        server.stop()
