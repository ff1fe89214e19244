"""The functions of shim's first releases, kept as thin wrappers over ``shim.Simulation``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shim.simulation import Simulation
from shim.simulation.devices import LOG_LEVELS

if TYPE_CHECKING:
    from shim.loaded_scene import LoadedScene

__all__ = ["LOG_LEVELS", "create_physx", "destroy", "load", "prepare_physx", "read_rigid_body_poses", "step"]


def create_physx(device: str = "cpu", *, log: str | None = None, **config: Any) -> Any:
    """A new ``ovphysx.PhysX`` on ``device`` ('cpu', 'cuda' or 'cuda:N'): ``Simulation(...)``'s instance.

    ``log`` sets the engine's own log level (``LOG_LEVELS``; default: ``SHIM_OVPHYSX_LOG``, else the release's).
    ``config`` goes to ``ovphysx.PhysXConfig``. ``shim.destroy`` frees the instance.
    """
    return Simulation(device, log=log, **config).disown()


def prepare_physx() -> Any:
    """Ready this process for an ``ovphysx.PhysX`` made by the host itself; returns the ovphysx module.

    It imports ovphysx in the order old releases need, builds usd-core's plugin registry
    first where PhysX() would break it (0.2.9, 0.3.7), and registers the PhysX schemas with
    ovstage (0.6+). ``shim.load`` registers the schemas itself before its first population;
    call this at start-up when something else may populate an ovstage stage before that.
    """
    from shim.adapters import adapter
    from shim.simulation.devices import log_level

    chosen = adapter()
    chosen.set_log_level(log_level(None))
    chosen.prepare()
    return chosen.ovphysx


def load(physx: Any, source: object, **options: Any) -> LoadedScene:
    """Load ``source`` into ``physx`` by the best strategy this release offers; see the README.

    ``Simulation.adopt(physx).load(source, **options)``: a second load replaces the first.
    """
    from shim.loading import check_options
    from shim.source import classify, is_stage

    check_options(**options)
    if not is_stage(source):
        classify(source)  # a source that is no scene is named before the instance
    return Simulation.adopt(physx).load(source, **options)


def step(physx: Any, dt: float, steps: int = 1) -> None:
    """Advance the simulation ``steps`` times by ``dt`` seconds, waiting for each step."""
    Simulation.adopt(physx).step(dt, steps)


def read_rigid_body_poses(physx: Any, prim_paths: list[str]) -> Any:
    """Poses of the rigid bodies at ``prim_paths`` as numpy float32 (N, 7): px, py, pz, qx, qy, qz, qw.

    The view behind it is kept, so a second call with the same paths reads through it again.
    """
    return Simulation.adopt(physx).rigid_body_poses(prim_paths)


def destroy(physx: Any) -> None:
    """Unload what the shim loaded and free the instance (``destroy`` or ``release``)."""
    Simulation.adopt(physx).destroy()
