"""Load `template.yaml`, SAM-transform it offline and cut it down to what moto's CloudFormation can create.

Nothing here talks to AWS: the managed-policy loader is static and the translator gets an explicit
boto3 session with fake credentials and a fixed region (samtranslator otherwise asks boto3 for a region).
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped,unused-ignore]
from samtranslator.parser.parser import Parser
from samtranslator.translator.managed_policy_translator import ManagedPolicyLoader
from samtranslator.translator.translator import Translator

from cxrecon_local.sessions import fake_session

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_TEMPLATE = REPO_ROOT / "template.yaml"
PLACEHOLDER_CODE_BUCKET = "cxrecon-local-code"

PSEUDO_PARAMETERS = frozenset(
    {
        "AWS::AccountId",
        "AWS::NotificationARNs",
        "AWS::NoValue",
        "AWS::Partition",
        "AWS::Region",
        "AWS::StackId",
        "AWS::StackName",
        "AWS::URLSuffix",
    }
)

# Resource types never created in moto even when it has a model for them: Lambda is not emulated (a fake
# function behind an event-source mapping would silently consume the queues), and IAM is not enforced.
NEVER_IN_MOTO_PREFIXES = (
    "AWS::Serverless::",
    "AWS::Lambda::",
    "AWS::IAM::",
    "AWS::Glue::",
    "AWS::Athena::",
    "AWS::ApiGateway",
    "AWS::Cognito::",
    "AWS::CloudWatch::",
    "AWS::Events::",
    "AWS::Scheduler::",
    "AWS::Logs::",
    "AWS::XRay::",
)

_SUB_VAR = re.compile(r"\$\{([^}!][^}]*)\}")


class _CfnLoader(yaml.SafeLoader):  # type: ignore[misc,unused-ignore]
    """SafeLoader that understands CloudFormation short-form intrinsics (`!Ref`, `!Sub`, `!GetAtt` ...)."""


def _intrinsic(loader: _CfnLoader, tag_suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = tag_suffix if tag_suffix in ("Ref", "Condition") else f"Fn::{tag_suffix}"
    value: Any
    if tag_suffix == "GetAtt" and isinstance(node, yaml.ScalarNode):
        value = str(loader.construct_scalar(node)).split(".", 1)
    elif isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


_CfnLoader.add_multi_constructor("!", _intrinsic)


def load_template(path: Path = DEFAULT_TEMPLATE) -> dict[str, Any]:
    """The template as plain data, short-form intrinsics expanded to their long form."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_CfnLoader)  # noqa: S506 - safe subclass
    if not isinstance(data, dict) or "Resources" not in data:
        raise ValueError(f"{path} is not a CloudFormation template")
    return data


# AWS managed policies a SAM `Policies:` list may name; SAM otherwise lists them all from IAM.
MANAGED_POLICIES = {
    name: f"arn:aws:iam::aws:policy/{path}{name}"
    for path, name in (
        ("service-role/", "AWSLambdaBasicExecutionRole"),
        ("service-role/", "AWSLambdaSQSQueueExecutionRole"),
        ("service-role/", "AWSLambdaVPCAccessExecutionRole"),
        ("", "AWSXrayWriteOnlyAccess"),
        ("", "CloudWatchLambdaInsightsExecutionRolePolicy"),
    )
}


class OfflineManagedPolicyLoader(ManagedPolicyLoader):  # type: ignore[misc]
    """Resolves AWS managed policy names without calling IAM."""

    def __init__(self) -> None:
        super().__init__(iam_client=None)

    def load(self) -> dict[str, str]:
        return dict(MANAGED_POLICIES)


def translate(
    template: dict[str, Any], *, region: str = "us-east-1", parameters: dict[str, str] | None = None
) -> dict[str, Any]:
    """SAM → plain CloudFormation, offline. Local `CodeUri`s become `s3://` placeholders."""
    sam = copy.deepcopy(template)
    for resource in sam.get("Resources", {}).values():
        props = resource.get("Properties") or {}
        for key in ("CodeUri", "ContentUri"):
            uri = props.get(key)
            if isinstance(uri, str) and not uri.startswith("s3://"):
                props[key] = f"s3://{PLACEHOLDER_CODE_BUCKET}/{uri.strip('/') or 'code'}.zip"
    session = fake_session(region)
    loader = OfflineManagedPolicyLoader()
    values: dict[str, Any] = {"AWS::Region": region, **(parameters or {})}
    translator = Translator(None, Parser(), boto_session=session)
    result: dict[str, Any] = translator.translate(
        sam, parameter_values=values, get_managed_policy_map=loader.load
    )
    translator.metrics.publish()  # a no-op publisher; otherwise it warns about unpublished metrics
    return result


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def references(node: Any) -> set[str]:
    """Logical ids (resources or parameters) an expression refers to via Ref, GetAtt or Sub."""
    found: set[str] = set()
    for mapping in _walk(node):
        if isinstance(mapping.get("Ref"), str):
            found.add(mapping["Ref"])
        getatt = mapping.get("Fn::GetAtt")
        if isinstance(getatt, list) and getatt and isinstance(getatt[0], str):
            found.add(getatt[0])
        elif isinstance(getatt, str):
            found.add(getatt.split(".", 1)[0])
        sub = mapping.get("Fn::Sub")
        if sub is not None:
            text, variables = (sub, {}) if isinstance(sub, str) else (sub[0], sub[1])
            for var in _SUB_VAR.findall(text):
                name = var.split(".", 1)[0]
                if name not in variables:
                    found.add(name)
    return found - PSEUDO_PARAMETERS


def moto_supports(resource_type: str) -> bool:
    """Whether moto's CloudFormation has a model for the type (it skips the others with a warning)."""
    from moto.cloudformation.parsing import NULL_MODELS, get_model_map  # noqa: PLC0415 - heavy

    return resource_type not in NULL_MODELS and (
        resource_type.startswith("Custom::") or resource_type in get_model_map()
    )


def prune_for_moto(cfn: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A copy of the translated template that moto can create, and the logical ids that were dropped.

    Drops the resource types that must not or cannot exist in moto, then, until nothing changes, every
    resource whose properties refer to a dropped one. `DependsOn` on a dropped resource is simply removed.
    Outputs and Conditions that refer to a dropped resource go too.
    """
    out = copy.deepcopy(cfn)
    resources: dict[str, Any] = out["Resources"]
    dropped: list[str] = [
        logical_id
        for logical_id, resource in resources.items()
        if resource["Type"].startswith(NEVER_IN_MOTO_PREFIXES) or not moto_supports(resource["Type"])
    ]
    for logical_id in dropped:
        del resources[logical_id]
    known = set(resources) | set(out.get("Parameters", {})) | set(out.get("Conditions", {}))
    changed = True
    while changed:
        changed = False
        for logical_id in list(resources):
            resource = resources[logical_id]
            if references({k: v for k, v in resource.items() if k != "DependsOn"}) - known:
                del resources[logical_id]
                dropped.append(logical_id)
                known.discard(logical_id)
                changed = True
    for resource in resources.values():
        depends = resource.get("DependsOn")
        if depends is not None:
            kept = [d for d in ([depends] if isinstance(depends, str) else depends) if d in resources]
            if kept:
                resource["DependsOn"] = kept
            else:
                del resource["DependsOn"]
    for name, output in list(out.get("Outputs", {}).items()):
        if references(output) - known:
            del out["Outputs"][name]
    if dropped:
        log.debug("not created in moto: %s", ", ".join(sorted(dropped)))
    return out, dropped
