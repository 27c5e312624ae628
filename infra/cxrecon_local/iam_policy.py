"""Does a function's inline policy allow exactly what its code asked for?

Pure: IAM policy statements (resources already resolved to ARNs) and the permissions the recorded calls
required (`iam_actions`) in, what is missing and what is granted but never used out. Matching follows
IAM: `*` and `?` wildcards in actions and resources, an explicit Deny wins, and a condition is met only
when the request carries the key (`StringLike`/`StringEquals` on keys such as `s3:prefix`); any other
condition operator never matches here, so a statement that relies on one shows as unused, not silently
as allowing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from cxrecon_local.iam_actions import Permission

Statement = Mapping[str, Any]


@dataclass(frozen=True)
class Grant:
    """One action on one resource pattern of one statement."""

    sid: str
    action: str
    resource: str

    def __str__(self) -> str:
        return f"{self.action} on {self.resource} ({self.sid or 'no Sid'})"


@dataclass(frozen=True)
class PolicyCheck:
    missing: tuple[Permission, ...]
    unused: tuple[Grant, ...]

    @property
    def exact(self) -> bool:
        return not self.missing and not self.unused

    def explain(self, function: str) -> str:
        lines = [f"{function}: the code needs {p}, the policy does not allow it" for p in self.missing]
        lines += [f"{function}: the policy grants {g}, the code never used it" for g in self.unused]
        return "\n".join(lines)


def _listed(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


@cache
def _pattern(glob: str) -> re.Pattern[str]:
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in glob))


def matches(glob: str, value: str, *, case_sensitive: bool = True) -> bool:
    if not case_sensitive:
        glob, value = glob.lower(), value.lower()
    return _pattern(glob).fullmatch(value) is not None


def _conditions_met(statement: Statement, context: Mapping[str, str]) -> bool:
    for operator, tests in (statement.get("Condition") or {}).items():
        if operator not in ("StringLike", "StringEquals"):
            return False
        for key, wanted in tests.items():
            value = context.get(key)
            if value is None:
                return False
            if operator == "StringEquals" and value not in _listed(wanted):
                return False
            if operator == "StringLike" and not any(matches(w, value) for w in _listed(wanted)):
                return False
    return True


def _grants(statement: Statement) -> list[Grant]:
    sid = str(statement.get("Sid", ""))
    return [
        Grant(sid, action, resource)
        for action in _listed(statement.get("Action", []))
        for resource in _listed(statement.get("Resource", []))
    ]


def _covers(grant: Grant, statement: Statement, permission: Permission) -> bool:
    return (
        matches(grant.action, permission.action, case_sensitive=False)
        and matches(grant.resource, permission.resource)
        and _conditions_met(statement, dict(permission.context))
    )


def check_policy(statements: Sequence[Statement], needed: Iterable[Permission]) -> PolicyCheck:
    """Each needed permission allowed by some Allow (and no Deny); each Allow grant used by one."""
    allows = [(s, g) for s in statements if s.get("Effect") == "Allow" for g in _grants(s)]
    denies = [(s, g) for s in statements if s.get("Effect") == "Deny" for g in _grants(s)]
    used: set[Grant] = set()
    missing: list[Permission] = []
    for permission in dict.fromkeys(needed):
        covering = [g for s, g in allows if _covers(g, s, permission)]
        denied = any(_covers(g, s, permission) for s, g in denies)
        used.update(covering)
        if denied or not covering:
            missing.append(permission)
    # A statement grants each of its actions on each of its resources: each action must be used on
    # one of them, and each resource by one of the actions (not every pair: a Query on the index and
    # the item reads on the table share one Ledger statement).
    unused: list[Grant] = []
    for statement in (s for s in statements if s.get("Effect") == "Allow"):
        grants = _grants(statement)
        sid = str(statement.get("Sid", ""))
        for action in dict.fromkeys(g.action for g in grants):
            if not any(g in used for g in grants if g.action == action):
                unused.append(Grant(sid, action, "|".join(_listed(statement.get("Resource", [])))))
        for resource in dict.fromkeys(g.resource for g in grants):
            if not any(g in used for g in grants if g.resource == resource):
                unused.append(Grant(sid, "|".join(_listed(statement.get("Action", []))), resource))
    return PolicyCheck(tuple(missing), tuple(unused))


def actions_of(statements: Sequence[Statement]) -> set[str]:
    """The actions a policy allows (as written)."""
    return {g.action for s in statements if s.get("Effect") == "Allow" for g in _grants(s)}
