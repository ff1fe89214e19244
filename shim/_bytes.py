"""**bytes**: the serialized scene handed over as a buffer, with no copy on the way."""

from __future__ import annotations

from typing import Any, ClassVar

from shim import _native
from shim._probe import Capabilities
from shim._source import Format, Payload
from shim._strategy import Strategy

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
    def transfer(cls, physx: Any, payload: Payload, fmt: Format, capabilities: Capabilities) -> _native.NativeScene:
        data = payload.usda_bytes()
        features = cls.features(capabilities)
        return _native.timed(lambda: _native.load_buffer(physx, data, features), len(data))
