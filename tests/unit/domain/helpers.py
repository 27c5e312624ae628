from __future__ import annotations

from collections.abc import Sequence

from cxrecon.domain.decide import decide_chunk
from cxrecon.domain.decision import Decision
from cxrecon.domain.directory import Directory
from cxrecon.domain.interaction import Interaction
from cxrecon.domain.lookups import OrgView

from .builders import view


def decide_one(ix: Interaction, org: OrgView | None = None, directory: Directory | None = None) -> Decision:
    return decide_chunk([ix], org or view(), directory or Directory())[0]


def decide_all(ixs: Sequence[Interaction], org: OrgView | None = None) -> list[Decision]:
    return decide_chunk(list(ixs), org or view(), Directory())
