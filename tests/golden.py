"""What the probe must find for each release: asserted against the real wheel in its tox env.

Columns: API generation, the strategy/format pairs that can run (on Linux with a
RAM-backed temp root), and the automatic choice for a pxr stage without meshes: a small one
("auto": falling cubes, up to ``TEXT_UP_TO_PRIMS`` prims), one between the thresholds
("auto_mid"), one of more than ``TEXT_ABOVE_PRIMS`` prims ("auto_large"); and for a stage
with meshes ("auto_mesh": mesh colliders).
"""

from __future__ import annotations

ALL_ROUTES = ("tempfile/usdc", "fd/usda", "tempfile/usda", "string/usda", "bytes/usda")
PATH_ROUTES = ("tempfile/usdc", "fd/usda", "tempfile/usda")


def _row(
    generation: str, available: tuple[str, ...], auto: str = "tempfile/usdc", auto_mid: str = "tempfile/usdc"
) -> dict[str, object]:
    return {
        "generation": generation,
        "available": available,
        "auto": auto,
        "auto_mid": auto_mid,
        "auto_large": "fd/usda",  # above TEXT_ABOVE_PRIMS, every release gets a stage without meshes as text
        "auto_mesh": "tempfile/usdc",
    }


GOLDEN: dict[str, dict[str, object]] = {
    "0.2.9": _row("add_usd", PATH_ROUTES),
    "0.3.7": _row("add_usd", PATH_ROUTES),
    "0.4.9": _row("add_usd", PATH_ROUTES),
    "0.4.13": _row("add_usd", PATH_ROUTES),
    # Up to TEXT_UP_TO_PRIMS, ovstage 0.1-0.2 reads a stage without point data faster as text.
    "0.5.9": _row("ovstage", ALL_ROUTES, auto="fd/usda"),
    "0.5.10": _row("ovstage", ALL_ROUTES, auto="fd/usda"),
    "0.5.11": _row("ovstage", ALL_ROUTES, auto="fd/usda"),
    "0.6.3": _row("ovstage", ALL_ROUTES, auto="fd/usda"),
    "0.6.4.72118723": _row("ovstage", ALL_ROUTES, auto="fd/usda"),
    "0.7.0.74035321": _row("ovstage-task", ALL_ROUTES, auto="fd/usda", auto_mid="fd/usda"),  # text at any size on 0.7
}
