"""**bytes**: USDA handed over as a buffer that ovstage reads in place.

A bytes source crosses with no decode and no copy; any other source is exported to
text and encoded once first.
"""

from __future__ import annotations

from typing import ClassVar

from shim.releases import Capabilities, Loader, NativeScene
from shim.source import Format, Payload
from shim.strategies.base import Strategy

__all__ = ["BytesTransfer"]


class BytesTransfer(Strategy):
    """A native ``add_usd_from_bytes``, or ovstage's C entry given a ``{ptr, len}`` view of the bytes.

    The ovstage route uses private names (``ovstage._src``); it is enabled only
    when the probe finds the exact layout it was verified against.
    """

    name: ClassVar[str] = "bytes"
    formats: ClassVar[tuple[Format, ...]] = ("usda",)

    @classmethod
    def _unavailable_reason(cls, capabilities: Capabilities) -> str | None:
        features = capabilities.features
        if features is None:
            if capabilities.generation == "add_usd":
                return f"ovphysx {capabilities.ovphysx} has no buffer load (path-only `add_usd`)"
            return None
        if features.native_bytes:
            return None
        if features.generation == "add_usd":
            return f"ovphysx {capabilities.ovphysx} has no buffer load (path-only `add_usd`)"
        return features.bytes_route_reason

    @classmethod
    def transfer(cls, loader: Loader, payload: Payload, fmt: Format, capabilities: Capabilities) -> NativeScene:
        return loader.bytes(payload.usda_bytes())
