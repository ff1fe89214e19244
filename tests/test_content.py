"""``content="physics"``: what is left out, what is kept, and that the physics does not change.

The oracle: poses after 120 steps with ``content="physics"`` are bitwise identical to
``content="all"``, on an Isaac-layout asset built here (payloads, a binary geometry
crate, materials with textures, physics and PhysX layers) and on the NVIDIA sample
scenes shipped inside the installed ovphysx wheel.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require

pytestmark = pytest.mark.usefixtures("temp_root_is_clean")

STEPS = 120
#: Every wheel sample is checked in the envs the issue names; one in every other env.
ALL_SAMPLES_IN = {"ov0413", "ov070", "local"}


@pytest.fixture(scope="module")
def robot_scene(tmp_path_factory: pytest.TempPathFactory) -> Any:
    require("pxr")
    from tests.fixtures import assets

    return assets.appearance_heavy(str(tmp_path_factory.mktemp("asset")), 4)


def _flat_physics(stage: Any) -> tuple[Any, Any]:
    """What the engine composes from the handed-over layer, flat, and what was left out."""
    from shim.physics_only import physics_only

    layer, left_out = physics_only(stage)
    return _composed(layer), left_out


def _composed(layer: Any) -> Any:
    """``layer`` composed and flattened as the engine sees it: the abstract asset prims it skips removed."""
    from pxr import Sdf, Usd

    flat = Usd.Stage.Open(layer).Flatten()
    edit = Sdf.BatchNamespaceEdit()
    for root in flat.rootPrims:
        if root.specifier == Sdf.SpecifierClass and root.name.startswith("ShimAsset_"):
            edit.Add(Sdf.NamespaceEdit.Remove(root.path))
    assert flat.Apply(edit)
    flat.pseudoRoot.ClearInfo("documentation")  # names the layer it was flattened from
    return flat


def _prims(layer: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}

    def visit(spec: Any) -> None:
        found[str(spec.path)] = spec
        for child in spec.nameChildren:
            visit(child)

    for root in layer.rootPrims:
        visit(root)
    return found


def test_appearance_is_left_out(robot_scene: Any) -> None:
    layer, left_out = _flat_physics(robot_scene)
    types = {spec.typeName for spec in _prims(layer).values()}
    assert types.isdisjoint({"Shader", "Camera", "DomeLight", "DistantLight", "RenderSettings"})
    assert not any("/visuals" in path or "/Looks" in path for path in _prims(layer))
    assert sorted(os.path.basename(path) for path in left_out.payloads) == ["instances.usda", "materials.usda"]
    assert left_out.payload_bytes > 0
    assert left_out.prims > 0
    assert "left out" in left_out.summary()


def test_physics_is_kept(robot_scene: Any) -> None:
    layer, _ = _flat_physics(robot_scene)
    prims = _prims(layer)
    env = "/World/envs/env_3"
    assert prims["/World/PhysicsScene"].typeName == "PhysicsScene"
    assert prims["/World/Ground"].typeName == "Cube"
    assert "PhysicsArticulationRootAPI" in prims[env].GetInfo("apiSchemas").GetAddedOrExplicitItems()
    assert prims[f"{env}/joints/joint2_1"].typeName == "PhysicsRevoluteJoint"
    assert [
        str(t)
        for t in prims[f"{env}/joints/joint2_1"].relationships["physics:body0"].targetPathList.GetAddedOrExplicitItems()
    ] == [f"{env}/leg2_0"]
    hull = prims[f"{env}/base/collisions/hull"]
    composed = robot_scene.GetPrimAtPath(f"{env}/base/collisions/hull").GetAttribute("points").Get()
    assert len(composed) > 100
    assert hull.attributes["points"].default == composed  # the mesh collider keeps its mesh data
    assert prims[f"{env}/PhysicsMaterials/rubber"].typeName == "Material"
    assert f"{env}/PhysicsMaterials/rubber" in [
        str(t) for t in hull.relationships["material:binding:physics"].targetPathList.GetAddedOrExplicitItems()
    ]
    assert prims[f"{env}/base"].attributes["xformOp:translate"].default[2] == pytest.approx(0.8)
    assert prims[env].attributes["xformOp:translate"].default[0] == pytest.approx(2.5)  # the hierarchy above
    assert layer.pseudoRoot.GetInfo("upAxis") == "Z"
    assert layer.pseudoRoot.GetInfo("metersPerUnit") == 1.0


def test_a_stage_without_appearance_loses_nothing() -> None:
    require("pxr")
    from tests.fixtures.scenes import robots

    stage = robots(2)
    layer, left_out = _flat_physics(stage)
    assert set(_prims(layer)) == set(_prims(stage.Flatten()))
    assert left_out.prims == 0
    assert left_out.payloads == []


def test_physics_inside_a_variant_keeps_its_payload(tmp_path: Path) -> None:
    """A payload whose only physics is authored inside a variant is loaded and its physics handed over."""
    require("pxr")
    from pxr import Sdf, Usd

    prop = tmp_path / "prop.usda"
    prop.write_text(
        '#usda 1.0\n(\n    defaultPrim = "Prop"\n)\n\n'
        'def Xform "Prop" (\n    variants = {\n        string weight = "heavy"\n    }\n'
        '    prepend variantSets = "weight"\n)\n{\n    variantSet "weight" = {\n'
        '        "heavy" {\n            float physics:mass = 3\n        }\n    }\n}\n'
    )
    stage = Usd.Stage.CreateInMemory()
    Sdf.CreatePrimInLayer(stage.GetRootLayer(), "/World/prop").payloadList.Prepend(Sdf.Payload(str(prop)))
    layer, left_out = _flat_physics(stage)
    assert left_out.payloads == []
    assert layer.GetAttributeAtPath("/World/prop.physics:mass").default == 3


def test_an_instanced_collider_is_kept_whole() -> None:
    require("pxr")
    from tests.fixtures.scenes import ground_world

    stage = ground_world()
    stage.GetRootLayer().ImportFromString(
        stage.GetRootLayer()
        .ExportToString()
        .replace(
            'def Xform "World"\n{',
            'def Xform "World"\n{\n    def Xform "Box" (\n        instanceable = true\n        prepend references = </Prototypes/Box>\n    )\n    {\n    }\n',
        )
        + '\nclass "Prototypes"\n{\n    def Cube "Box" (prepend apiSchemas = ["PhysicsCollisionAPI"])\n    {\n        double size = 1\n    }\n}\n'
    )
    layer, _ = _flat_physics(stage)
    box = _prims(layer)["/World/Box"]
    assert box.GetInfo("instanceable") is True
    prototype = box.referenceList.GetAddedOrExplicitItems()[0].primPath
    assert str(prototype) in _prims(layer)  # the flattened prototype the instance uses stays


def _fields(layer: Any) -> dict[str, dict[str, str]]:
    """Every spec of a layer with its fields, for comparing two reductions field by field."""
    from pxr import Sdf

    found: dict[str, dict[str, str]] = {}

    def visit(path: Any) -> None:
        spec = layer.GetObjectAtPath(path)
        if spec is not None:  # target and connection paths are fields of their property, not specs
            found[str(path)] = {key: str(spec.GetInfo(key)) for key in spec.ListInfoKeys()}

    layer.Traverse(Sdf.Path.absoluteRootPath, visit)
    return found


def _whole_stage(stage: Any) -> Any:
    from pxr import Usd

    from shim.physics_only.prune import select

    return select(Usd.Stage.Open(stage.GetRootLayer(), stage.GetSessionLayer(), Usd.Stage.LoadNone))


def _override_a_clone_child(layer: Any, directory: Path) -> None:
    from pxr import Gf, Sdf

    spec = Sdf.CreatePrimInLayer(layer, "/World/envs/env_1/base")
    Sdf.AttributeSpec(spec, "xformOp:translate", Sdf.ValueTypeNames.Double3).default = Gf.Vec3d(0, 0, 1.5)


def _target_a_clone_from_outside(layer: Any, directory: Path) -> None:
    from pxr import Sdf

    joint = Sdf.PrimSpec(layer.GetPrimAtPath("/World"), "anchor", Sdf.SpecifierDef, "PhysicsFixedJoint")
    Sdf.RelationshipSpec(joint, "physics:body1").targetPathList.Append("/World/envs/env_0/base")


def _apply_a_schema_on_a_clone(layer: Any, directory: Path) -> None:
    from pxr import Sdf

    layer.GetPrimAtPath("/World/envs/env_1").SetInfo("apiSchemas", Sdf.TokenListOp.Create(["PhysxArticulationAPI"]))


def _override_a_clone_value(layer: Any, directory: Path) -> None:
    from pxr import Sdf

    env = layer.GetPrimAtPath("/World/envs/env_1")
    Sdf.AttributeSpec(env, "physxArticulation:solverPositionIterationCount", Sdf.ValueTypeNames.Int).default = 37


def _sample_in_the_asset_a_value_a_clone_sets(layer: Any, directory: Path) -> None:
    from pxr import Sdf

    _override_a_clone_value(layer, directory)
    physx = Sdf.Layer.FindOrOpen(str(directory / "payloads" / "physx.usda"))
    attribute = physx.GetAttributeAtPath("/Robot.physxArticulation:solverPositionIterationCount")
    physx.SetTimeSample(attribute.path, 1.0, 8)
    physx.SetTimeSample(attribute.path, 2.0, 12)


def _reference_a_prop_without_physics(layer: Any, directory: Path) -> None:
    from pxr import Sdf

    prop = Sdf.Layer.CreateNew(str(directory / "lamp.usda"))
    Sdf.PrimSpec(prop, "Lamp", Sdf.SpecifierDef, "Sphere")
    prop.defaultPrim = "Lamp"
    prop.Save()
    backdrop = Sdf.PrimSpec(layer.GetPrimAtPath("/World"), "backdrop", Sdf.SpecifierDef, "Xform")
    backdrop.referenceList.Prepend(Sdf.Reference(prop.identifier))


@pytest.mark.parametrize(
    ("edit", "by_asset"),
    [
        (None, True),
        (_override_a_clone_value, True),
        (_sample_in_the_asset_a_value_a_clone_sets, True),
        (_reference_a_prop_without_physics, True),
        (_override_a_clone_child, False),
        (_target_a_clone_from_outside, False),
        (_apply_a_schema_on_a_clone, False),
    ],
    ids=lambda value: getattr(value, "__name__", str(value)),
)
def test_clones_are_reduced_once_and_exactly(tmp_path: Path, edit: Any, by_asset: bool) -> None:
    """The asset-at-a-time reduction applies where it is exact, and writes what reducing the whole stage writes."""
    require("pxr")
    from shim.physics_only.by_asset import select_by_asset
    from tests.fixtures import assets

    stage = assets.appearance_heavy(str(tmp_path), 3)
    if edit is not None:
        edit(stage.GetRootLayer(), tmp_path)
    fast = select_by_asset(stage)
    assert (fast is not None) == by_asset
    layer, left_out = _flat_physics(stage)
    whole = _whole_stage(stage)
    assert _fields(layer) == _fields(_composed(whole.layer))
    assert (left_out.prims_kept, left_out.prims + left_out.prims_kept) == (whole.kept, whole.composed)
    assert sorted(left_out.payloads) == sorted(each.identifier for each in whole.unloaded)
    if edit in (_override_a_clone_value, _sample_in_the_asset_a_value_a_clone_sets):
        value = layer.GetAttributeAtPath("/World/envs/env_1.physxArticulation:solverPositionIterationCount")
        assert value.default == 37  # the clone's own opinion is stronger than the asset's
    if fast is not None:  # each asset is handed over once, as a class prim every clone references
        from pxr import Sdf

        prototypes = [root for root in fast.layer.rootPrims if root.name.startswith("ShimAsset_")]
        assert [root.specifier for root in prototypes] == [Sdf.SpecifierClass]
        env = fast.layer.GetPrimAtPath("/World/envs/env_2")
        assert list(env.referenceList.prependedItems) == [Sdf.Reference("", prototypes[0].path)]
        assert not env.nameChildren


def test_unknown_content_is_a_clear_error() -> None:
    require("pxr")
    from shim.source import for_content
    from tests.fixtures.scenes import falling_cubes

    with pytest.raises(ValueError, match="unknown content 'visual'; choose 'all' or 'physics'"):
        for_content(falling_cubes(1), "visual")


def test_crate_bytes_cannot_be_pruned(tmp_path: Path) -> None:
    require("pxr")
    import shim
    from shim.source import for_content
    from tests.fixtures.scenes import falling_cubes

    path = tmp_path / "scene.usdc"
    falling_cubes(1).Export(str(path))
    with pytest.raises(shim.InvalidSource, match="content='physics' needs a stage"):
        for_content(path.read_bytes(), "physics")


# -- the oracle, with the real wheel ----------------------------------------------------------


def _poses(physx: Any, source: object, content: str, bodies: list[str]) -> Any:
    import shim

    with shim.load(physx, source, content=content) as scene:
        shim.step(physx, 1 / 60, STEPS)
        poses = shim.read_rigid_body_poses(physx, bodies)
    if content == "physics":
        assert scene.left_out is not None
    return poses


def test_isaac_layout_robots_simulate_bitwise_the_same(physx: Any, robot_scene: Any) -> None:
    import numpy as np

    from tests.fixtures.scenes import rigid_body_paths

    bodies = rigid_body_paths(robot_scene)
    assert len(bodies) == 4 * 9
    everything = _poses(physx, robot_scene, "all", bodies)
    physics = _poses(physx, robot_scene, "physics", bodies)
    assert np.array_equal(everything, physics)
    assert np.abs(everything[:, 2] - 0.8).max() > 0.05  # the robots moved: the comparison means something


def _samples() -> list[Path]:
    spec = importlib.util.find_spec("ovphysx")
    if spec is None or spec.origin is None:
        return []
    folder = Path(spec.origin).parent / "samples" / "data"
    found = sorted(folder.glob("*.usda"))
    if os.environ.get("SHIM_ENV_NAME", "local") not in ALL_SAMPLES_IN:
        found = [path for path in found if path.name == "two_articulations.usda"]
    return found


@pytest.mark.parametrize("sample", _samples(), ids=lambda path: path.name)
def test_wheel_samples_simulate_bitwise_the_same(physx: Any, sample: Path) -> None:
    import numpy as np

    import lazy
    import shim
    from tests.fixtures.scenes import rigid_body_paths

    stage = lazy.pxr.Usd.Stage.Open(str(sample))
    bodies = rigid_body_paths(stage)
    if not bodies:
        pytest.skip(f"{sample.name} has no rigid bodies to compare")
    try:
        everything = _poses(physx, str(sample), "all", bodies)
    except shim.ShimError as error:
        pytest.skip(f"this release does not load {sample.name} on the CPU: {error}")
    physics = _poses(physx, str(sample), "physics", bodies)
    assert np.array_equal(everything, physics, equal_nan=True)


def test_run_reports_what_was_left_out(robot_scene: Any, tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    require("ovphysx")
    interface = Path(
        robot_scene.GetRootLayer()
        .GetPrimAtPath("/World/envs/env_0")
        .referenceList.GetAddedOrExplicitItems()[0]
        .assetPath
    )
    done = subprocess.run(
        [sys.executable, "-m", "shim", "run", str(interface), "--content", "physics", "--steps", "30", "--json"],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        check=True,
    )
    report = json.loads(done.stdout[done.stdout.index("{") :])
    assert report["content"] == "physics"
    assert sorted(os.path.basename(path) for path in report["left_out"]["payloads"]) == [
        "instances.usda",
        "materials.usda",
    ]
    assert report["left_out"]["payload_bytes"] > 0
    assert report["left_out"]["prims"] > 0
    assert len(report["poses"]) == 9


# -- instancing and the other composition shapes the prune must keep -------------------------

_WORLD = """#usda 1.0
(
    metersPerUnit = 1
    upAxis = "Z"
)

