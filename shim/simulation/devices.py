"""Device strings, the engine's log level, and the check that a CUDA device exists before asking for it."""

from __future__ import annotations

import os
import re

from shim.adapters.base import LOG_LEVELS
from shim.errors import GpuUnavailable

__all__ = ["LOG_LEVELS", "log_level", "parse_device", "require_cuda_device"]

_DEVICE = re.compile(r"^(cpu|cuda|gpu)(?::(\d+))?$")


def parse_device(device: str) -> tuple[bool, int]:
    """(on the CPU, CUDA index) of 'cpu', 'cuda', 'cuda:N' (or 'gpu', 'gpu:N')."""
    match = _DEVICE.match(str(device).strip().lower())
    if match is None:
        raise ValueError(f"device {device!r} is not one of 'cpu', 'cuda' or 'cuda:N'")
    return match.group(1) == "cpu", int(match.group(2) or 0)


def require_cuda_device(device: str, index: int) -> None:
    """Raise GpuUnavailable unless the driver reports device ``index``: some releases fall back to the CPU silently."""
    from shim.gpu import cuda_devices

    devices = cuda_devices()
    if devices.count == 0:
        raise GpuUnavailable(device, str(devices.reason))
    if index >= devices.count:
        raise GpuUnavailable(device, f"this host has {devices.describe()} (cuda:0 to cuda:{devices.count - 1})")


def log_level(log: str | None) -> str | None:
    """The engine log level asked for (``log``, else ``SHIM_OVPHYSX_LOG``), checked; None: the release's own."""
    name = log if log is not None else os.environ.get("SHIM_OVPHYSX_LOG")
    if name is None or name == "":
        return None
    if name.lower() not in LOG_LEVELS:
        source = "log" if log is not None else "SHIM_OVPHYSX_LOG"
        raise ValueError(f"{source}={name!r} is not an engine log level; choose one of {', '.join(LOG_LEVELS)}")
    return name.lower()
