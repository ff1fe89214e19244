"""What each format costs to produce, in one process: the part of a load the shim itself controls.

    python -m benchmarks.serialize_cost [--runs 5]

For each benchmark scene: the median time to write the root layer as a crate into a RAM
directory (the ``tempfile/usdc`` route) against producing USDA text and writing it into
a memfd (the ``fd/usda`` route), and the sizes. ovstage's own read of the two formats
is timed by ``ovphysx-shim bench`` (the floor routes); this is the deterministic part
that the auto rule adds to it. Needs usd-core only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any

from tests.fixtures import scenes

SCENES: dict[str, Callable[[], Any]] = {
    "cubes-1000": lambda: scenes.falling_cubes(1000, spacing=1.5),
    "robots-64": lambda: scenes.robots(64),
    "cubes-5000": lambda: scenes.falling_cubes(5000, spacing=1.5),
    "robots-1024": lambda: scenes.robots(1024),
    "cubes-20000": lambda: scenes.falling_cubes(20000, spacing=1.5),
    "mesh-distinct-1000": lambda: scenes.mesh_bodies(1000),
    "mesh-shared-2000": lambda: scenes.mesh_bodies(2000, distinct=False),
}


def _median_s(action: Callable[..., object], argument: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action(argument)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _text_into_memfd(layer: Any) -> int:
    data = layer.ExportToString().encode()
    fd = os.memfd_create("scene.usda", os.MFD_CLOEXEC)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
    return len(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    directory = tempfile.mkdtemp(prefix="serialize-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    print("| scene | crate written | USDA into a memfd | crate / text time | crate size | text size |")
    print("|---|---|---|---|---|---|")
    try:
        for name, build in SCENES.items():
            stage = build()  # held: the root layer lives as long as its stage
            layer = stage.GetRootLayer()
            crate_path = os.path.join(directory, f"{name}.usdc")
            crate_s = _median_s(layer.Export, crate_path, options.runs)
            text_s = _median_s(_text_into_memfd, layer, options.runs)
            text_bytes = _text_into_memfd(layer)
            print(
                f"| {name} | {crate_s * 1000:,.1f} ms | {text_s * 1000:,.1f} ms | {crate_s / text_s:.2f}x | "
                f"{os.path.getsize(crate_path) / 2**20:.2f} MiB | {text_bytes / 2**20:.2f} MiB |"
            )
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
