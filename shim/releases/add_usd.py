"""The ``add_usd`` releases (0.2-0.4): a scene is a handle that ``remove_usd`` takes back."""

from __future__ import annotations

from typing import Any

from shim.releases.features import Features
from shim.releases.scene import NativeScene, wait

__all__ = ["load_fd", "load_path", "load_text"]


def _handle(physx: Any, result: Any) -> NativeScene:
    handle, pending = result if isinstance(result, tuple) else (result, None)
    wait(physx, pending)
    return NativeScene(physx, usd_handle=handle)


def load_path(physx: Any, path: str, features: Features) -> NativeScene:
    """Load the scene file at ``path``; the releases that need it get their simulation started."""
    scene = _handle(physx, physx.add_usd(path))
    if features.activate_with_binding:
        # Any binding starts the simulation; one that matches nothing costs nothing but a log line.
        physx.create_tensor_binding(pattern="/__ovphysx_shim_activate__").destroy()
    return scene


def load_text(physx: Any, text: str) -> NativeScene:
    """A native ``add_usd_from_string`` (no released wheel has one yet)."""
    return _handle(physx, physx.add_usd_from_string(text))


def load_bytes(physx: Any, data: bytes) -> NativeScene:
    """A native ``add_usd_from_bytes`` (no released wheel has one yet)."""
    return _handle(physx, physx.add_usd_from_bytes(data))


def load_fd(physx: Any, fd: int) -> NativeScene:
    """A native ``add_usd_from_fd`` (no released wheel has one yet)."""
    return _handle(physx, physx.add_usd_from_fd(fd))
