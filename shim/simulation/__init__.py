"""``shim.Simulation``: one PhysX instance, its scene, its clock and its state views, on every release.

>>> with shim.Simulation("cpu") as simulation:                           # doctest: +SKIP
...     simulation.load(stage)
...     robots = simulation.articulations(pattern="/World/envs/env_*/Robot")
...     for _ in range(120):
...         robots.write("joint_position_targets", targets)
...         simulation.step(1 / 60)
...         positions = robots.read("joint_positions")
"""

from __future__ import annotations

import weakref
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from shim.adapters import Adapter, NativeScene, adapter, chosen_already
from shim.errors import DeviceModeFixed, GpuUnavailable, InvalidPhysX, NothingLoaded
from shim.releases.bootstrap import require_physx
from shim.simulation.devices import log_level, parse_device, require_cuda_device
from shim.simulation.views import ArticulationView, RigidBodyView, View

if TYPE_CHECKING:
    from shim.loaded_scene import LoadedScene

__all__ = ["ArticulationView", "RigidBodyView", "Simulation", "View"]

AnyView = TypeVar("AnyView", bound=View)

# An instance the shim made is found through the Simulation that owns it (held weakly here);
# an adopted one maps to its Simulation, which holds the instance weakly in turn.
_made: weakref.WeakValueDictionary[int, Simulation] = weakref.WeakValueDictionary()
_adopted: weakref.WeakKeyDictionary[Any, Simulation] = weakref.WeakKeyDictionary()


