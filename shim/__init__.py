"""ovphysx-shim: hand an in-memory pxr stage to any ovphysx release, without a disk round trip.

>>> import shim
>>> with shim.Simulation("cpu") as simulation:                # doctest: +SKIP
...     simulation.load(stage)
...     cubes = simulation.rigid_bodies(pattern="/World/Cube_*")
...     simulation.step(1 / 60, steps=60)
...     poses = cubes.read("pose")
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
        InvalidValues,
        KnownReleaseDefect,
        NoStrategyAvailable,
        NothingLoaded,
        NotInScene,
        OvphysxNotInstalled,
        PhysicsNotKept,
        QuantityUnavailable,
        SceneLoadError,
        ShimError,
        StaleView,
        UnsupportedIsaacLab,
        UnsupportedRelease,
    )
    from shim.functions import create_physx, destroy, load, prepare_physx, read_rigid_body_poses, step
    from shim.loaded_scene import LoadedScene
    from shim.releases import Capabilities, probe
    from shim.scratch import scratch_files, sweep
    from shim.simulation import ArticulationView, RigidBodyView, Simulation
    from shim.strategies import verdicts as routes

__all__ = [
    "ArticulationView",
    "CannotClone",
    "Capabilities",
    "DeviceModeFixed",
    "EngineClones",
    "GpuUnavailable",
    "InvalidPhysX",
    "InvalidSource",
    "InvalidValues",
    "KnownReleaseDefect",
    "LoadedScene",
    "NoStrategyAvailable",
    "NotInScene",
    "NothingLoaded",
    "OvphysxNotInstalled",
    "PhysicsNotKept",
    "QuantityUnavailable",
    "RigidBodyView",
    "SceneLoadError",
    "ShimError",
    "Simulation",
    "StaleView",
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
    "LoadedScene": "shim.loaded_scene",
    "Capabilities": "shim.releases",
    "probe": "shim.releases",
    **dict.fromkeys(("ArticulationView", "RigidBodyView", "Simulation"), "shim.simulation"),
    **dict.fromkeys(
        ("create_physx", "destroy", "load", "read_rigid_body_poses", "step", "prepare_physx"), "shim.functions"
    ),
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
            "InvalidValues",
            "KnownReleaseDefect",
            "NoStrategyAvailable",
            "NotInScene",
            "NothingLoaded",
            "OvphysxNotInstalled",
            "PhysicsNotKept",
            "QuantityUnavailable",
            "SceneLoadError",
            "ShimError",
            "StaleView",
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
