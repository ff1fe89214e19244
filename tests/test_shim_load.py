"""shim.load against the real ovphysx wheel of this tox env: every strategy, every format, real physics."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require
from tests.fixtures.native_routes import poses_from_file_natively
from tests.fixtures.scenes import body_paths, falling_cubes, mesh_bodies
from tests.golden import GOLDEN

pytestmark = pytest.mark.usefixtures("temp_root_is_clean")

DT = 1 / 60
STEPS = 60
ROUTES = [
    ("string", "usda"),
    ("bytes", "usda"),
    ("fd", "usda"),
    ("tempfile", "usda"),
    ("tempfile", "usdc"),
]


def _simulate(physx: Any, source: object, **options: Any) -> tuple[Any, Any]:
    import shim

    with shim.load(physx, source, **options) as scene:
        shim.step(physx, DT, STEPS)
        poses = shim.read_rigid_body_poses(physx, body_paths(3))
    assert not scene.loaded
    return scene, poses


@pytest.fixture(scope="module")
def reference(physx: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("reference") / "scene.usda"
    falling_cubes(3).Export(str(path))
    return poses_from_file_natively(physx, str(path), body_paths(3), STEPS, DT)


def test_reference_scene_falls_onto_the_ground(reference: Any) -> None:
    # Cubes start at z=5 with their centres 3 m apart and come to rest on the ground.
    assert reference[:, 2] == pytest.approx([0.5, 0.5, 0.5], abs=1e-3)
    assert reference[:, 0] == pytest.approx([0.0, 3.0, 6.0], abs=1e-3)


def test_forced_unavailable_strategy_raises_with_its_reason(physx: Any) -> None:
    import shim
    from shim.strategies import STRATEGIES  # a submodule: not an attribute of shim until imported

    unavailable = [s for s, f in ROUTES if STRATEGIES[s].unavailable_reason(shim.probe(), f)]
    if not unavailable:
        pytest.skip("every strategy runs on this release")
    with pytest.raises(shim.NoStrategyAvailable) as caught:
        shim.load(physx, falling_cubes(1), strategy=unavailable[0])
    assert caught.value.forced == unavailable[0]
    assert "add_usd" in str(caught.value)


def test_forced_strategy_from_environment(physx: Any, monkeypatch: pytest.MonkeyPatch) -> None:

    monkeypatch.setenv("SHIM_STRATEGY", "tempfile")
    scene, _ = _simulate(physx, falling_cubes(3), format="usda")
    assert scene.strategy == "tempfile"


def test_auto_choice_matches_the_golden_table(physx: Any, reference: Any) -> None:
    import shim

    capabilities = shim.probe()
    golden = GOLDEN[str(capabilities.ovphysx)]
    scene, poses = _simulate(physx, falling_cubes(3))
    assert f"{scene.strategy}/{scene.format}" == golden["auto"]
    assert (poses == reference).all()
    with shim.load(physx, mesh_bodies(2, points=100)) as scene:
        assert f"{scene.strategy}/{scene.format}" == golden["auto_mesh"]


def test_a_stage_takes_the_golden_route_by_its_geometry(physx: Any, reference: Any) -> None:
    """Cubes as text on the ovstage releases (a crate on add_usd); mesh colliders as a crate everywhere."""
    import shim

    golden = GOLDEN[str(shim.probe().ovphysx)]
    scene, poses = _simulate(physx, falling_cubes(3))
    assert f"{scene.strategy}/{scene.format}" == golden["auto"]
    assert (poses == reference).all()
    with shim.load(physx, mesh_bodies(2, points=100)) as scene:
        assert f"{scene.strategy}/{scene.format}" == golden["auto_mesh"]


@pytest.mark.parametrize("kind", ["layer", "text", "usda-bytes", "usdc-bytes", "path"])
def test_every_source_kind(physx: Any, reference: Any, kind: str, tmp_path: Path) -> None:
    stage = falling_cubes(3)
    layer = stage.Flatten()
    crate = tmp_path / "scene.usdc"
    layer.Export(str(crate))
    source = {
        "layer": layer,
        "text": layer.ExportToString(),
        "usda-bytes": layer.ExportToString().encode(),
        "usdc-bytes": crate.read_bytes(),
        "path": crate,
    }[kind]
    scene, poses = _simulate(physx, source)
    assert (poses == reference).all()
    if kind == "path":
        assert scene.strategy is None
        assert scene.nbytes is None
        assert crate.exists()  # loaded in place, never moved or deleted
    if kind == "usdc-bytes":
        assert scene.format == "usdc"


@pytest.mark.parametrize(("strategy", "fmt"), ROUTES)
def test_timings_split_the_call_and_name_the_writing(physx: Any, strategy: str, fmt: str, tmp_path: Path) -> None:
    import shim
    from shim.strategies import STRATEGIES

    reason = STRATEGIES[strategy].unavailable_reason(shim.probe(), fmt)
    if reason:
        pytest.skip(reason)
    with shim.load(physx, falling_cubes(3), strategy=strategy, format=fmt) as scene:
        timings = scene.timings
    assert set(timings) == {"prepare_s", "serialize_s", "load_s", "total_s"}
    assert timings["prepare_s"] + timings["load_s"] == pytest.approx(timings["total_s"])
    assert 0 < timings["serialize_s"] < timings["prepare_s"]  # the text or crate, a part of the shim's time
    crate = tmp_path / "scene.usdc"
    falling_cubes(3).Export(str(crate))
    with shim.load(physx, crate) as in_place:
        assert in_place.timings["serialize_s"] == 0.0  # loaded where it lies: nothing was written


def test_second_scene_after_unload_is_the_second_scene(physx: Any) -> None:
    import shim

    for height, strategy in [(5.0, None), (2.0, None), (5.0, "fd"), (2.0, "tempfile")]:
        stage = falling_cubes(3, spacing=4.0 if height == 2.0 else 3.0, height=height)
        with shim.load(physx, stage, strategy=strategy):
            shim.step(physx, DT, 5)
            poses = shim.read_rigid_body_poses(physx, body_paths(3))
        expected_x = [0.0, 4.0, 8.0] if height == 2.0 else [0.0, 3.0, 6.0]
        assert poses[:, 0] == pytest.approx(expected_x, abs=1e-2)
        assert (poses[:, 2] < height).all()  # falling, not the previous scene at rest
        assert (poses[:, 2] > height - 0.5).all()  # 5 steps from this height, not from the other one


def test_unload_is_idempotent(physx: Any) -> None:
    import shim

    scene = shim.load(physx, falling_cubes(1))
    scene.unload()
    scene.unload()
    assert not scene.loaded


def test_bad_scene_raises_scene_load_error_and_instance_stays_usable(physx: Any, reference: Any) -> None:
    import shim

    broken = '#usda 1.0\n def Xform "World" { this is not usda }\n'
    with pytest.raises(shim.SceneLoadError) as caught:
        shim.load(physx, broken)
    assert caught.value.release == shim.probe().ovphysx
    assert caught.value.native_message
    _, poses = _simulate(physx, falling_cubes(3))
    assert (poses == reference).all()


@pytest.mark.parametrize("value", [None, 42, {"a": 1}, b"\x00\x01junk", "missing-file.usda", ""])
def test_invalid_sources_are_named(physx: Any, value: object) -> None:
    import shim

    with pytest.raises(shim.InvalidSource) as caught:
        shim.load(physx, value)
    assert repr(value)[:20] in str(caught.value)


def test_no_fd_left_open(physx: Any) -> None:
    before = set(os.listdir("/proc/self/fd"))
    _simulate(physx, falling_cubes(3), strategy="fd", format="usda")
    after = set(os.listdir("/proc/self/fd"))
    assert after <= before | {name for name in after if not os.path.exists(f"/proc/self/fd/{name}")}


DEMO_CHILD = (
    "import shim\n"
    "from shim.demo import falling_cubes\n"
    "px = shim.create_physx('cpu')\n"
    "with shim.load(px, falling_cubes(1)):\n"
    "    shim.step(px, 1/60, 60)\n"
    "    print('final z', round(float(shim.read_rigid_body_poses(px, ['/World/Cube'])[0, 2]), 3))\n"
)


def _run_child(arguments: list[str]) -> subprocess.CompletedProcess[str]:
    # Pass os.environ explicitly: with env=None a child inherits the C-level environment, where
    # 0.2.9/0.3.7's PhysX() (this session's instance) set PXR_PLUGINPATH_NAME to ovphysx's bundled
    # USD plugins, which break usd-core in the child (README, known limits).
    return subprocess.run(
        [sys.executable, *arguments],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).parent.parent,
        env=dict(os.environ),
    )


def test_import_order_pxr_first_is_handled(tmp_path: Path) -> None:
    require("ovphysx")
    script = tmp_path / "pxr_first.py"
    script.write_text("import lazy; lazy.pxr.Usd.Stage.CreateInMemory()  # pxr touched before ovphysx\n" + DEMO_CHILD)
    result = _run_child([str(script)])
    assert result.returncode == 0, result.stderr[-3000:]
    assert "final z 0.5" in result.stdout.splitlines()  # ovphysx logs to stdout too


def test_multi_line_python_c_loads_or_fails_clearly_instead_of_crashing() -> None:
    """ovstage 0.1.0 (ovphysx 0.5.9) segfaults when an argument holds a newline; the shim raises first."""
    require("ovphysx")
    import shim

    result = _run_child(["-c", DEMO_CHILD])
    if shim.probe().ovstage == "0.1.0.346039":
        assert result.returncode == 1, result.stderr[-3000:]
        assert "KnownReleaseDefect" in result.stderr
        assert "run the script from a file, or use ovphysx 0.5.10 or later" in result.stderr
    else:
        assert result.returncode == 0, result.stderr[-3000:]
        assert "final z 0.5" in result.stdout.splitlines()


def test_unverified_crate_falls_back_to_usda_in_auto_and_fails_when_forced(
    physx: Any, reference: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shim
    from shim.source import crate

    monkeypatch.setattr(crate, "MAX_VERIFIED_CRATE", (0, 7, 0))  # as if usd-core wrote a newer crate
    scene, poses = _simulate(physx, falling_cubes(3))
    assert scene.format == "usda"
    assert (poses == reference).all()
    with pytest.raises(shim.NoStrategyAvailable, match=r"newer than the verified 0\.7\.0"):
        shim.load(physx, falling_cubes(3), format="usdc")


def test_a_path_goes_through_a_forced_route(physx: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A path is loaded in place unless a strategy or format is asked for; then it goes that way, never elsewhere."""
    import shim
    from tests.fixtures.scenes import falling_cubes

    path = tmp_path / "cube.usda"
    falling_cubes(1).Export(str(path))
    with pytest.raises(ValueError, match="unknown strategy 'bogus'"):
        shim.load(physx, str(path), strategy="bogus")
    with shim.load(physx, str(path), strategy="fd") as scene:
        assert (scene.strategy, scene.format) == ("fd", "usda")
    with shim.load(physx, str(path), format="usdc") as scene:
        assert (scene.strategy, scene.format) == ("tempfile", "usdc")
    monkeypatch.setenv("SHIM_STRATEGY", "tempfile")
    with shim.load(physx, str(path)) as scene:
        assert scene.strategy == "tempfile"
        shim.step(physx, 1 / 60, 10)
        assert shim.read_rigid_body_poses(physx, ["/World/Cube"])[0][2] < 5.0
    monkeypatch.delenv("SHIM_STRATEGY")
    with shim.load(physx, str(path)) as scene:
        assert (scene.strategy, scene.format) == (None, "usda")


def test_a_usd_file_that_is_a_crate_is_reported_as_one(physx: Any, tmp_path: Path) -> None:
    import shim
    from tests.fixtures.scenes import falling_cubes

    path = tmp_path / "cube.usd"  # .usd: usd-core writes a crate
    falling_cubes(1).Export(str(path))
    assert path.read_bytes().startswith(b"PXR-USDC")
    with shim.load(physx, str(path)) as scene:
        assert (scene.strategy, scene.format) == (None, "usdc")
