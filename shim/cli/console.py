"""The console: results on stdout, everything else on stderr, each log line naming its origin."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Iterator
from typing import Any

__all__ = ["log_to_stderr", "native_output_on_stderr"]


@contextlib.contextmanager
def native_output_on_stderr(*, to_exit: bool) -> Iterator[None]:
    """Results on stdout, logs on stderr: ovphysx and carb log to file descriptor 1, so it points at stderr here.

    ``to_exit``: the process ends after the command, so fd 1 stays on stderr for the lines
    ovphysx writes while it shuts down.
    """
    sys.stdout.flush()
    saved = os.dup(1)
    real_stdout = sys.stdout
    try:
        if _writes_to_fd_1(real_stdout):
            sys.stdout = open(os.dup(saved), "w", buffering=1, encoding=real_stdout.encoding)  # noqa: SIM115
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        if not to_exit:
            if sys.stdout is not real_stdout:
                sys.stdout.close()
                sys.stdout = real_stdout
            os.dup2(saved, 1)
        os.close(saved)


def _writes_to_fd_1(stream: Any) -> bool:
    try:
        return bool(stream.fileno() == 1)
    except (AttributeError, OSError, ValueError):  # a captured or in-memory stream
        return False


class _Origin(logging.Filter):
    """Names where a log line comes from: the shim's own as ``ovphysx-shim``, any other by its logger."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.origin = "ovphysx-shim" if record.name.partition(".")[0] == "shim" else record.name
        return True


def log_to_stderr(*, debug: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_Origin())
    handler.setFormatter(logging.Formatter("%(origin)s: %(levelname)s: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler])
    if debug:
        logging.getLogger("shim").setLevel(logging.DEBUG)
