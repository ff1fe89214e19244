"""**fd**: the scene in a sealed memfd, reached through a ``scene.usda`` symlink (Linux).

USD picks a file format by extension, so ``/proc/self/fd/N`` alone fails to open
in every release; a ``scene.usda`` symlink to it, in a fresh private directory,
opens everywhere. Nothing is ever written to a filesystem: the memfd lives in
RAM and is freed when the last descriptor closes, right after the load.
"""

from __future__ import annotations

import fcntl
import os
from typing import ClassVar

from shim import scratch
from shim.adapters import LoadTarget, NativeScene
from shim.releases import Capabilities
from shim.source import Format, Payload
from shim.strategies.base import Strategy

__all__ = ["FdTransfer", "sealed_memfd"]

_SEALS = fcntl.F_SEAL_WRITE | fcntl.F_SEAL_GROW | fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_SEAL


def sealed_memfd(data: bytes) -> int:
    """A close-on-exec memfd holding ``data``, sealed so that nobody can change it afterwards."""
    fd = os.memfd_create("ovphysx-shim-scene.usda", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        fcntl.fcntl(fd, fcntl.F_ADD_SEALS, _SEALS)
    except BaseException:
        os.close(fd)
        raise
    return fd


class FdTransfer(Strategy):
    """A sealed memfd plus a ``scene.usda`` symlink to it; loads by path on every release."""

    name: ClassVar[str] = "fd"
    formats: ClassVar[tuple[Format, ...]] = ("usda",)

    @classmethod
    def _unavailable_reason(cls, capabilities: Capabilities) -> str | None:
        if not capabilities.memfd:
            return capabilities.memfd_reason
        if capabilities.temp_root is None:
            return f"no private directory for the symlink ({capabilities.temp_root_reason})"
        return None

    @classmethod
    def transfer(cls, target: LoadTarget, payload: Payload, fmt: Format, capabilities: Capabilities) -> NativeScene:
        assert capabilities.temp_root is not None
        data = payload.usda_bytes()
        with scratch.load_directory(capabilities.temp_root) as directory:
            fd = sealed_memfd(data)
            try:
                link = os.path.join(directory, "scene.usda")
                os.symlink(f"/proc/{os.getpid()}/fd/{fd}", link)
                return target.path(link, len(data))
            finally:
                os.close(fd)  # every release reads the scene once, during the load call
