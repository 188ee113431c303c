"""Deterministic tariffs of the reference CPO: the ids its connectors reference, with realistic structures.

Together they exercise every kind of price component (ENERGY, FLAT, TIME, PARKING_TIME), time-of-day
restrictions with a midnight wrap, weekdays, durations, kWh and power thresholds, step sizes, VAT, and a
minimum and maximum price. Prices in EUR, or GBP for the UK ids ending in -GBP.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from conformance.ocpi.types import format_datetime, parse_datetime
from simulators.ocpi.v2_2_1.seed.locations import seed_tariff_ids

__all__ = ["seed_tariffs"]

_WEEKDAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"]
_UPDATE_STEP = timedelta(hours=7)  # between the last updates of consecutive Tariffs; all well before the seed CDRs


def _component(kind: str, price: str, step: int, vat: float | None = 21.0) -> dict[str, Any]:
    component: dict[str, Any] = {"type": kind, "price": float(price), "step_size": step}
    if vat is not None:
        component["vat"] = vat
    return component


def _structures(vat: float) -> dict[str, dict[str, Any]]:
    return {
        "AC-STD": {  # day rate, cheaper night rate across midnight, parking fee after 4 hours of charging session
            "type": "REGULAR",
            "elements": [
                {"price_components": [_component("ENERGY", "0.29", 1, vat)],
                 "restrictions": {"start_time": "23:00", "end_time": "07:00"}},
                {"price_components": [_component("ENERGY", "0.39", 1, vat)]},
                {"price_components": [_component("PARKING_TIME", "2.40", 900, vat)],
                 "restrictions": {"min_duration": 14400}},
            ],
        },
        "AC-DEST": {  # destination charging: per hour on weekdays, flat on weekends
            "type": "REGULAR",
            "elements": [
                {"price_components": [_component("TIME", "1.50", 60, vat)],
                 "restrictions": {"day_of_week": _WEEKDAYS}},
                {"price_components": [_component("FLAT", "5.00", 1, vat)],
                 "restrictions": {"day_of_week": ["SATURDAY", "SUNDAY"]}},
            ],
        },
        "AC-ADHOC": {  # card payment at the charger: start fee, energy, minimum price
            "type": "AD_HOC_PAYMENT",
            "min_price": {"excl_vat": 2.00, "incl_vat": round(2.00 * (1 + vat / 100), 2)},
            "elements": [
                {"price_components": [_component("FLAT", "0.50", 1, vat), _component("ENERGY", "0.45", 1, vat)]},
            ],
        },
        "DC-FAST": {  # energy in 0.1 kWh steps, idle fee after the car is full
            "type": "REGULAR",
            "elements": [
                {"price_components": [_component("ENERGY", "0.59", 100, vat),
                                      _component("PARKING_TIME", "6.00", 60, vat)]},
            ],
        },
        "DC-HPC": {  # high power costs more above 100 kW; first 20 kWh of a session discounted; a price cap
            "type": "REGULAR",
            "max_price": {"excl_vat": 90.00, "incl_vat": round(90.00 * (1 + vat / 100), 2)},
            "elements": [
                {"price_components": [_component("ENERGY", "0.49", 1, vat)], "restrictions": {"max_kwh": 20.0}},
                {"price_components": [_component("ENERGY", "0.79", 1, vat)], "restrictions": {"min_power": 100.0}},
                {"price_components": [_component("ENERGY", "0.69", 1, vat)]},
            ],
        },
        "DC-ADHOC": {
            "type": "AD_HOC_PAYMENT",
            "elements": [
                {"price_components": [_component("FLAT", "1.00", 1, vat), _component("ENERGY", "0.75", 1, vat),
                                      _component("TIME", "6.00", 60, vat)]},
            ],
        },
        "FREE": {
            "type": "REGULAR",
            "elements": [{"price_components": [_component("FLAT", "0.00", 1, None)]}],
        },
    }


def seed_tariffs(*, country_code: str = "NL", party_id: str = "RCP",
                 last_updated: str = "2026-01-01T00:00:00Z") -> list[dict[str, Any]]:
    """One Tariff per id the seed connectors reference, ordered by id. The first was last updated at
    ``last_updated``, each next one some hours later: distinct moments, so a date filter that is not applied
    shows."""
    tariffs = []
    first = parse_datetime(last_updated)
    for number, tariff_id in enumerate(seed_tariff_ids()):
        gbp = tariff_id.endswith("-GBP")
        kind = tariff_id.removeprefix("TARIFF-").removesuffix("-GBP")
        structure = _structures(20.0 if gbp else 21.0)[kind]
        tariff: dict[str, Any] = {
            "country_code": country_code,
            "party_id": party_id,
            "id": tariff_id,
            "currency": "GBP" if gbp else "EUR",
            **structure,
            "tariff_alt_text": [{"language": "en", "text": f"{kind.replace('-', ' ').title()} tariff"}],
            "last_updated": format_datetime(first + number * _UPDATE_STEP),
        }
        tariffs.append(tariff)
    return tariffs
