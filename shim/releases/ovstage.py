"""The ovstage releases (0.5-0.7): a scene is an ovstage stage, populated, sealed and attached."""

from __future__ import annotations

import ctypes
import itertools
import math
import sys
from collections.abc import Callable
from typing import Any

from shim.errors import KnownReleaseDefect, UnsupportedRelease
from shim.releases.scene import NativeScene, wait

__all__ = ["load_bytes", "load_path", "load_text", "new_stage", "stage_maker", "verified_entry"]

Populate = Callable[[Any, Any], None]

_stage_names = itertools.count(1)
_started = False
#: ovstage builds that segfault creating their first stage when an argument of the process
#: contains a newline (``python -c`` with a multi-line script).
_NEWLINE_ARGUMENT_CRASH = frozenset({"0.1.0.346039"})  # shipped with ovphysx 0.5.9


def new_stage(config: Any = None) -> Any:
    """A fresh ovstage stage: with ``config`` (an ``ovstage.StageConfig``), or joining the process's settings."""
    import ovstage

    _refuse_known_crash_at_first_stage()
    name = f"ovphysx-shim-{next(_stage_names)}"
    return ovstage.Stage(name) if config is None else ovstage.Stage(name, config)


def stage_maker(given: object, generation: str) -> Callable[[], Any]:
    """What makes the stage a load populates, from ``shim.load``'s ``ovstage`` option; the scene owns that stage."""
    if given is None:
        return new_stage
    kind = type(given).__name__
    if generation == "add_usd":
        raise ValueError(f"ovstage={kind} was given, but this ovphysx (0.2-0.4) loads without ovstage; leave it out")
    if (type(given).__module__ or "").startswith("ovstage"):
        if kind == "StageConfig":
            return lambda: new_stage(given)
        if kind == "Stage":
            return lambda: given
    elif callable(given):
        return given
    raise ValueError(
        f"ovstage={given!r} is not an ovstage.Stage, an ovstage.StageConfig or a function that returns a stage"
    )


def _attach(physx: Any, populate: Populate, stage: Any) -> NativeScene:
    """Populate ``stage`` (every domain), seal ordinal 1, attach; destroy the stage on failure."""
    import ovstage

    try:
        # Every domain, as Isaac Lab populates: with PHYSICS alone, ovstage 0.2.x (ovphysx 0.6.x) drops
        # the transforms of non-physics ancestors, and cloned envs collapse onto the origin.
        populate(stage, ovstage.PopulationDomain.ALL)
        # An unsealed ordinal attaches as a silently empty scene.
        stage.advance_write_floor(ordinal=1).wait()
        wait(physx, physx.attach_ovstage(stage, read_ordinal=1))
    except BaseException:
        stage.destroy()
        raise
    return NativeScene(physx, stage=stage)


def _refuse_known_crash_at_first_stage() -> None:
    """Raise instead of letting ovstage 0.1.0 segfault in its first ``Stage()``."""
    global _started  # noqa: PLW0603 - ovstage's library loads once per process
    if _started:
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
    _started = True


def _an_argument_has_a_newline() -> bool:
    try:
        with open("/proc/self/cmdline", "rb") as cmdline:
            return b"\n" in cmdline.read()
    except OSError:
        return any("\n" in argument for argument in sys.orig_argv)


def load_path(physx: Any, path: str, stage: Any) -> NativeScene:
    """Populate ``stage`` from the scene file at ``path`` (read once, during this call) and attach it."""
    from ovstage import population

    return _attach(physx, lambda stage, domains: population.open_usd(stage, path, ordinal=1, domains=domains), stage)


def load_text(physx: Any, text: str, stage: Any) -> NativeScene:
    """Populate ``stage`` from USDA text through ovstage's inline-string population and attach it."""
    from ovstage import population

    return _attach(
        physx, lambda stage, domains: population.open_usd_from_string(stage, text, ordinal=1, domains=domains), stage
    )


def load_bytes(physx: Any, data: bytes, stage: Any) -> NativeScene:
    """Populate ``stage`` from USDA bytes through ovstage's C entry, which reads the buffer in place."""
    return _attach(physx, lambda stage, domains: _populate_from_buffer(stage, data, domains), stage)


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
