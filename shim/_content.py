"""``content="physics"``: hand over only what the physics engine reads.

The rule and the reduction of a whole stage are ``_selection``'s; a scene of cloned
references is reduced one asset at a time by ``_clones`` (the same result, without
flattening every clone). What was left out is reported as a ``LeftOut``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Literal

import lazy
from shim._clones import select_by_asset
from shim._selection import select

__all__ = ["Content", "LeftOut", "physics_only"]

Content = Literal["all", "physics"]


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
    """A layer of what physics reads in ``stage`` (flat, but for ``_clones``' asset prims), and what was left out."""
    Usd = lazy.pxr.Usd
    selection = select_by_asset(stage)
    if selection is None:
        reopened = Usd.Stage.OpenMasked(
            stage.GetRootLayer(), stage.GetSessionLayer(), stage.GetPopulationMask(), Usd.Stage.LoadNone
        )
        selection = select(reopened)
    left_out = LeftOut(prims=selection.composed - selection.kept, prims_kept=selection.kept)
    for layer in selection.unloaded:
        left_out.payloads.append(layer.identifier)
        real_path = layer.realPath
        if real_path and os.path.exists(real_path):
            left_out.payload_bytes += os.path.getsize(real_path)
    return selection.layer, left_out
