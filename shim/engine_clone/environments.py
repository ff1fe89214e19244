"""Whether a stage's environments are copies of env_0 that differ only in where they stand.

Decided from the stage's own layers, without composing the copies again:

- a prim (at most three levels down) whose children are all named ``<name>_0 ... <name>_N``;
- each copy is authored in one layer of the root layer stack, in one of Isaac Lab's layouts:
  an internal reference to env_0, the same external reference as env_0, or a spec-for-spec
  copy of env_0; with no opinion of its own but its ``xformOp`` attributes;
- each copy's world transform is env_0's moved, not turned or scaled;
- nothing outside the environments targets a prim inside one, and env_0's physics targets
  nothing outside it;
- no two environments' bounds overlap: the engine keeps clones apart on the GPU, where the
  whole stage would let them touch;
- the release's ``clone`` takes a pose for each copy.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import lazy
from shim.prim_specs import prim_specs, targets
from shim.source.geometry import world_range

__all__ = ["Plan", "plan"]

_NUMBERED = re.compile(r"^(?P<base>.+)_(?P<index>\d+)$")
_XFORM_FIELDS = frozenset({"default", "typeName", "variability", "custom"})
_SEARCH_DEPTH = 3


class _Refused(Exception):
    """The stage does not qualify; the message says why."""


@dataclass(frozen=True)
class Plan:
    """Hand over ``source`` (and everything outside ``parent``), then clone it to ``targets``."""

    parent: str
    source: str
    targets: list[str]
    transforms: list[tuple[float, float, float, float, float, float, float]]  # world pose: position, quaternion xyzw


def plan(stage: Any, clone_transforms: str | None) -> Plan | str:
    """The clone plan for ``stage``, or the reason it is handed over whole."""
    if clone_transforms is None:
        return "this release's clone takes no pose for the copies, so it cannot place them"
    try:
        parent, environments = _environments(stage)
        _copies_only(stage, parent, environments)
        _nothing_reaches_in(stage, parent, environments[0])
        transforms = _placements(stage, environments)
        _apart(stage, environments, transforms)
    except _Refused as refused:
        return str(refused)
    except Exception as error:  # a stage pxr cannot answer for: it is handed over whole, as any other
        return f"its environments could not be examined ({type(error).__name__}: {error})"
    source, *targets = (str(path) for path in environments)
    return Plan(str(parent), source, targets, transforms[1:])


def _environments(stage: Any) -> tuple[Any, list[Any]]:
    """The first prim, breadth first, whose children are ``<name>_0 ... <name>_N`` (N >= 1), and those children."""
    level = [stage.GetPseudoRoot()]
    for _ in range(_SEARCH_DEPTH):
        following = []
        for prim in level:
            children = prim.GetAllChildren()
            numbered = _numbered(children)
            if numbered is not None:
                return prim.GetPath(), numbered
            following.extend(children)
        level = following
    raise _Refused("no prim has children named <name>_0 ... <name>_N, the layout of cloned environments")


def _numbered(children: list[Any]) -> list[Any] | None:
    if len(children) < 2:
        return None
    found: dict[int, Any] = {}
    bases = set()
    for child in children:
        match = _NUMBERED.match(child.GetName())
        if match is None:
            return None
        bases.add(match["base"])
        found[int(match["index"])] = child.GetPath()
    if len(bases) != 1 or sorted(found) != list(range(len(children))):
        return None
    return [found[index] for index in range(len(children))]


def _copies_only(stage: Any, parent: Any, environments: list[Any]) -> None:
    """Each copy is env_0 again in one of Isaac Lab's layouts, with only its own xformOp values."""
    source, *copies = environments
    stack = stage.GetLayerStack(includeSessionLayers=True)
    source_layers = [layer for layer in stack if layer.GetPrimAtPath(source)]
    authored: list[Any] = []
    for copy in copies:
        layers = [layer for layer in stack if layer.GetPrimAtPath(copy)]
        if len(layers) != 1:
            raise _Refused(f"{copy} has opinions in {len(layers)} layers; a copy is authored in one")
        spec = layers[0].GetPrimAtPath(copy)
        references = spec.referenceList.GetAddedOrExplicitItems()
        if references:
            _same_reference(spec, references, source, source_layers)
        elif source_layers != layers:
            raise _Refused(f"{source} has opinions in other layers than its copy {copy}")
        else:
            authored.append(copy)
    if authored:
        _same_text(source_layers[0], parent, source, authored)


