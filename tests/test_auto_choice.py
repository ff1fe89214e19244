"""What ``format="auto"`` picks for each kind of scene and API generation (``shim.strategies.auto_formats``).

The rule (``shim.strategies.AUTO_RULE``): a stage goes as a crate on the add_usd releases and
wherever it holds point-based geometry, and as USDA otherwise; other sources keep their format.
The real wheels assert the resulting route in test_shim_load.py and test_matrix.py.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from tests.conftest import require
from tests.fixtures import point_based


def _capabilities(generation: str | None) -> Any:
    import shim

    return replace(shim.probe(), generation=generation)


@pytest.mark.parametrize(
    ("generation", "kind", "formats"),
    [
        ("ovstage-task", "cubes", ("usda", "usdc")),
        ("ovstage-task", "robots", ("usda", "usdc")),
        ("ovstage-task", "mesh", ("usdc", "usda")),
        ("ovstage-task", "instancer", ("usdc", "usda")),
        ("ovstage", "cubes", ("usda", "usdc")),
        ("ovstage", "robots", ("usda", "usdc")),
        ("ovstage", "mesh", ("usdc", "usda")),
        ("ovstage", "curves", ("usdc", "usda")),
        ("ovstage", "prototype", ("usdc", "usda")),
        ("add_usd", "cubes", ("usdc", "usda")),
        ("add_usd", "robots", ("usdc", "usda")),
        ("add_usd", "mesh", ("usdc", "usda")),
        (None, "cubes", ("usda", "usdc")),  # a release not known by version: judged by the stage
        (None, "mesh", ("usdc", "usda")),
    ],
)
def test_auto_formats_follow_the_geometry_and_the_release(
    generation: str | None, kind: str, formats: tuple[str, ...]
) -> None:
    require("pxr")
    from shim.source import classify
    from shim.strategies import auto_formats

    assert auto_formats(_capabilities(generation), classify(point_based.stage(kind))) == formats


def test_point_based_geometry_is_found_at_any_size_in_a_fresh_process() -> None:
    """The walk finds one mesh after 20,000 cubes, without importing pxr.UsdUtils (whatever ran before)."""
    require("pxr")
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from pxr import UsdGeom\n"
        "from shim.source.geometry import has_point_based\n"
        "from shim.demo import falling_cubes\n"
        "stage = falling_cubes(20_000)\n"
        "before = has_point_based(stage)\n"
        "UsdGeom.Mesh.Define(stage, '/World/Last')\n"
        "print(before, has_point_based(stage), 'pxr.UsdUtils' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=300)
    assert done.stdout.split()[-3:] == ["False", "True", "False"]


def test_a_layer_is_not_inspected_and_goes_as_a_crate() -> None:
    require("pxr")
    from shim.source import classify
    from shim.strategies import auto_formats

    stage = point_based.stage("cubes")
    layer = stage.GetRootLayer()
    assert auto_formats(_capabilities("ovstage-task"), classify(layer)) == ("usdc", "usda")
    text = layer.ExportToString()
    assert auto_formats(_capabilities("ovstage-task"), classify(text)) == ("usda",)


def test_physics_content_is_judged_by_the_stage_it_came_from(tmp_path: Any) -> None:
    require("pxr")
    from shim.source import for_content
    from shim.strategies import auto_formats
    from tests.fixtures import assets

    task = _capabilities("ovstage-task")
    assert auto_formats(task, for_content(point_based.stage("robots"), "physics")) == ("usda", "usdc")
    with_hulls = assets.appearance_heavy(str(tmp_path), 2)
    assert auto_formats(task, for_content(with_hulls, "physics")) == ("usdc", "usda")


def test_physics_from_a_stage_with_unloaded_payloads_goes_as_a_crate(tmp_path: Any) -> None:
    """The hull mesh sits in a payload: a stage that has not loaded it cannot vouch for no meshes."""
    require("pxr")
    from pxr import Usd

    from shim.source import for_content
    from shim.strategies import auto_formats
    from tests.fixtures import assets

    interface = assets.write_robot(str(tmp_path))
    task = _capabilities("ovstage-task")
    for source in (interface, Usd.Stage.Open(interface, Usd.Stage.LoadNone)):
        payload = for_content(source, "physics")
        assert payload.layer.GetPrimAtPath("/Robot/base/collisions/hull").typeName == "Mesh"
        assert auto_formats(task, payload) == ("usdc", "usda")


def test_text_first_keeps_the_path_routes_first() -> None:
    require("pxr")
    require("ovphysx")  # without it no strategy can run
    import shim
    from shim.source import classify
    from shim.strategies import choose

    task = _capabilities("ovstage-task")
    if task.memfd_reason is not None:
        pytest.skip(f"no memfd here: {task.memfd_reason}")
    strategy, fmt = choose(task, classify(point_based.stage("cubes")))
    assert (strategy.name, fmt) == ("fd", "usda")
    strategy, fmt = choose(task, classify(point_based.stage("mesh")))
    assert (strategy.name, fmt) == ("tempfile", "usdc")
    assert shim  # the public package imports without ovphysx
