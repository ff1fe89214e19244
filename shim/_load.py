"""``shim.load``: classify the source, choose a route, hand the scene over, report what happened."""

from __future__ import annotations

import time
import weakref
from types import TracebackType
from typing import Any

import lazy
from shim import _native
from shim._probe import Capabilities, probe_features
from shim._select import AUTO_ORDER, choose, forced_strategy
from shim._source import Format, NoSpace, Payload, RouteUnusable, file_is_crate, is_stage
from shim._strategy import Strategy
from shim.diagnostics import coalesced
from shim.engine_clone import EngineClones, Plan, clone, masked, plan
from shim.errors import CannotClone, NoStrategyAvailable, SceneLoadError, ShimError
from shim.physics_only import LeftOut

__all__ = ["LoadedScene", "load"]

# The scene each instance holds on the ovstage generations, which attach one stage at a time.
_attached: weakref.WeakKeyDictionary[Any, LoadedScene] = weakref.WeakKeyDictionary()


class LoadedScene:
    """A scene loaded into a PhysX instance. ``unload()`` (or leaving a ``with`` block) removes it."""

    def __init__(
        self,
        native: _native.NativeScene,
        *,
        strategy: str,
        format: Format,
        nbytes: int | None,
        source_kind: str,
        timings: dict[str, float],
        left_out: LeftOut | None = None,
        clones: EngineClones | None = None,
    ) -> None:
        self._native = native
        self.strategy = strategy
        self.format = format
        self.nbytes = nbytes
        self.source_kind = source_kind
        self.timings = timings
        self.left_out = left_out  # what content="physics" left out; None for content="all"
        # The copies the engine made (they exist in PhysX only, not in USD or ovstage), or why none.
        self.clones = clones or EngineClones(reason="not asked")

    @property
    def loaded(self) -> bool:
        return self._native.loaded

    def unload(self) -> None:
        """Remove the scene from its instance (``remove_usd``, or detach + destroy the stage). Idempotent."""
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


