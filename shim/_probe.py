"""What the installed ovphysx can do: versions from metadata, then features by inspection.

The metadata half never imports ovphysx. The features half runs only once
ovphysx is imported (by ``create_physx`` or by the user), and asks the module
what it has (``hasattr``/``inspect``) rather than trusting version numbers, so
that a release that only adds APIs keeps working.
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any, Literal

from shim import _temproot

__all__ = ["Capabilities", "Features", "Generation", "probe", "probe_features"]

Generation = Literal["add_usd", "ovstage", "ovstage-task"]

#: The releases this shim was verified against; newer ones are probed by feature.
KNOWN_RELEASES = (
    "0.2.9",
    "0.3.7",
    "0.4.9",
    "0.4.13",
    "0.5.9",
    "0.5.10",
    "0.5.11",
    "0.6.3",
    "0.6.4.72118723",
    "0.7.0.74035321",
)


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


@dataclass(frozen=True)
class Capabilities:
    """Everything the strategies decide on. Frozen; ``probe()`` caches it."""

    ovphysx: str | None
    ovstage: str | None
    usd_core: str | None
    physx_usd_schemas: str | None
    newton_usd_schemas: str | None
    generation: Generation | None
    memfd: bool
    memfd_reason: str | None
    temp_root: str | None
    temp_root_is_ram: bool
    temp_root_reason: str | None
    features: Features | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _generation_from_version(version: str | None) -> Generation | None:
    if version is None:
        return None
    from packaging.version import InvalidVersion, Version

    try:
        release = Version(version).release
    except InvalidVersion:
        return None
    if release < (0, 5):
        return "add_usd"
    return "ovstage" if release < (0, 7) else "ovstage-task"


def _release_below(version: str | None, bound: tuple[int, int]) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        return version is not None and Version(version).release < bound
    except InvalidVersion:
        return False


def _memfd() -> tuple[bool, str | None]:
    if not hasattr(os, "memfd_create"):
        return False, f"os.memfd_create is not available on {sys.platform} (Linux only)"
    try:
        fd = os.memfd_create("shim-probe", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
    except OSError as error:
        return False, f"memfd_create failed: {error}"
    try:
        if not os.path.exists(f"/proc/{os.getpid()}/fd/{fd}"):
            return False, "/proc is not mounted, so a memfd cannot be reached by path"
    finally:
        os.close(fd)
    return True, None


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
    return None  # the native entry's argtypes live on a Stage; checked at load (_native.verified_entry)


def _features(ovphysx: Any) -> Features | None:
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
        activate_with_binding=generation == "add_usd" and _release_below(_version("ovphysx"), (0, 4)),
        clone_transforms=_clone_transforms(physx),
    )


def _clone_transforms(physx: Any) -> str | None:
    try:
        parameters = inspect.signature(physx.clone).parameters
    except (AttributeError, TypeError, ValueError):
        return None
    return next((name for name in ("anchor_transforms", "parent_transforms") if name in parameters), None)


_cache: dict[bool, Capabilities] = {}


def probe_features() -> Capabilities:
    """``probe()`` once ovphysx is imported, with its features inspected; raises if it offers no load API."""
    capabilities = probe()
    if capabilities.features is None:
        capabilities = probe(refresh=True)  # ovphysx may have been imported since the cached probe
    if capabilities.features is None:
        from shim.errors import UnsupportedRelease

        raise UnsupportedRelease(capabilities.ovphysx, "its PhysX class has neither `add_usd` nor `attach_ovstage`")
    return capabilities


def probe(refresh: bool = False, *, import_ovphysx: bool = False) -> Capabilities:
    """The installed ovphysx's capabilities; cached, and re-probed once ovphysx gets imported.

    With ``import_ovphysx=True`` ovphysx is imported first (in the order its old
    releases need), so that the features are inspected rather than inferred.
    """
    if import_ovphysx and "ovphysx" not in sys.modules:
        from shim._native import import_ovphysx as _import

        _import()
    imported = "ovphysx" in sys.modules
    if not refresh and imported in _cache:
        return _cache[imported]
    ovphysx_version = _version("ovphysx")
    features = _features(sys.modules["ovphysx"]) if imported else None
    memfd, memfd_reason = _memfd()
    root = _temproot.choose_root()
    notes: list[str] = []
    if ovphysx_version is not None and ovphysx_version not in KNOWN_RELEASES:
        notes.append(f"ovphysx {ovphysx_version} is newer or older than the releases this shim was verified on")
    capabilities = Capabilities(
        ovphysx=ovphysx_version,
        ovstage=_version("ovstage"),
        usd_core=_version("usd-core"),
        physx_usd_schemas=_version("physx-usd-schemas"),
        newton_usd_schemas=_version("newton-usd-schemas"),
        generation=features.generation if features else _generation_from_version(ovphysx_version),
        memfd=memfd,
        memfd_reason=memfd_reason,
        temp_root=root.path,
        temp_root_is_ram=root.ram,
        temp_root_reason=root.reason,
        features=features,
        notes=tuple(notes),
    )
    _cache.clear()
    _cache[imported] = capabilities
    return capabilities
