"""OCPI 2.2.1: its schemas, catalogue, checks, flows and steps. Importing the package registers the version."""

from __future__ import annotations

from pathlib import Path

from conformance.core.protocol import ProtocolVersion, register_protocol

__all__ = ["PROTOCOL", "VERSION"]

VERSION = "2.2.1"

PROTOCOL = register_protocol(ProtocolVersion(
    protocol="OCPI",
    version=VERSION,
    package=__name__,
    catalogue=Path(__file__).resolve().parent / "catalogue",
    spec_base="https://github.com/ocpi/ocpi/blob/release-2.2.1-bugfixes/",
    checks=f"{__name__}.checks",
    steps=f"{__name__}.steps",
    features="ocpi/2.2.1",
))
