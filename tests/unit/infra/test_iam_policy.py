"""A policy allows exactly what was needed: nothing missing, no grant unused."""

from __future__ import annotations

from typing import Any

from cxrecon_local.iam_actions import Permission
from cxrecon_local.iam_policy import check_policy

BUCKET = "arn:aws:s3:::b"


def allow(action: Any, resource: Any, sid: str = "S", **condition: Any) -> dict[str, Any]:
    statement = {"Sid": sid, "Effect": "Allow", "Action": action, "Resource": resource}
    if condition:
        statement["Condition"] = condition
    return statement


def test_a_needed_permission_the_policy_lacks_is_missing() -> None:
    result = check_policy(
        [allow("s3:GetObject", f"{BUCKET}/exports/*")],
        [Permission("s3:GetObjectVersion", f"{BUCKET}/exports/x")],
    )
    assert result.missing == (Permission("s3:GetObjectVersion", f"{BUCKET}/exports/x"),)
    assert not result.exact


def test_a_resource_outside_the_pattern_is_missing() -> None:
    result = check_policy(
        [allow("s3:PutObject", f"{BUCKET}/work/*")], [Permission("s3:PutObject", f"{BUCKET}/x/y")]
    )
    assert len(result.missing) == 1


def test_an_action_never_used_is_reported_unused() -> None:
    policy = [allow(["dynamodb:GetItem", "dynamodb:PutItem"], "arn:t")]
    result = check_policy(policy, [Permission("dynamodb:GetItem", "arn:t")])
    assert [g.action for g in result.unused] == ["dynamodb:PutItem"]


def test_a_resource_no_action_used_is_reported_unused() -> None:
    policy = [allow("dynamodb:Query", ["arn:t", "arn:t/index/*"])]
    result = check_policy(policy, [Permission("dynamodb:Query", "arn:t")])
    assert [g.resource for g in result.unused] == ["arn:t/index/*"]


def test_a_prefix_condition_allows_only_the_prefixes_it_names() -> None:
    policy = [allow("s3:ListBucket", BUCKET, StringLike={"s3:prefix": ["decisions/*"]})]
    listed = Permission("s3:ListBucket", BUCKET, (("s3:prefix", "decisions/"),))
    assert check_policy(policy, [listed]).exact
    elsewhere = Permission("s3:ListBucket", BUCKET, (("s3:prefix", "work/"),))
    assert check_policy(policy, [listed, elsewhere]).missing == (elsewhere,)


def test_a_prefix_condition_does_not_cover_a_request_without_a_prefix() -> None:
    """What a 404 on HeadObject needs is the bucket's ListBucket: the request carries no s3:prefix."""
    policy = [allow("s3:ListBucket", BUCKET, StringLike={"s3:prefix": ["directory/*"]})]
    assert check_policy(policy, [Permission("s3:ListBucket", BUCKET)]).missing


def test_an_explicit_deny_wins() -> None:
    policy = [allow("s3:*", f"{BUCKET}/*"), {"Effect": "Deny", "Action": "s3:PutObject", "Resource": "*"}]
    result = check_policy(
        policy, [Permission("s3:PutObject", f"{BUCKET}/k"), Permission("s3:GetObject", f"{BUCKET}/k")]
    )
    assert result.missing == (Permission("s3:PutObject", f"{BUCKET}/k"),)
