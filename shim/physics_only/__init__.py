"""``content="physics"``: hand over only what the physics engine reads.

``rule`` says what physics reads; ``prune`` reduces a whole stage to it; ``by_asset``
reduces a scene of cloned references one asset at a time (the same result, without
flattening every clone); ``inventory`` proves, on the composed stages, that the layer
handed over holds the same physics as the stage. What was left out is a ``LeftOut``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import lazy
from shim.physics_only.by_asset import select_by_asset
from shim.physics_only.inventory import check_kept, inventory
from shim.physics_only.prune import select

__all__ = ["LeftOut", "physics_only"]


@dataclass
class LeftOut:
    """What ``content="physics"`` did not hand over."""

    payloads: list[str] = field(default_factory=list)  # payload layers the stage never composed
    payload_bytes: int = 0  # their size on disk
    prims: int = 0  # prims of the composed stage not handed over (unloaded payloads' contents not counted)
    prims_kept: int = 0  # prims handed over (those inside kept instances and collider subtrees not counted)

    def summary(self) -> str:
        return (
            f"left out {self.prims:,} prims (kept {self.prims_kept:,}) and {len(self.payloads)} unloaded "
            f"payload layers ({self.payload_bytes / 2**20:.1f} MiB on disk)"
        )


def physics_only(stage: Any) -> tuple[Any, LeftOut]:
    """A layer of what physics reads in ``stage`` (flat, but for ``by_asset``'s class prims), and what was left out.

    Raises ``PhysicsNotKept`` when the layer would compose to other physics than ``stage`` with
    every payload loaded.
    """
    Usd = lazy.pxr.Usd
    selection = select_by_asset(stage)
    if selection is None:
        reopened = Usd.Stage.OpenMasked(
            stage.GetRootLayer(), stage.GetSessionLayer(), stage.GetPopulationMask(), Usd.Stage.LoadNone
        )
        selection = select(reopened)
    check_kept(inventory(_every_payload_loaded(stage)), selection.layer)
    left_out = LeftOut(prims=selection.composed - selection.kept, prims_kept=selection.kept)
    for layer in selection.unloaded:
        left_out.payloads.append(layer.identifier)
        real_path = layer.realPath
        if real_path and os.path.exists(real_path):
            left_out.payload_bytes += os.path.getsize(real_path)
    return selection.layer, left_out


def _every_payload_loaded(stage: Any) -> Any:
    """``stage`` itself where every payload is loaded; else the same layers opened so (what the check compares)."""
    Usd = lazy.pxr.Usd
    if stage.GetLoadRules() == Usd.StageLoadRules.LoadAll():
        return stage
    return Usd.Stage.OpenMasked(stage.GetRootLayer(), stage.GetSessionLayer(), stage.GetPopulationMask())
