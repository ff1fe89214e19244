"""What ``shim.load`` was given: a stage, a layer, USDA text or bytes, crate bytes or a path, as a Payload."""

from __future__ import annotations

import os
import stat

import lazy
from shim.diagnostics import coalesced
from shim.errors import InvalidSource, PhysicsNotKept
from shim.physics_only import physics_only
from shim.source.crate import CRATE_MAGIC
from shim.source.payload import Payload
from shim.source.stages import describe, flattened, is_stage, self_contained_root

__all__ = ["PATH_SUFFIXES", "classify", "for_content"]

USDA_MAGIC = "#usda"
PATH_SUFFIXES = (".usd", ".usda", ".usdc")


def for_content(source: object, content: str) -> Payload:
    """``classify`` for ``content="all"``; for ``"physics"``, the source composed and pruned (``physics_only``)."""
    if content == "all":
        return classify(source)
    if content != "physics":
        raise ValueError(f"unknown content {content!r}; choose 'all' or 'physics'")
    with coalesced("choosing what physics reads"):
        return _physics_only(source)


def classify(source: object) -> Payload:
    """The payload of ``source``; InvalidSource, naming it, for anything that is not a scene."""
    if is_stage(source):
        return Payload("layer", layer=self_contained_root(source) or flattened(source), stage=source)
    if (type(source).__module__ or "").startswith("pxr.") and type(source).__name__ == "Layer":
        if not source:  # its stage was dropped and nothing else held it: any use aborts the process
            raise InvalidSource(describe(source), "the layer has expired; keep its stage (or the layer) referenced")
        return Payload("layer", layer=source)
    if isinstance(source, str):
        if source.lstrip("\ufeff").startswith(USDA_MAGIC):
            return Payload("text", text=source)
        if source == "":
            raise InvalidSource("''", "the string is empty")
        return _from_path(source)
    if isinstance(source, os.PathLike):
        return _from_path(os.fspath(source))
    if isinstance(source, bytes | bytearray | memoryview):
        return _from_bytes(source if isinstance(source, bytes) else bytes(source))
    raise InvalidSource(describe(source), f"a {type(source).__name__} is not a scene")


def _physics_only(source: object) -> Payload:
    Usd = lazy.pxr.Usd
    whole = None if is_stage(source) else classify(source)
    if whole is None:
        stage = source
    elif whole.kind == "path":
        stage = Usd.Stage.Open(whole.path)  # every payload loaded, as the release's own file load does
    elif whole.kind == "usdc-bytes":
        raise InvalidSource(
            describe(source), "content='physics' needs a stage, a layer, a file path or USDA text, not crate bytes"
        )
    else:
        stage = Usd.Stage.Open(whole.as_layer())
    try:
        layer, left_out = physics_only(stage)
    except PhysicsNotKept:
        raise
    except Exception as error:  # pxr raises Tf.ErrorException, a RuntimeError
        raise InvalidSource(
            describe(source), f"selecting its physics failed ({type(error).__name__}: {error})"
        ) from error
    # Every payload loaded: a superset of what was handed over, so no point data there is none here.
    # A stage with payloads unloaded cannot vouch for them.
    vouches = stage.GetLoadRules() == Usd.StageLoadRules.LoadAll()  # type: ignore[attr-defined]
    return Payload("layer", layer=layer, stage=stage if vouches else None, left_out=left_out)


def _from_bytes(data: bytes) -> Payload:
    if data.startswith(CRATE_MAGIC):
        return Payload("usdc-bytes", data=data)
    if data.lstrip(b"\xef\xbb\xbf").startswith(USDA_MAGIC.encode()):
        if not data.isascii():  # ASCII is valid UTF-8, checked without a copy; anything else is decoded once
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as error:
                raise InvalidSource(describe(data[:40]), f"USDA bytes are not valid UTF-8 ({error})") from None
        return Payload("usda-bytes", data=data)
    raise InvalidSource(
        describe(data[:40]), "the bytes start with neither '#usda' (USDA text) nor 'PXR-USDC' (a crate)"
    )


def _from_path(path: str) -> Payload:
    if not path.lower().endswith(PATH_SUFFIXES) and "\n" in path:
        raise InvalidSource(describe(path), "USDA text must start with '#usda 1.0'")
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InvalidSource(describe(path), "no such file (USDA text must start with '#usda 1.0')") from None
    except PermissionError:
        raise InvalidSource(
            describe(path), "this user may not reach it (permission denied on a directory above it)"
        ) from None
    except OSError as error:
        raise InvalidSource(describe(path), f"it cannot be inspected ({error.strerror})") from None
    except ValueError:  # os.stat refuses a NUL in a path
        raise InvalidSource(describe(path), "it contains a NUL character, which no path or USDA text can") from None
    if stat.S_ISDIR(info.st_mode):
        raise InvalidSource(describe(path), "it is a directory, not a scene file")
    if not os.access(path, os.R_OK):
        raise InvalidSource(describe(path), "the file is not readable by this user")
    if not path.lower().endswith(PATH_SUFFIXES):
        raise InvalidSource(describe(path), f"the file name must end in one of {', '.join(PATH_SUFFIXES)}")
    return Payload("path", path=os.path.abspath(path))