def Xform "World"
{
    def PhysicsScene "PhysicsScene"
    {
        vector3f physics:gravityDirection = (0, 0, -1)
        float physics:gravityMagnitude = 9.81
    }

    def Cube "Ground" (prepend apiSchemas = ["PhysicsCollisionAPI"])
    {
        double size = 1
        double3 xformOp:translate = (0, 0, -0.5)
        float3 xformOp:scale = (40, 40, 1)
        uniform token[] xformOpOrder = ["xformOp:translate", "xformOp:scale"]
    }
BODIES}

class "Library"
{
LIBRARY}
"""


def _bodies(count: int, collisions: str) -> str:
    """Rigid bodies whose colliders come only from ``collisions`` (USDA of their child prims), with a visual."""
    return "".join(
        f'    def Xform "Body_{index}" (prepend apiSchemas = ["PhysicsRigidBodyAPI", "PhysicsMassAPI"])\n'
        f"    {{\n        float physics:mass = 1\n        double3 xformOp:translate = ({index * 3}, 0, 2)\n"
        f'        uniform token[] xformOpOrder = ["xformOp:translate"]\n{collisions}'
        f'        def Sphere "visual"\n        {{\n            double radius = 0.5\n        }}\n    }}\n'
        for index in range(count)
    )


def _stage(text: str) -> Any:
    from pxr import Sdf, Usd

    layer = Sdf.Layer.CreateAnonymous(".usda")
    assert layer.ImportFromString(text)
    return Usd.Stage.Open(layer)


_CUBE_COLLIDER = (
    '        def Cube "box" (prepend apiSchemas = ["PhysicsCollisionAPI"{binding}])\n'
    "        {{\n            double size = 1\n{relationship}        }}\n"
)


def _cube(physics_material: str | None = None) -> str:
    if physics_material is None:
        return _CUBE_COLLIDER.format(binding="", relationship="")
    return _CUBE_COLLIDER.format(
        binding=', "MaterialBindingAPI"',
        relationship=f"            rel material:binding:physics = <{physics_material}>\n",
    )


def _instanced(prototype: str) -> str:
    return f'        def Xform "collisions" (\n            instanceable = true\n            prepend references = <{prototype}>\n        )\n        {{\n        }}\n'


def _nested(tmp_path: Path) -> tuple[str, str]:
    """Instances inside instances: each body's collisions are an instance whose prototype holds another."""
    outer = '    def Xform "Outer"\n    {\n' + _instanced("/Library/Inner").replace("collisions", "inner") + "    }\n"
    return _bodies(3, _instanced("/Library/Outer")), outer + '    def Xform "Inner"\n    {\n' + _cube() + "    }\n"