def _own_fields_are_placement(spec: Any, allowed: frozenset[str]) -> None:
    fields = set(spec.ListInfoKeys()) - allowed
    if fields:
        raise _Refused(f"{spec.path} authors {', '.join(sorted(fields))}: it differs from the first environment")
    for prop in spec.properties:
        name = prop.name
        if not (name.startswith("xformOp:") or name == "xformOpOrder") or set(prop.ListInfoKeys()) - _XFORM_FIELDS:
            raise _Refused(f"{spec.path} authors {name!r}: it differs from the first environment")


def _same_reference(spec: Any, references: list[Any], source: Any, source_layers: list[Any]) -> None:
    """A copy that references env_0, or the asset env_0 references, with nothing of its own inside."""
    if spec.nameChildren or spec.variantSets or len(references) != 1:
        raise _Refused(f"{spec.path} has prims, variants or references of its own inside it")
    _own_fields_are_placement(spec, frozenset({"specifier", "typeName", "references"}))
    (reference,) = references
    if reference.layerOffset != lazy.pxr.Sdf.LayerOffset() or reference.customData:
        raise _Refused(f"{spec.path}'s reference has a layer offset or custom data")
    if not reference.assetPath and reference.primPath == source:
        return  # Isaac Lab's internal reference to env_0
    if len(source_layers) != 1:
        raise _Refused(f"{source} has opinions in {len(source_layers)} layers; the copies reference one asset")
    mine = source_layers[0].GetPrimAtPath(source)
    theirs = mine.referenceList.GetAddedOrExplicitItems()
    same = (
        len(theirs) == 1
        and reference.assetPath
        and theirs[0].assetPath == reference.assetPath
        and theirs[0].primPath == reference.primPath
        and spec.layer == mine.layer
    )
    if not same:
        raise _Refused(f"{spec.path} references another asset than {source}")
    if mine.nameChildren or mine.variantSets:
        raise _Refused(f"{source} has prims of its own over the asset, which the copies lack")
    _own_fields_are_placement(mine, frozenset({"specifier", "typeName", "references"}))


def _same_text(layer: Any, parent: Any, source: Any, copies: list[Any]) -> None:
    """Spec-for-spec copies (Isaac Lab's ``Sdf.CopySpec``): each one's USDA is env_0's, but for its placement.

    The layer is written as text once; each environment's block has its own name and paths
    replaced by a placeholder and its root's xformOp lines removed, then the blocks must match.
    """
    blocks = _environment_blocks(str(layer.ExportToString()), len(parent.GetPrefixes()))
    if not {path.name for path in copies} | {source.name} <= blocks.keys():
        raise _Refused(f"the environments under {parent} could not be told apart in their layer's text")
    depth = len(parent.GetPrefixes()) + 1
    first = _placed_alike(blocks[source.name], str(parent), source.name, depth)
    for copy in copies:
        if _placed_alike(blocks[copy.name], str(parent), copy.name, depth) != first:
            raise _Refused(f"{copy} is not a copy of {source}: their prims or values differ")


def _environment_blocks(text: str, depth: int) -> dict[str, str]:
    """The text of each prim block at ``depth`` (the environments' level) in USDA, by prim name."""
    indent = " " * 4 * depth
    headers = list(re.finditer(rf'^{indent}(?:def|over|class)(?: [\w:]+)? "([^"]+)"', text, re.MULTILINE))
    blocks = {}
    for number, header in enumerate(headers):
        end = headers[number + 1].start() if number + 1 < len(headers) else len(text)
        closing = text.find("\n" + " " * 4 * (depth - 1) + "}", header.start(), end)  # the parent's block closes
        blocks[header[1]] = text[header.start() : end if closing < 0 else closing].rstrip()
    return blocks


