"""Isaac Lab 3.0's manager load, as shipped against through the shim, in fresh processes (the isaaclab300 env).

    python -m benchmarks.isaaclab_load [--case cartpole-scene] [--envs 256] [--rounds 5]

The time is the manager's ``_warmup_and_load`` (serialise, attach, clone, warm up); the two
routes alternate, one fresh process each. Prints the medians, their spread, and the paired ratio.
"""

from __future__ import annotations

import argparse
import statistics

from tests.test_isaaclab import run_case


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", default="cartpole-scene")
    parser.add_argument("--envs", type=int, default=256)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    times: dict[str, list[float]] = {"shipped": [], "shim": []}
    for round_index in range(options.rounds):
        order = ("shipped", "shim") if round_index % 2 == 0 else ("shim", "shipped")
        for route in order:
            report = run_case(options.case, route, options.envs)
            times[route].append(report["load_s"][0])
    print(f"{options.case}, {options.envs} envs, {options.rounds} fresh processes per route\n")
    print("| route | median load | min | max |")
    print("|---|---|---|---|")
    for route, values in times.items():
        print(f"| {route} | {statistics.median(values):.3f} s | {min(values):.3f} s | {max(values):.3f} s |")
    ratios = [shim / shipped for shim, shipped in zip(times["shim"], times["shipped"], strict=True)]
    print(f"\nshim / shipped, paired by round: median {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
