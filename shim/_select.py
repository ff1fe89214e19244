"""Which strategy and format carry a payload: the forced one, or the first that can, best first."""

from __future__ import annotations

import os

from shim._bytes import BytesTransfer
from shim._fd import FdTransfer
from shim._probe import Capabilities
from shim._source import Format, Payload
from shim._strategy import Strategy
from shim._string import StringTransfer
from shim._tempfile import TempFileTransfer
from shim.errors import NoStrategyAvailable

__all__ = ["AUTO_ORDER", "STRATEGIES", "auto_formats", "choose", "forced_strategy", "verdicts"]

STRATEGIES: dict[str, type[Strategy]] = {
    strategy.name: strategy for strategy in (StringTransfer, BytesTransfer, FdTransfer, TempFileTransfer)
}

#: Best first, from the measurements in docs/performance.md: the crate is 2-12x faster to
#: write and parse than USDA for mesh data; for USDA, a path route (memfd, RAM file) is
#: ~20% faster than ovstage's inline-string population on 0.5-0.7. ``auto_formats`` may put
#: USDA before the crate, and then the order within each format stays this one.
AUTO_ORDER: tuple[tuple[type[Strategy], Format], ...] = (
    (TempFileTransfer, "usdc"),
    (FdTransfer, "usda"),
    (TempFileTransfer, "usda"),
    (StringTransfer, "usda"),
    (BytesTransfer, "usda"),
)


def choose(
    capabilities: Capabilities, payload: Payload, strategy: str | None = None, fmt: str = "auto"
) -> tuple[type[Strategy], Format]:
    """The strategy and format to use; raises NoStrategyAvailable with every reason when none can."""
    forced = forced_strategy(strategy)
    if forced is not None and forced not in STRATEGIES:
        raise ValueError(f"unknown strategy {forced!r}; choose one of {', '.join(STRATEGIES)}")
    if fmt not in ("auto", "usda", "usdc"):
        raise ValueError(f"unknown format {fmt!r}; choose 'auto', 'usda' or 'usdc'")
    wanted = auto_formats(capabilities, payload) if fmt == "auto" else (fmt,)
    reasons: dict[str, str] = {}
    by_format = sorted(AUTO_ORDER, key=lambda pair: wanted.index(pair[1]) if pair[1] in wanted else len(wanted))
    for candidate, candidate_format in by_format:
        if forced and candidate.name != forced:
            continue
        key = f"{candidate.name}/{candidate_format}"
        if candidate_format not in payload.possible_formats():
            reasons[key] = f"this source is a {payload.kind}; it cannot be sent as {candidate_format}"
        elif candidate_format not in wanted:
            asked = f"format {fmt!r} was asked for" if fmt != "auto" else f"this source is sent as {wanted[0]}"
            reasons[key] = f"{candidate.name} carries {'/'.join(candidate.formats)} only; {asked}"
        elif (reason := candidate.unavailable_reason(capabilities, candidate_format)) is None:
            return candidate, candidate_format
        else:
            reasons[key] = reason
    raise NoStrategyAvailable(reasons, forced=forced, release=capabilities.ovphysx)


def auto_formats(capabilities: Capabilities, payload: Payload) -> tuple[Format, ...]:
    """The formats ``format="auto"`` tries, best first.

    The crate, except on 0.7 (attach returns a Task) for a stage without point-based
    geometry. There, ovstage 0.3 reads text and crate equally fast (6 runs each, within the
    noise), and producing the text costs less: 20,000 cubes 0.44 s against 1.48 s, 1,024
    robots 0.67 s against 1.60 s (benchmarks/serialize_cost.py). With point data the crate is
    14x cheaper to write and 2-12x faster to read, on every release; before 0.7 the crate
    read as fast or faster for the same mesh-free scenes.
    """
    formats = payload.cheap_formats()
    if formats == ("usdc", "usda") and capabilities.generation == "ovstage-task" and not payload.has_point_based():
        return ("usda", "usdc")
    return formats


def forced_strategy(strategy: str | None) -> str | None:
    """The strategy the caller forced: ``strategy=``, else ``SHIM_STRATEGY``, else None (auto)."""
    return strategy or os.environ.get("SHIM_STRATEGY") or None


def verdicts(capabilities: Capabilities) -> dict[str, str | None]:
    """Each strategy/format pair and the reason it cannot run here (None: it can)."""
    return {f"{strategy.name}/{fmt}": strategy.unavailable_reason(capabilities, fmt) for strategy, fmt in AUTO_ORDER}