class Simulation:
    """One ``ovphysx.PhysX`` instance for the whole life of a simulation: load, step, read and write state, close.

    ``Simulation("cuda:0")`` makes the instance; ``Simulation.adopt(physx)`` drives one a
    manager made itself (closing it then leaves the instance to its owner). The same code
    runs on every ovphysx release; ``shim.adapters`` holds what differs.
    """

    _strong: Any  # the instance, while this object owns it

    def __init__(self, device: str = "cpu", *, log: str | None = None, **config: Any) -> None:
        cpu, index = parse_device(device)
        level = log_level(log)
        earlier = chosen_already()
        if not cpu and (earlier is None or earlier.cpu_mode is not True):  # a process fixed on the CPU says so instead
            require_cuda_device(device, index)  # before ovphysx is imported: a host without the device is told first
        chosen = adapter()
        _set_cpu_mode(chosen, cpu)
        chosen.prepare()  # after the CPU switch, which 0.7 takes only before anything else starts
        chosen.set_log_level(level)
        physx = chosen.create(cpu, index, config)
        if not cpu and chosen.runs_on_cpu(physx):
            chosen.destroy(physx)
            raise GpuUnavailable(device, f"ovphysx {chosen.release} made the instance on the CPU instead")
        self._start(chosen, physx, "cpu" if cpu else f"cuda:{index}", owned=True)
        _made[id(physx)] = self

    @classmethod
    def adopt(cls, physx: Any, *, loaded: bool = False) -> Simulation:
        """The Simulation of an instance made elsewhere (the same object for the same instance).

        ``loaded``: a scene is already in it, loaded by its owner, so ``step`` may run before ``load``.
        """
        found = _made.get(id(physx))
        if found is None or found._physx() is not physx:
            require_physx(physx)
            found = _adopted.get(physx)
            if found is None:
                chosen = adapter()
                found = _adopted[physx] = cls.__new__(cls)
                found._start(chosen, physx, _device_of(physx, chosen), owned=False)
        if not found._adapter.is_alive(physx):
            found._closed = True
        if loaded and found.scene is None:
            found._unload()  # the views of the owner's previous scene end with it
            found._foreign = NativeScene(found._adapter, physx)  # its owner's: never unloaded here
        found._ever_loaded = found._ever_loaded or loaded
        return found

    def disown(self) -> Any:
        """Hand the instance to the caller, who destroys it (``shim.destroy``); this object stays its Simulation."""
        physx = self._live()
        if self._strong is not None:
            self._strong = None
            _made.pop(id(physx), None)
            _adopted[physx] = self
        return physx

    def _start(self, chosen: Adapter, physx: Any, device: str, *, owned: bool) -> None:
        self._adapter = chosen
        self._strong = physx if owned else None  # made here: this object owns it
        self._physx = weakref.ref(physx)
        self.device = device
        self.time = 0.0  # simulated seconds since the instance was made
        self._scene: LoadedScene | None = None
        self._foreign: NativeScene | None = None  # a scene its owner loaded (adopt(loaded=True))
        self._ever_loaded = False
        self._closed = False
        self._views: list[View] = []
        self._pose_views: dict[tuple[str, ...], RigidBodyView] = {}

    @property
    def physx(self) -> Any:
        """The ``ovphysx.PhysX`` instance, for calls the shim does not wrap."""
        return self._live()

    @property
    def scene(self) -> LoadedScene | None:
        """The scene loaded last, if it is still loaded."""
        return self._scene if self._scene is not None and self._scene.loaded else None

    def load(self, source: object, **options: Any) -> LoadedScene:
        """Load ``source`` (a stage, layer, file, USDA text or bytes), replacing the scene loaded before.

        The options are ``shim.load``'s (README); each is checked before any work.
        """
        from shim.loading import check_options, load_scene

        check_options(**options)
        physx = self._live()
        self._unload()
        self._scene = load_scene(self._adapter, physx, source, **options)
        self._ever_loaded = True
        return self._scene

    def step(self, dt: float, steps: int = 1) -> None:
        """Advance ``steps`` times by ``dt`` seconds, waiting for each step."""
        physx = self._live()
        if not self._ever_loaded:
            raise NothingLoaded(f"step({dt})")
        step = self._adapter.step
        for _ in range(steps):
            step(physx, dt, self.time)
            self.time += dt

    def rigid_bodies(self, paths: list[str] | None = None, *, pattern: str | None = None) -> RigidBodyView:
        """A view of the rigid bodies at ``paths`` (rows in that order) or matching ``pattern``."""
        return self._view(RigidBodyView, paths, pattern)

    def articulations(self, paths: list[str] | None = None, *, pattern: str | None = None) -> ArticulationView:
        """A view of the articulations whose roots are at ``paths`` or match ``pattern``."""
        return self._view(ArticulationView, paths, pattern)

    def rigid_body_poses(self, paths: list[str]) -> Any:
        """The poses at ``paths``, float32 (N, 7), through a view kept for the next call with the same paths."""
        key = tuple(paths)
        view = self._pose_views.get(key)
        if view is None or not view._scene.loaded:
            if len(self._pose_views) >= 8:
                self._pose_views.clear()
            view = self._pose_views[key] = self.rigid_bodies(list(paths))
        return view.read("pose")

    def warm_up(self) -> None:
        """The release's GPU warm-up, once a scene is loaded (nothing on the CPU)."""
        if self.device != "cpu":
            self._adapter.warm_up(self._live())

    def close(self) -> None:
        """Unload the scene, and destroy the instance if this object made it. Idempotent."""
        if self._closed:
            return
        physx = self._physx()
        self._unload()
        self._closed = True
        if self._strong is not None and physx is not None:
            self._strong = None
            self._adapter.destroy(physx)

    def destroy(self) -> None:
        """Unload the scene and destroy the instance, adopted or not."""
        physx = self._physx()
        self.close()
        if physx is not None and self._adapter.is_alive(physx):
            self._adapter.destroy(physx)

    def __enter__(self) -> Simulation:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else "loaded" if self.scene is not None else "empty"
        return f"<Simulation {self.device} {type(self._adapter).__name__} {state} t={self.time:.3f}s>"

    def _view(self, kind: type[AnyView], paths: list[str] | None, pattern: str | None) -> AnyView:
        if (paths is None) == (pattern is None):
            raise ValueError("give the prims as a list of paths or as pattern=, not both and not neither")
        physx = self._live()
        scene = self.scene._native if self.scene is not None else self._foreign
        if scene is None:
            raise NothingLoaded(f"{kind.__name__}({pattern or paths!r})")
        selection = list(paths) if paths is not None else None
        view = kind(self._adapter, physx, scene, device=self.device, paths=selection, pattern=pattern)
        self._views.append(view)
        return view

    def _unload(self) -> None:
        """Free every view's bindings, then take the scene out (the owner's scene: only forget it)."""
        views, self._views, self._pose_views = self._views, [], {}
        for view in views:
            view.close()
        if self._scene is not None:
            self._scene.unload()
        if self._foreign is not None:
            self._foreign.loaded = False
            self._foreign = None

    def _live(self) -> Any:
        physx = self._physx()
        if self._closed or physx is None or not self._adapter.is_alive(physx):
            self._closed = True
            raise InvalidPhysX(repr(self), closed=True)
        return physx


def _set_cpu_mode(chosen: Adapter, cpu: bool) -> None:
    """Set the process-wide CPU switch (0.5+) only when it changes: it cannot change while instances live."""
    if chosen.cpu_mode == cpu or not chosen.process_wide_device:
        return
    try:
        chosen.set_cpu_mode(cpu)
    except RuntimeError as error:
        if chosen.cpu_mode is None:
            raise
        current, requested = ("cpu" if chosen.cpu_mode else "cuda"), ("cpu" if cpu else "cuda")
        raise DeviceModeFixed(chosen.release, current, requested, str(error)) from None
    chosen.cpu_mode = cpu


def _device_of(physx: Any, chosen: Adapter) -> str:
    """'cpu' or 'cuda:N' for an instance made elsewhere, as far as the release says."""
    on_cpu = chosen.runs_on_cpu(physx)
    if on_cpu is None:
        on_cpu = chosen.cpu_mode is not False
    return "cpu" if on_cpu else "cuda:0"
