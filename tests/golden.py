"""What the probe must find for each release: asserted against the real wheel in its tox env.

Columns: API generation, the strategy/format pairs that can run (on Linux with a
RAM-backed temp root), and the automatic choice for a pxr stage.
"""

from __future__ import annotations

ALL_ROUTES = ("tempfile/usdc", "fd/usda", "tempfile/usda", "string/usda", "bytes/usda")
PATH_ROUTES = ("tempfile/usdc", "fd/usda", "tempfile/usda")

GOLDEN: dict[str, dict[str, object]] = {
    "0.2.9": {"generation": "add_usd", "available": PATH_ROUTES, "auto": "tempfile/usdc"},
    "0.3.7": {"generation": "add_usd", "available": PATH_ROUTES, "auto": "tempfile/usdc"},
    "0.4.9": {"generation": "add_usd", "available": PATH_ROUTES, "auto": "tempfile/usdc"},
    "0.4.13": {"generation": "add_usd", "available": PATH_ROUTES, "auto": "tempfile/usdc"},
    "0.5.9": {"generation": "ovstage", "available": ALL_ROUTES, "auto": "tempfile/usdc"},
    "0.5.10": {"generation": "ovstage", "available": ALL_ROUTES, "auto": "tempfile/usdc"},
    "0.5.11": {"generation": "ovstage", "available": ALL_ROUTES, "auto": "tempfile/usdc"},
    "0.6.3": {"generation": "ovstage", "available": ALL_ROUTES, "auto": "tempfile/usdc"},
    "0.6.4.72118723": {"generation": "ovstage", "available": ALL_ROUTES, "auto": "tempfile/usdc"},
    "0.7.0.74035321": {"generation": "ovstage-task", "available": ALL_ROUTES, "auto": "tempfile/usdc"},
}
