"""ovstage's side of a load (0.5+): the stage, its population from a file, text or a buffer, and the seal."""

from __future__ import annotations

import ctypes
import itertools
import math
import sys
from collections.abc import Callable
from typing import Any

from shim.errors import KnownReleaseDefect, UnsupportedRelease

__all__ = [
    "buffer_entry_unavailable",
    "from_buffer",
    "from_path",
    "from_text",
    "module",
    "new_stage",
    "populate_and_seal",
    "stage_maker",
    "verified_entry",
    "version",
]

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


def stage_maker(given: object) -> Callable[[], Any]:
    """What makes the stage a load populates, from ``shim.load``'s ``ovstage`` option; the scene owns that stage."""
    if given is None:
        return new_stage
    kind = type(given).__name__
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


def populate_and_seal(stage: Any, populate: Populate) -> None:
    """Populate ``stage`` with every domain and seal ordinal 1, which the attach reads."""
    import ovstage

    # Every domain, as Isaac Lab populates: with PHYSICS alone, ovstage 0.2.x (ovphysx 0.6.x) drops
    # the transforms of non-physics ancestors, and cloned envs collapse onto the origin.
    populate(stage, ovstage.PopulationDomain.ALL)
    # An unsealed ordinal attaches as a silently empty scene.
    stage.advance_write_floor(ordinal=1).wait()


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


def from_path(path: str) -> Populate:
    """Populates a stage from the scene file at ``path`` (read once, during the population)."""
    from ovstage import population

    return lambda stage, domains: population.open_usd(stage, path, ordinal=1, domains=domains)


def from_text(text: str) -> Populate:
    """Populates a stage from USDA text through ovstage's inline-string population."""
    from ovstage import population

    return lambda stage, domains: population.open_usd_from_string(stage, text, ordinal=1, domains=domains)


def from_buffer(data: bytes) -> Populate:
    """Populates a stage from USDA bytes through ovstage's C entry, which reads the buffer in place."""
    return lambda stage, domains: _populate_from_buffer(stage, data, domains)


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


def module() -> Any:
    """``ovstage.population``; None where ovstage cannot be imported."""
    try:
        from ovstage import population
    except ImportError:
        return None
    return population


def version() -> str | None:
    from shim.releases.versions import installed_version

    return installed_version("ovstage")


def path_dictionary_needs_a_stage() -> bool:
    """Whether ``ovstage.PathDictionary`` takes the stage it names paths of (ovstage 0.3, with 0.7)."""
    import inspect

    import ovstage

    stage = inspect.signature(ovstage.PathDictionary).parameters.get("stage")
    return stage is not None and stage.default is inspect.Parameter.empty


def buffer_entry_unavailable() -> str | None:
    """None when ovstage's C string entry matches the layout the bytes route was verified on."""
    try:
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
    return None  # the native entry's argtypes live on a Stage; checked at load (verified_entry)
