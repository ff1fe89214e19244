"""``shim.source.geometry``: point-based geometry is found wherever it is, and nowhere else."""

from __future__ import annotations

import pytest

from tests.conftest import require
from tests.fixtures import point_based


@pytest.mark.parametrize(("kind", "expected"), point_based.KINDS.items())
def test_each_kind_is_judged_by_its_types(kind: str, expected: bool) -> None:
    require("pxr")
    from shim.source.geometry import has_point_based

    assert has_point_based(point_based.stage(kind)) is expected


def test_a_mesh_inside_a_prototype_only_is_found() -> None:
    """Instance proxies are not traversed by default; the prototypes are walked too."""
    require("pxr")
    from pxr import Usd

    from shim.source.geometry import has_point_based

    stage = point_based.stage("prototype")
    assert stage.GetPrototypes(), "the fixture instances a prototype"
    assert not any(prim.GetTypeName() == "Mesh" for prim in stage.Traverse())
    assert has_point_based(stage)
    assert Usd  # the walk needs nothing beyond pxr.Usd
