"""The benchmark suite: its scenes simulate, its cases measure, its report computes the target ratios."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require

ROOT = Path(__file__).resolve().parent.parent


def _result(times: dict[tuple[str, str], float]) -> dict[str, Any]:
    medians = [
        {
            "scene": scene,
            "route": route,
            "runs": 3,
            "status": "ok",
            "load_s": took,
            "peak_rss_mib": 100 * took,
            "bytes": 1,
            "strategy": "tempfile/usdc" if route == "shim-auto" else None,
        }
        for (scene, route), took in times.items()
    ]
    medians.append(
        {"scene": "cubes-1000", "route": "shim-bytes-usda", "runs": 0, "status": "n/a", "reason": "no bytes route"}
    )
    environment = {"ovphysx": "9.9", "ovstage": None, "usd_core": "26.11", "python": "3.11", "machine": "test"}
    return {"environment": environment, "samples": [], "medians": medians, "overhead": []}


def test_ratios_compare_auto_with_each_baseline() -> None:
    from benchmarks.suite import ratios

    result = _result(
        {
            ("cubes-1000", "export-usda"): 2.0,
            ("cubes-1000", "string-usda"): 1.0,
            ("cubes-1000", "floor-usdc"): 0.4,
            ("cubes-1000", "floor-usda"): 0.45,
            ("cubes-1000", "shim-fd-usda"): 0.45,
            ("cubes-1000", "shim-auto"): 0.5,
        }
    )
    (row,) = ratios(result)
    assert row["auto_own_s"] is None  # no sample said how much of its time was ovphysx's
    assert row["vs_export"] == pytest.approx(4.0)
    assert row["vs_string"] == pytest.approx(2.0)
    assert row["fastest_route"] == "shim-fd-usda"
    assert row["auto_over_fastest_pct"] == pytest.approx(100 * (0.5 / 0.45 - 1))
    assert row["auto_over_floor_pct"] == pytest.approx(25.0)
    assert row["rss_vs_string"] == pytest.approx(2.0)


def test_physics_only_is_compared_with_all_and_with_its_own_floor() -> None:
    from benchmarks.suite import markdown, ratios

    result = _result(
        {
            ("appearance-256", "shim-auto"): 6.0,
            ("appearance-256", "shim-physics"): 2.0,
            ("appearance-256", "floor-physics"): 1.5,
        }
    )
    (row,) = ratios(result)
    assert row["physics_speedup"] == pytest.approx(3.0)
    assert row["physics_rss_ratio"] == pytest.approx(3.0)  # the fake peak RSS is 100 MiB per second
    assert (row["physics_floor_speedup"], row["physics_floor_rss_ratio"]) == (pytest.approx(4.0), pytest.approx(4.0))
    assert row["auto_over_floor_pct"] is None  # the physics floor is not a floor of the whole scene
    assert "| appearance-256 | 3.00x | 3.00x | 4.00x / 4.00x |" in markdown([result])


def test_markdown_shows_every_route_and_the_unavailable_ones() -> None:
    from benchmarks.suite import markdown

    text = markdown([_result({("cubes-1000", "floor-usdc"): 0.4, ("cubes-1000", "shim-auto"): 0.5})])
    assert "### ovphysx 9.9" in text
    assert "| cubes-1000 | 400 ms / 40 MiB | n/a | 500 ms / 50 MiB |" in text
    assert "+25.0%" in text


def test_auto_own_work_is_its_time_outside_ovphysx_over_its_native_load() -> None:
    from benchmarks.suite import markdown, ratios

    result = _result({("cubes-1000", "floor-usdc"): 0.4, ("cubes-1000", "shim-auto"): 0.5})
    (auto,) = (row for row in result["medians"] if row["route"] == "shim-auto")
    auto["own_s"] = 0.05
    (row,) = ratios(result)
    assert row["auto_own_pct"] == pytest.approx(100 * 0.05 / 0.45)
    assert "| 50 ms (11.1%) |" in markdown([result])


def test_medians_carry_the_spread_of_the_runs_and_the_table_shows_it() -> None:
    from benchmarks.suite import markdown
    from benchmarks.suite.run import medians

    def sample(route: str, took: float) -> dict[str, Any]:
        return {"scene": "cubes-1000", "route": route, "status": "ok", "load_s": took, "peak_rss_mib": 10.0}

    samples = [sample("shim-auto", took) for took in (0.5, 0.45, 0.6)]
    samples += [sample("shim-fd-usda", took) for took in (0.4, 0.42, 0.41)] + [sample("floor-usdc", 0.4)]
    rows = {row["route"]: row for row in medians(samples)}
    assert rows["shim-auto"]["spread_pct"] == pytest.approx(100 * (0.6 - 0.45) / 0.5)
    assert rows["floor-usdc"]["spread_pct"] is None  # one run has no spread
    environment = {"ovphysx": "9.9", "ovstage": None, "usd_core": "26.11", "python": "3.11", "machine": "test"}
    text = markdown([{"environment": environment, "samples": samples, "medians": list(rows.values()), "overhead": []}])
    assert "| shim-fd-usda | +22.0% | +25.0% | 30% / 5% |" in text


def test_performance_doc_tables_are_the_committed_results() -> None:
    """docs/performance.md's tables are generated from benchmarks/results; a stale page fails here."""
    from benchmarks.suite import markdown
    from tools import performance_doc
    from tools.compat_table import replace_table

    root = Path(__file__).resolve().parent.parent
    page = (root / performance_doc.DOC).read_text()
    tables = markdown(performance_doc.merged(root / "benchmarks" / "results"))
    assert replace_table(page, tables, performance_doc.START, performance_doc.END) == page, (
        "run: python -m tools.performance_doc benchmarks/results --write"
    )


