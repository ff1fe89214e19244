"""**tempfile**: a private file on a RAM-backed root, removed as soon as the load has read it.

The only route that carries the binary crate (USDC): USD writes crates to a
real path only. The file is 0600 in a fresh 0700 directory inside this
process's locked directory, so a crash leaves it where the sweep finds it.
"""

from __future__ import annotations

import errno
import os
from typing import ClassVar

from shim import scratch
from shim.adapters import LoadTarget, NativeScene
from shim.releases import Capabilities
from shim.source import Format, Payload, unverified_crate_reason
from shim.strategies.base import NoSpace, Strategy, UnverifiedCrate

__all__ = ["TempFileTransfer"]

#: Never take a RAM-backed root to its last megabytes: other programs share it.
_HEADROOM = 16 * 1024 * 1024


def _no_space(root: str, free: int, needed: int | None) -> str:
    size = f"needs {needed / 2**20:.1f} MiB" if needed is not None else "did not fit"
    return (
        f"{root!r} has {free / 2**20:.1f} MiB free and the scene {size} (plus {_HEADROOM // 2**20} MiB kept free); "
        "set SHIM_TMPDIR to a directory with room, or let the shim choose (it falls back to the memfd route)"
    )


class TempFileTransfer(Strategy):
    """A secure temp file (USDA or USDC), loaded by path and deleted right after."""

    name: ClassVar[str] = "tempfile"
    formats: ClassVar[tuple[Format, ...]] = ("usdc", "usda")

    @classmethod
    def _unavailable_reason(cls, capabilities: Capabilities) -> str | None:
        if capabilities.temp_root is None:
            return f"no safe temp directory ({capabilities.temp_root_reason})"
        return None

    @classmethod
    def transfer(cls, target: LoadTarget, payload: Payload, fmt: Format, capabilities: Capabilities) -> NativeScene:
        root = capabilities.temp_root
        assert root is not None
        needed = payload.known_size(fmt)
        free = scratch.free_bytes(root)
        if needed is not None and needed + _HEADROOM > free:
            raise NoSpace(_no_space(root, free, needed))
        with scratch.load_directory(root) as directory:  # gone before we return
            try:
                path = payload.write_file(directory, fmt)
            except OSError as error:
                if error.errno not in (errno.ENOSPC, errno.EDQUOT):
                    raise
                raise NoSpace(_no_space(root, free, needed)) from None  # the partial file goes with the scratch
            if fmt == "usdc" and payload.kind != "usdc-bytes":
                reason = unverified_crate_reason(path)
                if reason is not None:
                    raise UnverifiedCrate(reason)
            size = os.path.getsize(path)
            return target.path(path, size)
