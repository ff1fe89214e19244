"""What ``shim.load`` was given, normalised into a payload the strategies can serialise."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
from collections.abc import Callable, Iterator
from typing import Any, Literal

import lazy
from shim import _geometry, _temproot
from shim.diagnostics import coalesced
from shim.errors import InvalidSource, PhysicsNotKept
from shim.physics_only import LeftOut, physics_only

__all__ = [
    "CRATE_MAGIC",
    "MAX_VERIFIED_CRATE",
    "Format",
    "NoSpace",
    "Payload",
    "RouteUnusable",
    "UnverifiedCrate",
    "file_is_crate",
    "is_stage",
    "self_contained_root",
    "unverified_crate_reason",
]

Format = Literal["usda", "usdc"]

CRATE_MAGIC = b"PXR-USDC"
USDA_MAGIC = "#usda"
#: The newest crate version verified (by the release matrix) to load in every ovphysx
#: release; usd-core 24.x-26.x write 0.8.0 by default. A newer crate falls back to USDA.
MAX_VERIFIED_CRATE = (0, 8, 0)
_PATH_SUFFIXES = (".usd", ".usda", ".usdc")


class RouteUnusable(Exception):
    """This route cannot carry this payload here; ``load`` in auto mode falls back to a USDA route."""


class UnverifiedCrate(RouteUnusable):
    """The crate usd-core wrote is newer than any verified to load."""


class NoSpace(RouteUnusable):
    """The temp root has no room for the scene (found before writing, or by ENOSPC while writing)."""


def is_stage(value: object) -> bool:
    """Whether ``value`` is a ``pxr.Usd.Stage`` (without importing pxr)."""
    return (type(value).__module__ or "").startswith("pxr.") and type(value).__name__ == "Stage"


def _describe(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:60]}... ({type(value).__name__} of {len(text)} chars)"


def crate_version(header: bytes) -> tuple[int, int, int] | None:
    """The version in a USDC header (bytes 8-10), or None if it is not a crate."""
    if len(header) < 11 or not header.startswith(CRATE_MAGIC):
        return None
    return header[8], header[9], header[10]


class Payload:
    """A scene ready to serialise: a pxr layer, USDA text, crate bytes, or a file path."""

    def __init__(
        self,
        kind: Literal["layer", "text", "usdc-bytes", "path"],
        *,
        layer: object = None,
        text: str | None = None,
        data: bytes | None = None,
        path: str | None = None,
    ) -> None:
        self.kind = kind
        self.left_out: LeftOut | None = None  # what content="physics" left out
        self.stage: object = None  # the pxr stage it came from, for survey()
        self.layer = layer
        self.text = text
        self.data = data
        self.path = path
        self.serialize_s = 0.0  # producing the bytes handed over: text, crate, the file written
        self._serializing = False

    @classmethod
    def from_source(cls, source: object) -> Payload:
        """Classify ``source``; raise InvalidSource (naming it) for anything that is not a scene."""
        module = type(source).__module__ or ""
        name = type(source).__name__
        if is_stage(source):
            payload = cls("layer", layer=self_contained_root(source) or _flattened(source))
            payload.stage = source
            return payload
        if module.startswith("pxr.") and name == "Layer":
            if not source:  # its stage was dropped and nothing else held it: any use aborts the process
                raise InvalidSource(
                    _describe(source), "the layer has expired; keep its stage (or the layer) referenced"
                )
            return cls("layer", layer=source)
        if isinstance(source, str):
            if source.lstrip("\ufeff").startswith(USDA_MAGIC):
                return cls("text", text=source)
            if source == "":
                raise InvalidSource("''", "the string is empty")
            return cls._from_path(source)
        if isinstance(source, os.PathLike):
            return cls._from_path(os.fspath(source))
        if isinstance(source, bytes | bytearray | memoryview):
            return cls._from_bytes(bytes(source))
        raise InvalidSource(_describe(source), f"a {type(source).__name__} is not a scene")

    @classmethod
    def for_content(cls, source: object, content: str) -> Payload:
        """``from_source`` for ``content="all"``; for ``"physics"``, the source composed and pruned (``physics_only``)."""
        if content == "all":
            return cls.from_source(source)
        if content != "physics":
            raise ValueError(f"unknown content {content!r}; choose 'all' or 'physics'")
        with coalesced("choosing what physics reads"):
            return cls._physics_only(source)

    @classmethod
    def _physics_only(cls, source: object) -> Payload:
        Usd = lazy.pxr.Usd
        whole = None if is_stage(source) else cls.from_source(source)
        if whole is None:
            stage = source
        elif whole.kind == "path":
            stage = Usd.Stage.Open(whole.path)  # every payload loaded, as the release's own file load does
        elif whole.kind == "usdc-bytes":
            raise InvalidSource(
                _describe(source), "content='physics' needs a stage, a layer, a file path or USDA text, not crate bytes"
            )
        else:
            stage = Usd.Stage.Open(whole._as_layer())
        try:
            layer, left_out = physics_only(stage)
        except PhysicsNotKept:
            raise
        except Exception as error:  # pxr raises Tf.ErrorException, a RuntimeError
            raise InvalidSource(
                _describe(source), f"selecting its physics failed ({type(error).__name__}: {error})"
            ) from error
        payload = cls("layer", layer=layer)
        payload.left_out = left_out
        if stage.GetLoadRules() == Usd.StageLoadRules.LoadAll():  # type: ignore[attr-defined]
            # Every payload loaded: a superset of what was handed over, so no point data there is none here.
            # A stage with payloads unloaded cannot vouch for them.
            payload.stage = stage
        return payload

    @classmethod
    def _from_bytes(cls, data: bytes) -> Payload:
        if data.startswith(CRATE_MAGIC):
            return cls("usdc-bytes", data=data)
        if data.lstrip(b"\xef\xbb\xbf").startswith(USDA_MAGIC.encode()):
            try:
                return cls("text", text=data.decode("utf-8"))
            except UnicodeDecodeError as error:
                raise InvalidSource(_describe(data[:40]), f"USDA bytes are not valid UTF-8 ({error})") from None
        raise InvalidSource(
            _describe(data[:40]), "the bytes start with neither '#usda' (USDA text) nor 'PXR-USDC' (a crate)"
        )

    @classmethod
    def _from_path(cls, path: str) -> Payload:
        if not path.lower().endswith(_PATH_SUFFIXES) and "\n" in path:
            raise InvalidSource(_describe(path), "USDA text must start with '#usda 1.0'")
        try:
            info = os.stat(path)
        except FileNotFoundError:
            raise InvalidSource(_describe(path), "no such file (USDA text must start with '#usda 1.0')") from None
        except PermissionError:
            raise InvalidSource(
                _describe(path), "this user may not reach it (permission denied on a directory above it)"
            ) from None
        except OSError as error:
            raise InvalidSource(_describe(path), f"it cannot be inspected ({error.strerror})") from None
        except ValueError:  # os.stat refuses a NUL in a path
            raise InvalidSource(
                _describe(path), "it contains a NUL character, which no path or USDA text can"
            ) from None
        if stat.S_ISDIR(info.st_mode):
            raise InvalidSource(_describe(path), "it is a directory, not a scene file")
        if not os.access(path, os.R_OK):
            raise InvalidSource(_describe(path), "the file is not readable by this user")
        if not path.lower().endswith(_PATH_SUFFIXES):
            raise InvalidSource(_describe(path), f"the file name must end in one of {', '.join(_PATH_SUFFIXES)}")
        return cls("path", path=os.path.abspath(path))

    # -- what each format costs to produce ------------------------------------------------

    def cheap_formats(self) -> tuple[Format, ...]:
        """Formats this payload is in already, or serialises to directly (no re-parse)."""
        if self.kind == "layer":
            return ("usdc", "usda")
        return ("usdc",) if self.kind == "usdc-bytes" else ("usda",)

    def survey(self, types_matter: Callable[[int], bool]) -> _geometry.Survey | None:
        """Point-based geometry and prim count of the pxr stage it came from; None for any other source.

        A layer, text or bytes are not inspected: the caller must count them as holding point data.
        ``types_matter``: at which prim counts the types are looked at (``_geometry.survey``).
        """
        return None if self.stage is None else _geometry.survey(self.stage, types_matter)

    def possible_formats(self) -> tuple[Format, ...]:
        """Every format it can be turned into (text can be parsed and written as a crate)."""
        return ("usdc",) if self.kind == "usdc-bytes" else ("usdc", "usda")

    # -- serialisation -----------------------------------------------------------------------

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
        if self.text is not None:
            return self.text
        with self._serializing_clock():
            return str(self._as_layer().ExportToString())  # type: ignore[attr-defined]

    def usda_bytes(self) -> bytes:
        with self._serializing_clock():
            return self.usda_text().encode("utf-8")

    def _as_layer(self) -> object:
        if self.layer is None:
            with self._serializing_clock():
                layer = lazy.pxr.Sdf.Layer.CreateAnonymous(".usda")
                if not layer.ImportFromString(self.text or ""):
                    raise InvalidSource(_describe(self.text), "pxr could not parse the USDA text")
            self.layer = layer
        return self.layer

    def known_size(self, fmt: Format) -> int | None:
        """The bytes a file of this payload in ``fmt`` takes, where known without serialising it."""
        if fmt == "usdc" and self.data is not None:
            return len(self.data)
        if fmt == "usda" and self.text is not None:
            return len(self.text.encode("utf-8"))
        return None

    def write_file(self, directory: str, fmt: Format) -> str:
        """Write the scene into ``directory`` (private, fresh) as ``scene.<fmt>``; returns its path."""
        with self._serializing_clock():
            return self._write_file(directory, fmt)

    def _write_file(self, directory: str, fmt: Format) -> str:
        path = os.path.join(directory, f"scene.{fmt}")
        if fmt == "usdc" and self.data is not None:
            self._write_private(path, self.data)
        elif fmt == "usda":
            self._write_private(path, self.usda_bytes())
        else:
            # USD's crate writer needs a real path it creates itself; the directory is
            # private (0700) and fresh, so nothing else can be there, and we tighten the mode.
            try:
                written = self._as_layer().Export(path)  # type: ignore[attr-defined]
            except Exception as error:  # pxr's Tf.ErrorException carries the OS's words only
                if os.strerror(errno.ENOSPC) in str(error):
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path) from error
                raise
            if not written:
                raise InvalidSource(_describe(self.layer), "pxr could not write it as a crate")
            os.chmod(path, 0o600)
        return path

    @staticmethod
    def _write_private(path: str, data: bytes) -> None:
        fd = _temproot.create_private_file(os.path.dirname(path), os.path.basename(path))
        with os.fdopen(fd, "wb") as file:
            file.write(data)


def _flattened(stage: object) -> object:
    """The composed scene as one layer."""
    try:
        with coalesced("flattening the stage"):
            layer = stage.Flatten()  # type: ignore[attr-defined]
    except Exception as error:  # pxr raises Tf.ErrorException, a RuntimeError
        raise InvalidSource(
            _describe(stage), f"flattening the stage failed ({type(error).__name__}: {error})"
        ) from error
    if layer is None:
        raise InvalidSource(_describe(stage), "flattening the stage failed (pxr returned no layer)")
    return layer


def self_contained_root(stage: object) -> object | None:
    """The stage's root layer, when it alone is the whole scene; None when the stage must be flattened.

    ``Stage.Flatten`` copies every prim through composition: 1.8 s for 20,000 cubes, more
    than ovphysx 0.4 takes to load them. An in-memory root layer with no sublayers, no
    other layer used (no external reference or payload), an empty session layer, and every
    prim and payload populated composes to itself, so it is handed over as it is. Internal
    arcs in it stay as authored, and the release's USD composes them the same way.
    """
    try:
        return _whole_root(stage, lazy.pxr.Usd)
    except Exception:  # anything unexpected about the stage: flattening is always right
        return None


def _whole_root(stage: object, Usd: Any) -> object | None:
    root = stage.GetRootLayer()  # type: ignore[attr-defined]
    session = stage.GetSessionLayer()  # type: ignore[attr-defined]
    if not root.anonymous or root.subLayerPaths or (session is not None and not session.empty):
        return None
    if stage.GetPopulationMask() != Usd.StagePopulationMask.All():  # type: ignore[attr-defined]
        return None
    if stage.GetLoadRules() != Usd.StageLoadRules.LoadAll():  # type: ignore[attr-defined]
        return None
    if any(layer not in (root, session) for layer in stage.GetUsedLayers()):  # type: ignore[attr-defined]
        return None
    whole: object = root
    return whole


def file_is_crate(path: str) -> bool:
    """Whether the file at ``path`` is a USDC crate (a ``.usd`` file can be either), by its first bytes."""
    with open(path, "rb") as file:
        return file.read(len(CRATE_MAGIC)) == CRATE_MAGIC


def unverified_crate_reason(path: str) -> str | None:
    """None if the crate at ``path`` is a version every supported ovphysx was verified to read."""
    with open(path, "rb") as file:
        version = crate_version(file.read(16))
    if version is None:
        return f"{path!r} is not a USDC crate"
    if version > MAX_VERIFIED_CRATE:
        newest = ".".join(map(str, MAX_VERIFIED_CRATE))
        return f"usd-core wrote crate version {'.'.join(map(str, version))}, newer than the verified {newest}"
    return None
