"""How the reference CPO prices its CDRs and cuts their charging periods: the reference tariff engine, with two
behaviours a fault profile may replace (the interpretation switches it prices with, the cut at price changes)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from simulators.behaviours import Behaviour, Behaviours
from simulators.ocpi.v2_2_1 import VERSION
from simulators.ocpi.v2_2_1.seed.cdrs import Cut, Priced
from simulators.ocpi.v2_2_1.seed.periods import split_at_price_changes

__all__ = ["CUT_PERIODS", "SWITCHES", "cdr_pricer"]

# The tariff interpretation switches (the engine's names) the CPO prices with besides the spec's own reading.
SWITCHES: Behaviour[tuple[str, ...]] = Behaviour("OCPI", VERSION, "cdrs", "pricing.switches", ())
# How a charge's and a seed CDR's charging periods are cut: a new period wherever the price changes
# (mod_cdrs_charging_period).
CUT_PERIODS: Behaviour[Cut] = Behaviour("OCPI", VERSION, "cdrs", "pricing.cut_periods", split_at_price_changes)

_TOTALS = {"total_cost": "total_cost", "total_fixed_cost": "total_fixed_cost",
           "total_energy_cost": "total_energy_cost", "total_time_cost": "total_time_cost",
           "total_parking_cost": "total_parking_time_cost", "total_reservation_cost": "total_reservation_cost"}


_FOUR = Decimal("0.0001")  # "numbers use 4 decimals" (types#types_number_type)


def _price(money: Any) -> dict[str, float]:
    out = {"excl_vat": float(money.excl_vat.quantize(_FOUR))}
    if money.incl_vat is not None:
        out["incl_vat"] = float(money.incl_vat.quantize(_FOUR))
    return out


def cdr_pricer(behaviours: Behaviours) -> Priced:
    """The CDR totals as a platform with ``behaviours`` prices them (``Behaviours()``: as the spec reads)."""
    switch_names = behaviours(SWITCHES)

    def price(cdr: dict[str, Any], tariffs: list[dict[str, Any]], time_zone: str) -> dict[str, Any]:
        from conformance.tariffs import price_cdr, switches_from_names

        pricing = price_cdr(cdr, tariffs, time_zone=time_zone, switches=switches_from_names(switch_names))
        totals: dict[str, Any] = {}
        for field, attribute in _TOTALS.items():
            money = getattr(pricing, attribute)
            if field in ("total_cost", "total_energy_cost", "total_time_cost", "total_parking_cost") or \
                    money.excl_vat != Decimal(0):
                totals[field] = _price(money)
        return totals

    return price
