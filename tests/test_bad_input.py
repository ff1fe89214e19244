"""Hostile and broken input: a typed error naming the value and the remedy, nothing left, instance usable.

Every case runs against the real wheel and finishes by loading a good scene into the
same instance and checking that it falls as it should.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import require
from tests.fixtures.scenes import body_paths, falling_cubes, mesh_bodies

pytestmark = pytest.mark.usefixtures("temp_root_is_clean")
ROOT = Path(__file__).resolve().parent.parent


def _still_usable(physx: Any) -> None:
    import shim

    with shim.load(physx, falling_cubes(1)):
        shim.step(physx, 1 / 60, 60)
        poses = shim.read_rigid_body_poses(physx, body_paths(1))
    assert poses[0, 2] == pytest.approx(0.5, abs=1e-3)


@pytest.fixture(scope="module")
def physx(physx: Any) -> Any:
    """The session instance after one good load: ovphysx opens its worker fds on the first."""
    _still_usable(physx)
    return physx


def _fds() -> set[str]:
    return {name for name in os.listdir("/proc/self/fd") if os.path.exists(f"/proc/self/fd/{name}")}


BAD_SOURCES = {
    "malformed USDA": ('#usda 1.0\n def Xform "World" { this is not usda }\n', "SceneLoadError", "usdchecker"),
    "empty string": ("", "InvalidSource", "the string is empty"),
    "binary junk": (b"\x00\x01\x02junk" * 10, "InvalidSource", "start with neither '#usda'"),
    "non-UTF-8 USDA bytes": (b"#usda 1.0\n\xff\xfe\xfd", "InvalidSource", "not valid UTF-8"),
    "None": (None, "InvalidSource", "a NoneType is not a scene"),
    "int": (42, "InvalidSource", "a int is not a scene"),
    "dict": ({"scene": 1}, "InvalidSource", "a dict is not a scene"),
    "missing path": ("/nonexistent/scene.usda", "InvalidSource", "no such file"),
    "NUL in a path": ("scene\x00.usda", "InvalidSource", "NUL character"),
    "truncated crate": (b"PXR-USDC\x00\x08\x00" + b"\x00" * 20, "SceneLoadError", "usdchecker"),
}


@pytest.mark.parametrize("case", list(BAD_SOURCES))
def test_bad_source_is_a_typed_error_and_the_instance_stays_usable(physx: Any, case: str) -> None:
    import shim

    value, error_name, words = BAD_SOURCES[case]
    before = _fds()
    with pytest.raises(shim.ShimError) as caught:
        shim.load(physx, value)
    assert type(caught.value).__name__ == error_name
    assert words in str(caught.value)
    if error_name == "InvalidSource":
        assert "Pass a pxr.Usd.Stage" in str(caught.value)  # the remedy
    assert _fds() <= before
    _still_usable(physx)


@pytest.mark.parametrize(
    ("value", "named"),
    [(None, "None (a NoneType)"), ("cpu", "'cpu' (a str)"), (ValueError("x"), "ValueError('x') (a ValueError)")],
)
def test_a_physx_that_is_not_one_is_a_typed_error_before_any_work(physx: Any, value: object, named: str) -> None:
    import shim

    before = _fds()
    stage = falling_cubes(2)
    calls = {
        "load": lambda: shim.load(value, stage),
        "step": lambda: shim.step(value, 1 / 60),
        "read_rigid_body_poses": lambda: shim.read_rigid_body_poses(value, body_paths(2)),
        "destroy": lambda: shim.destroy(value),
    }
    for name, call in calls.items():
        with pytest.raises(shim.InvalidPhysX) as caught:
            call()
        assert str(caught.value).startswith(f"{named} is not an ovphysx.PhysX instance; pass a live one"), name
        assert "shim.Simulation('cpu')" in str(caught.value)
        assert isinstance(caught.value, TypeError)
    assert _fds() <= before
    _still_usable(physx)


def test_without_ovphysx_imported_a_wrong_physx_is_named_not_the_release() -> None:
    """Before the check, the probe found no PhysX class and called the installed release unsupported."""
    require("pxr")
    script = (
        "import sys, shim\n"
        "from shim.demo import falling_cubes\n"
        "try: shim.load(None, falling_cubes(1))\n"
        "except shim.ShimError as error: print(type(error).__name__, error)\n"
        "print('ovphysx imported:', 'ovphysx' in sys.modules)\n"
    )
    done = subprocess.run(  # the C environment, without 0.2.9/0.3.7's PXR_PLUGINPATH_NAME (README)
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, cwd=ROOT, env=dict(os.environ)
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("InvalidPhysX None (a NoneType) is not an ovphysx.PhysX instance"), done.stdout
    assert "ovphysx imported: False" in done.stdout


def test_an_expired_layer_is_refused(physx: Any) -> None:
    import shim

    layer = falling_cubes(1).GetRootLayer()  # the stage is dropped at once, and its anonymous layer with it
    with pytest.raises(shim.InvalidSource, match="the layer has expired; keep its stage"):
        shim.load(physx, layer)
    _still_usable(physx)


def test_a_directory_is_refused(physx: Any, tmp_path: Path) -> None:
    import shim

    folder = tmp_path / "scene.usda"
    folder.mkdir()
    with pytest.raises(shim.InvalidSource, match="it is a directory"):
        shim.load(physx, folder)
    _still_usable(physx)


@pytest.mark.parametrize(
    ("parent_mode", "words"),
    [(0o711, "the file is not readable by this user"), (0o700, "permission denied on a directory above it")],
)
def test_an_unreadable_file_is_refused(parent_mode: int, words: str) -> None:
    """Root reads anything, so the check runs in a child that gives up root first (uid 65534)."""
    import shutil
    import tempfile

    parent = Path(tempfile.mkdtemp(prefix="shim-unreadable-"))
    try:
        scene = parent / "scene.usda"
        scene.write_text("#usda 1.0\n")
        scene.chmod(0o000)
        parent.chmod(parent_mode)
        script = (
            "import os, sys, shim, shim.functions, shim.loading\n"  # every module the check needs, loaded while still root
            "if os.getuid() == 0: os.setgid(65534); os.setuid(65534)\n"
            "try: shim.load(None, sys.argv[1])\n"
            "except shim.InvalidSource as error: print(error)\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", script, str(scene)], capture_output=True, text=True, check=False, cwd=ROOT
        )
    finally:
        parent.chmod(0o700)
        shutil.rmtree(parent)
    assert result.returncode == 0, result.stderr
    assert words in result.stdout
    assert str(scene) in result.stdout


def _flatten_fails(self: object) -> None:
    raise RuntimeError("Failed to open layer @missing.usda@")


# Unit-level: a pxr stage whose Flatten raises, as one with a broken composition arc can.
StageThatCannotFlatten = type("Stage", (), {"__module__": "pxr.Usd", "Flatten": _flatten_fails})


def test_a_stage_whose_flatten_fails_is_named(physx: Any) -> None:
    import shim

    with pytest.raises(shim.InvalidSource, match=r"flattening the stage failed \(RuntimeError: Failed to open layer"):
        shim.load(physx, StageThatCannotFlatten())
    _still_usable(physx)


@pytest.fixture
def tiny_tmpfs() -> Any:
    """A real 64 KiB tmpfs as the temp root (needs root to mount; skipped elsewhere)."""
    import tempfile

    import shim

    mount_point = Path(tempfile.mkdtemp(prefix="shim-tiny-tmpfs-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "none", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    previous = os.environ.get("SHIM_TMPDIR")
    os.environ["SHIM_TMPDIR"] = str(mount_point)
    shim.probe(refresh=True)
    try:
        yield mount_point
    finally:
        if previous is None:
            del os.environ["SHIM_TMPDIR"]
        else:
            os.environ["SHIM_TMPDIR"] = previous
        shim.probe(refresh=True)
        subprocess.run(["umount", "--lazy", str(mount_point)], check=True)  # a handle may stay open a while
        with contextlib.suppress(OSError):
            mount_point.rmdir()


def test_a_scene_larger_than_a_tiny_tmpfs_goes_through_the_memfd(physx: Any, tiny_tmpfs: Path) -> None:
    """A pxr stage's crate size is unknown until written: ENOSPC while writing, then the memfd route."""
    import shim

    stage = mesh_bodies(20)  # mesh data: the crate comes first on every release; 240 KB of points
    with shim.load(physx, stage) as scene:
        shim.step(physx, 1 / 60, 120)
        poses = shim.read_rigid_body_poses(physx, [f"/World/Body_{index}" for index in range(20)])
    assert (scene.strategy, scene.format) == ("fd", "usda")
    assert ((poses[:, 2] > 0.2) & (poses[:, 2] < 1.5)).all()  # dropped from 2 m, resting on the ground
    root = tiny_tmpfs / f"ovphysx-shim-{os.getuid()}"
    assert list(root.iterdir()) == []  # the partial crate went with its scratch directory
    assert shim.scratch.free_bytes(str(tiny_tmpfs)) > 48 * 1024  # not left full


