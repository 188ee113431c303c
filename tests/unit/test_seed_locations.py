"""The reference CPO's Location seed data: deterministic, realistic and valid OCPI 2.2.1."""

from __future__ import annotations

import copy
import itertools
import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

import pytest

from conformance.ocpi.schemas import errors
from simulators.ocpi.v2_2_1.seed import seed_locations, seed_tariff_ids

DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
LATITUDE = re.compile(r"^-?[0-9]{1,2}\.[0-9]{5,7}$")
LONGITUDE = re.compile(r"^-?[0-9]{1,3}\.[0-9]{5,7}$")
EMI3_EVSE_ID = re.compile(r"^([A-Z]{2})\*([A-Z0-9]{3})\*E[A-Z0-9*]{1,30}$")
ALPHA2 = {"NLD": "NL", "DEU": "DE", "BEL": "BE", "FRA": "FR", "PRT": "PT", "GBR": "GB"}
TIME_ZONE = {
    "NLD": "Europe/Amsterdam",
    "DEU": "Europe/Berlin",
    "BEL": "Europe/Brussels",
    "FRA": "Europe/Paris",
    "PRT": "Europe/Lisbon",
    "GBR": "Europe/London",
}
PHASES = {"AC_1_PHASE": 1, "AC_2_PHASE": 2, "AC_2_PHASE_SPLIT": 2, "AC_3_PHASE": 3, "DC": 1}


@pytest.fixture(scope="module")
def locations() -> list[dict[str, Any]]:
    return seed_locations()


