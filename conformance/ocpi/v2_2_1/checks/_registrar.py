"""Registers the OCPI 2.2.1 checks; what each verifies is read from the 2.2.1 catalogue (catalogue/checks.toml)."""

from __future__ import annotations

from conformance.core.checks import Registrar
from conformance.ocpi.v2_2_1 import PROTOCOL

__all__ = ["check", "evidence_check"]

_OCPI_2_2_1 = Registrar(PROTOCOL.protocol, PROTOCOL.version)

check = _OCPI_2_2_1.exchange
evidence_check = _OCPI_2_2_1.evidence
