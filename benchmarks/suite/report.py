"""Tables, target ratios and the plot, from one or more ``benchmarks.suite.run`` results (one per release)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from benchmarks.suite.case import ROUTES, scene_spec

__all__ = ["markdown", "plot", "ratios"]

#: Routes the user has today, in the order of the issue: (a), (b), the floor (c).
BASELINES = ("export-usda", "string-usda", "floor-usdc", "floor-usda")


def _cell(rows: dict[tuple[str, str], dict[str, Any]], scene: str, route: str) -> str:
    row = rows.get((scene, route))
    if row is None:
        return ""
    if row["status"] != "ok":
        return str(row["status"])
    return f"{row['load_s'] * 1000:,.0f} ms / {row['peak_rss_mib']:,.0f} MiB"


def _index(result: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(row["scene"], row["route"]): row for row in result["medians"]}


def _time(rows: dict[tuple[str, str], dict[str, Any]], scene: str, route: str) -> float | None:
    row = rows.get((scene, route))
    return row["load_s"] if row is not None and row["status"] == "ok" else None


def ratios(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Per scene: auto against (a), (b), the fastest route measured and the floor (>1: auto is faster)."""
    rows = _index(result)
    out = []
    for scene in dict.fromkeys(row["scene"] for row in result["medians"]):
        auto = _time(rows, scene, "shim-auto")
        if auto is None:
            continue
        others = {
            route: time
            for route in ROUTES
            if route not in ("shim-auto", "shim-physics")  # physics-only carries less: not the same scene
            and not route.startswith("floor-")
            and (time := _time(rows, scene, route)) is not None
        }
        floors = [time for route in ("floor-usdc", "floor-usda") if (time := _time(rows, scene, route)) is not None]
        fastest = min(others.items(), key=lambda item: item[1]) if others else None
        auto_row = rows[(scene, "shim-auto")]
        string_row = rows.get((scene, "string-usda"))
        out.append(
            {
                "scene": scene,
                "bodies": _bodies(scene),
                "auto_route": auto_row.get("strategy"),
                "auto_s": auto,
                "vs_export": _ratio(_time(rows, scene, "export-usda"), auto),
                "vs_string": _ratio(_time(rows, scene, "string-usda"), auto),
                "fastest_route": fastest[0] if fastest else None,
                "auto_over_fastest_pct": 100 * (auto / fastest[1] - 1) if fastest else None,
                # A difference smaller than the routes' own run-to-run spread is not one the run can show.
                "auto_spread_pct": auto_row.get("spread_pct"),
                "fastest_spread_pct": rows[(scene, fastest[0])].get("spread_pct") if fastest else None,
                "auto_over_floor_pct": 100 * (auto / min(floors) - 1) if floors else None,
                # The shim's share of auto's own time, outside ovphysx: what separates it from a floor
                # of the same format, measured inside each run, so free of the run-to-run noise.
                "auto_own_s": auto_row.get("own_s"),
                "auto_own_pct": 100 * auto_row["own_s"] / (auto - auto_row["own_s"]) if auto_row.get("own_s") else None,
                "physics_speedup": _ratio(auto, _time(rows, scene, "shim-physics") or math.nan),
                "physics_rss_ratio": _ratio(auto_row["peak_rss_mib"], _peak(rows, scene, "shim-physics")),
                "physics_floor_speedup": _ratio(auto, _time(rows, scene, "floor-physics") or math.nan),
                "physics_floor_rss_ratio": _ratio(auto_row["peak_rss_mib"], _peak(rows, scene, "floor-physics")),
                "rss_vs_string": _ratio(
                    string_row["peak_rss_mib"] if string_row and string_row["status"] == "ok" else None,
                    auto_row["peak_rss_mib"],
                ),
            }
        )
    return out


def _peak(rows: dict[tuple[str, str], dict[str, Any]], scene: str, route: str) -> float:
    return rows[(scene, route)]["peak_rss_mib"] if _time(rows, scene, route) is not None else math.nan