def _material_outside(tmp_path: Path) -> tuple[str, str]:
    """An instanced collider bound to a physics material outside every instance (a bouncy one, so it shows)."""
    material = (
        '    def Material "Bouncy" (prepend apiSchemas = ["PhysicsMaterialAPI"])\n'
        "    {\n        float physics:restitution = 0.9\n        float physics:dynamicFriction = 0.1\n    }\n"
    )
    bodies = _bodies(3, _instanced("/Library/Collider")).replace(
        'def Xform "Body_0"', material + '    def Xform "Body_0"'
    )
    return bodies, '    def Xform "Collider"\n    {\n' + _cube("/World/Bouncy") + "    }\n"


def _payload_in_prototype(tmp_path: Path) -> tuple[str, str]:
    """The prototype's collider comes through a payload, loaded only where physics needs it."""
    (tmp_path / "collider.usda").write_text(
        '#usda 1.0\n(\n    defaultPrim = "C"\n)\n\ndef Xform "C"\n{\n' + _cube() + "}\n"
    )
    prototype = f'    def Xform "Collider"\n    {{\n        def Xform "shape" (prepend payload = @{tmp_path / "collider.usda"}@)\n        {{\n        }}\n    }}\n'
    return _bodies(3, _instanced("/Library/Collider")), prototype


