"""ovphysx 0.2.9 without the NVIDIA driver: a clear error; with the C stub driver: real physics."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import lazy
from tests import stub_libcuda
from tests.conftest import require

DEMO = [sys.executable, "-m", "shim", "demo", "--bodies", "2", "--steps", "120"]


def _needs_driver() -> bool:
    found = lazy.available("ovphysx")
    return bool(found) and (found.version or "").startswith("0.2.")


def test_without_the_driver_the_error_says_so() -> None:
    require("ovphysx")
    if not _needs_driver():
        pytest.skip("only ovphysx 0.2.x links libcuda.so.1")
    env = {key: value for key, value in os.environ.items() if key != "LD_LIBRARY_PATH"}
    result = subprocess.run(DEMO, capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 4  # the environment lacks something
    assert "Traceback" not in result.stderr
    assert "needs the NVIDIA driver library libcuda.so.1" in result.stderr


def test_with_the_stub_driver_the_scene_simulates(tmp_path: Path) -> None:
    require("ovphysx")
    if not _needs_driver():
        pytest.skip("only ovphysx 0.2.x links libcuda.so.1")
    origin = lazy.available("ovphysx").origin
    assert origin is not None
    stub = stub_libcuda.build(Path(origin).parent, tmp_path)
    env = {**os.environ, "LD_LIBRARY_PATH": str(stub)}
    result = subprocess.run(DEMO, capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    resting = [line for line in result.stdout.splitlines() if line.strip().startswith("/World/Cube_")]
    heights = [float(line.split("z=")[1]) for line in resting]
    assert heights == pytest.approx([0.5, 1.5], abs=0.01)  # the demo's stack of two boxes, at rest
