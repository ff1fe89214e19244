"""Everything that differs between ovphysx releases: what the installed one offers, and how it loads a scene."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from shim.releases import add_usd, ovstage
from shim.releases.capabilities import Capabilities, Features, Generation, probe, probe_features
from shim.releases.scene import NativeScene, wait

__all__ = ["Capabilities", "Features", "Generation", "Loader", "NativeScene", "probe", "probe_features", "wait"]


@dataclass(frozen=True)
class Loader:
    """One load's way into the installed release: the instance, its features, and where a stage comes from.

    Each method hands the scene over by one native call, and records on the returned scene
    how long the release took and how many bytes crossed.
    """

    physx: Any
    features: Features
    # A fresh ovstage stage to populate (0.5+): the shim's own by default, or the host's.
    make_stage: Callable[[], Any] = field(default=ovstage.new_stage)

    def path(self, path: str, nbytes: int) -> NativeScene:
        """The scene file at ``path``, read once during this call."""
        if self.features.generation == "add_usd":
            return self._timed(lambda: add_usd.load_path(self.physx, path, self.features), nbytes)
        return self._timed(lambda: ovstage.load_path(self.physx, path, self.make_stage()), nbytes)

    def text(self, text: str) -> NativeScene:
        """USDA text, through a native string call or ovstage's inline-string population."""
        if self.features.native_string:
            return self._timed(lambda: add_usd.load_text(self.physx, text), len(text))
        return self._timed(lambda: ovstage.load_text(self.physx, text, self.make_stage()), len(text))

    def bytes(self, data: bytes) -> NativeScene:
        """USDA bytes, read in place by a native bytes call or ovstage's C entry."""
        if self.features.native_bytes:
            return self._timed(lambda: add_usd.load_bytes(self.physx, data), len(data))
        return self._timed(lambda: ovstage.load_bytes(self.physx, data, self.make_stage()), len(data))

    def fd(self, fd: int, nbytes: int) -> NativeScene:
        """A native fd call (no released wheel has one yet)."""
        return self._timed(lambda: add_usd.load_fd(self.physx, fd), nbytes)

    @staticmethod
    def _timed(action: Callable[[], NativeScene], nbytes: int) -> NativeScene:
        started = time.perf_counter()
        scene = action()
        scene.load_s = time.perf_counter() - started
        scene.nbytes = nbytes
        return scene
