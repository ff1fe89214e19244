"""Whether this host has a CUDA device the engine can use, asked of the NVIDIA driver itself."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

__all__ = ["CudaDevices", "cuda_devices"]

_CUDA_SUCCESS = 0


@dataclass(frozen=True)
class CudaDevices:
    """How many CUDA devices the driver reports, and why none, where none."""

    count: int
    reason: str | None = None  # why there is none; None when count > 0

    def describe(self) -> str:
        return f"{self.count} CUDA device{'s' if self.count != 1 else ''}" if self.count else f"none: {self.reason}"


def cuda_devices() -> CudaDevices:
    """The CUDA devices the NVIDIA driver (``libcuda.so.1``) reports; initialises the driver in this process."""
    try:
        driver = ctypes.CDLL("libcuda.so.1")
    except OSError:
        return CudaDevices(0, "the NVIDIA driver library libcuda.so.1 is not installed")
    try:
        status = driver.cuInit(0)
        if status != _CUDA_SUCCESS:
            return CudaDevices(0, f"the NVIDIA driver reports no usable device (cuInit returned {status})")
        count = ctypes.c_int(0)
        status = driver.cuDeviceGetCount(ctypes.byref(count))
    except AttributeError:
        return CudaDevices(0, "libcuda.so.1 is not an NVIDIA driver library (no cuInit)")
    if status != _CUDA_SUCCESS or count.value < 1:
        return CudaDevices(0, "the NVIDIA driver reports no CUDA device")
    return CudaDevices(count.value)
