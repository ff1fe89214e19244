"""A scene as ovphysx holds it, and the waiting every release's calls need."""

from __future__ import annotations

import weakref
from typing import Any

__all__ = ["NativeScene", "wait"]


class NativeScene:
    """A scene as ovphysx holds it: an ``add_usd`` handle, or an attached ovstage stage.

    It holds its instance weakly: a scene never keeps a PhysX alive, and once the instance
    is gone, unloading only destroys the stage.
    """

    def __init__(self, physx: Any, *, usd_handle: Any = None, stage: Any = None) -> None:
        self._physx = weakref.ref(physx)
        self.usd_handle = usd_handle
        self.stage = stage
        self.loaded = True
        self.nbytes: int | None = None  # what crossed to ovphysx, set by the strategy
        self.load_s = 0.0  # time inside ovphysx/ovstage, set by the strategy

    def unload(self) -> None:
        """Remove the scene from the instance; a second call does nothing."""
        if not self.loaded:
            return
        self.loaded = False
        physx = self._physx()
        if self.stage is not None:
            try:
                if physx is not None:
                    wait(physx, physx.detach_ovstage())
            finally:
                self.stage.destroy()
        elif self.usd_handle is not None and physx is not None:
            wait(physx, physx.remove_usd(self.usd_handle))

    @property
    def physx(self) -> Any:
        """The instance the scene is loaded into; None once it has been collected."""
        return self._physx()


def wait(physx: Any, pending: Any) -> None:
    """Wait for whatever a call returned: an op index (<= 0.6), a Task (0.7), or nothing."""
    if pending is None:
        return
    if hasattr(physx, "wait_task") and not isinstance(pending, int):
        physx.wait_task(pending)
    elif hasattr(physx, "wait_op"):
        physx.wait_op(pending)
