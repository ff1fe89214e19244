"""The routes users write by hand today, against each release's own API, with no shim machinery.

They are what the shim replaces and what it is measured against: the benchmark's
routes (a) to (c) and the test suite's differential oracle both use them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

__all__ = ["export_and_load", "loaded_from_string", "loaded_natively"]


@contextlib.contextmanager
def loaded_natively(physx: Any, path: str) -> Iterator[None]:
    """The scene file at ``path`` loaded for the duration of the block, by the release's own calls."""
    if hasattr(physx, "add_usd"):
        handle, op = physx.add_usd(path)
        physx.wait_op(op)
        try:
            yield
        finally:
            physx.wait_op(physx.remove_usd(handle))
        return
    with _attached(physx, lambda stage, domains: _population().open_usd(stage, path, ordinal=1, domains=domains)):
        yield


@contextlib.contextmanager
def loaded_from_string(physx: Any, text: str) -> Iterator[None]:
    """Isaac Lab's route on 0.5+: the flattened stage's USDA text populated into ovstage inline."""
    populate = _population().open_usd_from_string
    with _attached(physx, lambda stage, domains: populate(stage, text, ordinal=1, domains=domains)):
        yield


@contextlib.contextmanager
def export_and_load(physx: Any, stage: Any, suffix: str = ".usda", directory: str | None = None) -> Iterator[str]:
    """The flow the shim replaces: ``stage.Export`` (or a layer's) into a temp directory, load by path, delete."""
    workdir = tempfile.mkdtemp(prefix="scene-", dir=directory)
    try:
        path = os.path.join(workdir, f"scene{suffix}")
        stage.Export(path)
        with loaded_natively(physx, path):
            yield path
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _population() -> Any:
    from ovstage import population

    return population


@contextlib.contextmanager
def _attached(physx: Any, populate: Any) -> Iterator[None]:
    import ovstage

    stage = ovstage.Stage("handwritten")
    try:
        populate(stage, ovstage.PopulationDomain.ALL)
        stage.advance_write_floor(ordinal=1).wait()
        _wait(physx, physx.attach_ovstage(stage, read_ordinal=1))
        yield
        _wait(physx, physx.detach_ovstage())
    finally:
        stage.destroy()


def _wait(physx: Any, task: Any) -> None:
    if task is not None:  # 0.7 returns a Task; 0.5/0.6 return nothing
        physx.wait_task(task)
