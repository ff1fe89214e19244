"""One adapter per ovphysx API generation, chosen once by what the imported module offers.

The adapter owns everything that differs between releases: device selection, instance
creation and teardown, schema registration, loading by path, text or bytes, waiting,
stepping, cloning, and the tensor types of state reads and writes. Nothing outside this
package asks which release is installed. A new generation is one subclass here.
"""

from __future__ import annotations

import inspect
import sys
from typing import TYPE_CHECKING, Any

from shim.adapters.base import Adapter, LoadTarget
from shim.adapters.scene import NativeScene

if TYPE_CHECKING:
    from shim.releases import Capabilities

__all__ = [
    "NO_LOAD_API",
    "Adapter",
    "LoadTarget",
    "NativeScene",
    "adapter",
    "adapter_for",
    "files_only",
    "in_memory_unavailable",
    "undeclared_needs",
]

_chosen: dict[int, Adapter] = {}

#: Why a module is no release this shim knows.
NO_LOAD_API = "its PhysX class has neither `add_usd` nor `attach_ovstage`"


def adapter_for(ovphysx: Any) -> Adapter | None:
    """The adapter of the generation ``ovphysx`` belongs to; None when it has no load API this shim knows."""
    physx = getattr(ovphysx, "PhysX", None)
    if physx is None:
        return None
    cached = _chosen.get(id(ovphysx))
    if cached is not None and cached.ovphysx is ovphysx:
        return cached
    if hasattr(physx, "add_usd"):
        from shim.adapters.add_usd import AddUsd

        chosen: Adapter = AddUsd(ovphysx)
    elif hasattr(physx, "attach_ovstage"):
        from shim.adapters.ovstage import Ovstage
        from shim.adapters.tasks import OvstageTasks

        chosen = OvstageTasks(ovphysx) if _returns_task(physx.attach_ovstage) else Ovstage(ovphysx)
    else:
        return None
    _chosen.clear()
    _chosen[id(ovphysx)] = chosen
    return chosen


def chosen_already() -> Adapter | None:
    """The adapter this process chose, if it chose one; never imports ovphysx."""
    return next(iter(_chosen.values()), None)


def adapter() -> Adapter:
    """The adapter of the imported ovphysx (imported here if need be); raises if it has no known load API."""
    from shim.errors import UnsupportedRelease
    from shim.releases.bootstrap import import_ovphysx

    ovphysx = sys.modules.get("ovphysx")
    if ovphysx is None or not hasattr(ovphysx, "PhysX"):
        ovphysx = import_ovphysx()
    chosen = adapter_for(ovphysx)
    if chosen is None:
        from shim.releases.versions import installed_version

        raise UnsupportedRelease(installed_version("ovphysx"), NO_LOAD_API)
    return chosen


def _returns_task(function: Any) -> bool:
    try:
        annotation = inspect.signature(function).return_annotation
    except (TypeError, ValueError):
        return False
    return "Task" in str(getattr(annotation, "__name__", annotation))


def files_only(capabilities: Capabilities) -> bool:
    """Whether the installed release loads scene files only (0.2-0.4), known before ovphysx is imported."""
    return in_memory_unavailable(capabilities, "text") is not None


def in_memory_unavailable(capabilities: Capabilities, kind: str) -> str | None:
    """Why the installed release cannot load ``kind`` ('text' or 'bytes') without a file; None when it can."""
    if capabilities.adapter is not None:
        return capabilities.adapter.in_memory_unavailable(kind)
    if capabilities.generation == "add_usd":
        from shim.adapters.add_usd import path_only

        return path_only(capabilities.ovphysx, kind)
    return None  # decided by the adapter once ovphysx is imported


def undeclared_needs(capabilities: Capabilities) -> tuple[str, ...]:
    """The distributions the installed release uses at run time without declaring them (0.7: the schemas)."""
    if capabilities.generation == "ovstage-task":
        from shim.adapters.tasks import OvstageTasks

        return OvstageTasks.undeclared_needs
    return ()
