"""``content="physics"`` for a scene of cloned references: each referenced asset is reduced once.

Isaac Lab's cloner writes ``env_0 ... env_N``, each a prim that references the same robot
asset. Reducing the composed stage flattens every clone again: 2.4 s of the 4.7 s that
256 Isaac-layout robots take to load. Here the asset is reduced once, on a stage of its
own, and written once into the handed-over layer as a root ``class`` prim
(``ShimAsset_N``); every clone keeps its reference, retargeted to that prim. The engine
composes each clone as the user's stage did (the clone's own values over the asset's),
only from the reduced asset, and skips the abstract prim as it skips the prototypes that
Flatten writes for instances. The layer holds the asset once, not once per clone: for
256 Isaac-layout robots 16 KB instead of 134 KB, and 0.6 s less to select, write and
load on 0.7.0. The rest of the root layer (the ground, the physics scene, lights) is
reduced as a stage with the clone references removed by an explicit empty list in a
session layer of our own.

This is only done where composing that layer gives what flattening the whole stage gives; anywhere
else ``select_by_asset`` returns None and the caller reduces the whole stage:

- the stage is its root layer: no sublayers, an empty session layer, no population mask;
- no prim in the root layer has payloads, inherits, specializes, variants or relocates,
  and each prim with references is a clone: ``def``, one external reference with no layer
  offset, no children, and no opinions of its own but plain attribute values;
- nothing in the root layer targets a prim inside a clone, and the root layer has no
  opinions at a class that an asset inherits or specializes (they would reach the clones);
- the reduced asset has no flattened prototype, and no relationship or connection that
  leaves the referenced prim.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import lazy
from shim.physics_only.prune import Selection, select
from shim.physics_only.rule import FLATTENED_PROTOTYPE
from shim.prim_specs import prim_specs, subtree, targets

__all__ = ["select_by_asset"]

_ARCS = frozenset(
    {"references", "payload", "inheritPaths", "specializes", "variantSelection", "variantSetNames", "relocates"}
)
_CLONE_FIELDS = frozenset({"specifier", "typeName", "references"})
_ATTRIBUTE_FIELDS = frozenset({"default", "typeName", "variability", "custom"})
_PROTOTYPE = "ShimAsset_"


class _NotClones(Exception):
    """The fast path does not apply; the caller reduces the whole stage."""


@dataclass
class _Asset:
    root: Any  # the referenced prim's path in the asset's own namespace
    selection: Selection
    prototype: Any = None  # the class prim it is written to in the handed-over layer, once written


def select_by_asset(stage: Any) -> Selection | None:
    """The stage reduced to what physics reads, one asset at a time; None where that is not exact."""
    try:
        return _select_by_asset(stage)
    except _NotClones:
        return None


def _select_by_asset(stage: Any) -> Selection | None:
    Sdf, Usd = lazy.pxr.Sdf, lazy.pxr.Usd
    root = stage.GetRootLayer()
    session = stage.GetSessionLayer()
    if root.subLayerPaths or (session is not None and not session.empty):
        return None
    if stage.GetPopulationMask() != Usd.StagePopulationMask.All():
        return None
    clones = _clones(root)
    if not clones:
        return None
    assets: dict[Any, _Asset] = {}  # clone path -> its asset, reduced
    reduced: dict[tuple[str, str], _Asset] = {}  # one reduction per distinct asset and prim
    for path, reference in clones.items():
        layer, asset_root = _referenced(root, reference)
        key = (layer.identifier, str(asset_root))
        if key not in reduced:
            reduced[key] = _reduce_asset(root, layer, asset_root)
        assets[path] = reduced[key]

    without_references = Sdf.Layer.CreateAnonymous("shim-without-clone-references")
    for path in clones:
        Sdf.CreatePrimInLayer(without_references, path).referenceList.ClearEditsAndMakeExplicit()
    rest = select(
        Usd.Stage.Open(root, without_references, Usd.Stage.LoadNone),
        keep=[path for path in clones if assets[path].selection.kept],
    )
    layer = rest.layer
    with Sdf.ChangeBlock():
        for path in clones:
            asset = assets[path]
            if not asset.selection.kept:
                if layer.GetPrimAtPath(path):  # kept for physics of its own: the whole merge would be needed
                    raise _NotClones
                continue
            if asset.prototype is None:
                asset.prototype = _write_prototype(layer, asset)
            layer.GetPrimAtPath(path).referenceList.Prepend(Sdf.Reference("", asset.prototype))
    unloaded = {each.identifier: each for each in rest.unloaded}
    unloaded.update((each.identifier, each) for asset in reduced.values() for each in asset.selection.unloaded)
    return Selection(
        layer,
        rest.kept + sum(assets[path].selection.kept for path in clones),
        rest.composed + sum(assets[path].selection.composed for path in clones),
        list(unloaded.values()),
    )


def _clones(root: Any) -> dict[Any, Any]:
    """Clone prim path -> its reference, for every prim of the root layer with references."""
    clones: dict[Any, Any] = {}
    pointed_at: list[Any] = []
    for spec in prim_specs(root):
        fields = set(spec.ListInfoKeys())
        if "references" in fields:
            clones[spec.path] = _clone_reference(spec, fields)
        elif fields & _ARCS or spec.variantSets:
            raise _NotClones
        pointed_at.extend(targets(spec))
    if any(ancestor in clones for target in pointed_at for ancestor in target.GetPrimPath().GetAncestorsRange()):
        raise _NotClones
    return clones


def _clone_reference(spec: Any, fields: set[str]) -> Any:
    Sdf = lazy.pxr.Sdf
    references = spec.referenceList
    items = references.GetAddedOrExplicitItems()
    if not (
        fields <= _CLONE_FIELDS
        and spec.specifier == Sdf.SpecifierDef
        and not spec.nameChildren
        and not spec.variantSets
        and len(items) == 1
        and not references.deletedItems
        and not references.orderedItems
        and items[0].assetPath
        and items[0].layerOffset == Sdf.LayerOffset()
        and not items[0].customData
        and all(_plain_attribute(prop) for prop in spec.properties)
    ):
        raise _NotClones
    return items[0]


def _plain_attribute(prop: Any) -> bool:
    Sdf = lazy.pxr.Sdf
    return (
        isinstance(prop, Sdf.AttributeSpec)
        and set(prop.ListInfoKeys()) <= _ATTRIBUTE_FIELDS
        and str(prop.typeName) not in ("asset", "asset[]")  # an asset path would resolve against another layer
    )


def _referenced(root: Any, reference: Any) -> tuple[Any, Any]:
    """The layer a clone's reference opens (anchored to the root layer, as composition does) and its prim."""
    Sdf = lazy.pxr.Sdf
    layer = Sdf.Layer.FindOrOpenRelativeToLayer(root, reference.assetPath)
    if layer is None:
        raise _NotClones
    if not reference.primPath.isEmpty:
        return layer, reference.primPath
    if not layer.defaultPrim:
        raise _NotClones
    return layer, Sdf.Path.absoluteRootPath.AppendChild(layer.defaultPrim)


