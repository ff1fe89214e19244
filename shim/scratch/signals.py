"""Remove scratch files when the process is told to terminate, then terminate as asked.

SIGTERM and SIGHUP end a Python process without running ``finally`` blocks or atexit
handlers, so a scene file being loaded would survive them. While a load holds scratch
files, the main thread's handlers for both first remove them, then hand over to what
was there before: the host's own handler, or the default action (the process still
ends by the signal, with the exit status a supervisor expects).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType

__all__ = ["cleanup_on_termination"]

_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


@contextlib.contextmanager
def cleanup_on_termination(cleanup: Callable[[], None]) -> Iterator[None]:
    """Run ``cleanup`` before SIGTERM/SIGHUP take effect, for the duration of the block.

    Only the main thread can set handlers; a load in another thread is covered by the
    sweep instead. A signal the host ignores (SIG_IGN) or handles in C stays as it is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous: dict[int, Callable[[int, FrameType | None], object] | int] = {}

    def on_termination(signum: int, frame: FrameType | None) -> None:
        cleanup()
        before = previous.get(signum, signal.SIG_DFL)
        if callable(before):
            before(signum, frame)  # the host's handler decides what happens next
            return
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)  # end by the same signal, as if we had never been here

    for signum in _SIGNALS:
        current = signal.getsignal(signum)
        if current is signal.SIG_IGN or current is None:
            continue
        previous[signum] = current
        signal.signal(signum, on_termination)
    try:
        yield
    finally:
        for number, before in previous.items():
            signal.signal(number, before)
