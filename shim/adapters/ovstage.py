"""0.5-0.6: a scene is an ovstage stage, populated, sealed and attached; calls return op ids."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from shim.adapters import population
from shim.adapters.base import Adapter
from shim.adapters.scene import NativeScene
from shim.releases.bootstrap import register_schemas_once
from shim.releases.versions import Generation

__all__ = ["Ovstage"]


class Ovstage(Adapter):
    """``set_cpu_mode``, ``attach_ovstage``/``detach_ovstage``, ``wait_op``; ``release`` (0.5), ``destroy`` (0.6)."""

    generation: ClassVar[Generation] = "ovstage"

    def __init__(self, ovphysx: Any) -> None:
        super().__init__(ovphysx)
        self._ovstage_population = population.module()
        self.registers_schemas = hasattr(self._ovstage_population, "register_usd_schemas")  # 0.6+

    def prepare(self) -> None:
        if self.registers_schemas:
            register_schemas_once(self.schema_paths)

    def schema_paths(self) -> list[str]:
        """The schema plugin folders ovstage must know before the first population (0.6+)."""
        return [str(self.ovphysx.codeless_schema_root()), *self._newton_schema_paths()]

    def _newton_schema_paths(self) -> list[str]:
        if not hasattr(self.ovphysx, "newton_schema_root"):  # 0.6.4+
            return []
        try:
            return [str(self.ovphysx.newton_schema_root())]
        except FileNotFoundError:  # newton-usd-schemas is optional: ovphysx only warns
            return []

    def set_cpu_mode(self, cpu: bool) -> None:
        self.ovphysx.PhysX.set_cpu_mode(cpu)

    def load_path(self, physx: Any, path: str, make_stage: Callable[[], Any]) -> NativeScene:
        return self._attach(physx, population.from_path(path), make_stage())

    def load_text(self, physx: Any, text: str, make_stage: Callable[[], Any]) -> NativeScene:
        return self._attach(physx, population.from_text(text), make_stage())

    def load_bytes(self, physx: Any, data: bytes, make_stage: Callable[[], Any]) -> NativeScene:
        return self._attach(physx, population.from_buffer(data), make_stage())

    def in_memory_unavailable(self, kind: str) -> str | None:
        if kind == "text":
            if hasattr(self._ovstage_population, "open_usd_from_string"):
                return None
            return f"ovstage {population.version()} has no open_usd_from_string"
        return population.buffer_entry_unavailable()

    def _attach(self, physx: Any, populate: population.Populate, stage: Any) -> NativeScene:
        """Populate ``stage`` (every domain), seal ordinal 1, attach; destroy the stage on failure."""
        try:
            population.populate_and_seal(stage, populate)
            self.wait(physx, physx.attach_ovstage(stage, read_ordinal=1))
        except BaseException:
            stage.destroy()
            raise
        return NativeScene(self, physx, stage=stage)

    def unload(self, physx: Any, scene: NativeScene) -> None:
        try:
            if physx is not None and self.is_alive(physx):
                self.wait(physx, physx.detach_ovstage())
        finally:
            scene.stage.destroy()

    def stage_maker(self, given: object) -> Callable[[], Any]:
        return population.stage_maker(given)