def _ratio(numerator: float | None, denominator: float) -> float | None:
    return None if numerator is None else numerator / denominator


def _fmt(value: float | None, pattern: str) -> str:
    return "n/a" if value is None or math.isnan(value) else pattern.format(value)


def _clock(result: dict[str, Any]) -> str:
    """Where a result's clock stopped: results from before ``ready_s`` existed stopped before the first step."""
    samples = [sample for sample in result.get("samples", []) if sample.get("status") == "ok"]
    stepped = bool(samples) and all("ready_s" in sample for sample in samples)
    return "that has stepped once" if stepped else "ready to step (before its first step)"


def markdown(results: Sequence[dict[str, Any]]) -> str:
    """The load-time / peak-RSS table and the ratio table of every release, as Markdown."""
    parts = []
    for result in results:
        env = result["environment"]
        rows = _index(result)
        scenes = list(dict.fromkeys(row["scene"] for row in result["medians"]))
        routes = [route for route in ROUTES if any((scene, route) in rows for scene in scenes)]
        counts = sorted({row["runs"] for row in result["medians"] if row["runs"]})
        runs = "-".join(str(count) for count in dict.fromkeys(counts[:1] + counts[-1:])) or "0"  # "3" or "3-6"
        parts.append(
            f"### ovphysx {env['ovphysx']} (ovstage {env['ovstage']}, usd-core {env['usd_core']}, "
            f"Python {env['python']}; {env['machine']})\n\n"
            f"Median of {runs} runs, each in a fresh process: time from the in-memory stage to a scene "
            f"{_clock(result)} / peak RSS during the load.\n"
        )
        parts.append("| scene | " + " | ".join(routes) + " |")
        parts.append("|---|" + "---|" * len(routes))
        for scene in scenes:
            parts.append(f"| {scene} | " + " | ".join(_cell(rows, scene, route) for route in routes) + " |")
        parts.append(
            "\n| scene | auto took | auto vs (a) | auto vs (b) | fastest other route | auto above it | auto above floor "
            "| runs' spread: auto / fastest other | auto's own work (of its native load) | RSS (b)/auto |"
        )
        parts.append("|---|---|---|---|---|---|---|---|---|---|")
        for row in ratios(result):
            parts.append(
                f"| {row['scene']} | {row['auto_route']} | {_fmt(row['vs_export'], '{:.2f}x')} | "
                f"{_fmt(row['vs_string'], '{:.2f}x')} | {row['fastest_route']} | "
                f"{_fmt(row['auto_over_fastest_pct'], '{:+.1f}%')} | {_fmt(row['auto_over_floor_pct'], '{:+.1f}%')} | "
                f"{_fmt(row['auto_spread_pct'], '{:.0f}%')} / {_fmt(row['fastest_spread_pct'], '{:.0f}%')} | {_own(row)} | "
                f"{_fmt(row['rss_vs_string'], '{:.2f}x')} |"
            )
        physics = [
            row
            for row in ratios(result)
            if row["physics_speedup"] is not None and not math.isnan(row["physics_speedup"])
        ]
        if physics:
            parts.append(
                "\n| scene | content='physics' faster than 'all' | peak RSS 'all' / 'physics' "
                "| the same for the physics floor (the most any route can reach) |"
            )
            parts.append("|---|---|---|---|")
            parts.extend(
                f"| {row['scene']} | {row['physics_speedup']:.2f}x | {row['physics_rss_ratio']:.2f}x | "
                f"{_fmt(row['physics_floor_speedup'], '{:.2f}x')} / {_fmt(row['physics_floor_rss_ratio'], '{:.2f}x')} |"
                for row in physics
            )
        if result.get("overhead"):
            parts.append(
                "\n| scene (shim overhead) | route | pairs | by hand | shim.load | overhead, end to end "
                "| by hand, outside ovphysx | shim.load, outside ovphysx | overhead outside ovphysx "
                "| overhead outside ovphysx and the writing |"
            )
            parts.append("|---|---|---|---|---|---|---|---|---|---|")
            parts.extend(_overhead_row(row) for row in result["overhead"] if row["status"] == "ok")
        parts.append("")
    return "\n".join(parts)


