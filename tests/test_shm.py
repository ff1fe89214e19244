"""/dev/shm hygiene: NVIDIA's runtime leftovers of ended processes are removed, never a live one's."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from shim.scratch import SHARED_MEMORY, sweep_runtime_leftovers
from tests.conftest import require
from tests.fixtures.processes import run_script


def _ended_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    )
    return int(child.stdout)


def test_only_the_segments_of_ended_processes_are_removed(tmp_path: Path) -> None:
    ended, live = _ended_pid(), os.getpid()
    names = [
        f"carb-RStringInternals-{ended}",
        f"sem.carb-RStringInternals-{ended}",
        f"carb-RStringInternals-{live}",
        f"sem.carb-RStringInternals-{live}",
        "carb-Other-1",
        f"carb-RStringInternals-{ended}.bak",
    ]
    for name in names:
        (tmp_path / name).write_bytes(b"\0" * 16)
    planted = tmp_path / f"carb-RStringInternals-{_ended_pid()}"
    planted.symlink_to(tmp_path / "carb-Other-1")  # not a segment: left alone, and never followed
    removed = sweep_runtime_leftovers(str(tmp_path))
    assert sorted(removed) == sorted(str(tmp_path / name) for name in names[:2])
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([*names[2:], planted.name])


def test_a_directory_that_cannot_be_read_sweeps_nothing(tmp_path: Path) -> None:
    assert sweep_runtime_leftovers(str(tmp_path / "absent")) == []


def test_fifty_processes_leave_dev_shm_no_fuller(tmp_path: Path) -> None:
    """Each process makes a PhysX and loads through the shim; the next one's first load sweeps the last."""
    require("ovphysx")
    if not os.environ.get("SHIM_STRESS"):
        pytest.skip("SHIM_STRESS=1 runs this (two tox envs)")
    script = (
        "import os, shim\nfrom shim.demo import falling_cubes\n"
        "physx = shim.create_physx('cpu')\nshim.load(physx, falling_cubes(1)).unload()\nprint('pid', os.getpid())\n"
    )
    before = _all_segments()
    children: list[int] = []
    for _ in range(50):
        done = run_script(script, tmp_path)
        assert done.returncode == 0, done.stderr[-2000:]
        found = re.search(r"^pid (\d+)$", done.stdout, re.MULTILINE)  # the engine prints on stdout too
        assert found, done.stdout[-2000:]
        children.append(int(found.group(1)))
        if not _segments(children[-1]):
            assert len(children) == 1, "the runtime left nothing this time, where it did before"
            pytest.skip("this release leaves no segment in /dev/shm here")
        assert not _segments(*children[:-1]), "a process's first load sweeps what the ended ones left"
    sweep_runtime_leftovers()  # the last one's, as the next process's first load would
    assert not _segments(*children)
    assert len(_all_segments()) <= len(before) + _live_others()


def _all_segments() -> list[str]:
    return [name for name in os.listdir(SHARED_MEMORY) if "carb-RStringInternals-" in name]


def _segments(*pids: int) -> list[str]:
    return [name for name in _all_segments() if int(name.rsplit("-", 1)[1]) in pids]


def _live_others() -> int:
    """Segments of processes alive now (other test envs running beside this one)."""
    return sum(1 for name in _all_segments() if os.path.exists(f"/proc/{name.rsplit('-', 1)[1]}"))
