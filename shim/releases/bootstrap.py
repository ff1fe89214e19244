"""Importing ovphysx and readying a process for it: the import-order traps, the schemas, the instance check."""

from __future__ import annotations

import ctypes
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

from shim.errors import InvalidPhysX, OvphysxNotInstalled

__all__ = ["import_ovphysx", "physx_usd_schemas_paths", "register_schemas_once", "require_physx"]

_schema_lock = threading.Lock()
_schemas_registered = False


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


def physx_usd_schemas_paths() -> list[str]:
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


def register_schemas_once(paths: Callable[[], list[str]]) -> None:
    """Register the schema plugin folders ``paths()`` gives with ovstage once per process, before the first population."""
    global _schemas_registered  # noqa: PLW0603 - a process-wide fact, like ovstage's own registry
    with _schema_lock:
        if _schemas_registered:
            return
        from ovstage import population

        population.register_usd_schemas(paths())
        _schemas_registered = True
