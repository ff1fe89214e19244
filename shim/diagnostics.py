"""USD's diagnostics during the shim's own pxr work, said in one log line.

Real assets make usd-core warn while the shim composes and flattens them (metadata fields
that only Kit registers, references to prims that are not there). Inside ``coalesced()``
those warnings are collected instead of printed; at its end one WARNING on the ``shim``
logger says how many there were and of which kinds. With that logger at DEBUG (the CLI's
``--debug``) each one is logged too.
"""

from __future__ import annotations

import collections
import contextlib
import contextvars
import importlib.util
import logging
import re
import sys
from collections.abc import Iterator

import lazy

__all__ = ["coalesced", "summary"]

LOG = logging.getLogger("shim")
_QUOTED = re.compile(r"'[^']*'|@[^@]*@|<[^>]*>")
_collecting: contextvars.ContextVar[bool] = contextvars.ContextVar("shim_usd_diagnostics", default=False)


@contextlib.contextmanager
def coalesced(what: str) -> Iterator[None]:
    """Collect USD's diagnostics inside the block; log them as one line saying they came while ``what``."""
    if _collecting.get() or not _pxr_installed():  # only the outermost block collects: nothing is said twice
        yield
        return
    delegate = lazy.pxr.UsdUtils.CoalescingDiagnosticDelegate()
    token = _collecting.set(True)
    try:
        yield
    finally:
        _collecting.reset(token)
        messages = [
            (str(item.sharedItem.sourceFunction), str(each.commentary))
            for item in delegate.TakeCoalescedDiagnostics()
            for each in item.unsharedItems
        ]
        del delegate  # unregisters it: USD prints again
        for function, message in messages:
            LOG.debug("usd-core, in %s: %s", function, message)
        if messages:
            LOG.warning("%s", summary(what, [message for _, message in messages]))


def _pxr_installed() -> bool:
    """Cheap: pxr imported already, or findable (``lazy.available`` would also read its distribution, slowly)."""
    return "pxr" in sys.modules or importlib.util.find_spec("pxr") is not None


def summary(what: str, messages: list[str]) -> str:
    """One sentence for many diagnostics: how many, while doing what, the commonest kinds with an example."""
    kinds = collections.Counter(_QUOTED.sub("…", message) for message in messages)
    examples = {_QUOTED.sub("…", message): message for message in reversed(messages)}
    common = "; ".join(f"{count} like {examples[kind]!r}" for kind, count in kinds.most_common(2))
    others = len(kinds) - 2
    tail = f"; and {others} other kind{'s' if others > 1 else ''}" if others > 0 else ""
    return (
        f"usd-core reported {len(messages)} warning{'s' if len(messages) > 1 else ''} while {what} ({common}{tail}); "
        "set the 'shim' logger to DEBUG (ovphysx-shim --debug) to see each"
    )
