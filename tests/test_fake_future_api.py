"""A future release with native string/bytes/fd loads, which no released wheel has yet.

The fake is ``FakeFuturePhysX`` below, with ``Features`` that claim the native APIs; the real
releases are tested in test_shim_load.py. This covers the branches that a future wheel would take.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

import pytest

from shim import source, strategies
from shim.releases import Capabilities, Features, Loader

USDA = '#usda 1.0\ndef Xform "World" {}\n'


class FakeFuturePhysX:
    """Records what a native in-memory API would have been handed."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []
        self.removed: list[int] = []

    def add_usd_from_string(self, text: str) -> tuple[int, int]:
        self.calls.append(("string", text))
        return 7, 70

    def add_usd_from_bytes(self, data: bytes) -> tuple[int, int]:
        self.calls.append(("bytes", data))
        return 8, 80

    def add_usd_from_fd(self, fd: int) -> tuple[int, int]:
        self.calls.append(("fd", os.pread(fd, 1000, 0)))
        return 9, 90

    def wait_op(self, op: int) -> None:
        self.calls.append(("wait", op))

    def remove_usd(self, handle: int) -> int:
        self.removed.append(handle)
        return 0


FEATURES = Features(
    generation="add_usd",
    teardown="destroy",
    cpu_mode="global-config",
    step_takes_sim_time=False,
    step_sync=True,
    schema_registration=False,
    inline_string=False,
    native_string=True,
    native_bytes=True,
    native_fd=True,
    bytes_route_reason=None,
)


def capabilities(features: Features = FEATURES) -> Capabilities:
    return Capabilities(
        ovphysx="0.9.0",
        ovstage=None,
        usd_core=None,
        physx_usd_schemas=None,
        newton_usd_schemas=None,
        generation=features.generation,
        memfd=True,
        memfd_reason=None,
        temp_root="/nonexistent",
        temp_root_is_ram=True,
        temp_root_reason=None,
        features=features,
    )


@pytest.mark.parametrize("strategy", ["string", "bytes"])
def test_native_in_memory_apis_are_used_on_an_add_usd_release(strategy: str) -> None:
    physx: Any = FakeFuturePhysX()
    payload = source.classify(USDA)
    chosen = strategies.STRATEGIES[strategy]
    assert chosen.unavailable_reason(capabilities(), "usda") is None
    scene = chosen.transfer(Loader(physx, FEATURES), payload, "usda", capabilities())
    expected: object = USDA if strategy == "string" else USDA.encode()
    assert physx.calls[0] == (strategy, expected)
    assert ("wait", 70 if strategy == "string" else 80) in physx.calls
    scene.unload()
    scene.unload()
    assert physx.removed == [7 if strategy == "string" else 8]


def test_without_native_apis_an_add_usd_release_has_no_in_memory_route() -> None:
    old = replace(FEATURES, native_string=False, native_bytes=False, native_fd=False)
    assert "path-only" in str(strategies.STRATEGIES["string"].unavailable_reason(capabilities(old), "usda"))
    assert "path-only" in str(strategies.STRATEGIES["bytes"].unavailable_reason(capabilities(old), "usda"))


def test_native_fd_api_gets_the_sealed_memfd() -> None:
    from shim.strategies.fd import sealed_memfd

    physx: Any = FakeFuturePhysX()
    fd = sealed_memfd(USDA.encode())
    try:
        scene = Loader(physx, FEATURES).fd(fd, len(USDA))
        with pytest.raises(PermissionError):
            os.write(fd, b"x")  # sealed before hand-off
    finally:
        os.close(fd)
    assert physx.calls[0] == ("fd", USDA.encode())
    scene.unload()
    assert physx.removed == [9]
