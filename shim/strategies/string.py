"""**string**: inline USDA through the release's in-memory API (no file, no fd)."""

from __future__ import annotations

from typing import ClassVar

from shim.releases import Capabilities, Loader, NativeScene
from shim.source import Format, Payload
from shim.strategies.base import Strategy

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
    def transfer(cls, loader: Loader, payload: Payload, fmt: Format, capabilities: Capabilities) -> NativeScene:
        text = payload.usda_text()
        return loader.text(text)
