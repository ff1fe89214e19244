"""Which strategy and format carry a payload: the forced one, or the first that can, best first."""

from __future__ import annotations

import os
from typing import NamedTuple

from shim._bytes import BytesTransfer
from shim._fd import FdTransfer
from shim._probe import Capabilities, Generation
from shim._source import Format, Payload
from shim._strategy import Strategy
from shim._string import StringTransfer
from shim._tempfile import TempFileTransfer
from shim.errors import NoStrategyAvailable

__all__ = [
    "AUTO_ORDER",
    "STRATEGIES",
    "TEXT_SIZES",
    "TextSizes",
    "auto_formats",
    "choose",
    "forced_strategy",
    "text_sizes",
    "verdicts",
]

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


class TextSizes(NamedTuple):
    """The stages without point data that ``format="auto"`` sends as text first, by prim count."""

    up_to: int  # at most this many prims (0: no small stage)
    above: int  # and more than this many (0: every stage)

    def include(self, prims: int) -> bool:
        return 0 < prims <= self.up_to or prims > self.above

    def describe(self) -> str:
        """The stages in words, for ``shim.explain``: "a stage of at most 250 or more than 20,000 prims"."""
        if self.above == 0:
            return "a stage"
        small = f"at most {self.up_to:,} or " if self.up_to else ""
        return f"a stage of {small}more than {self.above:,} prims"


#: The stages without point data that ``format="auto"`` sends as text first, by API
#: generation; the crate goes first for every other stage. What each rests on, measured
#: paired in one process (docs/performance.md, "The automatic choice, and why"):
TEXT_SIZES: dict[Generation, TextSizes] = {
    # 0.7: ovstage 0.3 reads the two formats about equally fast without point data, and
    # the text costs less to write (20,000 cubes: 0.44 s against 1.48 s).
    "ovstage-task": TextSizes(up_to=0, above=0),
    # 0.5-0.6: the text route was ahead in 21 of 22 medians up to 253 prims (60 pairs a
    # scene) and in 23 of 28 pairs from 20,000 prims on; in between the crate reads 6-8%
    # faster at 5,000 prims and the two tie elsewhere.
    "ovstage": TextSizes(up_to=250, above=20_000),
    # 0.2-0.4: from 2,500 prims on, the text routes load cubes 16% faster on 0.4.13 (4-7% on
    # 0.2.9 and 0.3.7) and robots within 5% either way (30-60 paired rounds); below, robots-64
    # (1,796 prims) loads 10% faster as a crate on 0.4.13, and the crate stays.
    "add_usd": TextSizes(up_to=0, above=2_500),
}


def auto_formats(capabilities: Capabilities, payload: Payload) -> tuple[Format, ...]:
    """The formats ``format="auto"`` tries, best first.

    The crate, but text for a stage without point-based geometry of the sizes that
    ``text_sizes`` names. The release reads those about as fast as the crate, and producing
    the text costs less: 20,000 cubes 0.44 s against 1.48 s, 1,024 robots 0.67 s against 1.60 s
    (benchmarks/serialize_cost.py). With point data the crate is 14x cheaper to write and
    2-12x faster to read, on every release.
    """
    formats = payload.cheap_formats()
    sizes = text_sizes(capabilities)
    if formats != ("usdc", "usda") or sizes is None:
        return formats
    survey = payload.survey(types_matter=sizes.include)  # other sizes take the crate whatever their types
    if survey is not None and survey.point_based is False and sizes.include(survey.prims):
        return ("usda", "usdc")
    return formats


def text_sizes(capabilities: Capabilities) -> TextSizes | None:
    """Which stages without point data go as text first on this release (``TEXT_SIZES``); None: none of them."""
    return TEXT_SIZES.get(capabilities.generation) if capabilities.generation else None


def forced_strategy(strategy: str | None) -> str | None:
    """The strategy the caller forced: ``strategy=``, else ``SHIM_STRATEGY``, else None (auto)."""
    return strategy or os.environ.get("SHIM_STRATEGY") or None


def verdicts(capabilities: Capabilities) -> dict[str, str | None]:
    """Each strategy/format pair and the reason it cannot run here (None: it can)."""
    return {f"{strategy.name}/{fmt}": strategy.unavailable_reason(capabilities, fmt) for strategy, fmt in AUTO_ORDER}
