"""Checked by `mypy --strict` in the lint env: it passes only if type checkers see real modules.

``warn_return_any`` (part of --strict) rejects returning an untyped value from a
typed function, so each function below fails to type-check if ``lazy.numpy``
were an opaque handle.
"""

from __future__ import annotations

import numpy

import lazy


def zeros() -> numpy.ndarray[tuple[int], numpy.dtype[numpy.float64]]:
    return lazy.numpy.zeros(3)


def handle_for(name: str) -> lazy.Handle:
    return lazy.module(name)


def is_installed(name: str) -> bool:
    return lazy.available(name).installed


def any_other_module_is_a_handle() -> str:
    dumped: str = lazy.json.dumps([1])
    return dumped
