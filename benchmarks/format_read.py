"""Crate or text, written and read back, paired in one process: the choice the auto rule makes.

    python -m benchmarks.format_read [--scenes robots-1024 cubes-20000] [--pairs 4]

In one process with one CPU instance, for each scene: each pair writes the stage's root
layer as USDC and as USDA into fresh RAM directories and loads each by path with the
release's own calls (write and native load timed apart), the two formats in alternating
order so that a drift from load to load falls on both alike. Fresh processes differ from
one another by 20-40% on large scenes (``ovphysx-shim bench``); pairs in one process do
not carry that noise, so they can tell a few percent apart. Needs ovphysx and usd-core.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from typing import Any

import shim
from benchmarks.suite.case import add_scenes_option, scene_spec
from tests.fixtures import native_routes as handwritten

FORMATS = ("usdc", "usda")


def _write_and_load(physx: Any, layer: Any, fmt: str, directory: str) -> tuple[float, float]:
    """(write seconds, native load seconds) of one format; unloaded and deleted outside the clock."""
    workdir = tempfile.mkdtemp(dir=directory)  # a fresh path every load: 0.2-0.4 serve a reused path stale
    try:
        path = os.path.join(workdir, f"scene.{fmt}")
        started = time.perf_counter()
        layer.Export(path)
        written = time.perf_counter()
        with handwritten.loaded_natively(physx, path):
            loaded = time.perf_counter()
        return written - started, loaded - written
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def pairs(physx: Any, scene: str, count: int, directory: str) -> list[dict[str, float]]:
    """``count`` pairs of {usdc_write, usdc_read, usda_write, usda_read} for ``scene``."""
    stage = scene_spec(scene).build(directory)
    layer = stage.GetRootLayer()  # the benchmark scenes are single in-memory layers, as the shim sends them
    measured = []
    for index in range(count):
        pair: dict[str, float] = {}
        for fmt in FORMATS if index % 2 == 0 else FORMATS[::-1]:
            pair[f"{fmt}_write"], pair[f"{fmt}_read"] = _write_and_load(physx, layer, fmt, directory)
        measured.append(pair)
    return measured


def _row(scene: str, measured: list[dict[str, float]]) -> str:
    def median(key: str) -> float:
        return statistics.median(pair[key] for pair in measured)

    def total(pair: dict[str, float], fmt: str) -> float:
        return pair[f"{fmt}_write"] + pair[f"{fmt}_read"]

    text_over_crate = [100 * (total(pair, "usda") / total(pair, "usdc") - 1) for pair in measured]
    read_over = [100 * (pair["usda_read"] / pair["usdc_read"] - 1) for pair in measured]
    text_wins = sum(value < 0 for value in text_over_crate)
    return (
        f"| {scene} | {median('usdc_write'):.3f} + {median('usdc_read'):.3f} s | "
        f"{median('usda_write'):.3f} + {median('usda_read'):.3f} s | {statistics.median(read_over):+.1f}% | "
        f"{statistics.median(text_over_crate):+.1f}% | {text_wins} of {len(measured)} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_scenes_option(parser, default=["cubes-5000", "robots-1024", "cubes-20000"])
    parser.add_argument("--pairs", type=int, default=4)
    options = parser.parse_args()
    probe = shim.probe()
    print(f"ovphysx {probe.ovphysx}, {options.pairs} pairs per scene, in one process\n")
    print(
        "| scene | crate: write + read | text: write + read | text read vs crate read | text route vs crate route "
        "| pairs where text was faster |"
    )
    print("|---|---|---|---|---|---|")
    # One instance for every scene: 0.4.13 segfaults loading into a new instance once an earlier one
    # that loaded a scene is released, as a per-scene instance is when the next scene begins.
    physx = shim.create_physx("cpu")
    directory = tempfile.mkdtemp(prefix="format-read-", dir=probe.temp_root)
    try:
        for scene in options.scenes:
            print(_row(scene, pairs(physx, scene, options.pairs, directory)), flush=True)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
