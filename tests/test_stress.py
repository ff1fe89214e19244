"""Concurrency and endurance with the real wheel (SHIM_STRESS=1: the ov0413 and ov070 envs).

32 processes x 10 loads at once through a shared temp root, and 1,000 load/unload
cycles in one process measured against the release's own API (benchmarks/endurance.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not os.environ.get("SHIM_STRESS"), reason="SHIM_STRESS=1 runs these (two tox envs)")

# SHIM_STRESS is the number of processes: 32 on 0.4.13. 0.7.0's idle worker threads spin
# (32 processes on 2 cores took 5+ minutes, mostly system time), so its env runs 8.
PROCESSES = int(os.environ.get("SHIM_STRESS") or 0)
LOADS = 10
CHILD = """
import sys
import shim
from shim.adapters import LoadTarget
from shim.demo import falling_cubes

real_load_path = LoadTarget.path


def load_path_and_tell(loader, path, nbytes):
    print("scene file", path, flush=True)
    return real_load_path(loader, path, nbytes)


LoadTarget.path = load_path_and_tell
physx = shim.create_physx("cpu", num_threads=1)  # 32 processes share the cores: one PhysX worker each
for index in range(int(sys.argv[1])):
    height = 1.0 + index / 10
    with shim.load(physx, falling_cubes(1, height=height), strategy="tempfile") as scene:
        shim.step(physx, 1 / 60, 5)
        z = float(shim.read_rigid_body_poses(physx, ["/World/Cube"])[0, 2])
    print("final", index, scene.strategy, repr(z), flush=True)
"""


def test_many_processes_load_10_scenes_each_at_once(tmp_path: Path) -> None:
    require("ovphysx")
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    base = tmp_path / "root"
    base.mkdir()
    env = {**os.environ, "SHIM_TMPDIR": str(base)}
    children = [
        subprocess.Popen(
            [sys.executable, str(script), str(LOADS)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(PROCESSES)
    ]
    try:
        outputs = [child.communicate(timeout=900) for child in children]
    finally:
        for child in children:
            child.kill()
    failed = [
        (child.returncode, err[-1500:]) for child, (_, err) in zip(children, outputs, strict=True) if child.returncode
    ]
    assert failed == []
    files = [line.split(" ")[2] for out, _ in outputs for line in out.splitlines() if line.startswith("scene file ")]
    assert len(files) == len(set(files)) == PROCESSES * LOADS  # every name distinct
    finals = [[line.split(" ")[1:] for line in out.splitlines() if line.startswith("final ")] for out, _ in outputs]
    # Every process loaded the same ten scenes: the same bits everywhere, each cube falling from its height.
    assert all(process == finals[0] for process in finals)
    for index, strategy, z in finals[0]:
        height = 1.0 + int(index) / 10
        assert strategy == "tempfile"
        assert height - 0.2 < float(z) < height
    leftovers = [str(path) for path in base.rglob("*") if path.name != f"ovphysx-shim-{os.getuid()}"]
    assert leftovers == []


def test_1000_cycles_grow_no_fds_and_no_more_memory_than_the_native_api(tmp_path: Path) -> None:
    require("ovphysx")
    out = tmp_path / "endurance.json"
    # Measured side by side, each child pinned to one CPU (benchmarks/endurance.py says why). The
    # rate is the median of ten 100-cycle windows. In eight runs beside other work, 0.7.0 grew
    # 1.7-2.3 KiB a cycle both ways (shim minus native -0.6 to +0.5), 0.4.13 8.1-8.2 (within 0.12).
    # 2 KiB a cycle above the native API is a leak of 2 KiB per load; the one-cube crate is 1.3 KiB.
    # Once, with every tox env running at once, the shim's 0.4.13 child took four times its usual
    # time per cycle and grew 2.2 KiB a cycle more: a leak grows in every run, so a figure above
    # the margin is measured once more, both ways, and the second measurement decides.
    for attempt in (1, 2):
        native, through_shim = _endurance(out)
        assert through_shim["fd_growth"] == 0
        if through_shim["heap_kib_per_cycle"] <= native["heap_kib_per_cycle"] + 2:
            break
        print(
            f"attempt {attempt}: shim {through_shim['heap_kib_per_cycle']:.2f} KiB a cycle, native {native['heap_kib_per_cycle']:.2f}"
        )
    assert through_shim["heap_kib_per_cycle"] <= native["heap_kib_per_cycle"] + 2
    results = os.environ.get("SHIM_RESULTS_DIR")
    if results:
        folder = Path(results) / "endurance"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{os.environ.get('SHIM_ENV_NAME', 'local')}.json").write_text(out.read_text())


def _endurance(out: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The native and the shim's figures of one ``benchmarks.endurance`` run of 1,000 cycles."""
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.endurance", "--cycles", "1000", "--json", str(out)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env=dict(os.environ),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    print(result.stdout)
    native, through_shim = json.loads(out.read_text())
    return native, through_shim
