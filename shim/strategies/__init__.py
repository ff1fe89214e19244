"""The strategies, and the one ranked choice between them: the forced one, or the first that can, best first."""

from __future__ import annotations

import os

from shim.adapters import files_only
from shim.errors import NoStrategyAvailable
from shim.releases import Capabilities
from shim.source import Format, Payload
from shim.strategies.base import NoSpace, RouteUnusable, Strategy, UnverifiedCrate
from shim.strategies.bytes import BytesTransfer
from shim.strategies.fd import FdTransfer
from shim.strategies.string import StringTransfer
from shim.strategies.tempfile import TempFileTransfer

__all__ = [
    "AUTO_RULE",
    "RANKING",
    "STRATEGIES",
    "NoSpace",
    "RouteUnusable",
    "Strategy",
    "UnverifiedCrate",
    "auto_formats",
    "choose",
    "fallback",
    "forced_strategy",
    "verdicts",
]

STRATEGIES: dict[str, type[Strategy]] = {
    strategy.name: strategy for strategy in (StringTransfer, BytesTransfer, FdTransfer, TempFileTransfer)
}

#: Best first within each format (docs/performance.md has the measurements): a path
#: that lives in RAM (memfd, then a RAM file) before ovstage's in-memory population.
RANKING: tuple[tuple[type[Strategy], Format], ...] = (
    (TempFileTransfer, "usdc"),
    (FdTransfer, "usda"),
    (TempFileTransfer, "usda"),
    (StringTransfer, "usda"),
    (BytesTransfer, "usda"),
)

AUTO_RULE = (
    "a stage goes as a crate on the add_usd releases (0.2-0.4) and wherever it holds point-based "
    "geometry, and as USDA through a memfd otherwise; text, bytes and files keep their format"
)


def auto_formats(capabilities: Capabilities, payload: Payload) -> tuple[Format, ...]:
    """The formats ``format="auto"`` tries, best first (``AUTO_RULE``)."""
    formats = payload.cheap_formats()
    if formats != ("usdc", "usda") or files_only(capabilities):
        return formats
    # A layer that came from no stage cannot vouch for its geometry: it goes as a crate.
    return ("usda", "usdc") if payload.point_based() is False else formats


def choose(
    capabilities: Capabilities, payload: Payload, strategy: str | None = None, fmt: str = "auto"
) -> tuple[type[Strategy], Format]:
    """The strategy and format to use; raises NoStrategyAvailable with every reason when none can."""
    forced = forced_strategy(strategy)
    if fmt not in ("auto", "usda", "usdc"):
        raise ValueError(f"unknown format {fmt!r}; choose 'auto', 'usda' or 'usdc'")
    wanted = auto_formats(capabilities, payload) if fmt == "auto" else (fmt,)
    reasons: dict[str, str] = {}
    by_format = sorted(RANKING, key=lambda pair: wanted.index(pair[1]) if pair[1] in wanted else len(wanted))
    for candidate, candidate_format in by_format:
        if forced and candidate.name != forced:
            continue
        key = f"{candidate.name}/{candidate_format}"
        if candidate_format not in payload.possible_formats():
            reasons[key] = f"this source is {payload.kind}; it cannot be sent as {candidate_format}"
        elif candidate_format not in wanted:
            asked = f"format {fmt!r} was asked for" if fmt != "auto" else f"this source is sent as {wanted[0]}"
            reasons[key] = f"{candidate.name} carries {'/'.join(candidate.formats)} only; {asked}"
        elif (reason := candidate.unavailable_reason(capabilities, candidate_format)) is None:
            return candidate, candidate_format
        else:
            reasons[key] = reason
    raise NoStrategyAvailable(reasons, forced=forced, release=capabilities.ovphysx)


def fallback(
    capabilities: Capabilities,
    payload: Payload,
    failed: tuple[type[Strategy], Format],
    unusable: RouteUnusable,
    forced: str | None,
) -> tuple[type[Strategy], Format]:
    """The first USDA route (of the forced strategy, if any) that can carry ``payload`` after ``failed`` could not."""
    failed_strategy, failed_format = failed
    if "usda" in payload.possible_formats():
        for candidate, candidate_format in RANKING:
            if candidate_format != "usda" or (forced and candidate.name != forced):
                continue
            if isinstance(unusable, NoSpace) and candidate is failed_strategy:
                continue  # a root without room for the scene in one format has none in the other
            if candidate.unavailable_reason(capabilities, candidate_format) is None:
                return candidate, candidate_format
    raise NoStrategyAvailable(
        {f"{failed_strategy.name}/{failed_format}": str(unusable)}, forced=forced, release=capabilities.ovphysx
    )


def forced_strategy(strategy: str | None) -> str | None:
    """The strategy the caller forced (``strategy=``, else ``SHIM_STRATEGY``), checked; None: auto."""
    forced = strategy or os.environ.get("SHIM_STRATEGY") or None
    if forced is not None and forced not in STRATEGIES:
        raise ValueError(f"unknown strategy {forced!r}; choose one of {', '.join(STRATEGIES)}")
    return forced


def verdicts(capabilities: Capabilities) -> dict[str, str | None]:
    """Each strategy/format pair and the reason it cannot run here (None: it can)."""
    return {f"{strategy.name}/{fmt}": strategy.unavailable_reason(capabilities, fmt) for strategy, fmt in RANKING}
