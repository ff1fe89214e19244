"""Loading a scene: classify the source, choose a strategy, hand the scene over, report what happened."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import lazy
from shim import strategies
from shim.adapters import Adapter, LoadTarget, NativeScene
from shim.diagnostics import coalesced
from shim.engine_clone import EngineClones, Plan, masked, plan
from shim.errors import CannotClone, NoStrategyAvailable, SceneLoadError, ShimError
from shim.loaded_scene import LoadedScene
from shim.releases import Capabilities, probe_adapter
from shim.scratch import sweep_at_start_up
from shim.source import Format, Payload, classify, file_is_crate, for_content, is_stage
from shim.source.census import has_physics
from shim.strategies import RouteUnusable, Strategy

__all__ = ["LoadedScene", "check_options", "load_scene"]

_log = logging.getLogger(__name__)


def check_options(
    *,
    strategy: str | None = None,
    format: str = "auto",
    content: str = "all",
    clones: str = "auto",
    ovstage: object = None,
) -> None:
    """Raise ValueError naming the first option ``load`` does not take, before any work is done."""
    strategies.forced_strategy(strategy)
    if format not in ("auto", "usda", "usdc"):
        raise ValueError(f"unknown format {format!r}; choose 'auto', 'usda' or 'usdc'")
    if content not in ("all", "physics"):
        raise ValueError(f"unknown content {content!r}; choose 'all' or 'physics'")
    if clones not in ("auto", "engine", "stage"):
        raise ValueError(f"unknown clones {clones!r}; choose 'auto', 'engine' or 'stage'")


def load_scene(
    adapter: Adapter,
    physx: Any,
    source: object,
    *,
    strategy: str | None = None,
    format: str = "auto",
    content: str = "all",
    clones: str = "auto",
    ovstage: object = None,
) -> LoadedScene:
    """Load ``source`` into ``physx``, an empty instance of ``adapter``'s release.

    ``content="physics"`` hands over only what the physics engine reads (``LoadedScene.left_out`` says what not).
    ``clones="auto"`` hands over only env_0 of a stage of copied environments and clones it in the engine
    where that is exact (``LoadedScene.clones`` says what, or why not); ``"engine"`` requires it, ``"stage"``
    never does it.
    ``ovstage`` (0.5+): the stage to populate, as an empty ``ovstage.Stage``, a function that returns one,
    or an ``ovstage.StageConfig`` for the shim's own; by default a stage with the process's settings.
    """
    forced = strategies.forced_strategy(strategy)
    make_stage = adapter.stage_maker(ovstage)
    started = time.perf_counter()
    if is_stage(source):
        capabilities, clone_plan, cloned = _planned(adapter, source, clones)
        payload = for_content(source if clone_plan is None else masked(source, clone_plan), content)
        if not has_physics(source):
            _log.warning("the stage has no rigid bodies, colliders, joints or articulations: nothing will move")
    else:
        payload = for_content(source, content)  # a source that is no scene is named before the instance
        capabilities, clone_plan, cloned = _planned(adapter, source, clones)
    sweep_at_start_up()  # what dead processes left in /dev/shm, once per process
    target = LoadTarget(adapter, physx, make_stage)
    _prepare(adapter, capabilities)  # an instance the host made may not have had the schemas
    if payload.kind == "path" and (forced is not None or format != "auto"):
        # A strategy was asked for: the file's composed scene goes through it, as a stage's would.
        with coalesced(f"opening {payload.path}"):
            payload = classify(lazy.pxr.Usd.Stage.Open(payload.path))
    chosen: str | None
    fmt: Format
    if payload.kind == "path":
        assert payload.path is not None
        path = payload.path
        chosen, fmt = None, ("usdc" if file_is_crate(path) else "usda")
        scene = _guarded("in place", fmt, capabilities, lambda: target.path(path, None))
    else:
        scene, chosen, fmt = _handed_over(target, payload, capabilities, forced, format)
    load_s = scene.load_s
    if clone_plan is not None:
        load_s += _clone(target, scene, clone_plan, capabilities, fmt)
    total = time.perf_counter() - started
    timings = {"prepare_s": total - load_s, "serialize_s": payload.serialize_s, "load_s": load_s}
    return LoadedScene(
        scene,
        strategy=chosen,
        format=fmt,
        source_kind=payload.kind,
        timings={**timings, "total_s": total},
        left_out=payload.left_out,
        clones=cloned,
        source=source,
    )


def _planned(adapter: Adapter, source: object, clones: str) -> tuple[Capabilities, Plan | None, EngineClones]:
    """The probe, and the clone plan for ``source`` (None, with the reason, where it is handed over whole)."""
    capabilities = probe_adapter()
    if clones == "stage":
        return capabilities, None, EngineClones(reason="clones='stage' hands every environment over")
    if is_stage(source):
        decided = plan(source, adapter.clone_keyword)
    else:
        decided = f"a {type(source).__name__} is handed over as it is; only a pxr stage is cloned in the engine"
    if isinstance(decided, Plan):
        return capabilities, decided, EngineClones(source=decided.source, count=len(decided.targets))
    if clones == "engine":
        raise CannotClone(decided)
    return capabilities, None, EngineClones(reason=decided)


def _prepare(adapter: Adapter, capabilities: Capabilities) -> None:
    try:
        adapter.prepare()
    except Exception as error:  # ovstage raises OvstageError once schema definitions were built
        raise SceneLoadError(
            "schema registration", "-", capabilities.ovphysx, _native_message(error), _SCHEMAS_TOO_LATE
        ) from error


def _handed_over(
    target: LoadTarget, payload: Payload, capabilities: Capabilities, forced: str | None, format: str
) -> tuple[NativeScene, str, Format]:
    """The scene, through the chosen route; in auto format, through a USDA route when that one cannot carry it."""
    chosen, fmt = strategies.choose(capabilities, payload, forced, format)
    try:
        return _transfer(chosen, target, payload, fmt, capabilities), chosen.name, fmt
    except RouteUnusable as unusable:
        # A crate newer than verified, or no room on the temp root: USDA through a
        # memfd (no filesystem) or a string carries the same scene.
        if format != "auto":
            raise NoStrategyAvailable(
                {f"{chosen.name}/{fmt}": str(unusable)}, forced=forced or fmt, release=capabilities.ovphysx
            ) from None
        chosen, fmt = strategies.fallback(capabilities, payload, (chosen, fmt), unusable, forced)
        return _transfer(chosen, target, payload, fmt, capabilities), chosen.name, fmt


def _clone(target: LoadTarget, scene: NativeScene, chosen: Plan, capabilities: Capabilities, fmt: Format) -> float:
    """Make the copies in the engine and return the seconds it took. A refusal unloads the scene."""
    started = time.perf_counter()
    try:
        target.adapter.clone(target.physx, chosen.source, chosen.targets, chosen.transforms)
    except Exception as error:  # ovphysx raises RuntimeError or TaskError
        scene.unload()
        raise SceneLoadError("engine clone", fmt, capabilities.ovphysx, _native_message(error)) from error
    return time.perf_counter() - started


def _transfer(
    chosen: type[Strategy], target: LoadTarget, payload: Payload, fmt: Format, capabilities: Capabilities
) -> NativeScene:
    return _guarded(chosen.name, fmt, capabilities, lambda: chosen.transfer(target, payload, fmt, capabilities))


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
