"""``shim._geometry``: the walk and the UsdUtils count agree, and a small stage costs no UsdUtils import."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests import point_based
from tests.conftest import require


@pytest.mark.parametrize(("kind", "expected"), point_based.KINDS.items())
def test_walk_and_count_agree(kind: str, expected: bool) -> None:
    require("pxr")
    from shim import _geometry

    stage = point_based.stage(kind)
    assert _geometry._walk(stage, limit=1_000_000) is expected
    assert _geometry._count(stage) is expected
    assert _geometry.has_point_based(stage) is expected


def test_the_walk_gives_up_past_its_limit_and_the_count_answers() -> None:
    require("pxr")
    from shim import _geometry, scenes

    stage = scenes.falling_cubes(50)  # 53 prims, none point-based
    assert _geometry._walk(stage, limit=10) is None
    assert _geometry._walk(stage, limit=1_000) is False


def test_a_small_stage_is_judged_without_importing_usdutils() -> None:
    """UsdUtils costs 30-45 ms to import: 7-10% of a first load of 1,000 cubes on 0.7."""
    require("pxr")
    script = (
        "import sys\n"
        "from shim import _geometry, scenes\n"
        "assert 'pxr.UsdUtils' not in sys.modules, 'imported before the check'\n"
        "small = _geometry.has_point_based(scenes.falling_cubes(20))\n"
        "print(small, 'pxr.UsdUtils' in sys.modules)\n"
        "_geometry.WALK_LIMIT = 5\n"
        "print(_geometry.has_point_based(scenes.falling_cubes(20)), 'pxr.UsdUtils' in sys.modules)\n"
    )
    # env: os.environ's view, without what ovphysx 0.2.9/0.3.7 setenv() in C (their USD plugin path)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, env=dict(os.environ)
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["False", "False", "False", "True"]
