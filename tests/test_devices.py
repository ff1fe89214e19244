"""Instances a process makes: several on one device; another device refused with a typed error, not ovphysx's.

Each case runs in a fresh process: the releases fix the device mode per process.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import require
from tests.fixtures.processes import run_script

_TWO_ON_THE_CPU = """
import shim
from shim.demo import falling_cubes
first = shim.create_physx("cpu")
second = shim.create_physx("cpu")
with shim.load(second, falling_cubes(1)):
    shim.step(second, 1 / 60, 10)
    print("z", float(shim.read_rigid_body_poses(second, ["/World/Cube"])[0][2]))
"""

_THEN_THE_GPU = """
import shim
first = shim.create_physx("cpu")
try:
    shim.create_physx("cuda")
except shim.DeviceModeFixed as error:
    print("refused:", error)
"""


def _ovstage_release() -> bool:
    import shim

    adapter = shim.probe(import_ovphysx=True).adapter
    assert adapter is not None
    return adapter.process_wide_device


def test_two_instances_on_the_cpu(tmp_path: Path) -> None:
    require("ovphysx")
    require("pxr")
    done = run_script(_TWO_ON_THE_CPU, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    (line,) = [line for line in done.stdout.splitlines() if line.startswith("z ")]
    assert 4.5 < float(line.split()[1]) < 4.95  # the second instance simulates: the cube falls from 5 m


def test_another_device_is_a_typed_error(tmp_path: Path) -> None:
    require("ovphysx")
    import pytest

    if not _ovstage_release():
        pytest.skip("0.2-0.4 take the device per instance")
    done = run_script(_THEN_THE_GPU, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "refused: this process already runs ovphysx" in done.stdout
    assert "on the cpu" in done.stdout
    assert "make the cuda instance in another process" in done.stdout


_MISSING_GPU = """
import shim
from shim.gpu import CudaDevices
for device in ("cuda", "cuda:7"):
    try:
        shim.create_physx(device)
    except shim.GpuUnavailable as error:
        print("refused:", error)
    shim.gpu.cuda_devices = lambda: CudaDevices(1)  # then as on a host with one GPU
"""


def test_a_gpu_this_host_lacks_is_a_typed_error(tmp_path: Path) -> None:
    """Without a CUDA device, `cuda` raises instead of running on the CPU (0.6 and 0.7 did that silently)."""
    from shim.gpu import cuda_devices

    if cuda_devices().count:
        pytest.skip("this host has a CUDA device")
    done = run_script(_MISSING_GPU, tmp_path)  # a fresh process: the device mode is fixed per process
    assert done.returncode == 0, done.stderr[-3000:]
    refused = [line for line in done.stdout.splitlines() if line.startswith("refused:")]
    assert len(refused) == 2, done.stdout[-2000:]
    assert refused[0].startswith("refused: device 'cuda': ")
    assert "Remedy: run on 'cpu'" in refused[0]
    assert refused[1].startswith("refused: device 'cuda:7': this host has 1 CUDA device (cuda:0 to cuda:0)")


def test_doctor_says_what_cuda_does_here() -> None:
    import shim
    from shim.doctor import gpu_report
    from shim.gpu import cuda_devices

    report = gpu_report(shim.probe())
    assert report.startswith(cuda_devices().describe())
    if not cuda_devices().count and shim.probe().ovphysx:
        assert report.endswith("Simulation('cuda') raises shim.GpuUnavailable (use 'cpu')")
