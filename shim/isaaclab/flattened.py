"""Isaac Lab's serialised stage kept as its flattened layer; the USDA text is written only if something reads it.

Isaac Lab's ``_serialize_stage`` flattens the stage, edits the clone targets into the layer, and
returns ``layer.ExportToString()``. The manager hands that text to ovstage and keeps it as
``OvPhysxManager._stage_usda``, which only its tendon discovery reads again. Here the same
function runs unchanged on the same inputs, except that its last line hands back the edited
layer, so ``shim.load`` can pass it on as a crate.
"""

from __future__ import annotations

import functools
import threading
import types
from collections.abc import Callable
from typing import Any

__all__ = ["FlattenedStage", "keeping_layer"]


class FlattenedStage:
    """The flattened, clone-edited layer that Isaac Lab would have written as text.

    Stored as ``OvPhysxManager._stage_usda``, it reads as that text: on a class attribute, Python
    calls ``__get__``, which writes the text once, on the first read.
    """

    def __init__(self, layer: Any) -> None:
        self.layer = layer
        self._text: str | None = None
        self._lock = threading.Lock()

    @property
    def text(self) -> str:
        """The USDA text Isaac Lab's own serialisation returns, written on first use and kept."""
        with self._lock:
            if self._text is None:
                self._text = str(self.layer.ExportToString())
            return self._text

    @property
    def written(self) -> bool:
        """Whether the text has been written (something read ``_stage_usda``)."""
        return self._text is not None

    def __get__(self, instance: object, owner: type | None = None) -> str:
        return self.text

    def __repr__(self) -> str:
        state = "written" if self.written else "not written"
        return f"<FlattenedStage {self.layer.identifier} ({state})>"


def keeping_layer(serialize: Callable[..., tuple[str, list[Any]]]) -> Callable[..., tuple[Any, list[Any]]]:
    """Isaac Lab's ``_serialize_stage`` as shipped, returning a ``FlattenedStage`` in place of the text.

    Its code runs as it is, on a copy of its module's names where ``Usd`` opens a kept layer; its
    ``stage.Flatten()`` returns a kept layer whose ``ExportToString()`` hands back the layer itself.
    """
    names = dict(serialize.__globals__)
    names["Usd"] = _OpeningKeptLayers(names["Usd"])
    shipped_code = types.FunctionType(
        serialize.__code__, names, serialize.__name__, serialize.__defaults__, serialize.__closure__
    )

    @functools.wraps(serialize)
    def serialize_keeping_layer(stage: Any, *arguments: Any, **options: Any) -> tuple[Any, list[Any]]:
        return shipped_code(_FlattensToKeptLayer(stage), *arguments, **options)  # type: ignore[no-any-return]

    return serialize_keeping_layer


class _KeptLayer:
    """A flattened layer, as Isaac Lab's serialisation sees it; ``ExportToString`` keeps it instead."""

    def __init__(self, layer: Any) -> None:
        self._layer = layer

    def __getattr__(self, name: str) -> Any:
        return getattr(self._layer, name)

    def ExportToString(self) -> FlattenedStage:  # the pxr name it stands in for
        return FlattenedStage(self._layer)


class _FlattensToKeptLayer:
    """Isaac Lab's stage, whose ``Flatten()`` result is kept rather than written."""

    def __init__(self, stage: Any) -> None:
        self._stage = stage

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stage, name)

    def Flatten(self) -> _KeptLayer:  # the pxr name it stands in for
        return _KeptLayer(self._stage.Flatten())


class _OpeningKeptLayers:
    """``pxr.Usd`` as the serialisation's code sees it: ``Usd.Stage.Open`` takes a kept layer too."""

    def __init__(self, usd: Any) -> None:
        self._usd = usd
        self.Stage = _StageOpeningKeptLayers(usd.Stage)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._usd, name)


class _StageOpeningKeptLayers:
    def __init__(self, stage_class: Any) -> None:
        self._stage_class = stage_class

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stage_class, name)

    def Open(self, layer: Any, *arguments: Any) -> Any:  # the pxr name it stands in for
        if isinstance(layer, _KeptLayer):
            layer = layer._layer
        return self._stage_class.Open(layer, *arguments)
