"""**string**: inline USDA through the release's in-memory API (no file, no fd)."""

from __future__ import annotations

from typing import ClassVar

from shim.adapters import LoadTarget, NativeScene, in_memory_unavailable
from shim.releases import Capabilities
from shim.source import Format, Payload
from shim.strategies.base import Strategy

__all__ = ["StringTransfer"]


class StringTransfer(Strategy):
    """ovstage's ``open_usd_from_string`` (0.5.9+)."""

    name: ClassVar[str] = "string"
    formats: ClassVar[tuple[Format, ...]] = ("usda",)

    @classmethod
    def _unavailable_reason(cls, capabilities: Capabilities) -> str | None:
        return in_memory_unavailable(capabilities, "text")

    @classmethod
    def transfer(cls, target: LoadTarget, payload: Payload, fmt: Format, capabilities: Capabilities) -> NativeScene:
        return target.text(payload.usda_text())
