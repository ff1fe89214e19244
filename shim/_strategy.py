"""The contract every transfer strategy fulfils: say why it cannot run, or hand the scene over."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

from shim._native import NativeScene
from shim._probe import Capabilities, Features
from shim._source import Format, Payload

__all__ = ["Strategy"]


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
    def transfer(cls, physx: Any, payload: Payload, fmt: Format, capabilities: Capabilities) -> NativeScene:
        """Load ``payload`` into ``physx`` as ``fmt``; leave nothing behind, whatever happens."""

    @staticmethod
    def features(capabilities: Capabilities) -> Features:
        assert capabilities.features is not None, "load() probes after ovphysx is imported"
        return capabilities.features
