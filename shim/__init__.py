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
    from shim.doctor import explain
    from shim.engine_clone import EngineClones
    from shim.errors import (
        CannotClone,
        DeviceModeFixed,
        GpuUnavailable,
        InvalidPhysX,
        InvalidSource,
        KnownReleaseDefect,
        NoStrategyAvailable,
        OvphysxNotInstalled,
        PhysicsNotKept,
        SceneLoadError,
        ShimError,
        UnsupportedIsaacLab,
        UnsupportedRelease,
    )
    from shim.loading import LoadedScene, load
    from shim.releases import Capabilities, Features, probe
    from shim.scratch import scratch_files, sweep
    from shim.session import create_physx, destroy, prepare_physx, read_rigid_body_poses, step
    from shim.strategies import verdicts as routes

__all__ = [
    "CannotClone",
    "Capabilities",
    "DeviceModeFixed",
    "EngineClones",
    "Features",
    "GpuUnavailable",
    "InvalidPhysX",
    "InvalidSource",
    "KnownReleaseDefect",
    "LoadedScene",
    "NoStrategyAvailable",
    "OvphysxNotInstalled",
    "PhysicsNotKept",
    "SceneLoadError",
    "ShimError",
    "UnsupportedIsaacLab",
    "UnsupportedRelease",
    "__version__",
    "create_physx",
    "destroy",
    "explain",
    "load",
    "prepare_physx",
    "probe",
    "read_rigid_body_poses",
    "routes",
    "scratch_files",
    "step",
    "sweep",
]

_HOMES = {
    "explain": "shim.doctor",
    "EngineClones": "shim.engine_clone",
    "LoadedScene": "shim.loading",
    "load": "shim.loading",
    "Capabilities": "shim.releases",
    "Features": "shim.releases",
    "probe": "shim.releases",
    "create_physx": "shim.session",
    "destroy": "shim.session",
    "read_rigid_body_poses": "shim.session",
    "step": "shim.session",
    "prepare_physx": "shim.session",
    "sweep": "shim.scratch",
    "scratch_files": "shim.scratch",
    "routes": "shim.strategies",
    **dict.fromkeys(
        (
            "CannotClone",
            "DeviceModeFixed",
            "GpuUnavailable",
            "InvalidPhysX",
            "InvalidSource",
            "KnownReleaseDefect",
            "NoStrategyAvailable",
            "OvphysxNotInstalled",
            "PhysicsNotKept",
            "SceneLoadError",
            "ShimError",
            "UnsupportedIsaacLab",
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
