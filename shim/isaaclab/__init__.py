"""Isaac Lab's own ``OvPhysxManager``, handing its stage over through ``shim.load``.

>>> import shim.isaaclab
>>> shim.isaaclab.install()      # before the SimulationContext is made     # doctest: +SKIP
>>> shim.isaaclab.install(content="physics")   # headless: only what physics reads   # doctest: +SKIP

Isaac Lab still prepares its stage (flattening, clone edits, scene settings) with its own code
and keeps its own lifecycle. What changes:
- the prepared layer goes to ``shim.load`` as it is, by the automatic route (mesh data as a
  crate), instead of being written as USDA text and parsed again;
- ``OvPhysxManager._stage_usda`` still reads as that text, written only when something reads it;
- on ovphysx 0.7, the calls Isaac Lab 3.0.0 makes that 0.7 removed are bridged (``bridges``).
"""

from __future__ import annotations

import inspect
from typing import Any

from shim.errors import UnsupportedIsaacLab
from shim.functions import load  # at start-up, like Isaac Lab's own modules: not inside the timed load
from shim.isaaclab.bridges import bridged_backend_init, bridged_scene_data_setup, bridged_schema_registration
from shim.isaaclab.flattened import FlattenedStage, keeping_layer
from shim.releases.versions import installed_version

__all__ = ["VERIFIED", "FlattenedStage", "install", "installed", "options", "uninstall"]

#: The Isaac Lab release whose manager this integration was verified on.
VERIFIED = "3.0.0"

_CONTENTS = ("all", "physics")

# What install() replaced, as (owner, name, the owner's own value), restored by uninstall().
_replaced: list[tuple[Any, str, Any]] = []
_options: dict[str, str] = {}


def install(*, content: str = "all") -> None:
    """Route the installed Isaac Lab's ``OvPhysxManager`` through ``shim.load``.

    ``content="physics"`` hands over only what the physics engine reads (see ``shim.load``); the
    manager's ovstage stage is read by physics alone, and Isaac Lab's renderers build their own.
    A second call changes only the options. Raises UnsupportedIsaacLab, changing nothing, for
    any Isaac Lab but ``VERIFIED``.
    """
    if content not in _CONTENTS:
        raise ValueError(f"unknown content {content!r}; choose 'all' or 'physics'")
    if not _replaced:
        _replace_all(_verified_modules())
    _options["content"] = content


def uninstall() -> None:
    """Give Isaac Lab back everything ``install()`` replaced."""
    while _replaced:
        owner, name, value = _replaced.pop()
        setattr(owner, name, value)
    _options.clear()


def installed() -> bool:
    """Whether the manager loads through ``shim.load`` now."""
    return bool(_replaced)


def options() -> dict[str, str]:
    """The options of the current ``install()`` (empty when not installed)."""
    return dict(_options)


def _verified_modules() -> tuple[Any, Any]:
    """Isaac Lab's manager module and its replicate module, once they are the verified ones."""
    found = installed_version("isaaclab")
    if found != VERIFIED:
        raise UnsupportedIsaacLab(found, VERIFIED)
    try:
        from isaaclab_ov.cloner import replicate
        from isaaclab_ov.physics import ovphysx_manager
    except ImportError as error:
        raise UnsupportedIsaacLab(found, VERIFIED, f"its ovphysx manager cannot be imported: {error}") from error
    attach = vars(ovphysx_manager.OvPhysxManager).get("_attach_ovstage")
    parameters = list(inspect.signature(attach.__func__).parameters) if isinstance(attach, classmethod) else None
    if parameters != ["cls", "stage_usda"] or ovphysx_manager._serialize_stage is not replicate._serialize_stage:
        raise UnsupportedIsaacLab(
            VERIFIED, VERIFIED, f"OvPhysxManager's attach or serialisation is not the verified one ({parameters})"
        )
    return ovphysx_manager, replicate


def _replace_all(modules: tuple[Any, Any]) -> None:
    manager_module, replicate = modules
    manager = manager_module.OvPhysxManager
    replacements = [
        (manager_module, "_serialize_stage", keeping_layer(replicate._serialize_stage)),
        (manager, "_attach_ovstage", classmethod(_attach_through_shim)),
        (
            manager,
            "_ensure_physx_schemas_registered",
            bridged_schema_registration(vars(manager)["_ensure_physx_schemas_registered"]),
        ),
        (manager_module.OvPhysxBackend, "__init__", bridged_backend_init(manager_module.OvPhysxBackend.__init__)),
        (
            manager_module.OvPhysxSceneDataBackend,
            "_ensure_setup",
            bridged_scene_data_setup(manager_module.OvPhysxSceneDataBackend._ensure_setup),
        ),
    ]
    for owner, name, replacement in replacements:
        _replaced.append((owner, name, vars(owner)[name]))
        setattr(owner, name, replacement)


def _attach_through_shim(manager: Any, stage_usda: FlattenedStage | str) -> None:
    """The manager's attach: hand its prepared layer to ``shim.load`` and give the manager the attached stage."""
    from isaaclab_ov.physics import ovphysx_manager

    source = stage_usda.layer if isinstance(stage_usda, FlattenedStage) else stage_usda
    scene = load(
        manager.backend.physx,
        source,
        content=_options.get("content", "all"),
        clones="stage",  # Isaac Lab replays its own clones after the attach
        ovstage=lambda: ovphysx_manager.create_ovstage("isaaclab"),  # its settings; its tests patch this name
    )
    manager.backend.stage = scene.take_ovstage_stage()  # the manager detaches and destroys it, as its own
    manager._next_control_ordinal = 2  # ordinal 1 holds the scene; control writes follow it
    manager.shim_scene = scene
