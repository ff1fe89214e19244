"""**bytes**: USDA handed over as a buffer that ovstage reads in place.

A bytes source crosses with no decode and no copy; any other source is exported to
text and encoded once first.
"""

from __future__ import annotations

from typing import ClassVar

from shim.adapters import LoadTarget, NativeScene, in_memory_unavailable
from shim.releases import Capabilities
from shim.source import Format, Payload
from shim.strategies.base import Strategy

__all__ = ["BytesTransfer"]


class BytesTransfer(Strategy):
    """ovstage's C entry given a ``{ptr, len}`` view of the bytes (0.5+).

    The ovstage route uses private names (``ovstage._src``); it is enabled only
    when the probe finds the exact layout it was verified against.
    """

    name: ClassVar[str] = "bytes"
    formats: ClassVar[tuple[Format, ...]] = ("usda",)

    @classmethod
    def _unavailable_reason(cls, capabilities: Capabilities) -> str | None:
        return in_memory_unavailable(capabilities, "bytes")

    @classmethod
    def transfer(cls, target: LoadTarget, payload: Payload, fmt: Format, capabilities: Capabilities) -> NativeScene:
        return target.bytes(payload.usda_bytes())
