"""The contract every strategy fulfils: say why it cannot run here, or hand the scene over."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from shim.adapters import LoadTarget, NativeScene
from shim.releases import Capabilities
from shim.source import Format, Payload

__all__ = ["NoSpace", "RouteUnusable", "Strategy", "UnverifiedCrate"]


class RouteUnusable(Exception):
    """This route cannot carry this payload here; ``load`` in auto mode falls back to a USDA route."""


class UnverifiedCrate(RouteUnusable):
    """The crate usd-core wrote is newer than any verified to load."""


class NoSpace(RouteUnusable):
    """The temp root has no room for the scene (found before writing, or by ENOSPC while writing)."""


class Strategy(ABC):
    """One way to get a payload into ovphysx. Subclasses are stateless; the class is the strategy."""

    name: ClassVar[str]
    formats: ClassVar[tuple[Format, ...]]

    @classmethod
    def unavailable_reason(cls, capabilities: Capabilities, fmt: Format) -> str | None:
        """None if the strategy can carry ``fmt`` here, else a sentence that says why not."""
        if fmt not in cls.formats:
            return f"carries {' or '.join(cls.formats)} only, not {fmt}"
        if capabilities.ovphysx is None:
            return "ovphysx is not installed"
        return cls._unavailable_reason(capabilities)

    @classmethod
    @abstractmethod
    def _unavailable_reason(cls, capabilities: Capabilities) -> str | None:
        """The strategy's own conditions, beyond format and installation."""

    @classmethod
    @abstractmethod
    def transfer(cls, target: LoadTarget, payload: Payload, fmt: Format, capabilities: Capabilities) -> NativeScene:
        """Load ``payload`` as ``fmt`` into ``target``; leave nothing behind, whatever happens."""
