"""The ``ovphysx-shim`` command line. It uses the public API of ``lazy`` and ``shim`` only.

Results go to stdout, everything else to stderr. A failure is one line on stderr, naming what
failed and what to do, and the exit code says which kind it was (``EXIT_CODES``).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence

import lazy
import shim
from shim.cli.arguments import EXIT_CODES, command_line
from shim.cli.commands import InputError
from shim.cli.console import log_to_stderr, native_output_on_stderr

__all__ = ["EXIT_CODES", "main"]

_BAD_INPUT = (InputError, shim.InvalidSource, shim.PhysicsNotKept, shim.CannotClone)
_ENVIRONMENT = (
    lazy.LazyImportError,
    shim.OvphysxNotInstalled,
    shim.UnsupportedRelease,
    shim.NoStrategyAvailable,
    shim.KnownReleaseDefect,
    shim.DeviceModeFixed,
    shim.GpuUnavailable,
)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``ovphysx-shim`` console script."""
    parser = command_line()
    arguments = parser.parse_args(argv)
    if arguments.command is None:
        parser.print_help()
        return 2
    log_to_stderr(debug=arguments.debug)
    try:
        with native_output_on_stderr(to_exit=argv is None):
            return int(arguments.run(arguments))
    except BrokenPipeError:
        # The reader (e.g. `| head`) stopped reading: what is still buffered goes nowhere, quietly.
        _discard_output()
        return 1
    except Exception as error:
        code = _exit_code(error)
        if arguments.debug or code is None:
            raise
        print(f"ovphysx-shim: error: {error}", file=sys.stderr)
        return code


def _discard_output() -> None:
    """Point every stdout descriptor at /dev/null, so that the flushes still to come cannot fail."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.__stdout__):
        with contextlib.suppress(AttributeError, OSError, ValueError):
            os.dup2(devnull, stream.fileno())  # type: ignore[union-attr]
    os.close(devnull)


def _exit_code(error: BaseException) -> int | None:
    """The exit code for an error the command line reports in one line; None for a bug (a traceback)."""
    if isinstance(error, _BAD_INPUT):
        return 3
    if isinstance(error, _ENVIRONMENT):
        return 4
    if isinstance(error, (shim.ShimError, lazy.BrokenModuleError, ValueError)):
        return 1
    return None
