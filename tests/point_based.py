"""Small stages with and without point-based geometry, by kind, for the format rule's tests.

``test_auto_choice.py`` asks what ``format="auto"`` picks for them; ``test_geometry.py``
asks ``shim._geometry`` whether they hold point data.
"""

from __future__ import annotations

from typing import Any

#: Each kind, and whether it holds point-based geometry.
KINDS = {"cubes": False, "robots": False, "mesh": True, "curves": True, "instancer": True, "prototype": True}

_KEEP: list[Any] = []  # asset stages that instance prototypes reference: they must outlive the tests' stages


def stage(kind: str) -> Any:
    """A fresh in-memory stage of ``kind`` (a key of ``KINDS``)."""
    from pxr import Sdf, Usd, UsdGeom

    from shim import scenes

    if kind == "cubes":
        return scenes.falling_cubes(3)
    if kind == "robots":
        return scenes.robots(2)
    if kind == "mesh":
        return scenes.mesh_bodies(2, points=100)
    if kind == "curves":
        built = scenes.falling_cubes(1)
        UsdGeom.BasisCurves.Define(built, "/World/Cable")  # a subclass of PointBased
        return built
    if kind == "instancer":
        built = scenes.falling_cubes(1)  # a point instancer: arrays of positions, no mesh
        instancer = UsdGeom.PointInstancer.Define(built, "/World/Instancer")
        instancer.CreatePositionsAttr().Set([(0.0, 0.0, 1.0)] * 3)
        assert Sdf.Path("/World/Instancer") in [prim.GetPath() for prim in built.Traverse()]
        return built
    assert kind == "prototype", kind
    # A mesh that only instance prototypes hold: a walk must visit prototypes too.
    asset = Usd.Stage.CreateInMemory()
    UsdGeom.Mesh.Define(asset, "/Asset/Hull")
    _KEEP.append(asset)  # the references name its layer
    built = Usd.Stage.CreateInMemory()
    for index in range(2):
        instance = built.DefinePrim(f"/World/Env_{index}")
        instance.GetReferences().AddReference(asset.GetRootLayer().identifier, "/Asset")
        instance.SetInstanceable(True)
    assert len(built.GetPrototypes()) == 1
    assert all(prim.GetTypeName() != "Mesh" for prim in built.Traverse())
    return built
