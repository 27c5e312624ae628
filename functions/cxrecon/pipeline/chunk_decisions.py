"""A chunk's decisions: its lookup keys, the org slice they fetch, the decision core, and the name round
for what nothing else identified (rule 10). Each pure step runs isolated (`pipeline.isolation`)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from cxrecon.domain.decide import decide_chunk
from cxrecon.domain.decision import Decision, Outcome
from cxrecon.domain.interaction import Interaction
from cxrecon.domain.lookup_keys import lookup_keys, name_keys
from cxrecon.domain.lookups import LookupKeys, OrgView
from cxrecon.pipeline.isolation import StepFailure, isolate, survivors
from cxrecon.pipeline.reconcile_deps import ReconcileDeps


def _merge(view: OrgView, extra: OrgView) -> OrgView:
    """`view` with what the name round (`fetch_names`) found: contacts by name and their accounts."""
    return view.model_copy(
        update={
            "contacts_by_name": {**view.contacts_by_name, **extra.contacts_by_name},
            "accounts": {**extra.accounts, **view.accounts},
        }
    )


def _union(keys: Sequence[LookupKeys]) -> LookupKeys:
    if len(keys) == 1:
        return keys[0]
    return LookupKeys(
        **{name: frozenset().union(*(getattr(k, name) for k in keys)) for name in LookupKeys.model_fields}
    )


def _pairs(parts: Sequence[tuple[list[Interaction], list[Decision]]]) -> list[tuple[Interaction, Decision]]:
    return [pair for legs, decisions in parts for pair in zip(legs, decisions, strict=True)]


def decide_with_lookups(
    interactions: list[Interaction],
    deps: ReconcileDeps,
    failures: dict[str, StepFailure] | None = None,
    *,
    file_id: str = "",
) -> tuple[list[tuple[Interaction, Decision]], OrgView]:
    """Each interaction with its decision, but those whose conversation failed a step (added to
    `failures`, see `pipeline.isolation`), and the org slice the decisions looked at."""
    failed = {} if failures is None else failures
    directory = deps.directory()
    region = deps.region

    def decide(legs: list[Interaction], view: OrgView) -> list[tuple[Interaction, Decision]]:
        step = partial(decide_chunk, view=view, directory=directory, region=region)
        return _pairs(isolate("decision", legs, step, failed, file_id=file_id))

    keys_of = partial(lookup_keys, directory=directory, region=region)
    keyed = isolate("lookup keys", interactions, keys_of, failed, file_id=file_id)
    view = deps.salesforce.fetch(_union([keys for _, keys in keyed]))
    pairs = decide(survivors(keyed), view)
    # Second, small round: typed names of what nothing else identified, to rank candidates (rule 10).
    unnamed = [
        ix
        for ix, d in pairs
        if d.outcome == Outcome.QUEUED_FOR_REVIEW and not d.candidates and ix.customer_name
    ]
    named = isolate("name keys", unnamed, partial(name_keys, region=region), failed, file_id=file_id)
    names = _union([keys for _, keys in named]) if named else LookupKeys()
    if names.names:
        view = _merge(view, deps.salesforce.fetch_names(names))
        # Only what the names can change is decided again: the interactions of those conversations
        # (a transfer's legs share one identity). The round adds names and their contacts' accounts,
        # which nothing else looks up.
        masters = {_master(ix) for ix in survivors(named)}
        again = [ix for ix, _ in pairs if _master(ix) in masters]
        redecided = {ix.interaction_id: d for ix, d in decide(again, view)}
        pairs = [(ix, redecided.get(ix.interaction_id, d)) for ix, d in pairs]
    return [(ix, d) for ix, d in pairs if ix.interaction_id not in failed], view


def _master(ix: Interaction) -> str:
    return ix.master_interaction_id or ix.interaction_id
