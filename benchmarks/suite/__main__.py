"""``python -m benchmarks.suite``: time every route side by side, each case in a fresh process; print the table."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks import suite


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.suite", description=__doc__)
    parser.add_argument("--scenes", nargs="+", metavar="SCENE", help="default: all listed (see --list)")
    parser.add_argument("--routes", nargs="+", metavar="ROUTE", help="default: all (see --list)")
    parser.add_argument("--repetitions", type=int, default=3, help="fresh processes per case; the median is reported")
    parser.add_argument(
        "--overhead-scenes", nargs="*", metavar="SCENE", help="scenes for the shim-overhead measurement"
    )
    parser.add_argument(
        "--overhead-pairs", type=int, metavar="N", help="back-to-back pairs per overhead scene (default: 9)"
    )
    parser.add_argument("--quick", action="store_true", help="the two smallest scenes only")
    parser.add_argument("--json", metavar="FILE", help="write every sample and median here")
    parser.add_argument("--plot", metavar="PNG", help="write the plot here (needs matplotlib)")
    parser.add_argument("--list", action="store_true", help="list the scenes and routes, and exit")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    if arguments.list:
        print("scenes:\n" + "".join(f"  {name:20} {spec.about}\n" for name, spec in suite.SCENES.items()))
        print("  cubes-N, robots-N    those scenes at any size N\n")
        print("routes:\n" + "".join(f"  {name:20} {about}\n" for name, about in suite.ROUTES.items()))
        return 0
    scenes = arguments.scenes or (["cubes-100", "cubes-1000"] if arguments.quick else list(suite.SCENES))
    routes = arguments.routes or list(suite.ROUTES)
    overhead = arguments.overhead_scenes if arguments.overhead_scenes is not None else scenes[:2]

    def progress(case: dict[str, Any]) -> None:
        took = f"{float(case['load_s']) * 1000:,.0f} ms" if "load_s" in case else case.get("reason", "")
        if case.get("route") == "overhead":
            took = f"{float(case.get('overhead_pct', 0)):+.1f}%" if case["status"] == "ok" else case.get("reason", "")
        print(f"  {case['scene']:20} {case['route']:20} {case['status']:8} {took}", file=sys.stderr, flush=True)

    def checkpoint(so_far: dict[str, Any]) -> None:
        if arguments.json:
            Path(arguments.json).write_text(json.dumps(so_far, indent=1) + "\n")

    try:
        result = suite.run(
            scenes,
            routes,
            arguments.repetitions,
            overhead_scenes=overhead,
            overhead_pairs=suite.OVERHEAD_PAIRS if arguments.overhead_pairs is None else arguments.overhead_pairs,
            progress=progress,
            checkpoint=checkpoint,
        )
    except ValueError as error:  # a scene, a route or a count that cannot be run, named
        print(f"benchmarks.suite: error: {error}", file=sys.stderr)
        return 2
    if arguments.plot:
        suite.plot([result], arguments.plot)
    print(suite.markdown([result]))
    return 0 if all(row["status"] in ("ok", "n/a") for row in result["medians"]) else 1


if __name__ == "__main__":
    sys.exit(main())