def _ts(value: str) -> datetime:
    assert DATETIME.match(value), value
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _evses(locations: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for location in locations:
        yield from location["evses"]


def _connectors(locations: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for evse in _evses(locations):
        yield from evse["connectors"]


def _datetimes(node: object) -> Iterator[str]:
    """Every DateTime in an object tree (RegularHours' period_begin/period_end are "HH:MM", not DateTimes)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("last_updated", "period_begin", "period_end") and isinstance(value, str):
                if len(value) > 5:
                    yield value
            else:
                yield from _datetimes(value)
    elif isinstance(node, list):
        for item in node:
            yield from _datetimes(item)


def test_deterministic_and_json_ready(locations: list[dict[str, Any]]) -> None:
    again = seed_locations()
    assert again == locations
    assert json.dumps(again, sort_keys=True) == json.dumps(locations, sort_keys=True)
    # Callers may mutate what they get without changing the next call's data.
    mutated = copy.deepcopy(again)
    again[0]["evses"][0]["connectors"][0]["tariff_ids"].append("X")
    again[0]["facilities"].clear()
    assert seed_locations() == mutated == locations
    assert json.loads(json.dumps(locations)) == locations


def test_default_arguments_and_parameters(locations: list[dict[str, Any]]) -> None:
    assert len(locations) == 30
    assert [loc["id"] for loc in locations[:3]] == ["LOC0001", "LOC0002", "LOC0003"]
    assert all(loc["country_code"] == "NL" and loc["party_id"] == "RCP" for loc in locations)
    assert locations[0]["last_updated"] == "2026-01-05T08:00:00Z"

    march = datetime(2026, 3, 1, tzinfo=UTC)
    other = seed_locations(country_code="DE", party_id="ABC", count=5, base_time=march)
    assert len(other) == 5
    assert all(loc["country_code"] == "DE" and loc["party_id"] == "ABC" for loc in other)
    assert all(evse["evse_id"].split("*")[1] == "ABC" for evse in _evses(other))
    assert other[0]["last_updated"] == "2026-03-01T00:00:00Z"
    assert seed_locations(count=0) == []
    assert seed_locations(count=7) == locations[:7]  # a prefix does not depend on count
    with pytest.raises(ValueError):
        seed_locations(count=-1)
    with pytest.raises(ValueError):
        seed_locations(country_code="NLD")


def test_realistic_spread(locations: list[dict[str, Any]]) -> None:
    assert len(locations) >= 25
    countries = Counter(loc["country"] for loc in locations)
    assert len(countries) >= 3
    assert len({loc["time_zone"] for loc in locations}) >= 3
    assert len({loc["country"] for loc in seed_locations(count=25)}) >= 3
    zones = available_timezones()
    for loc in locations:
        assert loc["time_zone"] in zones
        ZoneInfo(loc["time_zone"])
        assert loc["time_zone"] == TIME_ZONE[loc["country"]]
        assert LATITUDE.match(loc["coordinates"]["latitude"])
        assert LONGITUDE.match(loc["coordinates"]["longitude"])
        assert 36.0 < float(loc["coordinates"]["latitude"]) < 60.0  # Europe
        assert -10.0 < float(loc["coordinates"]["longitude"]) < 15.0
        assert loc["address"] and loc["city"] and loc["name"]
        for related in loc.get("related_locations", []):
            assert LATITUDE.match(related["latitude"]) and LONGITUDE.match(related["longitude"])
            assert related["name"]["language"] and related["name"]["text"]
    assert any("postal_code" not in loc for loc in seed_locations(count=40))  # a motorway site


def test_ids_unique(locations: list[dict[str, Any]]) -> None:
    many = seed_locations(count=100)
    for data in (locations, many):
        ids = [loc["id"] for loc in data]
        assert len(ids) == len(set(ids))
        assert all(re.fullmatch(r"LOC\d{4}", loc_id) for loc_id in ids)
        uids = [evse["uid"] for evse in _evses(data)]
        assert len(uids) == len(set(uids))
        evse_ids = [evse["evse_id"] for evse in _evses(data)]
        assert len(evse_ids) == len(set(evse_ids))


def test_last_updated_ordering_and_tree_rule(locations: list[dict[str, Any]]) -> None:
    for data in (locations, seed_locations(count=100)):
        stamps = [_ts(loc["last_updated"]) for loc in data]
        assert all(earlier < later for earlier, later in itertools.pairwise(stamps))
        for loc in data:
            loc_time = _ts(loc["last_updated"])
            for evse in loc["evses"]:
                evse_time = _ts(evse["last_updated"])
                assert evse_time <= loc_time, (loc["id"], evse["uid"])
                for connector in evse["connectors"]:
                    assert _ts(connector["last_updated"]) <= evse_time, (evse["uid"], connector["id"])
            for value in _datetimes(loc):
                _ts(value)
    stamps = [_ts(loc["last_updated"]) for loc in locations]
    assert stamps[-1] - stamps[0] >= timedelta(days=3)  # date_from/date_to filters have something to cut
    # Some Locations were bumped by an EVSE change (equal timestamps), some changed on their own.
    bumped = [loc for loc in locations if any(e["last_updated"] == loc["last_updated"] for e in loc["evses"])]
    assert 0 < len(bumped) < len(locations)


def test_evses(locations: list[dict[str, Any]]) -> None:
    statuses: Counter[str] = Counter()
    for loc in locations:
        assert 1 <= len(loc["evses"]) <= 6
        for evse in loc["evses"]:
            statuses[evse["status"]] += 1
            match = EMI3_EVSE_ID.match(evse["evse_id"])
            assert match, evse["evse_id"]
            assert match[1] == ALPHA2[loc["country"]]
            assert match[2] == loc["party_id"]
            assert 1 <= len(evse["connectors"]) <= 3
            ids = [connector["id"] for connector in evse["connectors"]]
            assert ids == [str(n) for n in range(1, len(ids) + 1)]
            assert LATITUDE.match(evse["coordinates"]["latitude"])
            assert LONGITUDE.match(evse["coordinates"]["longitude"])
            assert len(evse["physical_reference"]) <= 16
            assert len(evse.get("floor_level", "")) <= 4
            if evse["status"] == "RESERVED":
                assert "RESERVABLE" in evse["capabilities"]
            if len(evse["connectors"]) > 1:
                assert "START_SESSION_CONNECTOR_REQUIRED" in evse["capabilities"]
    assert {"AVAILABLE", "CHARGING", "OUTOFORDER"} <= set(statuses)
    assert len(statuses) >= 6
    assert statuses["AVAILABLE"] > len(list(_evses(locations))) // 3
    for loc in locations:
        for evse in loc["evses"]:
            for period in evse.get("status_schedule", []):
                assert _ts(period["period_begin"]) > _ts(loc["last_updated"])  # announced ahead
                assert "period_end" not in period or _ts(period["period_end"]) > _ts(period["period_begin"])
            if evse["status"] == "PLANNED":
                assert evse["status_schedule"][0]["status"] == "AVAILABLE"
    assert any(evse.get("status_schedule") for evse in _evses(locations))
    assert any(evse.get("images") for evse in _evses(locations))
    restrictions = {r for evse in _evses(locations) for r in evse.get("parking_restrictions", [])}
    assert {"EV_ONLY", "PLUGGED", "DISABLED", "CUSTOMERS", "MOTORCYCLES"} <= restrictions


def test_connectors(locations: list[dict[str, Any]]) -> None:
    connectors = list(_connectors(locations))
    standards = {connector["standard"] for connector in connectors}
    assert len(standards) >= 6
    assert {"IEC_62196_T2", "IEC_62196_T2_COMBO", "CHADEMO", "IEC_62196_T1_COMBO", "TESLA_S"} <= standards
    assert {"AC_1_PHASE", "AC_3_PHASE", "DC"} <= {connector["power_type"] for connector in connectors}
    assert {"SOCKET", "CABLE"} <= {connector["format"] for connector in connectors}
    assert any("terms_and_conditions" in connector for connector in connectors)
    for connector in connectors:
        phases = PHASES[connector["power_type"]]
        computed = phases * connector["max_voltage"] * connector["max_amperage"]
        assert 0 < connector["max_electric_power"] <= computed, connector
        if connector["power_type"].startswith("AC"):
            assert 220 <= connector["max_voltage"] <= 240
        else:
            assert connector["format"] == "CABLE" and connector["max_voltage"] >= 400
        assert connector["tariff_ids"]


def test_tariff_ids() -> None:
    known = seed_tariff_ids()
    assert known == sorted(set(known)) and "TARIFF-AC-STD" in known
    assert all(len(tariff_id) <= 36 for tariff_id in known)
    referenced = {t for connector in _connectors(seed_locations(count=80)) for t in connector["tariff_ids"]}
    assert referenced == set(known)


def test_location_details(locations: list[dict[str, Any]]) -> None:
    unpublished = [loc for loc in locations if not loc["publish"]]
    assert 1 <= len(unpublished) <= 4
    for loc in locations:
        assert bool(loc.get("publish_allowed_to")) is (not loc["publish"])
        for token in loc.get("publish_allowed_to", []):
            assert {"uid", "visual_number", "group_id"} & set(token)
            assert "uid" not in token or "type" in token
            assert "visual_number" not in token or "issuer" in token
        for party in ("operator", "suboperator", "owner"):
            if party in loc:
                assert loc[party]["name"] and loc[party]["website"].startswith("https://")
                assert loc[party]["logo"]["type"] == "png"
        assert "operator" in loc
    assert any("suboperator" in loc for loc in locations) and any("owner" in loc for loc in locations)
    assert all(loc["facilities"] for loc in locations)
    assert any(loc.get("directions") for loc in locations)
    assert any(len(loc.get("directions", [])) > 1 for loc in locations)  # multi-language
    assert any(loc.get("related_locations") for loc in locations)
    assert len({loc["parking_type"] for loc in locations}) >= 4
    images = [image for loc in locations for image in loc.get("images", [])]
    assert {"LOCATION", "ENTRANCE", "NETWORK"} <= {image["category"] for image in images}
    assert all(image["width"] > 0 and image["height"] > 0 for image in images)


def test_opening_times(locations: list[dict[str, Any]]) -> None:
    hours = [loc["opening_times"] for loc in locations]
    assert sum(h["twentyfourseven"] for h in hours) > len(hours) // 2
    for h in hours:
        assert bool(h.get("regular_hours")) is (not h["twentyfourseven"])
        for regular in h.get("regular_hours", []):
            assert 1 <= regular["weekday"] <= 7
            assert regular["period_begin"] < regular["period_end"]
        for period in h.get("exceptional_openings", []) + h.get("exceptional_closings", []):
            assert _ts(period["period_begin"]) < _ts(period["period_end"])
    assert any(h.get("exceptional_openings") for h in hours)
    assert any(h.get("exceptional_closings") for h in hours)
    assert any(h.get("exceptional_closings") and h["twentyfourseven"] for h in hours)
    when_closed = {loc["charging_when_closed"] for loc in locations if "charging_when_closed" in loc}
    assert when_closed == {True, False}


def test_energy_mix(locations: list[dict[str, Any]]) -> None:
    mixes = [loc["energy_mix"] for loc in locations if "energy_mix" in loc]
    green = [m for m in mixes if m["is_green_energy"]]
    assert any(m.get("supplier_name") and m.get("energy_product_name") for m in green)
    assert any(not m["is_green_energy"] and m.get("environ_impact") for m in mixes)
    for mix in mixes:
        if "energy_sources" in mix:
            assert sum(source["percentage"] for source in mix["energy_sources"]) == 100
        if mix["is_green_energy"]:
            renewable = {"GENERAL_GREEN", "SOLAR", "WIND", "WATER"}
            assert all(source["source"] in renewable for source in mix.get("energy_sources", []))
    assert len(mixes) < len(locations)  # some Locations do not say


def test_valid_against_ocpi_2_2_1_schema() -> None:
    for loc in seed_locations(count=80):
        assert errors("2.2.1", "Location", loc) == [], loc["id"]
