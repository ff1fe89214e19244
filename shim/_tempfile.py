"""**tempfile**: a private file on a RAM-backed root, removed as soon as the load has read it.

The only route that carries the binary crate (USDC): USD writes crates to a
real path only. The file is 0600 in a fresh 0700 directory inside this
process's locked directory, so a crash leaves it where the sweep finds it.
"""

from __future__ import annotations

import os
from typing import Any, ClassVar

from shim import _native, _temproot
from shim._probe import Capabilities
from shim._source import Format, Payload, UnverifiedCrate, unverified_crate_reason
from shim._strategy import Strategy

__all__ = ["TempFileTransfer"]


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
    def transfer(cls, physx: Any, payload: Payload, fmt: Format, capabilities: Capabilities) -> _native.NativeScene:
        assert capabilities.temp_root is not None
        with _temproot.scratch(capabilities.temp_root) as directory:  # gone before we return
            path = payload.write_file(directory, fmt)
            if fmt == "usdc" and payload.kind != "usdc-bytes":
                reason = unverified_crate_reason(path)
                if reason is not None:
                    raise UnverifiedCrate(reason)
            size = os.path.getsize(path)
            return _native.timed(lambda: _native.load_path(physx, path, cls.features(capabilities)), size)
