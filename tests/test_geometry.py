"""``shim._geometry``: the walk and the UsdUtils count agree, and a small stage costs no UsdUtils import."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest

from tests import point_based
from tests.conftest import require


@pytest.mark.parametrize(("kind", "expected"), point_based.KINDS.items())
def test_walk_and_count_agree(kind: str, expected: bool) -> None:
    require("pxr")
    from shim import _geometry

    stage = point_based.stage(kind)
    walked, counted = _geometry._walk(stage, limit=1_000_000), _geometry._count(stage)
    assert walked == counted == _geometry.survey(stage), "prototypes' prims counted alike"
    assert counted.point_based is expected
    assert counted.prims == sum(
        _subtree(root) for root in [*stage.GetPseudoRoot().GetAllChildren(), *stage.GetPrototypes()]
    )


def test_the_walk_gives_up_past_its_limit_and_the_count_answers() -> None:
    require("pxr")
    from shim import _geometry, scenes

    stage = scenes.falling_cubes(50)  # 53 prims, none point-based
    assert _geometry._walk(stage, limit=10) is None
    assert _geometry._walk(stage, limit=1_000) == _geometry.Survey(point_based=False, prims=53)
    assert _geometry._count(stage) == _geometry.Survey(point_based=False, prims=53)


@pytest.mark.parametrize("kind", ["mesh", "cubes"])
def test_the_type_test_is_left_out_where_the_size_alone_decides(kind: str) -> None:
    require("pxr")
    from shim import _geometry

    stage = point_based.stage(kind)
    full = _geometry.survey(stage)
    asked: list[int] = []

    def types_matter(prims: int) -> bool:
        asked.append(prims)
        return prims > full.prims

    # The walk's answer (survey() counts by UsdUtils instead once another test imported it).
    assert _geometry._walk(stage, 1_000, types_matter) == _geometry.Survey(point_based=None, prims=full.prims)
    assert asked == [full.prims]
    assert _geometry._walk(stage, 1_000, lambda prims: prims == full.prims) == full
    assert full.point_based is point_based.KINDS[kind]


def test_past_its_limit_the_walk_still_reports_point_data_it_met() -> None:
    """A stage too large to walk is counted by UsdUtils, unless the walk already met a mesh."""
    require("pxr")
    from shim import _geometry

    stage = point_based.stage("mesh")
    limit = _geometry.survey(stage).prims - 1
    assert _geometry._walk(stage, limit, lambda prims: False) == _geometry.Survey(point_based=True, prims=limit + 1)


def test_a_small_stage_is_judged_without_importing_usdutils() -> None:
    """UsdUtils costs 30-45 ms to import: 7-10% of a first load of 1,000 cubes on 0.7."""
    require("pxr")
    script = (
        "import sys\n"
        "from shim import _geometry, scenes\n"
        "assert 'pxr.UsdUtils' not in sys.modules, 'imported before the check'\n"
        "small = _geometry.survey(scenes.falling_cubes(20)).point_based\n"
        "print(small, 'pxr.UsdUtils' in sys.modules)\n"
        "_geometry.WALK_LIMIT = 5\n"
        "print(_geometry.survey(scenes.falling_cubes(20)).point_based, 'pxr.UsdUtils' in sys.modules)\n"
    )
    # env: os.environ's view, without what ovphysx 0.2.9/0.3.7 setenv() in C (their USD plugin path)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, env=dict(os.environ)
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["False", "False", "False", "True"]


def _subtree(prim: Any) -> int:
    return 1 + sum(_subtree(child) for child in prim.GetAllChildren())