def _reference_outside(tmp_path: Path) -> tuple[str, str]:
    """Colliders that reference their shape from a prim physics does not read (and that is not kept)."""
    collider = '        def Cube "box" (\n            prepend apiSchemas = ["PhysicsCollisionAPI"]\n            prepend references = </Library/Shape>\n        )\n        {\n        }\n'
    return _bodies(3, collider), '    def Cube "Shape"\n    {\n        double size = 1\n    }\n'


@pytest.mark.parametrize("shape", [_nested, _material_outside, _payload_in_prototype, _reference_outside])
def test_instanced_and_referenced_colliders_simulate_the_same(physx: Any, shape: Any, tmp_path: Path) -> None:
    """The bodies have no collider but the one composed into them: lose it and they fall through the ground."""
    import numpy as np

    from shim.physics_only import physics_only
    from tests.fixtures.real_assets import structure

    bodies_text, library = shape(tmp_path)
    stage = _stage(_WORLD.replace("BODIES", bodies_text).replace("LIBRARY", library))
    layer, left_out = physics_only(stage)
    assert structure(_stage(layer.ExportToString())) == structure(stage)
    assert structure(stage)["colliders"] == 3 + 1
    assert left_out.prims > 0  # the visuals stayed behind
    bodies = [f"/World/Body_{index}" for index in range(3)]
    everything = _poses(physx, stage, "all", bodies)
    physics = _poses(physx, stage, "physics", bodies)
    assert np.array_equal(everything, physics)
    assert everything[:, 2].min() > 0.3  # held up by the ground: the composed colliders took part


