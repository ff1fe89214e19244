"""The one place that knows how each ovphysx generation loads and unloads a scene.

Strategies hand this module a path, a str or a buffer; it returns a
``NativeScene`` whose ``unload()`` undoes the load. Nothing here imports ovphysx,
ovstage or pxr at module level.
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import math
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from shim._probe import Features
from shim.errors import InvalidPhysX, KnownReleaseDefect, OvphysxNotInstalled, UnsupportedRelease

__all__ = [
    "NativeScene",
    "import_ovphysx",
    "load_buffer",
    "load_fd",
    "load_path",
    "load_text",
    "register_schemas_once",
    "timed",
    "wait",
]

_stage_names = itertools.count(1)
_schema_lock = threading.Lock()
_schemas_registered = False
_ovstage_started = False
#: ovstage builds that segfault creating their first instance when an argument of the process
#: contains a newline (``python -c`` with a multi-line script): found by the release matrix.
_NEWLINE_ARGUMENT_CRASH = frozenset({"0.1.0.346039"})  # shipped with ovphysx 0.5.9


class NativeScene:
    """A scene as ovphysx holds it: an ``add_usd`` handle, or an attached ovstage stage."""

    def __init__(self, physx: Any, *, usd_handle: Any = None, stage: Any = None) -> None:
        self.physx = physx
        self.usd_handle = usd_handle
        self.stage = stage
        self.loaded = True
        self.nbytes: int | None = None  # what crossed to ovphysx, set by the strategy
        self.load_s = 0.0  # time inside ovphysx/ovstage, set by the strategy

    def unload(self) -> None:
        """Remove the scene from the instance; a second call does nothing."""
        if not self.loaded:
            return
        self.loaded = False
        if self.stage is not None:
            try:
                wait(self.physx, self.physx.detach_ovstage())
            finally:
                self.stage.destroy()
        elif self.usd_handle is not None:
            wait(self.physx, self.physx.remove_usd(self.usd_handle))


def wait(physx: Any, pending: Any) -> None:
    """Wait for whatever a call returned: an op index (<= 0.6), a Task (0.7), or nothing."""
    if pending is None:
        return
    if hasattr(physx, "wait_task") and not isinstance(pending, int):
        physx.wait_task(pending)
    elif hasattr(physx, "wait_op"):
        physx.wait_op(pending)


def require_physx(physx: object) -> None:
    """Raise InvalidPhysX unless ``physx`` is an ``ovphysx.PhysX`` (or a subclass's) instance.

    By its class's ancestry, not ``ovphysx.PhysX``: reading that attribute runs the native
    bootstrap on 0.3.7, and a caller with no instance has not run it yet.
    """
    if not any(cls.__name__ == "PhysX" and cls.__module__.startswith("ovphysx") for cls in type(physx).__mro__):
        text = repr(physx)
        shown = text if len(text) <= 80 else f"{text[:60]}..."
        raise InvalidPhysX(f"{shown} (a {type(physx).__name__})")


def import_ovphysx() -> Any:
    """Import ovphysx and run its native bootstrap, around the import-order traps of old releases.

    0.2.9 and 0.3.7 run a USD version check at bootstrap when ``pxr`` is already
    imported, and reject usd-core. The check only looks at ``sys.modules``, so the
    pxr modules are set aside for the bootstrap and put back after it.
    """
    if "ovphysx" in sys.modules and hasattr(sys.modules["ovphysx"], "PhysX"):
        return sys.modules["ovphysx"]
    hidden = {name: sys.modules.pop(name) for name in list(sys.modules) if name == "pxr" or name.startswith("pxr.")}
    # 0.2.9/0.3.7 set PYTHONHOME for their embedded interpreter plugin; left in os.environ it
    # breaks every Python subprocess started afterwards ("Python path configuration" fatal error).
    python_home = os.environ.get("PYTHONHOME")
    try:
        import ovphysx

        ovphysx.PhysX  # noqa: B018 - the first attribute read runs the native bootstrap (>= 0.3.7)
    except ImportError as error:
        raise OvphysxNotInstalled(f"ovphysx cannot be imported ({error})") from error
    except OSError as error:  # 0.2.9 links libcuda.so.1 and fails at import without it
        if _driver_library_loads():
            raise OvphysxNotInstalled(f"ovphysx could not load its native library ({error})") from error
        raise OvphysxNotInstalled(
            f"ovphysx could not load its native library ({error}); ovphysx 0.2.9 needs the NVIDIA "
            "driver library libcuda.so.1 even on the CPU",
            hint="install the NVIDIA driver, or use ovphysx >= 0.3.7, which does not need it on the CPU",
        ) from error
    finally:
        for name, module in hidden.items():
            sys.modules.setdefault(name, module)
        if python_home is None:
            os.environ.pop("PYTHONHOME", None)
        else:
            os.environ["PYTHONHOME"] = python_home
    return ovphysx


def _driver_library_loads() -> bool:
    try:
        ctypes.CDLL("libcuda.so.1")
    except OSError:
        return False
    return True


def _schema_paths(ovphysx: Any) -> list[str]:
    paths: list[str] = []
    if hasattr(ovphysx, "codeless_schema_root"):
        paths.append(str(ovphysx.codeless_schema_root()))  # 0.6.x ships them inside the wheel
    else:
        paths.extend(_physx_usd_schemas_paths())  # 0.7+: the separate physx-usd-schemas package
    if hasattr(ovphysx, "newton_schema_root"):
        with contextlib.suppress(FileNotFoundError):  # newton-usd-schemas is optional: ovphysx only warns
            paths.append(str(ovphysx.newton_schema_root()))
    return paths


def _physx_usd_schemas_paths() -> list[str]:
    from importlib import metadata

    try:
        distribution = metadata.distribution("physx-usd-schemas")
    except metadata.PackageNotFoundError:
        raise OvphysxNotInstalled(
            "this ovphysx release needs the PhysX USD schemas at run time (it refuses to attach a "
            "scene without them) but does not declare them",
            hint="pip install physx-usd-schemas",
        ) from None
    return [
        str(distribution.locate_file(f"physx_usd_schemas/{module}/resources"))
        for module in ("PhysxSchema", "OmniUsdPhysicsDeformableSchema")
    ]


def register_schemas_once(ovphysx: Any, features: Features) -> None:
    """Register the PhysX schemas with ovstage once per process, before the first population (0.6+)."""
    global _schemas_registered  # noqa: PLW0603 - a process-wide fact, like ovstage's own registry
    if not features.schema_registration:
        return
    with _schema_lock:
        if _schemas_registered:
            return
        from ovstage import population

        population.register_usd_schemas(_schema_paths(ovphysx))
        _schemas_registered = True


def _add_usd_result(physx: Any, result: Any) -> NativeScene:
    handle, pending = result if isinstance(result, tuple) else (result, None)
    wait(physx, pending)
    return NativeScene(physx, usd_handle=handle)


def _attach(physx: Any, populate: Any) -> NativeScene:
    """Populate a new ovstage stage (every domain), seal ordinal 1, attach; destroy it on failure."""
    import ovstage

    _refuse_known_crash_at_first_stage()
    stage = ovstage.Stage(f"ovphysx-shim-{next(_stage_names)}")
    try:
        # Every domain, as Isaac Lab populates: with PHYSICS alone, ovstage 0.2.x (ovphysx 0.6.x) drops
        # the transforms of non-physics ancestors, and cloned envs collapse onto the origin.
        populate(stage, ovstage.PopulationDomain.ALL)
        # An unsealed ordinal attaches as a silently empty scene (Isaac Lab #7021).
        stage.advance_write_floor(ordinal=1).wait()
        wait(physx, physx.attach_ovstage(stage, read_ordinal=1))
    except BaseException:
        stage.destroy()
        raise
    return NativeScene(physx, stage=stage)


def _refuse_known_crash_at_first_stage() -> None:
    """Raise instead of letting ovstage 0.1.0 segfault in its first ``Stage()`` (see above)."""
    global _ovstage_started  # noqa: PLW0603 - ovstage's library loads once per process
    if _ovstage_started:
        return
    from importlib import metadata

    release = metadata.version("ovstage")
    if release in _NEWLINE_ARGUMENT_CRASH and _an_argument_has_a_newline():
        raise KnownReleaseDefect(
            f"ovstage {release} (ovphysx {metadata.version('ovphysx')})",
            "it segfaults creating its first stage when an argument of the process contains a newline, "
            "as `python -c` with a multi-line script does",
            "run the script from a file, or use ovphysx 0.5.10 or later",
        )
    _ovstage_started = True


def _an_argument_has_a_newline() -> bool:
    try:
        with open("/proc/self/cmdline", "rb") as cmdline:
            return b"\n" in cmdline.read()
    except OSError:
        return any("\n" in argument for argument in sys.orig_argv)


def _activate(physx: Any, features: Features) -> None:
    if features.activate_with_binding:
        # Any binding starts the simulation; one that matches nothing costs nothing but a log line.
        physx.create_tensor_binding(pattern="/__ovphysx_shim_activate__").destroy()


def load_path(physx: Any, path: str, features: Features) -> NativeScene:
    """Load the scene file at ``path`` (read once, during this call)."""
    if features.generation == "add_usd":
        scene = _add_usd_result(physx, physx.add_usd(path))
        _activate(physx, features)
        return scene
    from ovstage import population

    return _attach(physx, lambda stage, domains: population.open_usd(stage, path, ordinal=1, domains=domains))


def load_text(physx: Any, text: str, features: Features) -> NativeScene:
    """Load USDA text through a native string API, or ovstage's inline-string population."""
    if features.native_string:
        return _add_usd_result(physx, physx.add_usd_from_string(text))
    if not features.inline_string:
        raise UnsupportedRelease(None, "this release has no in-memory string load")
    from ovstage import population

    return _attach(
        physx, lambda stage, domains: population.open_usd_from_string(stage, text, ordinal=1, domains=domains)
    )


def load_buffer(physx: Any, data: bytes, features: Features) -> NativeScene:
    """Load serialized USDA bytes without copying them: a native bytes API, or ovstage's C entry."""
    if features.native_bytes:
        return _add_usd_result(physx, physx.add_usd_from_bytes(data))
    return _attach(physx, lambda stage, domains: _populate_from_buffer(stage, data, domains))


def _populate_from_buffer(stage: Any, data: bytes, domains: int) -> None:
    from ovstage._src import bindings, population

    library, instance = population._require(stage)
    entry = verified_entry(library, bindings.ovx_string_t)
    view = bindings.ovx_string_t()
    view.ptr = data  # a c_char_p field points into the bytes object itself: no copy
    view.length = len(data)  # the entry honours the length: no NUL terminator needed
    check_ordinal = getattr(population, "check_ordinal", int)
    check_domains = getattr(population, "check_domains", int)
    result = entry(instance, view, check_ordinal(1), math.nan, check_domains(int(domains)))
    # keepalive holds the view (and through it the bytes) until the op completes.
    population._enqueue(stage, "open_usd_from_string", result, keepalive=[view, data]).wait()


def verified_entry(library: Any, view_type: Any) -> Any:
    """ovstage's C string entry, if its signature is the one the bytes route was verified on."""
    entry = getattr(library, "ovstage_population_open_usd_from_string", None)
    argtypes = list(getattr(entry, "argtypes", None) or [])
    if len(argtypes) != 5 or argtypes[1] is not view_type or argtypes[3] is not ctypes.c_double:
        raise UnsupportedRelease(
            None, f"ovstage_population_open_usd_from_string has an unverified signature ({argtypes!r})"
        )
    return entry


def load_fd(physx: Any, fd: int) -> NativeScene:
    """A native fd load (no released wheel has one yet)."""
    return _add_usd_result(physx, physx.add_usd_from_fd(fd))


def timed(action: Callable[[], NativeScene], nbytes: int) -> NativeScene:
    """Run a native load, recording its duration and the bytes handed over on the scene."""
    started = time.perf_counter()
    scene = action()
    scene.load_s = time.perf_counter() - started
    scene.nbytes = nbytes
    return scene