def _placed_alike(block: str, parent: str, name: str, depth: int) -> str:
    """An environment's block with its name and root placement taken out; refuses paths into other environments."""
    own = f"{parent}/{name}"
    placed = re.sub(
        rf"^ {{{4 * depth}}}(?:uniform )?\S+ xformOp(?:Order|:[\w:]+) = [^\n]*\n", "", block, flags=re.MULTILINE
    )
    placed = placed.replace(f'"{name}"', '"\0"', 1).replace(own + "/", "\0/").replace(own + ">", "\0>")
    if parent + "/" in placed:
        raise _Refused(f"{own} names a prim of another environment")
    return placed


def _nothing_reaches_in(stage: Any, parent: Any, source: Any) -> None:
    """No relationship outside the environments points into one; env_0's physics points nowhere outside it."""
    for layer in stage.GetLayerStack(includeSessionLayers=True):
        for spec in prim_specs(layer, skipping=parent):
            for target in targets(spec):
                if target.HasPrefix(parent) and target != parent:
                    raise _Refused(f"{spec.path} targets {target}, inside an environment the engine would clone")
    Usd = lazy.pxr.Usd
    for prim in Usd.PrimRange(stage.GetPrimAtPath(source), Usd.TraverseInstanceProxies()):
        for relationship in prim.GetRelationships():
            name = relationship.GetName()
            if name.startswith("material:binding") and not name.endswith(":physics"):
                continue  # an appearance binding: physics does not read it
            for target in relationship.GetForwardedTargets():
                if not target.HasPrefix(source):
                    raise _Refused(f"{prim.GetPath()} targets {target}, outside its environment")


def _placements(stage: Any, environments: list[Any]) -> list[tuple[float, float, float, float, float, float, float]]:
    """Each environment's world pose; every one must be the first's, moved."""
    cache = lazy.pxr.UsdGeom.XformCache()
    matrices = [cache.GetLocalToWorldTransform(stage.GetPrimAtPath(path)) for path in environments]
    first = matrices[0]
    turn = [[first[row][column] for column in range(3)] for row in range(3)]
    if any(
        abs(sum(turn[row][k] * turn[column][k] for k in range(3)) - (row == column)) > 1e-9
        for row in range(3)
        for column in range(3)
    ):
        raise _Refused(f"{environments[0]} is scaled or sheared; a clone's pose is a position and a rotation")
    placements = []
    for path, matrix in zip(environments, matrices, strict=True):
        if any(matrix[row][column] != turn[row][column] for row in range(3) for column in range(3)):
            raise _Refused(f"{path} is turned or scaled against {environments[0]}; only moved copies are cloned")
        position = matrix.ExtractTranslation()
        rotation = matrix.ExtractRotationQuat()
        axis = rotation.GetImaginary()
        placements.append((position[0], position[1], position[2], axis[0], axis[1], axis[2], rotation.GetReal()))
    return placements


def _apart(stage: Any, environments: list[Any], placements: Sequence[tuple[float, ...]]) -> None:
    """No two environments' bounding spheres meet (a grid of the spheres' size: linear in their number)."""
    extent = world_range(stage.GetPrimAtPath(environments[0]))
    if extent.IsEmpty():
        return  # nothing with a size: nothing to touch
    low, high = extent.GetMin(), extent.GetMax()
    centre = [(low[axis] + high[axis]) / 2 - placements[0][axis] for axis in range(3)]
    radius = math.dist(low, high) / 2
    cell = 2 * radius
    grid: dict[tuple[int, ...], list[tuple[Any, tuple[float, ...]]]] = {}
    for path, placement in zip(environments, placements, strict=True):
        point = tuple(placement[axis] + centre[axis] for axis in range(3))
        key = tuple(math.floor(coordinate / cell) for coordinate in point)
        for near in _neighbours(key):
            for other, where in grid.get(near, ()):
                if math.dist(point, where) < cell:
                    raise _Refused(f"{path} and {other} overlap: clones on the GPU would not touch, as they could")
        grid.setdefault(key, []).append((path, point))


def _neighbours(key: tuple[int, ...]) -> Iterator[tuple[int, ...]]:
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            for dz in (-1, 0, 1):
                yield (key[0] + dx, key[1] + dy, key[2] + dz)