def test_clones_of_an_asset_with_instanced_colliders(physx: Any, tmp_path: Path) -> None:
    """Cloned references to an asset whose colliders are instanced: reduced as a whole stage, every collider kept."""
    import numpy as np
    from pxr import Sdf

    from shim.physics_only import physics_only
    from shim.physics_only.by_asset import select_by_asset
    from tests.fixtures.real_assets import structure

    (tmp_path / "robot.usda").write_text(
        '#usda 1.0\n(\n    defaultPrim = "Robot"\n    metersPerUnit = 1\n    upAxis = "Z"\n)\n\n'
        'def Xform "Robot"\n{\n' + _bodies(1, _instanced("/Library/Collider")) + "}\n\n"
        'class "Library"\n{\n    def Xform "Collider"\n    {\n' + _cube() + "    }\n}\n"
    )
    stage = _stage(_WORLD.replace("BODIES", "").replace("LIBRARY", ""))
    root = stage.GetRootLayer()
    for index in range(3):
        clone = Sdf.CreatePrimInLayer(root, f"/World/env_{index}")
        clone.specifier = Sdf.SpecifierDef
        clone.referenceList.Prepend(Sdf.Reference(str(tmp_path / "robot.usda")))
        Sdf.AttributeSpec(clone, "xformOp:translate", Sdf.ValueTypeNames.Double3).default = (0, index * 5.0, 0)
        Sdf.AttributeSpec(clone, "xformOpOrder", Sdf.ValueTypeNames.TokenArray).default = ["xformOp:translate"]
    assert select_by_asset(stage) is None  # a kept instance's prototype: the asset-at-a-time route does not apply
    layer, _ = physics_only(stage)
    assert structure(_stage(layer.ExportToString())) == structure(stage)
    bodies = [f"/World/env_{index}/Body_0" for index in range(3)]
    everything = _poses(physx, stage, "all", bodies)
    assert np.array_equal(everything, _poses(physx, stage, "physics", bodies))
    assert everything[:, 2].min() > 0.3


