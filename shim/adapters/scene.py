"""The scene one load left in an instance."""

from __future__ import annotations

import weakref
from typing import Any, Protocol

__all__ = ["NativeScene"]


class Unloads(Protocol):
    """What a scene needs of its ``shim.adapters.base.Adapter``."""

    def unload(self, physx: Any, scene: NativeScene) -> None: ...


class NativeScene:
    """What one load left in an instance, and the adapter that takes it back out.

    It holds its instance weakly: a scene never keeps a PhysX alive, and once the instance
    is gone, unloading only destroys the stage.
    """

    def __init__(self, adapter: Unloads, physx: Any, *, usd_handle: Any = None, stage: Any = None) -> None:
        self._adapter = adapter
        self._physx = weakref.ref(physx)
        self.usd_handle = usd_handle
        self.stage = stage
        self.loaded = True
        self.load_s = 0.0  # time inside ovphysx/ovstage
        self.nbytes: int | None = None  # what crossed to ovphysx; None for a file loaded in place

    def handed_over(self, nbytes: int | None, seconds: float) -> NativeScene:
        """Record what crossed to the release and how long the release took; the LoadTarget that made it knows."""
        self.nbytes = nbytes
        self.load_s = seconds
        return self

    def unload(self) -> None:
        """Remove the scene from the instance; a second call does nothing."""
        if self.loaded:
            self.loaded = False
            self._adapter.unload(self._physx(), self)

    @property
    def physx(self) -> Any:
        """The instance the scene is loaded into; None once it has been collected."""
        return self._physx()
