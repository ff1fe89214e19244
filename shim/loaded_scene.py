"""``LoadedScene``: what a load put into an instance, and how to take it back out."""

from __future__ import annotations

from types import TracebackType
from typing import Any

from shim.adapters import NativeScene
from shim.engine_clone import EngineClones
from shim.physics_only import LeftOut
from shim.source import Format
from shim.source.census import Census, census_of

__all__ = ["LoadedScene"]


class LoadedScene:
    """A scene loaded into a PhysX instance. ``unload()`` (or leaving a ``with`` block) removes it."""

    def __init__(
        self,
        native: NativeScene,
        *,
        strategy: str | None,
        format: Format,
        source_kind: str,
        timings: dict[str, float],
        left_out: LeftOut | None,
        clones: EngineClones,
        source: object = None,
    ) -> None:
        self._native = native
        self._source = source  # what ``physics`` counts, on first read; dropped then
        self._census: Census | None = None
        self.strategy = strategy  # how the scene crossed (STRATEGIES); None for a file loaded in place
        self.format = format
        self.nbytes = native.nbytes  # what crossed to ovphysx; None for a file loaded in place
        self.source_kind = source_kind
        self.timings = timings
        self.left_out = left_out  # what content="physics" left out; None for content="all"
        # The copies the engine made (they exist in PhysX only, not in USD or ovstage), or why none.
        self.clones = clones

    @property
    def loaded(self) -> bool:
        return self._native.loaded

    @property
    def physics(self) -> Census:
        """What was loaded: rigid bodies, colliders, joints, articulations (engine clones included).

        Counted on first read from the source ``load`` was given, which the scene holds until then.
        """
        if self._census is None:
            self._census = census_of(self._source)
            self._source = None
        return self._census

    @property
    def ovstage_stage(self) -> Any:
        """The ``ovstage.Stage`` attached to the instance (0.5+), for control writes; None on 0.2-0.4.

        It belongs to the scene: ``unload()`` detaches and destroys it, and from then on this is None.
        """
        return self._native.stage if self._native.loaded else None

    def take_ovstage_stage(self) -> Any:
        """Hand the attached ovstage stage to the caller, who then detaches and destroys it (0.5+).

        For a manager that keeps its own teardown: the scene counts as unloaded from here on,
        and the shim never touches the stage again.
        """
        stage = self._native.stage
        if stage is None or not self._native.loaded:
            raise ValueError("this scene holds no attached ovstage stage (unloaded, or an add_usd release)")
        self._native.loaded = False
        return stage

    def unload(self) -> None:
        """Remove the scene from its instance (``remove_usd``, or detach and destroy the stage). Idempotent."""
        self._native.unload()

    def __enter__(self) -> LoadedScene:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.unload()

    def __repr__(self) -> str:
        state = "loaded" if self.loaded else "unloaded"
        size = f"{self.nbytes} bytes" if self.nbytes is not None else "in place"
        how = f"{self.strategy}/{self.format}" if self.strategy else self.format
        return f"<LoadedScene {how} {size} {state} in {self.timings.get('total_s', 0):.3f}s>"
