"""``shim.load``: classify the source, choose a route, hand the scene over, report what happened."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

import lazy
from shim import strategies
from shim.diagnostics import coalesced
from shim.engine_clone import EngineClones, Plan, clone, masked, plan
from shim.errors import CannotClone, NoStrategyAvailable, SceneLoadError, ShimError
from shim.physics_only import LeftOut
from shim.releases import Capabilities, Loader, NativeScene, probe_features
from shim.releases.bootstrap import register_schemas_once, require_physx
from shim.releases.ovstage import stage_maker
from shim.scratch import sweep_at_start_up
from shim.session import session_of
from shim.source import Format, Payload, classify, file_is_crate, for_content, is_stage
from shim.source.census import Census, census_of, has_physics
from shim.strategies import RouteUnusable, Strategy

__all__ = ["LoadedScene", "load"]

_log = logging.getLogger(__name__)


class LoadedScene:
    """A scene loaded into a PhysX instance. ``unload()`` (or leaving a ``with`` block) removes it."""

    def __init__(
        self,
        native: NativeScene,
        *,
        strategy: str,
        format: Format,
        source_kind: str,
        timings: dict[str, float],
        left_out: LeftOut | None,
        clones: EngineClones,
        source: object = None,
    ) -> None:
        self._native = native
        self._source = source  # what ``physics`` counts, on first read; dropped then
        self._census: Census | None = None
        self.strategy = strategy
        self.format = format
        self.nbytes = native.nbytes  # what crossed to ovphysx; None for a file loaded in place
        self.source_kind = source_kind
        self.timings = timings
        self.left_out = left_out  # what content="physics" left out; None for content="all"
        # The copies the engine made (they exist in PhysX only, not in USD or ovstage), or why none.
        self.clones = clones

    @property
    def loaded(self) -> bool:
        return self._native.loaded

    @property
    def physics(self) -> Census:
        """What was loaded: rigid bodies, colliders, joints, articulations (engine clones included).

        Counted on first read from the source ``load`` was given, which the scene holds until then.
        """
        if self._census is None:
            self._census = census_of(self._source)
            self._source = None
        return self._census

    @property
    def ovstage_stage(self) -> Any:
        """The ``ovstage.Stage`` attached to the instance (0.5+), for control writes; None on 0.2-0.4.

        It belongs to the scene: ``unload()`` detaches and destroys it.
        """
        return self._native.stage

    def take_ovstage_stage(self) -> Any:
        """Hand the attached ovstage stage to the caller, who then detaches and destroys it (0.5+).

        For a manager that keeps its own teardown: the scene counts as unloaded from here on,
        and the shim never touches the stage again.
        """
        stage = self._native.stage
        if stage is None or not self._native.loaded:
            raise ValueError("this scene holds no attached ovstage stage (unloaded, or an add_usd release)")
        self._native.loaded = False
        physx = self._native.physx
        if physx is not None:
            session_of(physx).forget(self._native)
        return stage

    def unload(self) -> None:
        """Remove the scene from its instance (``remove_usd``, or detach and destroy the stage). Idempotent."""
        self._native.unload()

    def __enter__(self) -> LoadedScene:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.unload()

    def __repr__(self) -> str:
        state = "loaded" if self.loaded else "unloaded"
        size = f"{self.nbytes} bytes" if self.nbytes is not None else "size n/a"
        return f"<LoadedScene {self.strategy}/{self.format} {size} {state} in {self.timings.get('total_s', 0):.3f}s>"


def load(
    physx: Any,
    source: object,
    *,
    strategy: str | None = None,
    format: str = "auto",
    content: str = "all",
    clones: str = "auto",
    ovstage: object = None,
) -> LoadedScene:
    """Load ``source`` into ``physx`` by the best route this release offers; see the README.

    ``content="physics"`` hands over only what the physics engine reads (``LoadedScene.left_out`` says what not).
    ``clones="auto"`` hands over only env_0 of a stage of copied environments and clones it in the engine
    where that is exact (``LoadedScene.clones`` says what, or why not); ``"engine"`` requires it, ``"stage"``
    never does it.
    ``ovstage`` (0.5+): the stage to populate, as an empty ``ovstage.Stage``, a function that returns one,
    or an ``ovstage.StageConfig`` for the shim's own; by default a stage with the process's settings.
    """
    if clones not in ("auto", "engine", "stage"):
        raise ValueError(f"unknown clones {clones!r}; choose 'auto', 'engine' or 'stage'")
    forced = strategies.forced_strategy(strategy)
    started = time.perf_counter()
    if is_stage(source):
        capabilities, clone_plan, cloned = _planned(physx, source, clones)
        payload = for_content(source if clone_plan is None else masked(source, clone_plan), content)
        if not has_physics(source):
            _log.warning("the stage has no rigid bodies, colliders, joints or articulations: nothing will move")
    else:
        payload = for_content(source, content)  # a source that is no scene is named before the instance
        capabilities, clone_plan, cloned = _planned(physx, source, clones)
    assert capabilities.features is not None
    sweep_at_start_up()  # what dead processes left in /dev/shm, once per process
    loader = Loader(physx, capabilities.features, stage_maker(ovstage, capabilities.features.generation))
    if capabilities.features.generation != "add_usd":
        session_of(physx).detach()  # one stage at a time: a new load replaces the last
    if capabilities.features.schema_registration:
        _register_schemas(capabilities)  # an instance the host made may not have had them
    if payload.kind == "path" and (forced is not None or format != "auto"):
        # A route was asked for: the file's composed scene goes through it, as a stage's would.
        with coalesced(f"opening {payload.path}"):
            payload = classify(lazy.pxr.Usd.Stage.Open(payload.path))
    if payload.kind == "path":
        assert payload.path is not None
        path = payload.path
        route = "path"
        fmt: Format = "usdc" if file_is_crate(path) else "usda"
        scene = _guarded(route, fmt, capabilities, lambda: loader.path(path, 0))
        scene.nbytes = None  # loaded in place: nothing was handed over
    else:
        scene, route, fmt = _handed_over(loader, payload, capabilities, forced, format)
    if clone_plan is not None:
        _clone(physx, scene, clone_plan, capabilities, fmt)
    if capabilities.features.generation != "add_usd":
        session_of(physx).attached = scene
    total = time.perf_counter() - started
    timings = {"prepare_s": total - scene.load_s, "serialize_s": payload.serialize_s, "load_s": scene.load_s}
    return LoadedScene(
        scene,
        strategy=route,
        format=fmt,
        source_kind=payload.kind,
        timings={**timings, "total_s": total},
        left_out=payload.left_out,
        clones=cloned,
        source=source,
    )


def _planned(physx: Any, source: object, clones: str) -> tuple[Capabilities, Plan | None, EngineClones]:
    """The probe, and the clone plan for ``source`` (None, with the reason, where it is handed over whole)."""
    require_physx(physx)  # before the probe, which would blame the release for a wrong argument
    capabilities = probe_features()
    assert capabilities.features is not None
    if clones == "stage":
        return capabilities, None, EngineClones(reason="clones='stage' hands every environment over")
    if is_stage(source):
        decided = plan(source, capabilities.features.clone_transforms)
    else:
        decided = f"a {type(source).__name__} is handed over as it is; only a pxr stage is cloned in the engine"
    if isinstance(decided, Plan):
        return capabilities, decided, EngineClones(source=decided.source, count=len(decided.targets))
    if clones == "engine":
        raise CannotClone(decided)
    return capabilities, None, EngineClones(reason=decided)


def _register_schemas(capabilities: Capabilities) -> None:
    try:
        register_schemas_once(sys.modules["ovphysx"])
    except Exception as error:  # ovstage raises OvstageError once schema definitions were built
        raise SceneLoadError(
            "schema registration", "-", capabilities.ovphysx, _native_message(error), _SCHEMAS_TOO_LATE
        ) from error


def _handed_over(
    loader: Loader, payload: Payload, capabilities: Capabilities, forced: str | None, format: str
) -> tuple[NativeScene, str, Format]:
    """The scene, through the chosen route; in auto format, through a USDA route when that one cannot carry it."""
    chosen, fmt = strategies.choose(capabilities, payload, forced, format)
    try:
        return _transfer(chosen, loader, payload, fmt, capabilities), chosen.name, fmt
    except RouteUnusable as unusable:
        # A crate newer than verified, or no room on the temp root: USDA through a
        # memfd (no filesystem) or a string carries the same scene.
        if format != "auto":
            raise NoStrategyAvailable(
                {f"{chosen.name}/{fmt}": str(unusable)}, forced=forced or fmt, release=capabilities.ovphysx
            ) from None
        chosen, fmt = strategies.fallback(capabilities, payload, (chosen, fmt), unusable, forced)
        return _transfer(chosen, loader, payload, fmt, capabilities), chosen.name, fmt


def _clone(physx: Any, scene: NativeScene, chosen: Plan, capabilities: Capabilities, fmt: Format) -> None:
    """Make the copies in the engine; the time counts as load time. A refusal unloads the scene."""
    started = time.perf_counter()
    try:
        clone(physx, capabilities.features, chosen)
    except Exception as error:  # ovphysx raises RuntimeError or TaskError
        scene.unload()
        raise SceneLoadError("engine clone", fmt, capabilities.ovphysx, _native_message(error)) from error
    scene.load_s += time.perf_counter() - started


def _transfer(
    chosen: type[Strategy], loader: Loader, payload: Payload, fmt: Format, capabilities: Capabilities
) -> NativeScene:
    return _guarded(chosen.name, fmt, capabilities, lambda: chosen.transfer(loader, payload, fmt, capabilities))


def _guarded(route: str, fmt: Format, capabilities: Capabilities, action: Callable[[], NativeScene]) -> NativeScene:
    try:
        return action()
    except (ShimError, RouteUnusable):
        raise
    except Exception as error:  # ovphysx/ovstage raise RuntimeError, OvstageError, TaskError
        remedy = _SCHEMAS_TOO_LATE if "schema" in str(error) and "registered" in str(error) else None
        raise SceneLoadError(route, fmt, capabilities.ovphysx, _native_message(error), remedy) from error


_SCHEMAS_TOO_LATE = (
    "Something in this process populated an ovstage stage before the PhysX schemas were registered: "
    "call shim.prepare_physx() at start-up, before any ovstage stage is populated."
)


def _native_message(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"
