"""Charging periods cut where the price changes (simulators/ocpi/v2_2_1/seed/periods.py), and the CDR check that wants
them (conformance/ocpi/v2_2_1/checks/cdrs.py::period_problems)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from conformance.ocpi.v2_2_1.checks.cdrs import PriceBook, period_problems
from conformance.tariffs import Switches, compare, price_cdr
from simulators.ocpi.v2_2_1.seed.periods import split_at_price_changes

NIGHT_RATE = {
    "country_code": "NL", "party_id": "RCP", "id": "NIGHT", "currency": "EUR",
    "elements": [
        {"price_components": [{"type": "ENERGY", "price": 0.29, "step_size": 1}],
         "restrictions": {"start_time": "23:00", "end_time": "07:00"}},
        {"price_components": [{"type": "ENERGY", "price": 0.39, "step_size": 1}]},
    ],
    "last_updated": "2026-01-01T00:00:00Z",
}
ZONE = "Europe/Amsterdam"  # 23:00 local is 22:00Z in January


def _cdr(periods: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": "C1", "start_date_time": "2026-01-12T21:00:00Z", "end_date_time": "2026-01-12T23:00:00Z",
            "currency": "EUR", "cdr_location": {"id": "LOC"}, "tariffs": [NIGHT_RATE], "charging_periods": periods,
            "total_energy": 22.0, "total_time": 2.0, "total_cost": {"excl_vat": 7.48}}


ONE_PERIOD = [{"start_date_time": "2026-01-12T21:00:00Z", "tariff_id": "NIGHT",
               "dimensions": [{"type": "ENERGY", "volume": 22.0}, {"type": "TIME", "volume": 2.0},
                              {"type": "MAX_POWER", "volume": 11.0}]}]


def test_a_period_across_the_night_rate_is_cut_at_2300_local_with_its_energy_shared_by_time() -> None:
    periods = split_at_price_changes(ONE_PERIOD, datetime(2026, 1, 12, 23, 0, tzinfo=UTC), [NIGHT_RATE],
                                     time_zone=ZONE, currency="EUR")
    assert [p["start_date_time"] for p in periods] == ["2026-01-12T21:00:00Z", "2026-01-12T22:00:00Z"]
    assert [[d["volume"] for d in p["dimensions"]] for p in periods] == [[11.0, 1.0, 11.0], [11.0, 1.0, 11.0]]
    cdr = _cdr(periods)
    pricing = price_cdr(cdr, [NIGHT_RATE], time_zone=ZONE)
    assert pricing.changes == ()
    assert compare(cdr, pricing) == []  # 11 kWh at 0.39 + 11 kWh at 0.29: the cut changes no amount


def test_the_check_names_the_period_running_past_the_change_and_passes_once_it_is_cut() -> None:
    book = PriceBook(tariffs={"night": NIGHT_RATE}, time_zones={"loc": ZONE})
    problems = period_problems([_cdr(ONE_PERIOD)], book, Switches())
    assert len(problems) == 1
    assert "charging period 0" in problems[0].message and "23:00" in problems[0].message
    cut = split_at_price_changes(ONE_PERIOD, datetime(2026, 1, 12, 23, 0, tzinfo=UTC), [NIGHT_RATE],
                                 time_zone=ZONE, currency="EUR")
    assert period_problems([_cdr(cut)], book, Switches()) == []


def test_a_change_within_a_minute_of_the_period_start_is_tolerated() -> None:
    late = [{**ONE_PERIOD[0], "start_date_time": "2026-01-12T21:59:30Z"}]
    cdr = {**_cdr(late), "start_date_time": "2026-01-12T21:59:30Z"}
    assert period_problems([cdr], PriceBook(tariffs={"night": NIGHT_RATE}, time_zones={"loc": ZONE}), Switches()) == []
