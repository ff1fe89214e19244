"""USDA handed over by ``bytes`` (read in place), ``fd`` (one copy into a memfd) and ``string``.

    python -m benchmarks.bytes_source [--scenes cubes-5000 robots-256] [--usda FILE ...] [--rounds 10]

Paired in one process, each round in a random order; the clock runs from ``shim.load`` to a
scene that has stepped once. Needs ovphysx 0.5+ (the bytes route) and usd-core.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from typing import Any

import shim
from benchmarks.suite.case import add_scenes_option, scene_spec

STRATEGIES = ("bytes", "fd", "string")


def _timed(physx: Any, data: bytes, strategy: str) -> float:
    started = time.perf_counter()
    with shim.load(physx, data, strategy=strategy):
        shim.step(physx, 1 / 60, 1)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_scenes_option(parser, default=["cubes-5000", "robots-256"])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--usda", nargs="*", default=[], metavar="FILE", help="USDA files to load too")
    options = parser.parse_args()
    physx = shim.create_physx("cpu")
    print(f"ovphysx {shim.probe().ovphysx}, {options.rounds} rounds, paired in one process\n")
    print("| scene | MiB | bytes | fd | string | bytes vs fd, paired median |")
    print("|---|---|---|---|---|---|")
    shuffler = random.Random(0)
    sources = [(scene, None) for scene in options.scenes] + [(path, path) for path in options.usda]
    for scene, path in sources:
        if path is None:
            stage = scene_spec(scene).build("/tmp")  # held: its layer expires with it
            data = stage.GetRootLayer().ExportToString().encode()
        else:
            with open(path, "rb") as file:
                data = file.read()
        for strategy in STRATEGIES:
            _timed(physx, data, strategy)  # warm-up
        times: dict[str, list[float]] = {strategy: [] for strategy in STRATEGIES}
        for _ in range(options.rounds):
            for strategy in shuffler.sample(STRATEGIES, len(STRATEGIES)):
                times[strategy].append(_timed(physx, data, strategy))
        ratio = statistics.median(b / f for b, f in zip(times["bytes"], times["fd"], strict=True))
        medians = {strategy: statistics.median(values) for strategy, values in times.items()}
        print(
            f"| {scene} | {len(data) / 2**20:.1f} | {medians['bytes']:.3f} s | {medians['fd']:.3f} s | "
            f"{medians['string']:.3f} s | {ratio - 1:+.1%} |",
            flush=True,
        )
    shim.destroy(physx)


if __name__ == "__main__":
    main()
