"""``shim.probe()``: what is installed and what it can do, typed, cached, and re-probed once ovphysx is imported.

Versions come from metadata and never import ovphysx; the adapter is chosen by what the
imported module offers (``shim.adapters``), so a release that only adds APIs keeps working.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from shim import scratch
from shim.releases.versions import KNOWN_RELEASES, Generation, generation_from_version, installed_version

if TYPE_CHECKING:
    from shim.adapters import Adapter

__all__ = ["Capabilities", "Generation", "probe", "probe_adapter"]


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
    adapter: Adapter | None = None  # None until ovphysx is imported
    notes: tuple[str, ...] = field(default_factory=tuple)


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


_cache: dict[bool, Capabilities] = {}


def probe_adapter() -> Capabilities:
    """``probe()`` once ovphysx is imported, with its adapter chosen; raises if it offers no load API."""
    capabilities = probe()
    if capabilities.adapter is None:
        capabilities = probe(refresh=True)  # ovphysx may have been imported since the cached probe
    if capabilities.adapter is None:
        from shim.adapters import NO_LOAD_API
        from shim.errors import UnsupportedRelease

        raise UnsupportedRelease(capabilities.ovphysx, NO_LOAD_API)
    return capabilities


def probe(refresh: bool = False, *, import_ovphysx: bool = False) -> Capabilities:
    """The installed ovphysx's capabilities; cached, and re-probed once ovphysx gets imported.

    With ``import_ovphysx=True`` ovphysx is imported first (in the order its old
    releases need), so that the adapter is chosen rather than the generation inferred.
    """
    if import_ovphysx and "ovphysx" not in sys.modules:
        from shim.releases.bootstrap import import_ovphysx as _import

        _import()
    imported = "ovphysx" in sys.modules
    if not refresh and imported in _cache:
        return _cache[imported]
    ovphysx_version = installed_version("ovphysx")
    from shim.adapters import adapter_for

    adapter = adapter_for(sys.modules["ovphysx"]) if imported else None
    memfd, memfd_reason = _memfd()
    root = scratch.choose_root()
    notes: list[str] = []
    if ovphysx_version is not None and ovphysx_version not in KNOWN_RELEASES:
        notes.append(f"ovphysx {ovphysx_version} is newer or older than the releases this shim was verified on")
    capabilities = Capabilities(
        ovphysx=ovphysx_version,
        ovstage=installed_version("ovstage"),
        usd_core=installed_version("usd-core"),
        physx_usd_schemas=installed_version("physx-usd-schemas"),
        newton_usd_schemas=installed_version("newton-usd-schemas"),
        generation=adapter.generation if adapter else generation_from_version(ovphysx_version),
        memfd=memfd,
        memfd_reason=memfd_reason,
        temp_root=root.path,
        temp_root_is_ram=root.ram,
        temp_root_reason=root.reason,
        adapter=adapter,
        notes=tuple(notes),
    )
    _cache.clear()
    _cache[imported] = capabilities
    return capabilities
