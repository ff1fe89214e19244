"""ovphysx-shim: hand an in-memory pxr stage to any ovphysx release, without a disk round trip.

>>> import shim
>>> physx = shim.create_physx("cpu")                          # doctest: +SKIP
>>> with shim.load(physx, stage) as scene:                    # doctest: +SKIP
...     shim.step(physx, 1 / 60, steps=60)
...     poses = shim.read_rigid_body_poses(physx, ["/World/Cube"])
"""

from shim._version import __version__

# Everything below is imported on first use: `import shim` stays as cheap as `import lazy`.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from shim._explain import explain
    from shim._load import LoadedScene, load
    from shim._probe import Capabilities, Features, probe
    from shim._select import verdicts as routes
    from shim._session import create_physx, destroy, read_rigid_body_poses, step
    from shim._temproot import sweep
    from shim.engine_clone import EngineClones
    from shim.errors import (
        CannotClone,
        DeviceModeFixed,
        InvalidPhysX,
        InvalidSource,
        KnownReleaseDefect,
        NoStrategyAvailable,
        OvphysxNotInstalled,
        PhysicsNotKept,
        SceneLoadError,
        ShimError,
        UnsupportedRelease,
    )

__all__ = [
    "CannotClone",
    "Capabilities",
    "DeviceModeFixed",
    "EngineClones",
    "Features",
    "InvalidPhysX",
    "InvalidSource",
    "KnownReleaseDefect",
    "LoadedScene",
    "NoStrategyAvailable",
    "OvphysxNotInstalled",
    "PhysicsNotKept",
    "SceneLoadError",
    "ShimError",
    "UnsupportedRelease",
    "__version__",
    "create_physx",
    "destroy",
    "explain",
    "load",
    "probe",
    "read_rigid_body_poses",
    "routes",
    "step",
    "sweep",
]

_HOMES = {
    "explain": "shim._explain",
    "EngineClones": "shim.engine_clone",
    "LoadedScene": "shim._load",
    "load": "shim._load",
    "Capabilities": "shim._probe",
    "Features": "shim._probe",
    "probe": "shim._probe",
    "create_physx": "shim._session",
    "destroy": "shim._session",
    "read_rigid_body_poses": "shim._session",
    "step": "shim._session",
    "sweep": "shim._temproot",
    "routes": "shim._select",
    **dict.fromkeys(
        (
            "CannotClone",
            "DeviceModeFixed",
            "InvalidPhysX",
            "InvalidSource",
            "KnownReleaseDefect",
            "NoStrategyAvailable",
            "OvphysxNotInstalled",
            "PhysicsNotKept",
            "SceneLoadError",
            "ShimError",
            "UnsupportedRelease",
        ),
        "shim.errors",
    ),
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'shim' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(home), "verdicts" if name == "routes" else name)
    globals()[name] = value  # resolved once; later reads skip this function
    return value


def __dir__() -> list[str]:
    return list(__all__)
