"""What ``shim.load`` was given, classified into a Payload that serialises itself for a strategy."""

from shim.source.classify import classify, for_content
from shim.source.crate import file_is_crate, unverified_crate_reason
from shim.source.payload import Format, Payload
from shim.source.stages import describe, is_stage

__all__ = [
    "Format",
    "Payload",
    "classify",
    "describe",
    "file_is_crate",
    "for_content",
    "is_stage",
    "unverified_crate_reason",
]
