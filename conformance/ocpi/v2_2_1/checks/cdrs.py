"""Checks on the prices of CDRs (mod_cdrs, with mod_tariffs): each CDR priced again by roamcert's tariff engine
from the CPO's own tariffs, and its charging periods cut where the price changes.

The evidence (:class:`CdrPrices`) is recorded by conformance/ocpi/v2_2_1/flows/cdrs.py (the CDRs a CPO serves) and
flows/charging.py (the CDR a CPO posted after a charge); the checks never send anything.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from conformance.core.checks import Problem
from conformance.ocpi.v2_2_1.checks._registrar import evidence_check

__all__ = ["MARGIN", "CdrPrices", "PriceBook", "period_per_price_change", "period_problems", "price",
           "price_problems"]

MARGIN = 60  # seconds: a meter read a minute after a price change still marks it


@dataclass
class PriceBook:
    """What pricing a CDR needs besides the CDR itself: the CPO's tariffs and each location's time zone."""

    tariffs: dict[str, dict[str, Any]] = field(default_factory=dict)  # by tariff id, case-folded
    time_zones: dict[str, str] = field(default_factory=dict)  # by location id, case-folded

    def tariffs_for(self, cdr: dict[str, Any]) -> list[dict[str, Any]]:
        """The CDR's own tariffs first (those in force at the time), then the pulled ones it references."""
        own = [t for t in cdr.get("tariffs") or [] if isinstance(t, dict)]
        known = {str(t.get("id", "")).casefold() for t in own}
        wanted = {str(p.get("tariff_id", "")).casefold() for p in cdr.get("charging_periods") or []
                  if isinstance(p, dict) and p.get("tariff_id")}
        return own + [self.tariffs[i] for i in sorted(wanted - known) if i in self.tariffs]

    def time_zone_for(self, cdr: dict[str, Any]) -> str | None:
        location = cdr.get("cdr_location")
        if not isinstance(location, dict):
            return None
        return self.time_zones.get(str(location.get("id", "")).casefold())


@dataclass(frozen=True)
class CdrPrices:
    """CDRs the CPO gave, and what roamcert prices them from."""

    cdrs: tuple[Any, ...]
    book: PriceBook
    switches: Any  # the tariff engine's Switches for this SUT (conformance.tariffs.Switches)
    exchange_ids: tuple[str, ...]


@evidence_check("ocpi.cdrs.price")
def price(evidence: CdrPrices) -> Iterator[Problem]:
    yield from price_problems(evidence.cdrs, evidence.book, evidence.switches)


@evidence_check("ocpi.cdrs.period_per_price_change")
def period_per_price_change(evidence: CdrPrices) -> Iterator[Problem]:
    yield from period_problems(evidence.cdrs, evidence.book, evidence.switches)


def price_problems(cdrs: Sequence[Any], book: PriceBook, switches: Any) -> list[Problem]:
    """Where each CDR's costs differ from what roamcert's tariff engine gives for it from ``book``."""
    from conformance.tariffs import TariffError, breakdown_table, compare, price_cdr

    problems: list[Problem] = []
    for cdr in cdrs:
        if not isinstance(cdr, dict):
            continue
        name = f"CDR {cdr.get('id')!r}"
        time_zone = book.time_zone_for(cdr)
        if time_zone is None:
            problems.append(Problem(f"{name}: its location {cdr.get('cdr_location', {}).get('id')!r} is not among "
                                    "the CPO's Locations, so its local time (and price) cannot be established",
                                    "cdr_location.id of a served Location", "unknown location"))
            continue
        try:
            pricing = price_cdr(cdr, book.tariffs_for(cdr), time_zone=time_zone, switches=switches)
        except TariffError as exc:
            problems.append(Problem(f"{name} cannot be priced from the CPO's tariffs: {exc}",
                                    "a CDR whose periods its tariffs can price", str(exc)))
            continue
        for discrepancy in compare(cdr, pricing):
            problems.append(Problem(f"{name}: {discrepancy}", breakdown_table(pricing, cdr), _actual(cdr)))
    return problems


def period_problems(cdrs: Sequence[Any], book: PriceBook, switches: Any) -> list[Problem]:
    """Charging periods inside which the active price components change by the clock (a time of day, a day, a
    session duration) more than MARGIN seconds from either end: a new period had to start there. Changes found
    from energy (kWh thresholds) are left out: where inside a period the energy flowed is not reported."""
    from conformance.tariffs import TariffError, price_cdr

    problems: list[Problem] = []
    for cdr in cdrs:
        time_zone = book.time_zone_for(cdr) if isinstance(cdr, dict) else None
        if time_zone is None:
            continue  # the price check names it
        try:
            pricing = price_cdr(cdr, book.tariffs_for(cdr), time_zone=time_zone, switches=switches)
        except TariffError:
            continue
        for change in pricing.changes:
            if change.exact and change.margin >= MARGIN:
                period = cdr["charging_periods"][change.period]
                problems.append(Problem(
                    f"CDR {cdr.get('id')!r}: charging period {change.period} (from {period.get('start_date_time')}, "
                    f"{int(change.duration)} s) goes on past a change of its price: {change.reason}",
                    f"a new charging period starting at that change ({int(change.offset)} s into the period)",
                    f"one period from {period.get('start_date_time')}"))
    return problems


def _actual(cdr: dict[str, Any]) -> str:
    keys = ("total_cost", "total_fixed_cost", "total_energy_cost", "total_time_cost", "total_parking_cost",
            "total_reservation_cost", "total_energy", "total_time", "total_parking_time")
    return "; ".join(f"{k}={cdr[k]}" for k in keys if k in cdr)