def test_a_layer_that_lost_physics_is_refused(tmp_path: Path) -> None:
    """The structural check, on its own: a collider removed, a shape changed, a body added."""
    require("pxr")
    from pxr import Sdf

    import shim
    from shim.physics_only import physics_only
    from shim.physics_only.inventory import check_kept, inventory

    bodies_text, library = _nested(tmp_path)
    stage = _stage(_WORLD.replace("BODIES", bodies_text).replace("LIBRARY", library))
    whole = inventory(stage)
    layer, _ = physics_only(stage)
    check_kept(whole, layer)  # as handed over: the same
    (collider,) = [
        root.path.AppendChild("box") for root in layer.rootPrims if layer.GetPrimAtPath(root.path.AppendChild("box"))
    ]
    broken = Sdf.Layer.CreateAnonymous(".usda")
    broken.TransferContent(layer)
    edit = Sdf.BatchNamespaceEdit()
    edit.Add(Sdf.NamespaceEdit.Remove(collider))
    assert broken.Apply(edit)
    with pytest.raises(
        shim.PhysicsNotKept, match=r"/World/Body_\d/collisions/inner/box \(a collider\) is missing"
    ) as caught:
        check_kept(whole, broken)
    assert caught.value.count == 3  # every instance lost it
    assert "content='all'" in str(caught.value)

    reshaped = Sdf.Layer.CreateAnonymous(".usda")
    reshaped.TransferContent(layer)
    reshaped.GetAttributeAtPath(f"{collider}.size").default = 2.0
    with pytest.raises(shim.PhysicsNotKept, match="shape 'size' differs"):
        check_kept(whole, reshaped)

    extra = Sdf.Layer.CreateAnonymous(".usda")
    extra.TransferContent(layer)
    body = Sdf.CreatePrimInLayer(extra, "/World/Stray")
    body.specifier, body.typeName = Sdf.SpecifierDef, "Cube"
    body.SetInfo("apiSchemas", Sdf.TokenListOp.Create(prependedItems=["PhysicsRigidBodyAPI"]))
    with pytest.raises(shim.PhysicsNotKept, match=r"/World/Stray \(a rigid body\) is not in the stage"):
        check_kept(whole, extra)


