"""Properties of the reference tariff engine over generated tariffs and CDRs.

Profiles: HYPOTHESIS_PROFILE=dev (quick), ci (the default here), certify (thorough, before a release).
"""

from __future__ import annotations

import copy
import json
import os
import zoneinfo
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conformance.tariffs import Pricing, price_cdr
from conformance.tariffs.builders import Span, build_cdr

# Registering a profile again with the same settings is harmless, so importing this module twice is too.
settings.register_profile("dev", max_examples=15, deadline=None)
settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("certify", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

TZ = "Europe/Amsterdam"
TINY = Decimal("1e-20")  # below this, two amounts differ only in the 40-digit arithmetic

pytestmark = [
    pytest.mark.skipif(TZ not in zoneinfo.available_timezones(),
                       reason="the IANA time zone database (system tzdata or the tzdata package) is absent"),
]

_KINDS = ("FLAT", "ENERGY", "TIME", "PARKING_TIME")
_STEPS = {"FLAT": (1,), "ENERGY": (1, 100, 500), "TIME": (1, 60, 300, 900), "PARKING_TIME": (1, 60, 300, 900)}
_DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


def _decimal(low: int, high: int, places: int) -> st.SearchStrategy[Decimal]:
    return st.integers(low * 10**places, high * 10**places).map(lambda n: Decimal(n).scaleb(-places))


@st.composite
def _components(draw: st.DrawFn, *, vat_given: bool) -> list[dict[str, Any]]:
    kinds = draw(st.lists(st.sampled_from(_KINDS), min_size=1, max_size=3, unique=True))
    out = []
    for kind in kinds:
        component: dict[str, Any] = {"type": kind, "price": draw(_decimal(0, 5, 2)),
                                     "step_size": draw(st.sampled_from(_STEPS[kind]))}
        vat = draw(st.sampled_from((0, 9, 21)) if vat_given else st.sampled_from((None, 0, 21)))
        if vat is not None:
            component["vat"] = Decimal(vat)
        out.append(component)
    return out


@st.composite
def _restrictions(draw: st.DrawFn, *, energy_restrictions: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if draw(st.booleans()):
        start, end = draw(st.integers(0, 23)), draw(st.integers(0, 23))
        out["start_time"], out["end_time"] = f"{start:02d}:00", f"{end:02d}:30"
    if draw(st.integers(0, 3)) == 0:
        out["day_of_week"] = draw(st.lists(st.sampled_from(_DAYS), min_size=1, max_size=4, unique=True))
    if draw(st.integers(0, 3)) == 0:
        out["min_duration" if draw(st.booleans()) else "max_duration"] = draw(st.integers(1, 24)) * 600
    if energy_restrictions and draw(st.integers(0, 3)) == 0:
        out["min_kwh" if draw(st.booleans()) else "max_kwh"] = draw(_decimal(1, 40, 1))
    if energy_restrictions and draw(st.integers(0, 4)) == 0:
        out["min_power" if draw(st.booleans()) else "max_power"] = draw(_decimal(3, 60, 0))
    return out


@st.composite
def tariffs(draw: st.DrawFn, *, energy_restrictions: bool = True, vat_given: bool = False,
            price_limits: bool = True, max_elements: int = 5) -> dict[str, Any]:
    """A Tariff with id "T": up to ``max_elements`` elements, non-negative prices, maybe a fallback element."""
    elements = []
    for _ in range(draw(st.integers(1, max_elements))):
        element: dict[str, Any] = {"price_components": draw(_components(vat_given=vat_given))}
        restrictions = draw(_restrictions(energy_restrictions=energy_restrictions))
        if restrictions:
            element["restrictions"] = restrictions
        elements.append(element)
    tariff: dict[str, Any] = {"country_code": "NL", "party_id": "RCT", "id": "T", "currency": "EUR",
                              "elements": elements, "last_updated": "2024-01-01T00:00:00Z"}
    if price_limits and draw(st.integers(0, 3)) == 0:
        low = draw(_decimal(0, 10, 2))
        tariff["min_price"] = {"excl_vat": low, "incl_vat": low * Decimal("1.21")}
    if price_limits and draw(st.integers(0, 3)) == 0:
        high = draw(_decimal(5, 40, 2))
        tariff["max_price"] = {"excl_vat": high, "incl_vat": high * Decimal("1.21")}
    return tariff


@st.composite
def cdrs(draw: st.DrawFn, *, max_periods: int = 5, tariff: dict[str, Any] | None = None) -> dict[str, Any]:
    """A CDR of charging periods (energy, charging time, maybe power) followed by maybe a parking period."""
    day = draw(st.sampled_from(("2024-01-15", "2024-03-30", "2024-06-08", "2024-10-26")))
    start = f"{day}T{draw(st.integers(0, 23)):02d}:{draw(st.integers(0, 59)):02d}"
    spans = []
    for _ in range(draw(st.integers(1, max_periods))):
        seconds = Decimal(draw(st.integers(1, 240 * 60)))
        dimensions: dict[str, Decimal] = {"ENERGY": draw(_decimal(0, 40, 3))}
        if draw(st.booleans()):
            dimensions["TIME"] = (seconds / 3600).quantize(Decimal("0.000001"))
        if draw(st.booleans()):
            power = draw(_decimal(1, 150, 1))
            dimensions["MAX_POWER"], dimensions["MIN_POWER"] = power, power / 2
        spans.append(Span(seconds, dimensions, "T"))
    if draw(st.booleans()):
        seconds = Decimal(draw(st.integers(1, 300 * 60)))
        spans.append(Span(seconds, {"PARKING_TIME": (seconds / 3600).quantize(Decimal("0.000001"))}, "T"))
    return build_cdr(start, TZ, spans, tariffs=[tariff] if tariff is not None else [])


def _price(cdr: dict[str, Any], tariff: dict[str, Any]) -> Pricing:
    return price_cdr(cdr, [tariff], time_zone=TZ)


def _split(cdr: dict[str, Any], index: int, fraction: Decimal) -> dict[str, Any]:
    """The CDR with charging period ``index`` cut in two at ``fraction`` of its length, volumes shared pro rata."""
    from conformance.tariffs.builders import stamp
    from conformance.tariffs.clock import parse_datetime, to_datetime

    out = copy.deepcopy(cdr)
    periods = out["charging_periods"]
    start = parse_datetime(periods[index]["start_date_time"], "start")
    end = parse_datetime(periods[index + 1]["start_date_time"] if index + 1 < len(periods) else out["end_date_time"],
                         "end")
    cut = (start + (end - start) * fraction).to_integral_value()
    assume(start < cut < end)
    share = (cut - start) / (end - start)
    first = copy.deepcopy(periods[index])
    second = copy.deepcopy(periods[index])
    second["start_date_time"] = stamp(to_datetime(cut))
    for a, b in zip(first["dimensions"], second["dimensions"], strict=True):
        if a["type"] in ("ENERGY", "TIME", "PARKING_TIME"):
            a["volume"] = b["volume"] * share
            b["volume"] = b["volume"] - a["volume"]
    periods[index:index + 1] = [first, second]
    return out


@given(data=st.data())
def test_splitting_a_period_leaves_the_price_unchanged(data: st.DataObject) -> None:
    """Stronger than asked: any cut point, as the engine itself cuts wherever something cost-relevant changes."""
    tariff = data.draw(tariffs())
    cdr = data.draw(cdrs(tariff=tariff))
    index = data.draw(st.integers(0, len(cdr["charging_periods"]) - 1))
    fraction = data.draw(_decimal(0, 1, 3))
    whole, split = _price(cdr, tariff), _price(_split(cdr, index, fraction), tariff)
    assert abs(whole.total_cost.excl_vat - split.total_cost.excl_vat) <= TINY, (whole.explain(), split.explain())
    for attribute in ("total_energy_cost", "total_time_cost", "total_parking_time_cost", "total_fixed_cost"):
        assert abs(getattr(whole, attribute).excl_vat - getattr(split, attribute).excl_vat) <= TINY


@given(data=st.data())
def test_more_energy_never_costs_less(data: st.DataObject) -> None:
    tariff = data.draw(tariffs(energy_restrictions=False))
    cdr = data.draw(cdrs(tariff=tariff))
    index = data.draw(st.integers(0, len(cdr["charging_periods"]) - 1))
    more = copy.deepcopy(cdr)
    extra = data.draw(_decimal(0, 20, 3))
    dimensions = more["charging_periods"][index]["dimensions"]
    energy = next((d for d in dimensions if d["type"] == "ENERGY"), None)
    if energy is None:
        dimensions.append({"type": "ENERGY", "volume": extra})
    else:
        energy["volume"] += extra
    assert _price(more, tariff).total_cost.excl_vat >= _price(cdr, tariff).total_cost.excl_vat


@given(data=st.data())
def test_order_of_unrelated_elements_does_not_matter(data: st.DataObject) -> None:
    tariff = data.draw(tariffs(max_elements=6))
    kinds = [{c["type"] for c in e["price_components"]} for e in tariff["elements"]]
    unrelated = [i for i in range(len(kinds) - 1) if not kinds[i] & kinds[i + 1]]
    assume(unrelated)
    i = data.draw(st.sampled_from(unrelated))
    swapped = copy.deepcopy(tariff)
    swapped["elements"][i], swapped["elements"][i + 1] = swapped["elements"][i + 1], swapped["elements"][i]
    cdr = data.draw(cdrs())
    first, second = _price(cdr, tariff), _price(cdr, swapped)
    assert first.total_cost == second.total_cost
    assert first.total_energy_cost == second.total_energy_cost
    assert first.total_time_cost == second.total_time_cost


@given(data=st.data())
def test_excl_vat_never_exceeds_incl_vat_with_non_negative_vat(data: st.DataObject) -> None:
    tariff = data.draw(tariffs(vat_given=True))
    pricing = _price(data.draw(cdrs()), tariff)
    for attribute in ("total_cost", "total_fixed_cost", "total_energy_cost", "total_time_cost",
                      "total_parking_time_cost", "total_reservation_cost"):
        money = getattr(pricing, attribute)
        assert money.incl_vat is not None and money.excl_vat <= money.incl_vat, attribute
    for _, line in pricing.lines:
        assert line.cost.incl_vat is not None and line.cost.excl_vat <= line.cost.incl_vat


@given(data=st.data())
def test_a_credit_cdr_costs_the_negative_and_everything_renders(data: st.DataObject) -> None:
    tariff = data.draw(tariffs())
    cdr = data.draw(cdrs())
    credit = {**cdr, "credit": True, "credit_reference_id": "CDR-0"}
    normal, credited = _price(cdr, tariff), _price(credit, tariff)
    assert credited.total_cost == -normal.total_cost
    assert credited.total_energy_cost == normal.total_energy_cost
    json.dumps(credited.to_dict())
    assert "totals:" in credited.explain()
