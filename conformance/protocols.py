"""The protocol versions this installation certifies. Only the composition roots (the pytest plugin, the CLI)
import this module; importing it registers each version's catalogue location and its checks."""

from __future__ import annotations

import importlib
from functools import cache

from conformance.core.protocol import ProtocolVersion, protocol_versions

__all__ = ["INSTALLED", "installed"]

#: One package per protocol version; each registers itself when imported.
INSTALLED = ("conformance.ocpi.v2_2_1",)


@cache
def installed() -> tuple[ProtocolVersion, ...]:
    """Import every installed protocol version with its checks; the registered versions."""
    for name in INSTALLED:
        importlib.import_module(name)
    for item in protocol_versions():
        importlib.import_module(item.checks)
    return tuple(protocol_versions())
