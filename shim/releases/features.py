"""What the imported ovphysx module offers, found by asking it (``hasattr``, ``inspect``), not its version."""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass
from typing import Any, Literal

from shim.releases.versions import Generation, installed_version, release_below

__all__ = ["Features", "Generation", "features_of"]


@dataclass(frozen=True)
class Features:
    """What the imported ovphysx module offers, found by inspecting it."""

    generation: Generation
    teardown: Literal["destroy", "release"]
    cpu_mode: Literal["device-argument", "set_cpu_mode", "global-config"]
    step_takes_sim_time: bool
    step_sync: bool
    schema_registration: bool
    inline_string: bool
    native_string: bool
    native_bytes: bool
    native_fd: bool
    bytes_route_reason: str | None  # None: the zero-copy ovstage entry was verified here
    # 0.2.9/0.3.7 do not simulate a loaded scene until a tensor binding has been created
    # (measured: 60 steps leave a falling body where it was). Not visible in the API,
    # so this one fact comes from the version.
    activate_with_binding: bool = False
    # The keyword of PhysX.clone that places each copy (0.3-0.5: parent_transforms, 0.6+: anchor_transforms);
    # None where clone takes no pose (0.2.9) or there is no clone.
    clone_transforms: str | None = None


def _returns_task(function: Any) -> bool:
    try:
        annotation = inspect.signature(function).return_annotation
    except (TypeError, ValueError):
        return False
    return "Task" in str(getattr(annotation, "__name__", annotation))


def _bytes_route_reason() -> str | None:
    """None when ovstage's C string entry matches the layout the bytes route was verified on."""
    try:
        import ctypes

        import ovstage
        from ovstage._src import bindings, population
    except ImportError as error:
        return f"ovstage's private bindings are not importable ({error})"
    view = getattr(bindings, "ovx_string_t", None)
    fields = getattr(view, "_fields_", None)
    if fields != [("ptr", ctypes.c_char_p), ("length", ctypes.c_size_t)]:
        return f"ovstage._src.bindings.ovx_string_t is not the verified {{ptr, length}} view ({fields!r})"
    for name in ("_enqueue", "_require"):
        if not callable(getattr(population, name, None)):
            return f"ovstage._src.population.{name} is missing"
    if not hasattr(ovstage, "Stage"):
        return "ovstage has no Stage"
    return None  # the native entry's argtypes live on a Stage; checked at load (ovstage.verified_entry)


def features_of(ovphysx: Any) -> Features | None:
    physx = getattr(ovphysx, "PhysX", None)
    if physx is None:
        return None
    if hasattr(physx, "add_usd"):
        generation: Generation = "add_usd"
    elif hasattr(physx, "attach_ovstage"):
        generation = "ovstage-task" if _returns_task(physx.attach_ovstage) else "ovstage"
    else:
        return None
    population: Any = None
    if generation != "add_usd":
        try:
            population = getattr(importlib.import_module("ovstage"), "population", None)
        except ImportError:
            population = None
    if hasattr(ovphysx, "set_global_config") and hasattr(ovphysx, "GlobalConfigKey"):
        cpu_mode: Literal["device-argument", "set_cpu_mode", "global-config"] = "global-config"
    elif hasattr(physx, "set_cpu_mode"):
        cpu_mode = "set_cpu_mode"
    else:
        cpu_mode = "device-argument"
    try:
        step_parameters = inspect.signature(physx.step).parameters
    except (TypeError, ValueError):
        step_parameters = {}  # type: ignore[assignment]
    return Features(
        generation=generation,
        teardown="destroy" if hasattr(physx, "destroy") else "release",
        cpu_mode=cpu_mode,
        step_takes_sim_time="sim_time" in step_parameters,
        step_sync=hasattr(physx, "step_sync"),
        schema_registration=population is not None and hasattr(population, "register_usd_schemas"),
        inline_string=population is not None and hasattr(population, "open_usd_from_string"),
        native_string=hasattr(physx, "add_usd_from_string"),
        native_bytes=hasattr(physx, "add_usd_from_bytes"),
        native_fd=hasattr(physx, "add_usd_from_fd"),
        bytes_route_reason=_bytes_route_reason() if population is not None else "needs ovstage (ovphysx >= 0.5)",
        activate_with_binding=generation == "add_usd" and release_below(installed_version("ovphysx"), (0, 4)),
        clone_transforms=_clone_transforms(physx),
    )


def _clone_transforms(physx: Any) -> str | None:
    try:
        parameters = inspect.signature(physx.clone).parameters
    except (AttributeError, TypeError, ValueError):
        return None
    return next((name for name in ("anchor_transforms", "parent_transforms") if name in parameters), None)
