"""A scene ready to hand over: a pxr layer, USDA text or bytes, crate bytes, or a file path."""

from __future__ import annotations

import contextlib
import errno
import os
import time
from collections.abc import Iterator
from typing import Literal

import lazy
from shim import scratch
from shim.errors import InvalidSource
from shim.physics_only import LeftOut
from shim.source import geometry
from shim.source.stages import describe

__all__ = ["Format", "Kind", "Payload"]

Format = Literal["usda", "usdc"]
Kind = Literal["layer", "text", "usda-bytes", "usdc-bytes", "path"]


class Payload:
    """One source, classified; it serialises itself once into what a strategy asks for."""

    def __init__(
        self,
        kind: Kind,
        *,
        layer: object = None,
        text: str | None = None,
        data: bytes | None = None,
        path: str | None = None,
        stage: object = None,
        left_out: LeftOut | None = None,
    ) -> None:
        self.kind = kind
        self.layer = layer
        self.text = text
        self.data = data  # usda-bytes and usdc-bytes: the caller's own bytes, never copied
        self.path = path
        self.stage = stage  # the pxr stage it came from, which point_based() looks at
        self.left_out = left_out  # what content="physics" left out
        self.serialize_s = 0.0  # producing what was handed over: text, bytes, the file written
        self._serializing = False

    def cheap_formats(self) -> tuple[Format, ...]:
        """The formats it is in already, or writes to directly (no re-parse), best first."""
        if self.kind == "layer":
            return ("usdc", "usda")
        return ("usdc",) if self.kind == "usdc-bytes" else ("usda",)

    def possible_formats(self) -> tuple[Format, ...]:
        """Every format it can be turned into (text can be parsed and written as a crate)."""
        return ("usdc",) if self.kind == "usdc-bytes" else ("usdc", "usda")

    def point_based(self) -> bool | None:
        """Whether the stage it came from holds point-based geometry; None when it came from no stage."""
        return None if self.stage is None else geometry.has_point_based(self.stage)

    @contextlib.contextmanager
    def _serializing_clock(self) -> Iterator[None]:
        """Add the block's time to ``serialize_s``; a block inside another is counted once."""
        if self._serializing:
            yield
            return
        self._serializing = True
        started = time.perf_counter()
        try:
            yield
        finally:
            self.serialize_s += time.perf_counter() - started
            self._serializing = False

    def usda_text(self) -> str:
        if self.text is None:
            with self._serializing_clock():
                if self.kind == "usda-bytes":
                    assert self.data is not None
                    self.text = self.data.decode("utf-8")
                else:
                    self.text = str(self.as_layer().ExportToString())  # type: ignore[attr-defined]
        return self.text

    def usda_bytes(self) -> bytes:
        """USDA as bytes: the caller's own for a bytes source, else the text encoded (one copy)."""
        if self.kind == "usda-bytes":
            assert self.data is not None
            return self.data
        with self._serializing_clock():
            return self.usda_text().encode("utf-8")

    def as_layer(self) -> object:
        if self.layer is None:
            with self._serializing_clock():
                layer = lazy.pxr.Sdf.Layer.CreateAnonymous(".usda")
                if not layer.ImportFromString(self.usda_text()):
                    raise InvalidSource(describe(self.text), "pxr could not parse the USDA text")
            self.layer = layer
        return self.layer

    def known_size(self, fmt: Format) -> int | None:
        """The bytes a file of this payload in ``fmt`` takes, where known without serialising it."""
        if self.data is not None and fmt == ("usdc" if self.kind == "usdc-bytes" else "usda"):
            return len(self.data)
        if fmt == "usda" and self.text is not None:
            return len(self.text.encode("utf-8"))
        return None

    def write_file(self, directory: str, fmt: Format) -> str:
        """Write the scene into ``directory`` (private, fresh) as ``scene.<fmt>``; returns its path."""
        with self._serializing_clock():
            path = os.path.join(directory, f"scene.{fmt}")
            if fmt == "usdc" and self.kind == "usdc-bytes":
                assert self.data is not None
                _write_private(path, self.data)
            elif fmt == "usda":
                _write_private(path, self.usda_bytes())
            else:
                self._export_crate(path)
            return path

    def _export_crate(self, path: str) -> None:
        # USD's crate writer needs a real path it creates itself; the directory is
        # private (0700) and fresh, so nothing else can be there, and the mode is tightened.
        try:
            written = self.as_layer().Export(path)  # type: ignore[attr-defined]
        except Exception as error:  # pxr's Tf.ErrorException carries the OS's words only
            if os.strerror(errno.ENOSPC) in str(error):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path) from error
            raise
        if not written:
            raise InvalidSource(describe(self.layer), "pxr could not write it as a crate")
        os.chmod(path, 0o600)


def _write_private(path: str, data: bytes) -> None:
    fd = scratch.create_private_file(os.path.dirname(path), os.path.basename(path))
    with os.fdopen(fd, "wb") as file:
        file.write(data)
