"""The release matrix, per tox env: the pinned wheel, its golden probe row, and three scenes.

For each scene, every route that this release offers must give poses bitwise equal to
the release's own load of the same scene from a file (tests/fixtures/native_routes.py). The
poses are also recorded (conftest.record_matrix) for the cross-release comparison and
the README table that the ``matrix`` env builds from every env's results.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import MatrixRecord, require
from tests.fixtures.native_routes import poses_from_file_natively
from tests.fixtures.scenes import body_paths, falling_cubes, mesh_bodies
from tests.golden import GOLDEN

pytestmark = pytest.mark.usefixtures("temp_root_is_clean")

DT = 1 / 60
STEPS = 60
ROUTES = ["tempfile/usdc", "fd/usda", "tempfile/usda", "string/usda", "bytes/usda"]
ARTICULATION_SAMPLE = "samples/data/two_articulations.usda"  # in every wheel from 0.2.9 to 0.7.0
ARTICULATION_LINKS = [
    f"/World/{root}/articulationLink{index}" for root in ("articulation", "articulation2") for index in range(3)
]


def _sample_text() -> str:
    spec = importlib.util.find_spec("ovphysx")
    assert spec is not None
    assert spec.origin is not None
    return (Path(spec.origin).parent / ARTICULATION_SAMPLE).read_text()


def _articulations() -> Any:
    import lazy

    stage = lazy.pxr.Usd.Stage.CreateInMemory()
    assert stage.GetRootLayer().ImportFromString(_sample_text())  # from memory, not from the file
    return stage


# name -> (stage builder, bodies to read)
SCENES: dict[str, tuple[Callable[[], Any], list[str]]] = {
    "one-cube": (lambda: falling_cubes(1), body_paths(1)),
    "2000-cubes": (lambda: falling_cubes(2000, spacing=1.5), body_paths(2000)),
    "two-articulations": (_articulations, ARTICULATION_LINKS),
}


@pytest.fixture(scope="module")
def references(physx: Any, tmp_path_factory: pytest.TempPathFactory, matrix_record: MatrixRecord) -> dict[str, Any]:
    """Each scene exported to a file and loaded by the release's own API: the oracle, recorded for the matrix env."""
    folder = tmp_path_factory.mktemp("matrix")
    found = {}
    for name, (build, bodies) in SCENES.items():
        path = folder / f"{name}.usda"
        build().Export(str(path))
        found[name] = poses = poses_from_file_natively(physx, str(path), bodies, STEPS, DT)
        matrix_record.setdefault("scenes", {})[name] = {
            "sha256": hashlib.sha256(poses.tobytes()).hexdigest(),
            "poses": poses.tolist(),
        }
    return found


def test_the_env_installed_the_release_it_pins() -> None:
    require("ovphysx")
    from importlib.metadata import version

    expected = os.environ.get("SHIM_EXPECT_OVPHYSX")
    if expected is None:
        pytest.skip("SHIM_EXPECT_OVPHYSX is set by the release envs only")
    assert version("ovphysx") == expected
    assert int(version("packaging").split(".")[0]) < 24  # what 0.4.9+ declare; the shim fits it


def test_probe_is_the_golden_row(physx: Any, matrix_record: MatrixRecord) -> None:
    import shim

    capabilities = shim.probe()
    release = str(capabilities.ovphysx)
    assert release in GOLDEN, f"ovphysx {release} has no golden row in tests/golden.py"
    golden = GOLDEN[release]
    available = tuple(route for route, reason in shim.routes(capabilities).items() if reason is None)
    auto = shim.load(physx, falling_cubes(1))
    auto.unload()
    auto_mesh = shim.load(physx, mesh_bodies(1, points=100))
    auto_mesh.unload()
    found = {
        "generation": capabilities.generation,
        "available": available,
        "auto": f"{auto.strategy}/{auto.format}",
        "auto_mesh": f"{auto_mesh.strategy}/{auto_mesh.format}",
    }
    assert found == golden
    matrix_record.update(release=release, **found)


@pytest.mark.parametrize("scene", list(SCENES))
def test_reference_physics_is_plausible(references: dict[str, Any], scene: str) -> None:
    poses = references[scene]
    if "cube" in scene:
        assert poses[:, 2] == pytest.approx(0.5, abs=1e-3)  # unit cubes from z=5 at rest on the ground
    else:
        roots = poses[[0, 3]]
        assert roots[:, 2] == pytest.approx(24.0, abs=1e-4)  # fixed to the world
        assert (poses[[2, 5], 2] < 24.0 - 0.01).all()  # the free ends swing down under gravity


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("scene", list(SCENES))
def test_route_is_bitwise_equal_to_the_release_file_load(
    physx: Any, references: dict[str, Any], scene: str, route: str
) -> None:
    import shim

    strategy, fmt = route.split("/")
    reason = shim.routes(shim.probe())[route]
    if reason is not None:
        pytest.skip(f"{route}: {reason}")
    build, bodies = SCENES[scene]
    with shim.load(physx, build(), strategy=strategy, format=fmt) as loaded:
        shim.step(physx, DT, STEPS)
        poses = shim.read_rigid_body_poses(physx, bodies)
    assert (loaded.strategy, loaded.format) == (strategy, fmt)
    expected = references[scene]
    assert hashlib.sha256(poses.tobytes()).hexdigest() == hashlib.sha256(expected.tobytes()).hexdigest()


def test_articulation_sample_from_memory_equals_the_file_by_path(physx: Any, references: dict[str, Any]) -> None:
    import shim

    spec = importlib.util.find_spec("ovphysx")
    assert spec is not None
    assert spec.origin is not None
    sample = Path(spec.origin).parent / ARTICULATION_SAMPLE
    for source in (sample, _sample_text()):  # the wheel's file loaded in place, then its text from memory
        with shim.load(physx, source):
            shim.step(physx, DT, STEPS)
            poses = shim.read_rigid_body_poses(physx, ARTICULATION_LINKS)
        assert (poses == references["two-articulations"]).all()


def test_a_then_unload_then_b_gives_b(physx: Any, references: dict[str, Any]) -> None:
    import shim

    order = ["two-articulations", "one-cube", "two-articulations", "2000-cubes", "one-cube"]
    for scene in order:
        build, bodies = SCENES[scene]
        loaded = shim.load(physx, build())
        shim.step(physx, DT, STEPS)
        poses = shim.read_rigid_body_poses(physx, bodies)
        loaded.unload()
        assert (poses == references[scene]).all(), f"{scene} after {order}"
