"""Endurance: N load/unload cycles in one process, through the shim and through the release's own API.

Each mode runs in a fresh child process pinned to one CPU: one PhysX instance, 20 warm-up cycles, then
N cycles of load + unload of the same one-cube scene. Reported: time per cycle, the growth of open
fds, and the growth of anonymous resident memory (RssAnon: the heap, where a leak lives) over the
N cycles, in total and as a rate: the median over windows of 100 cycles of the growth per cycle.
A leak grows memory in every window; the steps a release takes while its worker threads settle
land in one or two windows and leave the median alone. The native mode is what a hand-written
manager does: a file written once, loaded by path (``add_usd``/``remove_usd`` on 0.2-0.4; ovstage
``open_usd`` + attach/detach on 0.5+), through ``tests.fixtures.native_routes.loaded_natively``, the
test suite's oracle.

    python -m benchmarks.endurance --cycles 1000 [--json results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# The hand-written native load is the test suite's oracle: one copy of each release's own calls.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.suite.case import status_kib
from tests.fixtures.native_routes import loaded_natively

WARM_UP = 20
WINDOW = 100  # cycles per window of the growth rate
_MARK = "endurance-result: "


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def _heap_kib() -> int:
    """Anonymous resident memory; VmRSS on a kernel older than 4.5, which has no RssAnon."""
    return status_kib("RssAnon") or status_kib("VmRSS")


def _pin_to_one_cpu() -> None:
    """Run this process, and the worker threads ovphysx starts later, on one CPU.

    On 0.7.0 the release's own memory growth over 1,000 cycles depends on how its worker threads
    get scheduled: with two CPUs and other work running, 5.6 to 75.7 MiB for the very same native
    loop, and the shim's figure swings alike, so two runs cannot be compared. On one CPU both
    modes grew 1.9 to 2.2 MiB, run after run, busy box or not: a leak of the shim's own stands out.
    """
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def run_mode(mode: str, cycles: int) -> dict[str, Any]:
    _pin_to_one_cpu()  # before ovphysx starts its threads: they inherit the mask
    import shim
    from tests.fixtures.scenes import falling_cubes

    physx = shim.create_physx("cpu")  # the shim's helper only picks the CPU switch of this release
    stage = falling_cubes(1)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "scene.usdc")
        stage.Export(path)

        def cycle() -> None:
            if mode == "native":
                with loaded_natively(physx, path):
                    pass
            else:
                shim.load(physx, stage).unload()

        for _ in range(WARM_UP):
            cycle()
        fds = _open_fds()
        started_kib = window_kib = _heap_kib()
        window_start = 0
        window_rates: list[float] = []  # KiB per cycle, one per window
        started = time.perf_counter()
        for done in range(1, cycles + 1):
            cycle()
            if done % WINDOW == 0 or done == cycles:
                now_kib = _heap_kib()
                window_rates.append((now_kib - window_kib) / (done - window_start))
                window_kib, window_start = now_kib, done
        elapsed = time.perf_counter() - started
        return {
            "mode": mode,
            "ovphysx": shim.probe().ovphysx,
            "cycles": cycles,
            "ms_per_cycle": 1000 * elapsed / cycles,
            "fd_growth": _open_fds() - fds,
            "heap_growth_mib": (window_kib - started_kib) / 1024,  # the last window ends with the last cycle
            "heap_kib_per_cycle": statistics.median(window_rates),
            "window_kib_per_cycle": window_rates,
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=1000)
    parser.add_argument("--json", help="also write the raw results here")
    parser.add_argument("--mode", choices=["shim", "native"], help=argparse.SUPPRESS)  # one child's job
    options = parser.parse_args(argv)
    if options.mode:
        print(_MARK + json.dumps(run_mode(options.mode, options.cycles)), flush=True)
        return 0
    results = []
    for mode in ("native", "shim"):
        child = subprocess.run(
            [sys.executable, __file__, "--mode", mode, "--cycles", str(options.cycles)],
            capture_output=True,
            text=True,
            check=True,
            env=dict(os.environ),
        )
        # ovphysx logs to stdout too, before and after: take the marked line.
        results.append(
            json.loads(next(line for line in child.stdout.splitlines() if line.startswith(_MARK))[len(_MARK) :])
        )
    print(f"ovphysx {results[0]['ovphysx']}, {options.cycles} load/unload cycles of a one-cube scene")
    print("| mode | ms per cycle | fd growth | heap growth (MiB) | heap growth (KiB per cycle, median window) |")
    print("|---|---|---|---|---|")
    for result in results:
        print(
            f"| {result['mode']} | {result['ms_per_cycle']:.2f} | {result['fd_growth']} "
            f"| {result['heap_growth_mib']:.1f} | {result['heap_kib_per_cycle']:.2f} |"
        )
    if options.json:
        with open(options.json, "w", encoding="utf-8") as out:
            json.dump(results, out, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
