"""What Isaac Lab 3.0.0's manager calls that ovphysx 0.7 removed, bridged on the manager itself.

Each bridge asks the release's adapter whether the release still has the call and leaves Isaac
Lab's own code alone where it does:
- the PhysX schemas: 0.7 has no ``codeless_schema_paths``; they come from ``physx-usd-schemas``;
- ``wait_op`` and ``reset_stage``: 0.7 returns Tasks, and detaching replaces the stage reset;
- the scene-data bodies: ovstage 0.3 needs ``PathDictionary(stage)``, and 0.7 reads by ``read_sync``.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from shim.adapters import adapter, population
from shim.releases.bootstrap import physx_usd_schemas_paths

__all__ = ["bridged_backend_init", "bridged_scene_data_setup", "bridged_schema_registration"]


def bridged_schema_registration(shipped: Any) -> Any:
    """The manager's ``_ensure_physx_schemas_registered``, registering ``physx-usd-schemas`` where 0.7 needs it."""

    def register(manager: Any) -> None:
        release = adapter()
        if release.ships_schemas or manager._physx_schemas_registered:
            shipped.__func__(manager)
            return
        from pxr import Plug

        release.prepare()  # registers them with ovstage, as the shim's own loads need them
        registry = Plug.Registry()
        known = {plugin.name.casefold() for plugin in registry.GetAllPlugins()}
        # The same rule as Isaac Lab's: a schema module's folder is named like its plugin.
        paths = [path for path in physx_usd_schemas_paths() if Path(path).parent.name.casefold() not in known]
        if paths:
            registry.RegisterPlugins(paths)
        manager._physx_schemas_registered = True

    return classmethod(register)


def bridged_backend_init(shipped: Any) -> Any:
    """``OvPhysxBackend.__init__``, giving the manager's instance the two names 0.7 removed."""

    @functools.wraps(shipped)
    def init(backend: Any, cfg: Any) -> None:
        shipped(backend, cfg)
        for name, call in adapter().stand_ins(backend.physx).items():
            setattr(backend.physx, name, call)

    return init


def bridged_scene_data_setup(shipped: Any) -> Any:
    """``OvPhysxSceneDataBackend._ensure_setup``, reading the body paths the way 0.7 and ovstage 0.3 allow."""

    @functools.wraps(shipped)
    def ensure_setup(scene_data: Any) -> None:
        if scene_data._pending_setup is None or not population.path_dictionary_needs_a_stage():
            shipped(scene_data)
            return
        backend, device, entries = scene_data._pending_setup
        from ovphysx.types import SimObjectType
        from ovstage import PathDictionary

        body_paths: list[str] = []
        with PathDictionary(backend.stage) as paths:
            for kind in (SimObjectType.RIGID_BODY, SimObjectType.ARTICULATION_LINK):
                bodies = backend.physx.read_sync(kind, ["mass"])
                try:
                    for group in bodies.groups:
                        body_paths.extend(paths.get_path_strings(group.prim_list))
                finally:
                    bodies.close_sync()
        if body_paths:
            backend.rigid_body_view = backend.physx.create_tensor_binding(prim_paths=body_paths)
        scene_data.setup(backend, device, entries)
        scene_data._pending_setup = None

    return ensure_setup
