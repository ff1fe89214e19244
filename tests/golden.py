"""What the probe must find for each release: asserted against the real wheel in its tox env.

Columns: API generation, the strategy/format pairs that can run (on Linux with a RAM-backed
temp root), and the automatic choice for a pxr stage without point-based geometry ("auto":
falling cubes) and for one with it ("auto_mesh": mesh colliders).
"""

from __future__ import annotations

ALL_ROUTES = ("tempfile/usdc", "fd/usda", "tempfile/usda", "string/usda", "bytes/usda")
PATH_ROUTES = ("tempfile/usdc", "fd/usda", "tempfile/usda")


def _row(generation: str, available: tuple[str, ...], auto: str) -> dict[str, object]:
    return {"generation": generation, "available": available, "auto": auto, "auto_mesh": "tempfile/usdc"}


GOLDEN: dict[str, dict[str, object]] = {
    "0.2.9": _row("add_usd", PATH_ROUTES, "tempfile/usdc"),
    "0.3.7": _row("add_usd", PATH_ROUTES, "tempfile/usdc"),
    "0.4.9": _row("add_usd", PATH_ROUTES, "tempfile/usdc"),
    "0.4.13": _row("add_usd", PATH_ROUTES, "tempfile/usdc"),
    "0.5.9": _row("ovstage", ALL_ROUTES, "fd/usda"),
    "0.5.10": _row("ovstage", ALL_ROUTES, "fd/usda"),
    "0.5.11": _row("ovstage", ALL_ROUTES, "fd/usda"),
    "0.6.3": _row("ovstage", ALL_ROUTES, "fd/usda"),
    "0.6.4.72118723": _row("ovstage", ALL_ROUTES, "fd/usda"),
    "0.7.0.74035321": _row("ovstage-task", ALL_ROUTES, "fd/usda"),
}
