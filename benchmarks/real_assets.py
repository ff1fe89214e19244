"""content="physics" against content="all" on NVIDIA's own assets (tests/fixtures/real_assets.py), to the first step.

Each round runs both contents in fresh processes, in random order; the clock runs from an
in-memory stage (opened before it starts) to a scene that has stepped once. Prints a table
of medians and the paired ratio.

    python -m benchmarks.real_assets --rounds 5 [--clones 16]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ASSETS = ("g1", "gantry-robot", "ur10e-2f85", "robotiq-2f85")


def _stage(asset: str, clones: int) -> Any:
    from pxr import Sdf, Usd

    from tests.fixtures.real_assets import MANIFEST, fetch

    path = fetch() / next(each.path for each in MANIFEST if each.name == asset)
    if clones <= 1:
        return Usd.Stage.Open(str(path))
    stage = Usd.Stage.CreateInMemory()
    for scope in ("/World", "/World/envs"):
        stage.DefinePrim(scope, "Xform")
    for index in range(clones):  # Isaac Lab's layout: env_i references the asset, each with its own place
        env = Sdf.CreatePrimInLayer(stage.GetRootLayer(), f"/World/envs/env_{index}")
        env.specifier = Sdf.SpecifierDef
        env.referenceList.Prepend(Sdf.Reference(str(path)))
        translate = Sdf.AttributeSpec(env, "xformOp:translate", Sdf.ValueTypeNames.Double3)
        translate.default = (index % 8 * 3.0, index // 8 * 3.0, 0)
        Sdf.AttributeSpec(env, "xformOpOrder", Sdf.ValueTypeNames.TokenArray).default = ["xformOp:translate"]
    return stage


def _child(asset: str, clones: int, content: str) -> dict[str, Any]:
    import shim

    physx = shim.create_physx("cpu")
    stage = _stage(asset, clones)
    prims = sum(1 for _ in stage.Traverse())
    started = time.perf_counter()
    scene = shim.load(physx, stage, content=content)
    shim.step(physx, 1 / 60, 1)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "prims": prims, "nbytes": scene.nbytes, "route": f"{scene.strategy}/{scene.format}"}


def _run(asset: str, clones: int, content: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", asset, str(clones), content],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clones", type=int, default=16, help="also each asset cloned this many times (0: not)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        asset, clones, content = arguments.child
        import os

        sys.stdout.flush()
        saved = os.dup(1)
        os.dup2(2, 1)  # ovphysx logs to stdout; the JSON line must stand alone there
        try:
            found = _child(asset, int(clones), content)
        finally:
            os.dup2(saved, 1)
        print(json.dumps(found))
        return
    import shim

    cases = [(asset, 1) for asset in ASSETS] + (
        [(asset, arguments.clones) for asset in ASSETS[:1]] if arguments.clones > 1 else []
    )
    print(
        f"ovphysx {shim.probe().ovphysx}, {arguments.rounds} rounds, fresh processes, clock to the first completed step\n"
    )
    print(
        "| asset | prims | content='all' s | content='physics' s | physics / all (paired median) | bytes handed over all / physics |"
    )
    print("|---|---|---|---|---|---|")
    for asset, clones in cases:
        samples: dict[str, list[dict[str, Any]]] = {"all": [], "physics": []}
        for _ in range(arguments.rounds):
            order = ["all", "physics"]
            random.shuffle(order)
            for content in order:
                samples[content].append(_run(asset, clones, content))
        ratio = statistics.median(
            p["seconds"] / a["seconds"] for a, p in zip(samples["all"], samples["physics"], strict=True)
        )
        name = asset if clones == 1 else f"{asset} x {clones}"
        median = {content: statistics.median(s["seconds"] for s in samples[content]) for content in samples}
        print(
            f"| {name} | {samples['all'][0]['prims']:,} | {median['all']:.3f} | {median['physics']:.3f} | {ratio:.2f} | "
            f"{samples['all'][0]['nbytes'] or 0:,} / {samples['physics'][0]['nbytes'] or 0:,} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
