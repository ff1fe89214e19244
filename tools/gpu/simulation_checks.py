"""shim.Simulation on a CUDA host: the device checks, and the example manager engine-cloned and whole.

Run by ``tools/gpu/run_on_device.sh simulation`` on the lent GPU machine; prints a markdown report.
Each case runs in its own process: the device mode is fixed per process.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PAIRS = 4 * 1024 * 1024  # the GPU pair buffers docs/gpu.md sizes for thousands of robots

DEVICES = """
import shim
for device in ("cuda:7", "cuda", "cuda:0"):
    try:
        with shim.Simulation(device) as simulation:
            print("|", device, "|", simulation.device, "|", simulation.physx.get_cpu_mode() if hasattr(simulation.physx, "get_cpu_mode") else "-", "|")
    except shim.GpuUnavailable as error:
        print("|", device, "| GpuUnavailable |", str(error).split(". Remedy")[0], "|")
"""


def _example(envs: int, clones: str) -> tuple[dict[str, Any], float]:
    started = time.perf_counter()
    command = [sys.executable, str(ROOT / "examples" / "ovphysx_manager.py"), "--envs", str(envs), "--steps", "120"]
    command += ["--device", "cuda", "--clones", clones, "--gpu-pairs", str(PAIRS), "--json"]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=540)
    if done.returncode != 0:
        raise RuntimeError(f"{envs} envs, clones={clones}: {done.stderr[-2000:]}")
    line = next(line for line in done.stdout.splitlines() if line.startswith("manager-report: "))
    return json.loads(line.removeprefix("manager-report: ")), time.perf_counter() - started


def main() -> None:
    print("## Devices\n\n| asked for | got | get_cpu_mode() |\n|---|---|---|")
    done = subprocess.run([sys.executable, "-c", DEVICES], capture_output=True, text=True, check=False, timeout=300)
    print("".join(line + "\n" for line in done.stdout.splitlines() if line.startswith("|")), end="")
    if done.returncode:
        print(f"\n(devices failed: {done.stderr[-1500:]})")
    print("\n## The example manager on cuda: engine clones against the whole stage, 120 steps\n")
    print("| envs | clones | engine copies | process s | state bitwise equal to clones=stage | lowest base z |")
    print("|---:|---|---:|---:|---|---:|")
    for envs in (1024, 4096):
        whole, whole_s = _example(envs, "stage")
        cloned, cloned_s = _example(envs, "auto")
        same = all(cloned[name] == whole[name] for name in ("joint_positions", "joint_velocities", "link_poses"))
        same = same and cloned["paths"] == whole["paths"]
        for report, seconds in ((whole, whole_s), (cloned, cloned_s)):
            clones = "stage" if report is whole else "auto"
            lowest = min(links[0][2] for links in report["link_poses"])
            print(f"| {envs:,} | {clones} | {report['clones']} | {seconds:.1f} | {same} | {lowest:.3f} |")


if __name__ == "__main__":
    main()
