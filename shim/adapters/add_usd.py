"""0.2-0.4: a scene is a file that ``add_usd`` reads and a handle that ``remove_usd`` takes back."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from typing import Any, ClassVar

import lazy
from shim.adapters.base import Adapter
from shim.adapters.scene import NativeScene
from shim.releases.versions import Generation, release_below

__all__ = ["AddUsd", "path_only"]


class AddUsd(Adapter):
    """``PhysX(device=...)``, ``add_usd(path) -> (handle, op)``, ``wait_op``, ``remove_usd``, ``release``."""

    generation: ClassVar[Generation] = "add_usd"
    process_wide_device: ClassVar[bool] = False  # PhysX(device=...) chooses per instance

    def __init__(self, ovphysx: Any) -> None:
        super().__init__(ovphysx)
        # 0.2.9/0.3.7 do not simulate a loaded scene until a tensor binding has been created
        # (a falling body stays where it was). Not visible in the API, so this comes from the version.
        self.activate_with_binding = release_below(self.release, (0, 4))

    def prepare(self) -> None:
        # 0.2.9/0.3.7: PhysX() points PXR_PLUGINPATH_NAME at ovphysx's own USD plugins; a
        # registry usd-core builds afterwards picks them up and breaks pxr. Build it first.
        if self.step_takes_time and ("pxr" in sys.modules or importlib.util.find_spec("pxr") is not None):
            lazy.pxr.Usd.Stage.CreateInMemory()

    def _device_arguments(self, cpu: bool) -> dict[str, Any]:
        return {"device": "cpu" if cpu else "gpu"}

    def stage_maker(self, given: object) -> Callable[[], Any]:
        if given is not None:
            kind = type(given).__name__
            raise ValueError(
                f"ovstage={kind} was given, but this ovphysx (0.2-0.4) loads without ovstage; leave it out"
            )
        return lambda: None

    def in_memory_unavailable(self, kind: str) -> str | None:
        return path_only(self.release, kind)

    def load_path(self, physx: Any, path: str, make_stage: Callable[[], Any]) -> NativeScene:
        result = physx.add_usd(path)
        handle, pending = result if isinstance(result, tuple) else (result, None)
        self.wait(physx, pending)
        if self.activate_with_binding:
            # Any binding starts the simulation; one that matches nothing costs a log line.
            physx.create_tensor_binding(pattern="/__ovphysx_shim_activate__").destroy()
        return NativeScene(self, physx, usd_handle=handle)

    def unload(self, physx: Any, scene: NativeScene) -> None:
        if physx is not None and self.is_alive(physx):
            self.wait(physx, physx.remove_usd(scene.usd_handle))


def path_only(release: str | None, kind: str) -> str:
    """Why a release of this generation cannot load ``kind`` ('text' or 'bytes') without a file."""
    return f"ovphysx {release} has no in-memory {kind} load (path-only `add_usd`)"
