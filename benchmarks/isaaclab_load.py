"""Isaac Lab 3.0's manager load and re-warm, as shipped against through the shim, in fresh processes.

    python -m benchmarks.isaaclab_load [--cases so101:1,so101:16] [--rounds 3]

Runs in an Isaac Lab env (``tox -e isaaclab300 --notest``, then that env's python). The time is
the manager's ``_warmup_and_load`` (serialise, attach, clone, warm up): the first load, then a
forced re-warm of the same simulation. Routes: Isaac Lab as shipped, ``install()`` (auto) and
``install(content="physics")``, rotating, one fresh process each. Prints medians, spread, peak
RSS, the speed-up against as shipped, and whether every route's state was bitwise the same.
"""

from __future__ import annotations

import argparse
import statistics
from typing import Any

from tests.test_isaaclab import run_case

ROUTES = ("shipped", "shim", "shim-physics")
DEFAULT_CASES = "cartpole-scene:256,cartpole-scene:4096,so101:1,so101:16,shadow-hand:0"


def measure(case: str, count: int, rounds: int) -> dict[str, list[dict[str, Any]]]:
    """Every route's reports, ``rounds`` fresh processes each, the route order rotating by round."""
    reports: dict[str, list[dict[str, Any]]] = {route: [] for route in ROUTES}
    for round_index in range(rounds):
        shift = round_index % len(ROUTES)
        for route in ROUTES[shift:] + ROUTES[:shift]:
            reports[route].append(run_case(case, route, count, extra_arguments=["--rewarm"]))
    return reports


def rows(case: str, count: int, reports: dict[str, list[dict[str, Any]]]) -> list[str]:
    shipped_load = statistics.median(report["load_s"][0] for report in reports["shipped"])
    digests = {report["digest"] for route in ROUTES for report in reports[route]}
    lines = []
    for route in ROUTES:
        loads = [report["load_s"][0] for report in reports[route]]
        rewarms = [report["load_s"][-1] for report in reports[route]]
        rss = statistics.median(report["peak_rss_mb"] for report in reports[route])
        load = statistics.median(loads)
        lines.append(
            f"| {case} {count} | {route} | {load:.3f} s ({min(loads):.3f}-{max(loads):.3f}) "
            f"| {statistics.median(rewarms):.3f} s | {rss:,.0f} MB | {shipped_load / load:.1f}x "
            f"| {'yes' if len(digests) == 1 else 'NO'} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default=DEFAULT_CASES, help="CASE:ENVS,... (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    print(f"{options.rounds} fresh processes per route and case; load and re-warm are _warmup_and_load\n")
    print("| case, envs | route | load: median (range) | re-warm | peak RSS | speed-up | bitwise |")
    print("|---|---|---|---|---|---|---|")
    for entry in options.cases.split(","):
        case, count = entry.split(":")
        for line in rows(case, int(count), measure(case, int(count), options.rounds)):
            print(line, flush=True)


if __name__ == "__main__":
    main()