def _own(row: dict[str, Any]) -> str:
    if row["auto_own_s"] is None:
        return "n/a"
    return f"{row['auto_own_s'] * 1000:,.0f} ms ({row['auto_own_pct']:.1f}%)"


def _overhead_row(row: dict[str, Any]) -> str:
    """One overhead measurement; older rows lack the times outside ovphysx (and the writing): n/a."""

    def ms(key: str, sign: str = "") -> str:
        return f"{row[key] * 1000:{sign},.1f} ms" if key in row else "n/a"

    def share(name: str) -> str:
        key = f"{name}_overhead"
        return f"{ms(f'{key}_s', '+')} ({row[f'{key}_pct']:+.2f}%)" if f"{key}_s" in row else "n/a"

    return (
        f"| {row['scene']} | {row['strategy']} | {row.get('repetitions', 'n/a')} | {ms('hand_s')} | {ms('shim_s')} | "
        f"{ms('overhead_s', '+')} ({row['overhead_pct']:+.1f}%) | {ms('hand_own_s')} | {ms('shim_own_s')} | "
        f"{share('own')} | {share('machinery')} |"
    )


def plot(results: Sequence[dict[str, Any]], path: str) -> None:
    """Load time and peak RSS against the number of cubes, one line per route, one row per release (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    colours = _route_colours()
    figure, axes = plt.subplots(len(results), 2, figsize=(12, 3.6 * len(results)), squeeze=False)
    for (time_axis, memory_axis), result in zip(axes, results, strict=True):
        rows = _index(result)
        cube_scenes = sorted(
            {(count, name) for name, _ in rows if name.startswith("cubes-") and (count := _bodies(name))}
        )
        for route in ROUTES:
            points = [
                (bodies, rows[(name, route)])
                for bodies, name in cube_scenes
                if rows.get((name, route), {}).get("status") == "ok"
            ]
            if not points:
                continue
            style: dict[str, Any] = {"linewidth": 2.5 if route == "shim-auto" else 1.2, "color": colours[route]}
            if route.startswith("floor-"):
                style["linestyle"] = "--"
            bodies = [count for count, _ in points]
            time_axis.plot(bodies, [row["load_s"] for _, row in points], marker="o", label=route, **style)
            memory_axis.plot(bodies, [row["peak_rss_mib"] for _, row in points], marker="o", label=route, **style)
        release = result["environment"]["ovphysx"]
        for axis, label in ((time_axis, "load time (s)"), (memory_axis, "peak RSS during load (MiB)")):
            axis.set_xscale("log")
            axis.set_xlabel("cubes in the scene")
            axis.set_ylabel(label)
            axis.set_title(f"ovphysx {release}: {label}")
            axis.grid(True, alpha=0.3)
        time_axis.set_yscale("log")
        time_axis.legend(fontsize=7, ncol=2)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _route_colours() -> dict[str, Any]:
    """One colour per route, the same in every panel (not the next free one), so that panels compare at a glance.

    Auto is black; the others take tab20's ten dark shades, then its light ones.
    """
    from matplotlib import colormaps

    tab20 = colormaps["tab20"].colors
    palette = [*tab20[0::2], *tab20[1::2]]
    others = [route for route in ROUTES if route != "shim-auto"]
    return {"shim-auto": "black", **dict(zip(others, palette, strict=False))}


def _bodies(scene: str) -> int | None:
    try:
        return scene_spec(scene).bodies
    except ValueError:  # a scene this version no longer builds, in an older results file
        return None