def test_no_room_by_statvfs_fails_cleanly_when_forced(physx: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fake statvfs: 1 MiB free is less than the 16 MiB the shim always leaves free."""
    import shim
    from shim import scratch

    monkeypatch.setattr(scratch, "free_bytes", lambda path: 1 << 20)
    text = falling_cubes(1).Flatten().ExportToString()
    with pytest.raises(shim.NoStrategyAvailable) as caught:
        shim.load(physx, text, strategy="tempfile")
    assert list(caught.value.reasons) == ["tempfile/usda"]  # the route that had no room
    message = str(caught.value)
    assert "has 1.0 MiB free" in message
    assert "set SHIM_TMPDIR to a directory with room" in message
    with shim.load(physx, text) as automatic:  # auto never needed the temp root for USDA text
        pass
    assert automatic.strategy in ("fd", "string", "bytes")
    _still_usable(physx)


def test_releases_older_or_newer_than_any_known_are_probed_by_feature(
    physx: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shim
    from shim.releases import capabilities as probed

    real_version = probed.installed_version
    pretends = ["0.2.8", "9.0.0"]
    if getattr(shim.probe().adapter, "activate_with_binding", False):
        pretends.remove("9.0.0")  # the one version gate (0.2-0.3 activation) would rightly switch off
    for pretend in pretends:
        monkeypatch.setattr(
            probed, "installed_version", lambda name, v=pretend: v if name == "ovphysx" else real_version(name)
        )
        capabilities = shim.probe(refresh=True)
        assert capabilities.ovphysx == pretend
        assert f"ovphysx {pretend} is newer or older than the releases this shim was verified on" in capabilities.notes
        _still_usable(physx)  # its PhysX class still offers a load API the shim recognises
    monkeypatch.undo()
    shim.probe(refresh=True)


def test_a_release_without_any_load_api_is_unsupported(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unit-level: a fake ``ovphysx`` whose PhysX has neither add_usd nor attach_ovstage."""
    import types

    import shim
    from shim.releases import capabilities as probed

    fake = types.ModuleType("ovphysx")
    fake.PhysX = type("PhysX", (), {"step": lambda self: None})  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "ovphysx", fake)
    monkeypatch.setattr(probed, "installed_version", lambda name: "9.0.0" if name == "ovphysx" else None)
    try:
        assert probed.probe(refresh=True).adapter is None
        with pytest.raises(shim.UnsupportedRelease, match=r"ovphysx '9\.0\.0' is not supported: its PhysX class"):
            probed.probe_adapter()
    finally:
        monkeypatch.undo()
        shim.probe(refresh=True)


SOURCES = st.one_of(
    st.none(),
    st.integers(),
    st.floats(allow_nan=False),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.binary(max_size=200),
    st.text(max_size=200),
    st.text(max_size=200).map(lambda body: "#usda 1.0\n" + body),
    st.binary(max_size=200).map(lambda body: b"PXR-USDC" + body),
    st.sampled_from(["scene.usda", "/", "/dev/null", "~/missing.usdc", "a\nb"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(source=SOURCES)
def test_fuzz_any_source_loads_or_raises_a_shim_error(physx: Any, source: object) -> None:
    import shim

    before = _fds()
    message = None
    try:
        scene = shim.load(physx, source)
    except (shim.InvalidSource, shim.SceneLoadError, shim.NoStrategyAvailable) as error:
        message = str(error)
    else:
        assert scene.loaded
        scene.unload()
        assert not scene.loaded
    if message is not None:  # each type's remedy, in its own words
        assert any(remedy in message for remedy in ("Pass a pxr.Usd.Stage", "usdchecker", "Remedy:")), message
    assert _fds() <= before
    assert shim.scratch_files() == []