def test_results_of_one_release_from_two_machines_merge_and_the_header_names_both(tmp_path: Path) -> None:
    from tools import performance_doc

    for name, machine, scene in [
        ("a-core", "vm-1", "cubes-100"),
        ("b-large", "vm-2", "cubes-5000"),
        ("c", "vm-1", "x"),
    ]:
        part = _result({})
        part["environment"]["machine"] = machine
        part["samples"] = [{"scene": scene, "route": "floor-usdc", "status": "ok", "load_s": 0.1, "peak_rss_mib": 9}]
        (tmp_path / f"{name}.json").write_text(json.dumps(part))
    (merged,) = performance_doc.merged(tmp_path)
    assert merged["environment"]["machine"] == "vm-1 | vm-2"  # each machine once, in file order
    assert {row["scene"] for row in merged["medians"]} == {"cubes-100", "cubes-5000", "x"}


def test_a_scene_family_takes_any_size_and_an_unknown_name_lists_the_choices() -> None:
    from benchmarks.suite.case import SCENES, scene_spec

    assert scene_spec("cubes-20000") is SCENES["cubes-20000"]
    assert scene_spec("cubes-12000").bodies == 12_000
    assert scene_spec("robots-512").bodies == 512 * 9
    assert scene_spec("robots-512").probe_body == SCENES["robots-1024"].probe_body
    for wrong in ("cubes-x", "cubes-0", "mesh-distinct-12", "spheres-10", "cubes"):
        with pytest.raises(ValueError, match=f"unknown scene '{wrong}'.*robots-1024.*cubes-N"):
            scene_spec(wrong)


def test_the_overhead_needs_a_pair_and_says_so_before_any_case_runs(capsys: pytest.CaptureFixture[str]) -> None:
    from benchmarks import suite as bench
    from benchmarks.suite.__main__ import main

    with pytest.raises(ValueError, match=r"overhead_pairs is 0; .* at least 1"):
        bench.run(["cubes-100"], ["shim-auto"], overhead_scenes=["cubes-100"], overhead_pairs=0)
    assert main(["--scenes", "cubes-100", "--routes", "shim-auto", "--overhead-pairs", "-2"]) != 0
    assert "overhead_pairs is -2" in capsys.readouterr().err


def test_the_plot_takes_its_cube_sizes_from_the_results(tmp_path: Path) -> None:
    require("matplotlib")
    from benchmarks.suite import plot

    # cubes-12000 is in no list of scenes: the plot reads the sizes off the results it is given.
    plot([_result({("cubes-100", "shim-auto"): 0.1, ("cubes-12000", "shim-auto"): 5.0})], str(tmp_path / "a.png"))
    plot([_result({("cubes-100", "shim-auto"): 0.1})], str(tmp_path / "b.png"))
    assert (tmp_path / "a.png").read_bytes() != (tmp_path / "b.png").read_bytes()


