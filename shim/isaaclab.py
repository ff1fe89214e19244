"""Isaac Lab's own ``OvPhysxManager``, handing its stage over through ``shim.load``.

>>> import shim.isaaclab
>>> shim.isaaclab.install()      # before the SimulationContext is made     # doctest: +SKIP

Only the manager's attach changes: Isaac Lab still serialises its stage (clones, scene
settings, the text its tendon discovery reads) and keeps its own lifecycle. The stage
is populated with Isaac Lab's own ovstage settings, so its renderer's stages coexist.
"""

from __future__ import annotations

import inspect
from typing import Any

from shim.errors import UnsupportedIsaacLab
from shim.releases.versions import installed_version

__all__ = ["VERIFIED", "install", "installed", "uninstall"]

#: The Isaac Lab release whose manager this integration was verified on.
VERIFIED = "3.0.0"

_ORIGINAL = "_shim_original_attach_ovstage"


def _manager() -> Any:
    found = installed_version("isaaclab")
    if found != VERIFIED:
        raise UnsupportedIsaacLab(found, VERIFIED)
    try:
        from isaaclab_ov.physics.ovphysx_manager import OvPhysxManager
    except ImportError as error:
        raise UnsupportedIsaacLab(found, VERIFIED, f"its ovphysx manager cannot be imported: {error}") from error
    return OvPhysxManager


def install() -> None:
    """Route the installed Isaac Lab's ``OvPhysxManager`` through ``shim.load``; a second call does nothing.

    Raises UnsupportedIsaacLab, changing nothing, for any Isaac Lab but ``VERIFIED``.
    """
    manager = _manager()
    if _ORIGINAL in vars(manager):
        return
    attach = vars(manager).get("_attach_ovstage")
    parameters = list(inspect.signature(attach.__func__).parameters) if isinstance(attach, classmethod) else None
    if parameters != ["cls", "stage_usda"]:
        raise UnsupportedIsaacLab(
            VERIFIED, VERIFIED, f"OvPhysxManager._attach_ovstage is not the verified one ({parameters})"
        )
    setattr(manager, _ORIGINAL, attach)
    manager._attach_ovstage = classmethod(_attach_through_shim)


def uninstall() -> None:
    """Give the manager its own attach back."""
    manager = _manager()
    original = vars(manager).get(_ORIGINAL)
    if original is not None:
        manager._attach_ovstage = original
        delattr(manager, _ORIGINAL)


def installed() -> bool:
    """Whether the manager loads through ``shim.load`` now."""
    try:
        return _ORIGINAL in vars(_manager())
    except UnsupportedIsaacLab:
        return False


def _attach_through_shim(manager: Any, stage_usda: str) -> None:
    """The manager's attach: populate a stage made Isaac Lab's way, attach it, and give the manager the stage."""
    from isaaclab_ov.stage import create_ovstage

    from shim.loading import load

    # Isaac Lab's own population call: on its scenes it reads the text faster than the memfd route.
    scene = load(manager.backend.physx, stage_usda, strategy="string", ovstage=lambda: create_ovstage("isaaclab"))
    manager.backend.stage = scene.take_ovstage_stage()  # the manager detaches and destroys it, as its own
    manager._next_control_ordinal = 2  # ordinal 1 holds the scene; control writes follow it
    manager.shim_scene = scene