def _native_message(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def load(
    physx: Any,
    source: object,
    *,
    strategy: str | None = None,
    format: str = "auto",
    content: str = "all",
    clones: str = "auto",
) -> LoadedScene:
    """Load ``source`` into ``physx`` by the best route this release offers; see the README.

    ``content="physics"`` hands over only what the physics engine reads (``LoadedScene.left_out`` says what not).
    ``clones="auto"`` hands over only env_0 of a stage of copied environments and clones it in the engine
    where that is exact (``LoadedScene.clones`` says what, or why not); ``"engine"`` requires it, ``"stage"``
    never does it.
    """
    if clones not in ("auto", "engine", "stage"):
        raise ValueError(f"unknown clones {clones!r}; choose 'auto', 'engine' or 'stage'")
    return _load(physx, source, strategy, format, content, clones=clones)


def _planned(physx: Any, source: object, clones: str) -> tuple[Capabilities, Plan | None, EngineClones]:
    """The probe, and the clone plan for ``source`` (None, with the reason, where it is handed over whole)."""
    _native.require_physx(physx)  # before the probe, which would blame the release for a wrong argument
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


def _load(physx: Any, source: object, strategy: str | None, format: str, content: str, *, clones: str) -> LoadedScene:
    started = time.perf_counter()
    if is_stage(source):
        capabilities, clone_plan, cloned = _planned(physx, source, clones)
        payload = Payload.for_content(source if clone_plan is None else masked(source, clone_plan), content)
    else:
        payload = Payload.for_content(source, content)  # a source that is no scene is named before the instance
        capabilities, clone_plan, cloned = _planned(physx, source, clones)
    features = capabilities.features
    assert features is not None
    if features.generation != "add_usd":
        previous = _attached.pop(physx, None)
        if previous is not None:
            previous.unload()  # one stage at a time: a new load replaces the last
    if payload.kind == "path" and (forced_strategy(strategy) is not None or format != "auto"):
        # A route was asked for: the file's composed scene goes through it, as a stage's would.
        with coalesced(f"opening {payload.path}"):
            opened = lazy.pxr.Usd.Stage.Open(payload.path)
        payload = Payload.from_source(opened)
    if payload.kind == "path":
        assert payload.path is not None
        fmt: Format = "usdc" if file_is_crate(payload.path) else "usda"
        path = payload.path
        route = "path"
        scene = _guarded(
            route,
            fmt,
            capabilities,
            lambda: _native.timed(lambda: _native.load_path(physx, path, features), 0),
        )
        scene.nbytes = None  # loaded in place: nothing was handed over
    else:
        chosen, fmt = choose(capabilities, payload, strategy, format)
        try:
            scene = _transfer(chosen, physx, payload, fmt, capabilities)
        except RouteUnusable as unusable:
            # A crate newer than verified, or no room on the temp root: USDA through a
            # memfd (no filesystem) or a string carries the same scene.
            forced = forced_strategy(strategy)
            if format != "auto":
                raise NoStrategyAvailable(
                    {f"{chosen.name}/{fmt}": str(unusable)}, forced=forced or fmt, release=capabilities.ovphysx
                ) from None
            chosen, fmt = _fallback(capabilities, payload, (chosen, fmt), unusable, forced)
            scene = _transfer(chosen, physx, payload, fmt, capabilities)
        route = chosen.name
    if clone_plan is not None:
        _clone(physx, scene, clone_plan, capabilities, fmt)
    total = time.perf_counter() - started
    loaded = LoadedScene(
        scene,
        strategy=route,
        format=fmt,
        nbytes=scene.nbytes,
        source_kind=payload.kind,
        timings={
            "prepare_s": total - scene.load_s,
            "serialize_s": payload.serialize_s,
            "load_s": scene.load_s,
            "total_s": total,
        },
        left_out=payload.left_out,
        clones=cloned,
    )
    if features.generation != "add_usd":
        _attached[physx] = loaded
    return loaded


def _clone(physx: Any, scene: _native.NativeScene, chosen: Plan, capabilities: Capabilities, fmt: Format) -> None:
    """Make the copies in the engine; the time counts as load time. A refusal unloads the scene."""
    started = time.perf_counter()
    try:
        clone(physx, capabilities.features, chosen)
    except Exception as error:  # ovphysx raises RuntimeError or TaskError
        scene.unload()
        raise SceneLoadError("engine clone", fmt, capabilities.ovphysx, _native_message(error)) from error
    scene.load_s += time.perf_counter() - started


def _fallback(
    capabilities: Capabilities,
    payload: Payload,
    failed: tuple[type[Strategy], Format],
    unusable: RouteUnusable,
    forced: str | None,
) -> tuple[type[Strategy], Format]:
    """The first USDA route (of the forced strategy, if any) that can carry this payload after ``failed`` could not."""
    failed_strategy, failed_format = failed
    if "usda" in payload.possible_formats():
        for candidate, candidate_format in AUTO_ORDER:
            if candidate_format != "usda" or (forced and candidate.name != forced):
                continue
            if isinstance(unusable, NoSpace) and candidate is failed_strategy:
                continue  # a root without room for the scene in one format has none in the other
            if candidate.unavailable_reason(capabilities, candidate_format) is None:
                return candidate, candidate_format
    raise NoStrategyAvailable(
        {f"{failed_strategy.name}/{failed_format}": str(unusable)}, forced=forced, release=capabilities.ovphysx
    )


def _transfer(
    chosen: type[Strategy], physx: Any, payload: Payload, fmt: Format, capabilities: Capabilities
) -> _native.NativeScene:
    return _guarded(chosen.name, fmt, capabilities, lambda: chosen.transfer(physx, payload, fmt, capabilities))


def _guarded(route: str, fmt: Format, capabilities: Capabilities, action: Any) -> _native.NativeScene:
    try:
        scene: _native.NativeScene = action()
    except (ShimError, RouteUnusable):
        raise
    except Exception as error:  # ovphysx/ovstage raise RuntimeError, OvstageError, TaskError
        raise SceneLoadError(route, fmt, capabilities.ovphysx, _native_message(error)) from error
    return scene
