"""Engine-side cloning: hand over the first environment, let ovphysx make the copies.

An RL scene holds one environment copied many times (``/World/envs/env_0 ... env_N``). When
every copy is env_0 moved elsewhere, ``shim.load`` hands over the stage without env_1..N
(a population mask, so they are never composed) and asks the release's ``clone`` to make
them, each at its copy's world position. The copies then exist in PhysX only: not in USD,
not in the ovstage stage. ``environments.plan`` says whether a stage qualifies, and why not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import lazy
from shim.engine_clone.environments import Plan, plan

__all__ = ["EngineClones", "Plan", "masked", "plan"]


@dataclass(frozen=True)
class EngineClones:
    """What ``shim.load`` cloned in the engine: ``count`` copies of ``source``, or ``reason`` why none."""

    source: str | None = None
    count: int = 0
    reason: str | None = None


def masked(stage: Any, chosen: Plan) -> Any:
    """``stage`` composed without the environments ``chosen`` clones (every other prim as it was)."""
    Sdf, Usd = lazy.pxr.Sdf, lazy.pxr.Usd
    mask = Usd.StagePopulationMask()
    parent = Sdf.Path(chosen.parent)
    for level in reversed(list(parent.GetAncestorsRange())):  # /World, then /World/envs
        for sibling in stage.GetPrimAtPath(level.GetParentPath()).GetAllChildren():
            if sibling.GetPath() != level:
                mask.Add(sibling.GetPath())
    mask.Add(Sdf.Path(chosen.source))
    return Usd.Stage.OpenMasked(stage.GetRootLayer(), stage.GetSessionLayer(), mask)
