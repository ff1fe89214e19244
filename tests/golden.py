"""What the probe must find for each release: asserted against the real wheel in its tox env.

Columns: API generation, the strategy/format pairs that can run (on Linux with a
RAM-backed temp root), and the automatic choice for a pxr stage without meshes of each size
band of ``shim._select.TEXT_SIZES``: a small one ("auto": falling cubes, at most ``up_to``
prims), one between the thresholds ("auto_mid"), one of more than ``above`` prims
("auto_large"); and for a stage with meshes ("auto_mesh": mesh colliders).
"""

from __future__ import annotations

from typing import Any

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
        "auto_large": "fd/usda",  # above TEXT_SIZES' upper threshold, every release gets a stage without meshes as text
        "auto_mesh": "tempfile/usdc",
    }


GOLDEN: dict[str, dict[str, object]] = {
    "0.2.9": _row("add_usd", PATH_ROUTES),
    "0.3.7": _row("add_usd", PATH_ROUTES),
    "0.4.9": _row("add_usd", PATH_ROUTES),
    "0.4.13": _row("add_usd", PATH_ROUTES),
    # Up to TEXT_SIZES["ovstage"].up_to prims, ovstage 0.1-0.2 reads a stage without point data faster as text.
    "0.5.9": _row("ovstage", ALL_ROUTES, auto="fd/usda"),
    "0.5.10": _row("ovstage", ALL_ROUTES, auto="fd/usda"),
    "0.5.11": _row("ovstage", ALL_ROUTES, auto="fd/usda"),
    "0.6.3": _row("ovstage", ALL_ROUTES, auto="fd/usda"),
    "0.6.4.72118723": _row("ovstage", ALL_ROUTES, auto="fd/usda"),
    "0.7.0.74035321": _row("ovstage-task", ALL_ROUTES, auto="fd/usda", auto_mid="fd/usda"),  # text at any size on 0.7
}


def lower_thresholds(monkeypatch: Any, *, up_to: int | None = None, above: int | None = None) -> None:
    """Every generation's text thresholds lowered to at most ``up_to`` and ``above`` (never raised; None: as is).

    A stage of a few prims then falls in the size band a test wants, on the release under test,
    and 0.7's text at any size (0, 0) stays as it is.
    """
    from shim import _select

    for generation, sizes in list(_select.TEXT_SIZES.items()):
        lowered = _select.TextSizes(
            up_to=sizes.up_to if up_to is None else min(sizes.up_to, up_to),
            above=sizes.above if above is None else min(sizes.above, above),
        )
        monkeypatch.setitem(_select.TEXT_SIZES, generation, lowered)
