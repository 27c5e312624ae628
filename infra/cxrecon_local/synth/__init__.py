"""A labelled synthetic world for cxrecon: org snapshot, Engine directory, CXone exports and the truth."""

from cxrecon_local.synth.org import is_valid_id, make_id, sf_checksum
from cxrecon_local.synth.truth import Truth
from cxrecon_local.synth.world import SCENARIOS, World, WorldPaths, generate_world, scenario_counts

__all__ = [
    "SCENARIOS",
    "Truth",
    "World",
    "WorldPaths",
    "generate_world",
    "is_valid_id",
    "make_id",
    "scenario_counts",
    "sf_checksum",
]