def test_a_prune_that_loses_a_collider_loads_nothing(physx: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """``shim.load(content="physics")`` raises instead of simulating less, and the instance loads the next scene."""
    import numpy as np
    from pxr import Sdf

    import shim
    from shim.physics_only import prune

    bodies_text, library = _nested(Path("."))
    stage = _stage(_WORLD.replace("BODIES", bodies_text).replace("LIBRARY", library))
    real_prune = prune._prune

    def emptying_prototypes(layer: Any, kept: set[Any], whole: set[Any]) -> set[Any]:
        needed = real_prune(layer, kept, whole)
        edit = Sdf.BatchNamespaceEdit()  # what the defect did: the prototypes kept, their contents removed
        for root in layer.rootPrims:
            if root.name.startswith("Flattened_Prototype"):
                for child in root.nameChildren:
                    edit.Add(Sdf.NamespaceEdit.Remove(child.path))
        assert layer.Apply(edit)
        return needed

    monkeypatch.setattr(prune, "_prune", emptying_prototypes)
    with pytest.raises(shim.PhysicsNotKept, match="is missing"):
        shim.load(physx, stage, content="physics")
    monkeypatch.undo()
    bodies = [f"/World/Body_{index}" for index in range(3)]
    assert np.array_equal(_poses(physx, stage, "physics", bodies), _poses(physx, stage, "all", bodies))