def test_plot_writes_a_png(tmp_path: Path) -> None:
    require("matplotlib")
    from benchmarks.suite import plot

    path = tmp_path / "plot.png"
    plot([_result({("cubes-100", "shim-auto"): 0.1, ("cubes-1000", "shim-auto"): 0.5})], str(path))
    assert path.read_bytes().startswith(b"\x89PNG")


def test_every_route_has_its_own_colour_in_every_panel() -> None:
    require("matplotlib")
    from benchmarks.suite import ROUTES
    from benchmarks.suite.report import _route_colours

    colours = _route_colours()
    assert set(colours) == set(ROUTES)
    assert colours["shim-auto"] == "black"
    assert len({str(colour) for colour in colours.values()}) == len(ROUTES), "two routes share a colour"


def test_bench_scenes_simulate(physx: Any) -> None:
    import shim
    from tests.fixtures.scenes import mesh_bodies, robots

    with shim.load(physx, mesh_bodies(9)):
        shim.step(physx, 1 / 60, 120)
        bodies = shim.read_rigid_body_poses(physx, [f"/World/Body_{index}" for index in range(9)])
    # Fell from 2 m and rest on the ground on their bounding cubes (half-extent 0.5-0.55 m): flat at
    # about 0.5, up to 0.95 on an edge or corner; 0.6.x left one at 0.62 after 120 steps.
    assert ((bodies[:, 2] > 0.4) & (bodies[:, 2] < 0.95)).all()
    with shim.load(physx, robots(2)):
        shim.step(physx, 1 / 60, 120)
        bases = shim.read_rigid_body_poses(physx, [f"/World/envs/env_{index}/Robot/base" for index in range(2)])
    assert ((bases[:, 2] > 0.5) & (bases[:, 2] < 0.8)).all()  # standing on its legs, not fallen through
    assert bases[1, 0] == pytest.approx(2.5, abs=0.05)  # the clone kept its own cell


@pytest.mark.parametrize("route", ["export-usda", "floor-usdc", "shim-auto", "string-usda", "floor-physics"])
def test_a_case_measures_in_a_fresh_process(route: str) -> None:
    require("ovphysx")
    import shim
    from benchmarks.suite.run import run_one

    result = run_one("cubes-100", route)
    if route == "string-usda" and shim.probe().generation == "add_usd":
        assert result["status"] == "n/a"
        assert "add_usd" in result["reason"]
        return
    assert result["status"] == "ok", result
    assert 0 < result["load_s"] < 60
    assert result["peak_rss_mib"] >= result["baseline_rss_mib"] > 50
    assert result["bytes"] > 1000


