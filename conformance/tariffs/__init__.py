"""roamcert's reference OCPI 2.2.1 tariff engine.

Recomputes the cost of a CDR (or of a Session, finished or in progress) from its tariffs with exact
decimal arithmetic, explains every cost line (which tariff element, which restriction, which quantity
before and after step_size rounding, which price and VAT), and compares the result with what the CDR
states. Where the specification is ambiguous the engine follows the reading its text supports; named
:class:`Switches` select the alternatives real implementations use (docs/tariff-interpretations.md).

The tariff of a charging period is the one its ``tariff_id`` names, looked up among ``tariffs`` first and
then the CDR's own ``tariffs``; a period without ``tariff_id`` is priced with the first of ``tariffs`` (or,
when that list is empty, the CDR's first tariff).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from conformance.tariffs.compare import Discrepancy, breakdown_table, compare
from conformance.tariffs.engine import price_usage
from conformance.tariffs.errors import TariffError
from conformance.tariffs.money import Money
from conformance.tariffs.parse import parse_cdr, parse_session
from conformance.tariffs.result import Adjustment, ComponentLine, PeriodChange, PeriodLine, Pricing
from conformance.tariffs.switches import SWITCHES, Switches, SwitchInfo, switches_from_names

__all__ = [
    "SWITCHES",
    "Adjustment",
    "ComponentLine",
    "Discrepancy",
    "Money",
    "PeriodChange",
    "PeriodLine",
    "Pricing",
    "SwitchInfo",
    "Switches",
    "TariffError",
    "breakdown_table",
    "compare",
    "price_cdr",
    "price_session",
    "switches_from_names",
]

_SPEC_READING = Switches()  # every switch off: the reading the spec text supports


def price_cdr(cdr: Mapping[str, Any], tariffs: Sequence[Mapping[str, Any]], *, time_zone: str,
              switches: Switches = _SPEC_READING) -> Pricing:
    """Recompute a CDR. ``time_zone`` is the IANA zone of the location (CDR timestamps are UTC)."""
    return price_usage(parse_cdr(cdr), tariffs, time_zone=time_zone, switches=switches)


def price_session(session: Mapping[str, Any], tariffs: Sequence[Mapping[str, Any]], *, time_zone: str,
                  switches: Switches = _SPEC_READING) -> Pricing:
    """Price a Session, finished or in progress (then as if it ended at its ``last_updated``)."""
    return price_usage(parse_session(session), tariffs, time_zone=time_zone, switches=switches)
