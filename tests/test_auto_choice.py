"""What ``format="auto"`` picks for each kind of scene and API generation (``shim._select.auto_formats``).

The choice follows docs/performance.md: the crate first, except for a stage without
point-based geometry of the sizes ``TEXT_SIZES`` names for the API generation: any size on
0.7 (attach returns a Task), more than 20,000 prims or at most 250 on 0.5-0.6, more than
2,500 on 0.2-0.4. There the text makes the faster route.
The real wheels assert the resulting route in test_shim_load.py and test_matrix.py.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from tests import point_based
from tests.conftest import require
from tests.golden import lower_thresholds


def _capabilities(generation: str | None) -> Any:
    import shim

    return replace(shim.probe(), generation=generation)


#: Thresholds (at most these) that put every stage of point_based (a few prims each) in one size
#: band: small under the real thresholds, between them with the lower one at 3, above with the upper one at 3.
_BANDS: dict[str, dict[str, int]] = {
    "small": {},
    "between": {"up_to": 3},
    "large": {"up_to": 0, "above": 3},
}


@pytest.mark.parametrize(
    ("band", "generation", "kind", "formats"),
    [
        ("small", "ovstage-task", "cubes", ("usda", "usdc")),
        ("small", "ovstage-task", "robots", ("usda", "usdc")),
        ("small", "ovstage-task", "mesh", ("usdc", "usda")),
        ("small", "ovstage-task", "instancer", ("usdc", "usda")),
        ("small", "ovstage", "cubes", ("usda", "usdc")),  # up to TEXT_SIZES["ovstage"].up_to
        ("small", "ovstage", "robots", ("usda", "usdc")),
        ("small", "ovstage", "mesh", ("usdc", "usda")),
        ("small", "ovstage", "curves", ("usdc", "usda")),
        ("small", "add_usd", "cubes", ("usdc", "usda")),
        ("small", "add_usd", "robots", ("usdc", "usda")),
        ("small", None, "cubes", ("usdc", "usda")),
        ("between", "ovstage", "cubes", ("usdc", "usda")),  # only 0.7 sends text between the thresholds
        ("between", "ovstage", "robots", ("usdc", "usda")),
        ("between", "ovstage-task", "cubes", ("usda", "usdc")),
        ("between", "add_usd", "cubes", ("usdc", "usda")),
        ("large", "ovstage", "cubes", ("usda", "usdc")),
        ("large", "ovstage", "robots", ("usda", "usdc")),
        ("large", "ovstage-task", "cubes", ("usda", "usdc")),
        ("large", "ovstage", "mesh", ("usdc", "usda")),
        ("large", "ovstage", "prototype", ("usdc", "usda")),
        ("large", "add_usd", "cubes", ("usda", "usdc")),
        ("large", "add_usd", "robots", ("usda", "usdc")),
        ("large", "add_usd", "mesh", ("usdc", "usda")),
        ("large", None, "cubes", ("usdc", "usda")),  # a release whose load API is not known: the crate, as before
    ],
)
def test_auto_formats_follow_the_scene_its_size_and_the_release(
    band: str, generation: str | None, kind: str, formats: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    require("pxr")
    from shim import _select
    from shim._source import Payload

    lower_thresholds(monkeypatch, **_BANDS[band])
    assert _select.auto_formats(_capabilities(generation), Payload.from_source(point_based.stage(kind))) == formats


def test_text_sizes_name_their_bounds_and_zero_means_none() -> None:
    from shim._select import TextSizes

    both = TextSizes(up_to=250, above=20_000)
    assert [both.include(prims) for prims in (1, 250, 251, 20_000, 20_001)] == [True, True, False, False, True]
    assert both.describe() == "a stage of at most 250 or more than 20,000 prims"
    large_only = TextSizes(up_to=0, above=20_000)
    assert [large_only.include(prims) for prims in (0, 1, 20_001)] == [False, False, True]
    assert large_only.describe() == "a stage of more than 20,000 prims"
    assert TextSizes(up_to=0, above=0).include(1)
    assert TextSizes(up_to=0, above=0).describe() == "a stage"


def test_the_lower_threshold_counts_every_prim_and_is_inclusive(monkeypatch: pytest.MonkeyPatch) -> None:
    require("pxr")
    from shim import _select
    from shim._source import Payload
    from shim.scenes import falling_cubes

    ovstage = _capabilities("ovstage")
    monkeypatch.setitem(_select.TEXT_SIZES, "ovstage", _select.TextSizes(up_to=50, above=20_000))
    assert _select.auto_formats(ovstage, Payload.from_source(falling_cubes(47))) == ("usda", "usdc")  # 50 prims
    assert _select.auto_formats(ovstage, Payload.from_source(falling_cubes(48))) == ("usdc", "usda")  # 51


def test_the_threshold_counts_every_prim_and_is_exclusive(monkeypatch: pytest.MonkeyPatch) -> None:
    require("pxr")
    from shim import _geometry, _select
    from shim._source import Payload
    from shim.scenes import falling_cubes

    ovstage = _capabilities("ovstage")
    monkeypatch.setitem(_select.TEXT_SIZES, "ovstage", _select.TextSizes(up_to=0, above=50))
    assert _select.auto_formats(ovstage, Payload.from_source(falling_cubes(47))) == ("usdc", "usda")  # 50 prims
    assert _select.auto_formats(ovstage, Payload.from_source(falling_cubes(48))) == ("usda", "usdc")  # 51
    monkeypatch.setattr(_geometry, "WALK_LIMIT", 10)  # counted by UsdUtils instead: the same answer
    assert _select.auto_formats(ovstage, Payload.from_source(falling_cubes(47))) == ("usdc", "usda")
    assert _select.auto_formats(ovstage, Payload.from_source(falling_cubes(48))) == ("usda", "usdc")


def test_a_layer_is_not_inspected_and_goes_as_a_crate() -> None:
    require("pxr")
    from shim._select import auto_formats
    from shim._source import Payload

    stage = point_based.stage("cubes")
    layer = stage.GetRootLayer()
    assert auto_formats(_capabilities("ovstage-task"), Payload.from_source(layer)) == ("usdc", "usda")
    text = layer.ExportToString()
    assert auto_formats(_capabilities("ovstage-task"), Payload.from_source(text)) == ("usda",)


def test_physics_content_is_judged_by_the_stage_it_came_from(tmp_path: Any) -> None:
    require("pxr")
    from shim import assets
    from shim._select import auto_formats
    from shim._source import Payload

    task = _capabilities("ovstage-task")
    assert auto_formats(task, Payload.for_content(point_based.stage("robots"), "physics")) == ("usda", "usdc")
    with_hulls = assets.appearance_heavy(str(tmp_path), 2)
    assert auto_formats(task, Payload.for_content(with_hulls, "physics")) == ("usdc", "usda")


def test_physics_from_a_stage_with_unloaded_payloads_goes_as_a_crate(tmp_path: Any) -> None:
    """The hull mesh sits in a payload: a stage that has not loaded it cannot vouch for no meshes."""
    require("pxr")
    from pxr import Usd

    from shim import assets
    from shim._select import auto_formats
    from shim._source import Payload

    interface = assets.write_robot(str(tmp_path))
    task = _capabilities("ovstage-task")
    for source in (interface, Usd.Stage.Open(interface, Usd.Stage.LoadNone)):
        payload = Payload.for_content(source, "physics")
        assert payload.layer.GetPrimAtPath("/Robot/base/collisions/hull").typeName == "Mesh"
        assert auto_formats(task, payload) == ("usdc", "usda")


def test_text_first_keeps_the_path_routes_first() -> None:
    require("pxr")
    require("ovphysx")  # without it no strategy can run
    import shim
    from shim._select import choose
    from shim._source import Payload

    task = _capabilities("ovstage-task")
    if task.memfd_reason is not None:
        pytest.skip(f"no memfd here: {task.memfd_reason}")
    strategy, fmt = choose(task, Payload.from_source(point_based.stage("cubes")))
    assert (strategy.name, fmt) == ("fd", "usda")
    strategy, fmt = choose(task, Payload.from_source(point_based.stage("mesh")))
    assert (strategy.name, fmt) == ("tempfile", "usdc")
    assert shim  # the public package imports without ovphysx