def _reduce_asset(root: Any, layer: Any, asset_root: Any) -> _Asset:
    """The asset reduced on a stage of its own, checked to copy under a clone as composition would."""
    Sdf, Usd = lazy.pxr.Sdf, lazy.pxr.Usd
    stage = Usd.Stage.Open(layer, Sdf.Layer.CreateAnonymous("shim-asset-session"), Usd.Stage.LoadNone)
    if not stage.GetPrimAtPath(asset_root):
        raise _NotClones
    selection = select(stage, within=asset_root)
    flat = selection.layer
    if any(spec.name.startswith(FLATTENED_PROTOTYPE) for spec in flat.rootPrims):
        raise _NotClones  # a kept instance: its prototype would need a name of its own per asset
    top = flat.GetPrimAtPath(asset_root)
    if top is not None and any(not target.HasPrefix(asset_root) for spec in subtree(top) for target in targets(spec)):
        raise _NotClones  # a reference maps no path outside its prim; a copy would keep it
    for used in stage.GetUsedLayers():
        for spec in prim_specs(used):
            classes = [*spec.inheritPathList.GetAddedOrExplicitItems(), *spec.specializesList.GetAddedOrExplicitItems()]
            if any(root.GetPrimAtPath(path) for path in classes):
                raise _NotClones  # the root layer's opinions at a class reach every clone
    return _Asset(asset_root, selection)


def _write_prototype(layer: Any, asset: _Asset) -> Any:
    """Copy the reduced asset into ``layer`` as a root ``class`` prim of a fresh name, and return its path."""
    Sdf = lazy.pxr.Sdf
    number = 0
    while layer.GetPrimAtPath(f"/{_PROTOTYPE}{number}"):
        number += 1
    path = Sdf.Path(f"/{_PROTOTYPE}{number}")
    # CopySpec remaps the asset's internal targets to the copy, and the reference maps them on to each clone.
    Sdf.CopySpec(asset.selection.layer, asset.root, layer, path)
    layer.GetPrimAtPath(path).specifier = Sdf.SpecifierClass  # abstract: the engine does not simulate it
    return path
