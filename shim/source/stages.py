"""A pxr stage as the shim hands it over: its root layer when that is the whole scene, else flattened."""

from __future__ import annotations

from typing import Any

import lazy
from shim.diagnostics import coalesced
from shim.errors import InvalidSource

__all__ = ["describe", "flattened", "is_stage", "self_contained_root"]


def is_stage(value: object) -> bool:
    """Whether ``value`` is a ``pxr.Usd.Stage`` (without importing pxr)."""
    return (type(value).__module__ or "").startswith("pxr.") and type(value).__name__ == "Stage"


def describe(value: object) -> str:
    """``value`` as an error message names it: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:60]}... ({type(value).__name__} of {len(text)} chars)"


def flattened(stage: object) -> object:
    """The composed scene as one layer."""
    try:
        with coalesced("flattening the stage"):
            layer = stage.Flatten()  # type: ignore[attr-defined]
    except Exception as error:  # pxr raises Tf.ErrorException, a RuntimeError
        raise InvalidSource(
            describe(stage), f"flattening the stage failed ({type(error).__name__}: {error})"
        ) from error
    if layer is None:
        raise InvalidSource(describe(stage), "flattening the stage failed (pxr returned no layer)")
    return layer


def self_contained_root(stage: object) -> object | None:
    """The stage's root layer, when it alone is the whole scene; None when the stage must be flattened.

    ``Stage.Flatten`` copies every prim through composition: 1.8 s for 20,000 cubes, more
    than ovphysx 0.4 takes to load them. An in-memory root layer with no sublayers, no
    other layer used (no external reference or payload), an empty session layer, and every
    prim and payload populated composes to itself, so it is handed over as it is. Internal
    arcs in it stay as authored, and the release's USD composes them the same way.
    """
    try:
        return _whole_root(stage, lazy.pxr.Usd)
    except Exception:  # anything unexpected about the stage: flattening is always right
        return None


def _whole_root(stage: object, Usd: Any) -> object | None:
    root = stage.GetRootLayer()  # type: ignore[attr-defined]
    session = stage.GetSessionLayer()  # type: ignore[attr-defined]
    if not root.anonymous or root.subLayerPaths or (session is not None and not session.empty):
        return None
    if stage.GetPopulationMask() != Usd.StagePopulationMask.All():  # type: ignore[attr-defined]
        return None
    if stage.GetLoadRules() != Usd.StageLoadRules.LoadAll():  # type: ignore[attr-defined]
        return None
    if any(layer not in (root, session) for layer in stage.GetUsedLayers()):  # type: ignore[attr-defined]
        return None
    whole: object = root
    return whole
