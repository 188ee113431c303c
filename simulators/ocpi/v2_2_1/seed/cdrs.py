"""Deterministic CDRs of the reference CPO: realistic sessions at its seed Locations, priced from its tariffs.

Sessions vary in start time (night, day, weekend, across midnight), power (AC 3.7-22 kW, DC 50-150 kW),
energy and duration, and most end with the car parked after charging. Each CDR's totals come from the
``price`` function handed in (the reference tariff engine, possibly with a fault profile's twist).
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

from simulators.ocpi.v2_2_1.seed.periods import split_at_price_changes

__all__ = ["Cut", "Priced", "cdr_location", "seed_cdrs"]

# (cdr, tariffs, time zone) -> totals to put on the CDR: total_cost, total_energy_cost, ... (Price objects)
Priced = Callable[[dict[str, Any], list[dict[str, Any]], str], dict[str, Any]]


class Cut(Protocol):
    """How charging periods (ending at ``end``) are cut where ``tariffs`` change price (split_at_price_changes)."""

    def __call__(self, periods: Sequence[dict[str, Any]], end: datetime, tariffs: Sequence[dict[str, Any]], *,
                 time_zone: str, currency: str) -> list[dict[str, Any]]: ...


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _hours(delta: timedelta) -> float:
    return round(delta.total_seconds() / 3600, 4)  # "numbers use 4 decimals" (types#types_number_type)


def _connectors(locations: Sequence[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]]:
    found = []
    for location in locations:
        for evse in location.get("evses", []):
            if evse.get("status") in ("REMOVED", "PLANNED"):
                continue
            for connector in evse.get("connectors", []):
                if connector.get("tariff_ids") and connector.get("power_type") and evse.get("evse_id"):
                    found.append((location, evse, connector))
    return found


def cdr_location(location: dict[str, Any], evse: dict[str, Any], connector: dict[str, Any]) -> dict[str, Any]:
    """The CdrLocation of a charge at ``connector`` of ``evse`` at ``location`` (mod_cdrs_cdr_location_class)."""
    place = {
        "id": location["id"], "name": location.get("name"), "address": location["address"],
        "city": location["city"], "postal_code": location.get("postal_code"), "country": location["country"],
        "coordinates": location["coordinates"], "evse_uid": evse["uid"], "evse_id": evse.get("evse_id"),
        "connector_id": connector["id"], "connector_standard": connector["standard"],
        "connector_format": connector["format"], "connector_power_type": connector["power_type"],
    }
    return {k: v for k, v in place.items() if v is not None}


def _periods(rng: random.Random, start: datetime, dc: bool, tariff_id: str) -> tuple[list[dict[str, Any]], datetime]:
    """Charging periods: one to three charging stretches, then (usually) a parking stretch."""
    periods: list[dict[str, Any]] = []
    moment = start
    stretches = rng.randint(1, 3)
    for index in range(stretches):
        power = rng.choice([50.0, 75.0, 120.0, 150.0]) if dc else rng.choice([3.7, 7.4, 11.0, 22.0])
        minutes = rng.randint(8, 25) if dc else rng.randint(30, 150)
        duration = timedelta(minutes=minutes, seconds=rng.randint(0, 59))
        energy = round(power * 0.9 * _hours(duration), 3)
        voltage = 400.0 if not dc else 800.0
        current = round(power * 1000 / voltage, 1)
        periods.append({
            "start_date_time": _stamp(moment),
            "dimensions": [
                {"type": "ENERGY", "volume": energy},
                {"type": "TIME", "volume": _hours(duration)},
                {"type": "MAX_POWER", "volume": power},
                {"type": "MIN_POWER", "volume": round(power * (0.5 if index == stretches - 1 else 0.8), 1)},
                {"type": "MAX_CURRENT", "volume": current},
                {"type": "MIN_CURRENT", "volume": round(current * 0.5, 1)},
            ],
            "tariff_id": tariff_id,
        })
        moment += duration
    if rng.random() < 0.75:
        parked = timedelta(minutes=rng.randint(5, 40) if dc else rng.randint(10, 420))
        periods.append({"start_date_time": _stamp(moment),
                        "dimensions": [{"type": "PARKING_TIME", "volume": _hours(parked)}],
                        "tariff_id": tariff_id})
        moment += parked
    return periods, moment


def seed_cdrs(locations: Sequence[dict[str, Any]], tariffs: Sequence[dict[str, Any]], price: Priced, *,
              count: int = 40, country_code: str = "NL", party_id: str = "RCP",
              base_time: datetime = datetime(2026, 1, 12, 6, 0, tzinfo=UTC),
              cut: Cut = split_at_price_changes) -> list[dict[str, Any]]:
    """``count`` CDRs, each priced by ``price``, and a Credit CDR for an early one; ordered by last_updated.
    Charging periods are cut by ``cut``: where the price changes, unless a fault profile's cut is handed in."""
    rng = random.Random(20260112)
    by_id = {t["id"]: t for t in tariffs}
    slots = _connectors(locations)
    cdrs = []
    pricing: dict[str, tuple[dict[str, Any], str]] = {}  # CDR id -> (its tariff, its location's time zone)
    for number in range(1, count + 1):
        location, evse, connector = slots[(number * 7) % len(slots)]
        choices = connector["tariff_ids"]  # a connector with an ad hoc tariff is also paid for by card at times
        tariff = by_id[choices[number % len(choices)]]
        start = base_time + timedelta(hours=number * 9 + rng.randint(0, 5), minutes=rng.randint(0, 59))
        dc = connector["power_type"] == "DC"
        periods, end = _periods(rng, start, dc, tariff["id"])
        periods = cut(periods, end, [tariff], time_zone=location["time_zone"], currency=tariff["currency"])
        cdr: dict[str, Any] = {
            "country_code": country_code,
            "party_id": party_id,
            "id": f"CDR{number:05d}",
            "start_date_time": _stamp(start),
            "end_date_time": _stamp(end),
            "session_id": f"SES{number:05d}",
            "cdr_token": {"country_code": "NL", "party_id": "REM", "uid": f"04A1B2C3{number:04X}",
                          "type": "RFID", "contract_id": f"NL-REM-C{number:08d}-X"},
            "auth_method": "WHITELIST" if number % 3 else "AUTH_REQUEST",
            "cdr_location": cdr_location(location, evse, connector),
            "currency": tariff["currency"],
            "tariffs": [tariff],
            "charging_periods": periods,
            "total_energy": float(sum(Decimal(str(d["volume"])) for p in periods for d in p["dimensions"]
                                      if d["type"] == "ENERGY")),
            "total_time": _hours(end - start),
            "total_parking_time": float(sum(Decimal(str(d["volume"])) for p in periods for d in p["dimensions"]
                                            if d["type"] == "PARKING_TIME")),
            "last_updated": _stamp(end + timedelta(minutes=5)),
        }
        cdr = {k: v for k, v in cdr.items() if v is not None}
        cdr.update(price(cdr, [tariff], location["time_zone"]))
        cdrs.append(cdr)
        pricing[cdr["id"]] = (tariff, location["time_zone"])
    cdrs.append(_credit(cdrs, pricing, price))
    return sorted(cdrs, key=lambda c: c["last_updated"])


def _credit(cdrs: Sequence[dict[str, Any]], pricing: dict[str, tuple[dict[str, Any], str]],
            price: Priced) -> dict[str, Any]:
    """A Credit CDR for an early CDR that cost something, issued two days after it (mod_cdrs_credit_cdrs): all
    the original's data under a new id, with the credit fields, priced again so total_cost is negated."""
    original = next(c for c in cdrs[2:] if c["total_cost"]["excl_vat"] > 0)
    credit = copy.deepcopy(original)
    credit.update({"id": f"{original['id']}-C", "credit": True, "credit_reference_id": original["id"],
                   "last_updated": _stamp(datetime.fromisoformat(original["last_updated"]) + timedelta(days=2))})
    tariff, time_zone = pricing[original["id"]]
    credit.update(price(credit, [tariff], time_zone))
    return credit
