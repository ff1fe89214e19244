"""Fault injection with the real wheel: nothing is left behind, whatever happens mid-load.

Each case runs a child process that loads a scene through ``shim.load`` (tempfile/usdc,
the route that writes a file) into a real PhysX instance, with a fault injected inside
the native load call, while the scene file exists on disk. The child uses its own
``SHIM_TMPDIR``, so the parent can see exactly what it left.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import require

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import atexit, ctypes, os, signal, sys
import shim
from shim.adapters import LoadTarget
from shim.demo import falling_cubes

fault = sys.argv[1]
real_load_path = LoadTarget.path
# A host with the default dispositions, whatever this test run inherited (nohup, a background job).
signal.signal(signal.SIGHUP, signal.SIG_DFL)
signal.signal(signal.SIGINT, signal.default_int_handler)


def load_path_with_fault(loader, path, nbytes):
    print("scene file", path, os.path.exists(path), flush=True)
    if fault == "exception":
        raise RuntimeError("injected failure inside the native load")
    if fault == "wait":
        sys.stdin.readline()
    if fault in ("SIGTERM", "SIGHUP", "SIGINT", "SIGKILL"):
        os.kill(os.getpid(), getattr(signal, fault))
    if fault == "segfault":
        ctypes.string_at(0)
    return real_load_path(loader, path, nbytes)


LoadTarget.path = load_path_with_fault
if fault == "host-os-exit":
    atexit.register(os._exit, 0)  # as Isaac Lab's 0.3/0.4-era manager does
px = shim.create_physx("cpu")
try:
    with shim.load(px, falling_cubes(1), strategy="tempfile"):
        shim.step(px, 1 / 60, 60)
        print("final z", round(float(shim.read_rigid_body_poses(px, ["/World/Cube"])[0, 2]), 3), flush=True)
except shim.SceneLoadError as error:
    print("SceneLoadError", error.native_message, flush=True)
    LoadTarget.path = real_load_path
    with shim.load(px, falling_cubes(1)):  # the instance is still usable
        shim.step(px, 1 / 60, 60)
        print("final z", round(float(shim.read_rigid_body_poses(px, ["/World/Cube"])[0, 2]), 3), flush=True)
"""


def _env(base: Path) -> dict[str, str]:
    # os.environ explicitly: see test_shim_load._run_child (0.2.9/0.3.7 set C-level variables).
    return {**os.environ, "SHIM_TMPDIR": str(base)}


def _script(base: Path) -> str:
    # A file, not `python -c`: ovstage 0.1.0 crashes on newlines in the arguments (KnownReleaseDefect).
    script = base.parent / "load_with_fault.py"
    script.write_text(CHILD)
    return str(script)


def _child(fault: str, base: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, _script(base), fault],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env=_env(base),
        timeout=120,
    )


def _scene_file(result: subprocess.CompletedProcess[str]) -> Path:
    for line in result.stdout.splitlines():
        if line.startswith("scene file "):
            _, _, path, existed = line.split(" ")
            assert existed == "True"  # the fault hit while the scene was on disk
            return Path(path)
    raise AssertionError(f"the child never reached the load:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")


def _leftovers(base: Path) -> list[str]:
    return sorted(str(path.relative_to(base)) for path in base.rglob("*") if path.name != f"ovphysx-shim-{os.getuid()}")


@pytest.fixture
def base(tmp_path: Path) -> Path:
    require("ovphysx")
    require("pxr")
    (tmp_path / "root").mkdir()
    return tmp_path / "root"


@pytest.mark.parametrize(
    ("fault", "returncode"),
    [
        ("none", 0),  # success, then normal interpreter exit
        ("exception", 0),  # the child catches SceneLoadError and loads again
        ("host-os-exit", 0),  # atexit handlers after os._exit never run
        ("SIGTERM", -signal.SIGTERM),  # still ends by SIGTERM
        ("SIGHUP", -signal.SIGHUP),
        ("SIGINT", -signal.SIGINT),  # KeyboardInterrupt, uncaught: Python re-raises SIGINT
    ],
)
def test_nothing_is_left_behind(base: Path, fault: str, returncode: int) -> None:
    result = _child(fault, base)
    assert result.returncode == returncode, result.stderr[-3000:]
    scene_file = _scene_file(result)
    assert not scene_file.exists()
    assert _leftovers(base) == []
    if returncode == 0:
        assert "final z 0.5" in result.stdout.splitlines()
    if fault == "exception":
        assert "SceneLoadError RuntimeError: injected failure inside the native load" in result.stdout
    if fault == "SIGINT":
        assert "KeyboardInterrupt" in result.stderr


@pytest.mark.parametrize("fault", ["SIGKILL", "segfault"])
def test_a_killed_load_leaves_only_a_locked_directory_that_the_sweep_removes(base: Path, fault: str) -> None:
    live = subprocess.Popen(
        [sys.executable, _script(base), "wait"],
        stdout=subprocess.PIPE,
        stdin=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
        env=_env(base),
    )
    try:
        assert live.stdout is not None
        live_file = next(Path(line.split(" ")[2]) for line in live.stdout if line.startswith("scene file "))
        killed = _child(fault, base)
        assert killed.returncode == {"SIGKILL": -signal.SIGKILL, "segfault": -signal.SIGSEGV}[fault]
        dead_file = _scene_file(killed)
        dead_directory = dead_file.parent.parent
        assert dead_file.exists()  # no code ran after the kill: the residue is real
        assert dead_directory.name.startswith(f"p-{killed_pid(dead_directory)}-")
        assert (dead_directory / ".lock").exists()
        sweep = subprocess.run(
            [sys.executable, "-m", "shim", "sweep"],
            check=False,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=_env(base),
        )
        assert sweep.returncode == 0, sweep.stderr
        assert not dead_directory.exists()
        assert str(dead_directory) in sweep.stdout
        assert live_file.exists()  # a live process's directory is locked: left alone
    finally:
        live.communicate("\n", timeout=120)
    assert live.returncode == 0
    assert _leftovers(base) == []


def killed_pid(directory: Path) -> str:
    return directory.name.split("-")[1]


def test_next_process_first_load_sweeps_a_dead_one(base: Path) -> None:
    killed = _child("SIGKILL", base)
    dead_directory = _scene_file(killed).parent.parent
    assert dead_directory.exists()
    after = _child("none", base)
    assert after.returncode == 0, after.stderr[-3000:]
    assert not dead_directory.exists()
    assert _leftovers(base) == []
