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
        self.load_s = 0.0  # time inside ovphysx/ovstage, set by the LoadTarget that made it
        self.nbytes: int | None = None  # what crossed to ovphysx, likewise

    def unload(self) -> None:
        """Remove the scene from the instance; a second call does nothing."""
        if self.loaded:
            self.loaded = False
            self._adapter.unload(self._physx(), self)

    @property
    def physx(self) -> Any:
        """The instance the scene is loaded into; None once it has been collected."""
        return self._physx()