def _benchmark(script: str, temp_root: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m benchmarks.<script>`` under its own temp root (envs run in parallel); it must succeed."""
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-m", f"benchmarks.{script.removesuffix('.py')}", *arguments],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(root), "SHIM_TMPDIR": str(temp_root)},
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def test_format_read_pairs_both_formats_in_one_process(tmp_path: Path) -> None:
    require("ovphysx")
    # Two scenes in one process: 0.4.13 segfaulted on the second when each scene had its own instance.
    done = _benchmark("format_read.py", tmp_path, "--scenes", "cubes-100", "robots-64", "--pairs", "2")
    assert done.stdout.count("| robots-64 |") == 1, done.stdout[-2000:]
    (row,) = (line for line in done.stdout.splitlines() if line.startswith("| cubes-100 |"))
    crate, text, read_change, route_change, wins = row.strip("| ").split(" | ")[1:]
    for cell in (crate, text):  # write + read, both measured
        write_s, read_s = (float(part) for part in cell.removesuffix(" s").split(" + "))
        assert 0 <= write_s < 5
        assert 0 < read_s < 60
    assert read_change.endswith("%")
    assert route_change.endswith("%")
    assert wins in ("0 of 2", "1 of 2", "2 of 2")
    assert list(tmp_path.iterdir()), "it worked under SHIM_TMPDIR"
    assert not list(tmp_path.rglob("format-read-*")), "its scratch directory is removed"


def test_auto_paired_runs_every_route_in_rounds_and_reports_paired_medians(tmp_path: Path) -> None:
    require("ovphysx")
    import shim

    out = tmp_path / "paired.json"
    done = _benchmark("auto_paired.py", tmp_path, "--scenes", "cubes-10", "--rounds", "3", "--json", str(out))
    record = json.loads(out.read_text())
    times = record["rounds"]["cubes-10"]
    expected = {"shim-auto", "export-usda", "floor-usdc", "floor-usda", "shim-tempfile-usdc", "shim-tempfile-usda"}
    assert expected <= set(times)
    assert ("string-usda" in times) == (shim.probe().generation != "add_usd")
    assert "shim-physics" not in times  # it hands over less than the whole scene
    assert all(len(measured) == 3 and min(measured) > 0 for measured in times.values())
    # Each round runs every route once, each round in an order of its own.
    orders = record["orders"]["cubes-10"]
    assert len(orders) == 3
    assert all(sorted(order) == sorted(times) for order in orders)
    assert len({tuple(order) for order in orders}) == 3
    assert f"in a random order (seed {record['seed']})" in done.stdout
    # The printed comparison is the median over rounds of auto's time over the route's in that round.
    (row,) = (line for line in done.stdout.splitlines() if line.startswith("| export-usda |"))
    printed = float(row.split(" | ")[2].removesuffix("%"))
    paired = sorted(
        100 * (mine / theirs - 1) for mine, theirs in zip(times["shim-auto"], times["export-usda"], strict=True)
    )
    assert printed == pytest.approx(paired[1], abs=0.051)
    assert "auto above the fastest other route (" in done.stdout
    assert "auto above the best floor (floor-usd" in done.stdout
    assert not list(tmp_path.rglob("auto-paired-*")), "its scratch directory is removed"


def test_the_suite_command_prints_the_table_and_writes_json(tmp_path: Path) -> None:
    require("ovphysx")
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.suite",
            "--scenes",
            "cubes-100",
            "--routes",
            "floor-usdc",
            "shim-auto",
            "--repetitions",
            "1",
            "--overhead-scenes",
            "cubes-100",
            "--overhead-pairs",
            "4",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "| cubes-100 |" in done.stdout
    result = json.loads(out.read_text())
    assert {row["route"] for row in result["medians"]} == {"floor-usdc", "shim-auto"}
    assert all(row["status"] == "ok" for row in result["medians"])
    (overhead,) = result["overhead"]
    assert overhead["status"] == "ok"
    assert overhead["hand_s"] > 0
    assert overhead["shim_s"] > 0
    assert len(overhead["pairs"]) == overhead["repetitions"] == 4
    for pair in overhead["pairs"]:  # each route's native load is a part of its time, never all of it
        assert 0 < pair["hand_native"] < pair["hand"]
        assert 0 < pair["shim_native"] < pair["shim"]
        for route in ("hand", "shim"):  # the writing is a part of the time outside ovphysx, never all of it
            assert 0 < pair[f"{route}_serialize"] < pair[route] - pair[f"{route}_native"]
    differences = sorted((p["shim"] - p["shim_native"]) - (p["hand"] - p["hand_native"]) for p in overhead["pairs"])
    assert overhead["own_overhead_s"] == pytest.approx((differences[1] + differences[2]) / 2)  # 4 pairs: the middle two
    machinery = sorted(
        (p["shim"] - p["shim_native"] - p["shim_serialize"]) - (p["hand"] - p["hand_native"] - p["hand_serialize"])
        for p in overhead["pairs"]
    )
    assert overhead["machinery_overhead_s"] == pytest.approx((machinery[1] + machinery[2]) / 2)
    assert "| overhead outside ovphysx and the writing |" in done.stdout
    (auto,) = (row for row in result["medians"] if row["route"] == "shim-auto")
    (sample,) = (row for row in result["samples"] if row["route"] == "shim-auto")
    assert 0 < sample["native_s"] < sample["ready_s"] < sample["load_s"]  # load_s runs on through the first step
    assert auto["own_s"] == pytest.approx(sample["ready_s"] - sample["native_s"])
    shim_dir = Path(__file__).resolve().parent.parent / "shim"
    assert list((shim_dir / "__pycache__").glob("loading.*.pyc")), "the suite compiles the bytecode before its cases"


def test_the_state_benchmark_prints_its_tables() -> None:
    require("ovphysx")
    require("pxr")
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.state_step", "--envs", "4", "--steps", "20", "--bodies", "10"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rows = [line for line in done.stdout.splitlines() if line.startswith("| 4 |")]
    assert len(rows) == 2, done.stdout[-2000:]  # the per-step and the per-call table
    assert "| read of 10 body poses | per call | ratio to the kept binding |" in done.stdout
