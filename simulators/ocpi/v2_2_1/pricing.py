"""How the reference CPO prices its CDRs: the reference tariff engine, bent by a fault profile on request."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from simulators.ocpi.faults import Faults
from simulators.ocpi.v2_2_1.seed.cdrs import Priced

__all__ = ["cdr_pricer"]

_TOTALS = {"total_cost": "total_cost", "total_fixed_cost": "total_fixed_cost",
           "total_energy_cost": "total_energy_cost", "total_time_cost": "total_time_cost",
           "total_parking_cost": "total_parking_time_cost", "total_reservation_cost": "total_reservation_cost"}


_FOUR = Decimal("0.0001")  # "numbers use 4 decimals" (types#types_number_type)


def _price(money: Any) -> dict[str, float]:
    out = {"excl_vat": float(money.excl_vat.quantize(_FOUR))}
    if money.incl_vat is not None:
        out["incl_vat"] = float(money.incl_vat.quantize(_FOUR))
    return out


def cdr_pricer(faults: Faults) -> Priced:
    def price(cdr: dict[str, Any], tariffs: list[dict[str, Any]], time_zone: str) -> dict[str, Any]:
        from conformance.tariffs import price_cdr, switches_from_names

        pricing = price_cdr(cdr, tariffs, time_zone=time_zone, switches=switches_from_names(faults.cdr_switches))
        totals: dict[str, Any] = {}
        for field, attribute in _TOTALS.items():
            money = getattr(pricing, attribute)
            if field in ("total_cost", "total_energy_cost", "total_time_cost", "total_parking_cost") or \
                    money.excl_vat != Decimal(0):
                totals[field] = _price(money)
        return totals

    return price
