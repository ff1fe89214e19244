"""**string**: inline USDA through the release's in-memory API (no file, no fd)."""

from __future__ import annotations

from typing import Any, ClassVar

from shim import _native
from shim._probe import Capabilities
from shim._source import Format, Payload
from shim._strategy import Strategy

__all__ = ["StringTransfer"]


class StringTransfer(Strategy):
    """ovstage ``open_usd_from_string`` (0.5.9+), or a native ``add_usd_from_string``."""

    name: ClassVar[str] = "string"
    formats: ClassVar[tuple[Format, ...]] = ("usda",)

    @classmethod
    def _unavailable_reason(cls, capabilities: Capabilities) -> str | None:
        features = capabilities.features
        if features is not None:
            if features.native_string or features.inline_string:
                return None
            return f"ovphysx {capabilities.ovphysx} has no in-memory string load (path-only `add_usd`)"
        if capabilities.generation == "add_usd":
            return f"ovphysx {capabilities.ovphysx} has no in-memory string load (path-only `add_usd`)"
        return None

    @classmethod
    def transfer(cls, physx: Any, payload: Payload, fmt: Format, capabilities: Capabilities) -> _native.NativeScene:
        text = payload.usda_text()
        features = cls.features(capabilities)
        return _native.timed(lambda: _native.load_text(physx, text, features), len(text))
