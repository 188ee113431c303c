"""compare() and breakdown_table(): tolerance edges, which fields, references; TariffError for bad input."""

from __future__ import annotations

import copy
import json
import re
import zoneinfo
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.tariffs import (
    SWITCHES,
    Pricing,
    Switches,
    TariffError,
    breakdown_table,
    compare,
    price_cdr,
    price_session,
    switches_from_names,
)
from conformance.tariffs.builders import build_cdr, span
from tests.spec_paths import OCPI_2_2_1_DIR, REPO_DIR, requires_spec

TZ = "Europe/Berlin"

pytestmark = [
    pytest.mark.skipif(TZ not in zoneinfo.available_timezones(),
                       reason="the IANA time zone database (system tzdata or the tzdata package) is absent"),
]

TARIFF: dict[str, Any] = {
    "country_code": "DE", "party_id": "RCT", "id": "T", "currency": "EUR", "last_updated": "2024-01-01T00:00:00Z",
    "elements": [{"price_components": [{"type": "FLAT", "price": 0.5, "vat": 20.0, "step_size": 1},
                                       {"type": "ENERGY", "price": 0.25, "vat": 10.0, "step_size": 1},
                                       {"type": "PARKING_TIME", "price": 2.0, "vat": 20.0, "step_size": 900}]}],
}


def _cdr(**totals: Any) -> dict[str, Any]:
    """20 kWh in an hour, then 40 minutes parked: 0.50 + 5.00 + 45 min x 2.00/h 1.50 = 7.00 (7.90 incl. VAT)."""
    record = build_cdr("2024-01-15T10:00", TZ, [span(60, "T", ENERGY=20, TIME=1), span(40, "T", PARKING_TIME=0.6667)])
    record.update({"total_cost": {"excl_vat": 7.00, "incl_vat": 7.90}, "total_energy": 20.0,
                   "total_time": 1.6667, "total_parking_time": 0.6667})
    record.update(totals)
    return record


def _priced(record: dict[str, Any]) -> Pricing:
    return price_cdr(record, [TARIFF], time_zone=TZ)


def _fields(record: dict[str, Any], **kwargs: Any) -> list[str]:
    return [d.field for d in compare(record, _priced(record), **kwargs)]


# ------------------------------------------------------------------------------------------ compare


def test_a_correct_cdr_has_no_discrepancy() -> None:
    record = _cdr(total_fixed_cost={"excl_vat": 0.5, "incl_vat": 0.6},
                  total_energy_cost={"excl_vat": 5, "incl_vat": 5.5},
                  total_parking_cost={"excl_vat": 1.5, "incl_vat": 1.8}, total_time_cost={"excl_vat": 0})
    assert compare(record, _priced(record)) == []


@pytest.mark.parametrize(("stated", "reported"), [
    ("7.01", False), ("6.99", False),  # exactly the tolerance away: agrees (inclusive)
    ("7.0100001", True), ("6.9899999", True),  # just beyond it
    ("7.00", False),
])
def test_tolerance_edges(stated: str, reported: bool) -> None:
    record = _cdr(total_cost={"excl_vat": Decimal(stated), "incl_vat": 7.9})
    assert ("total_cost.excl_vat" in _fields(record)) is reported


def test_tolerance_is_a_parameter() -> None:
    record = _cdr(total_cost={"excl_vat": 7.4, "incl_vat": 7.9})
    assert _fields(record) == ["total_cost.excl_vat"]
    assert _fields(record, tolerance=Decimal("0.5")) == []


def test_discrepancy_carries_values_and_references() -> None:
    record = _cdr(total_cost={"excl_vat": 7.25, "incl_vat": 7.9}, total_parking_cost={"excl_vat": 1.75})
    found = {d.field: d for d in compare(record, _priced(record))}
    assert set(found) == {"total_cost.excl_vat", "total_parking_cost.excl_vat"}
    parking = found["total_parking_cost.excl_vat"]
    assert (parking.expected, parking.actual, parking.difference) == (Decimal("1.5"), Decimal("1.75"),
                                                                      Decimal("0.25"))
    assert parking.lines == ("1",) and parking.spec == "mod_cdrs#mod_cdrs_cdr_object"
    assert found["total_cost.excl_vat"].lines == ("0", "1")
    assert str(parking) == ("total_parking_cost.excl_vat: the CDR says 1.75, roamcert computes 1.5 (difference "
                            "+0.25, tolerance 0.01); from roamcert's lines 1")


def test_incl_vat_is_compared_only_when_both_sides_have_it() -> None:
    assert _fields(_cdr(total_cost={"excl_vat": 7.0})) == []  # the CDR gives no incl_vat
    assert _fields(_cdr(total_cost={"excl_vat": 7.0, "incl_vat": 8.5})) == ["total_cost.incl_vat"]
    no_vat = copy.deepcopy(TARIFF)
    for component in no_vat["elements"][0]["price_components"]:
        del component["vat"]
    record = _cdr(total_cost={"excl_vat": 7.0, "incl_vat": 99})
    assert compare(record, price_cdr(record, [no_vat], time_zone=TZ)) == []  # roamcert cannot know it


def test_required_fields_are_reported_when_missing_and_optional_ones_are_not() -> None:
    record = _cdr()
    for field in ("total_cost", "total_energy", "total_time", "total_parking_time"):
        del record[field]
    found = compare(record, _priced(record))
    assert [d.field for d in found] == ["total_cost.excl_vat", "total_energy", "total_time"]
    assert found[0].actual is None and "required but missing" in str(found[0])


def test_quantities_have_their_own_tolerances() -> None:
    assert _fields(_cdr(total_energy=20.001, total_time=1.6676)) == []
    assert _fields(_cdr(total_energy=20.0011, total_time=1.668, total_parking_time=0.5)) == [
        "total_energy", "total_time", "total_parking_time"]


def test_total_energy_is_skipped_when_periods_carry_no_energy() -> None:
    record = build_cdr("2024-01-15T10:00", TZ, [span(60, "T", TIME=1)])
    record.update(total_cost={"excl_vat": 0.5, "incl_vat": 0.6}, total_energy=15.3, total_time=1)
    assert compare(record, _priced(record)) == []


def test_credit_cdr_compares_against_the_negated_total() -> None:
    record = _cdr(credit=True, credit_reference_id="CDR-1", total_cost={"excl_vat": -7.0, "incl_vat": -7.9},
                  total_energy_cost={"excl_vat": 5.0})
    assert compare(record, _priced(record)) == []
    record["total_cost"] = {"excl_vat": 7.0, "incl_vat": 7.9}
    assert _fields(record) == ["total_cost.excl_vat", "total_cost.incl_vat"]


def test_rounding_switch_lets_a_line_rounding_cpo_compare_exactly() -> None:
    # 3 lines of 0.004 each: exact 0.012; a CPO rounding every line to cents says 0.00
    tariff = {"id": "R", "currency": "EUR", "elements": [
        {"price_components": [{"type": "ENERGY", "price": Decimal("0.004"), "step_size": 1}],
         "restrictions": {"start_time": "10:00", "end_time": "11:00"}},
        {"price_components": [{"type": "ENERGY", "price": Decimal("0.004"), "step_size": 1}],
         "restrictions": {"start_time": "11:00", "end_time": "12:00"}},
        {"price_components": [{"type": "ENERGY", "price": Decimal("0.004"), "step_size": 1}]}]}
    record = build_cdr("2024-01-15T10:00", TZ, [span(60, ENERGY=1), span(60, ENERGY=1), span(60, ENERGY=1)])
    record.update(total_cost={"excl_vat": 0.0}, total_energy=3, total_time=3)
    exact = price_cdr(record, [tariff], time_zone=TZ)
    assert [d.field for d in compare(record, exact)] == ["total_cost.excl_vat"]
    rounded = price_cdr(record, [tariff], time_zone=TZ, switches=Switches(round_each_line=True))
    assert compare(record, rounded) == []


def test_compare_rejects_malformed_totals_with_a_path() -> None:
    priced = _priced(_cdr())
    with pytest.raises(TariffError, match=r"^cdr\.total_cost: expected a Price object, got 7$"):
        compare(_cdr(total_cost=7), priced)
    with pytest.raises(TariffError, match=r"^cdr\.total_cost\.excl_vat: expected a number, got '7\.00'$"):
        compare(_cdr(total_cost={"excl_vat": "7.00"}), priced)
    with pytest.raises(TariffError, match=r"^cdr\.total_energy_cost\.excl_vat: required field is missing$"):
        compare(_cdr(total_energy_cost={"incl_vat": 1}), priced)
    with pytest.raises(TariffError, match=r"^cdr\.total_time: expected a number, got True$"):
        compare(_cdr(total_time=True), priced)
    with pytest.raises(TariffError, match=r"^cdr: expected an object"):
        compare([], priced)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------ breakdown_table


def test_breakdown_table_puts_roamcert_beside_the_cdr() -> None:
    record = _cdr(total_cost={"excl_vat": 7.25, "incl_vat": 7.9})
    text = breakdown_table(_priced(record), record)
    header, rule, *rows = text.splitlines()
    assert header.split()[:3] == ["period", "start", "(UTC)"] and header.endswith("CDR says for this period")
    assert set(rule) <= {"-", " "}
    assert "ENERGY 20, TIME 1 (tariff T)" in rows[0] and "T#0" in rows[0]
    assert re.search(r"^total_cost\s+7\.00\s+7\.90\s+7\.25\s+7\.9$", text, re.MULTILINE)
    assert re.search(r"^total_reservation_cost\s+0\.00\s+0\.00\s+\(absent\)$", text, re.MULTILINE)
    assert re.search(r"^total_energy\s+20 kWh\s+20\.0$", text, re.MULTILINE)


def test_breakdown_table_without_a_cdr_and_with_a_split_period() -> None:
    tariff = {"id": "D", "currency": "EUR", "elements": [
        {"price_components": [{"type": "TIME", "price": 2, "step_size": 1}],
         "restrictions": {"start_time": "08:00", "end_time": "18:00"}},
        {"price_components": [{"type": "TIME", "price": 1, "step_size": 1}]}]}
    record = build_cdr("2024-01-15T17:00", TZ, [span(120)])
    text = breakdown_table(price_cdr(record, [tariff], time_zone=TZ))
    assert "CDR says" not in text and "CDR excl. VAT" not in text
    assert re.search(r"^0a\s+2024-01-15T16:00:00Z\s+TIME\s+D#0", text, re.MULTILINE)
    assert re.search(r"^0b\s+2024-01-15T17:00:00Z\s+TIME\s+D#1", text, re.MULTILINE)


def test_to_dict_is_json_with_decimals_as_strings() -> None:
    data = _priced(_cdr()).to_dict()
    again = json.loads(json.dumps(data))
    assert again["total_cost"] == {"excl_vat": "7", "incl_vat": "7.9"}
    line = again["periods"][1]["components"][0]
    assert (line["dimension"], line["quantity"], line["billed_quantity"], line["unit"]) == (
        "PARKING_TIME", line["quantity"], "0.75", "h")
    assert line["step_note"].startswith("session PARKING_TIME total")


# ------------------------------------------------------------------------------------------ switches


def test_switch_registry_and_names() -> None:
    assert switches_from_names([]) == Switches()
    assert switches_from_names(["round_totals"]).round_totals
    with pytest.raises(ValueError, match="unknown tariff switch nonsense"):
        switches_from_names(["nonsense"])
    with pytest.raises(ValueError, match="exclude each other"):
        Switches(step_size_ignored=True, step_size_per_period=True)
    for name, info in SWITCHES.items():
        assert info.name == name and info.description and info.alternative
        assert re.fullmatch(r"mod_\w+#mod_\w+", info.spec), info.spec


def test_every_switch_is_documented() -> None:
    doc = (REPO_DIR / "docs" / "tariff-interpretations.md").read_text(encoding="utf-8")
    assert [name for name in SWITCHES if f"**`{name}`**" not in doc] == []


@requires_spec
@pytest.mark.spec
def test_switch_anchors_exist_in_the_spec() -> None:
    for info in SWITCHES.values():
        stem, anchor = info.spec.split("#")
        text = (OCPI_2_2_1_DIR / f"{stem}.asciidoc").read_text(encoding="utf-8")
        assert f"[[{anchor}]]" in text, info.spec


@requires_spec
@pytest.mark.spec
def test_doc_anchors_exist_in_the_spec() -> None:
    doc = (REPO_DIR / "docs" / "tariff-interpretations.md").read_text(encoding="utf-8")
    anchors = set(re.findall(r"`((?:mod|types)_?\w*)#(\w+)`", doc))
    assert anchors
    for stem, anchor in anchors:
        assert f"[[{anchor}]]" in (OCPI_2_2_1_DIR / f"{stem}.asciidoc").read_text(encoding="utf-8"), anchor


# ------------------------------------------------------------------------------------------ TariffError


def _period(start: str, **dims: Any) -> dict[str, Any]:
    return {"start_date_time": start, "dimensions": [{"type": k, "volume": v} for k, v in dims.items()]}


BAD_CDRS = [
    ("cdr.start_date_time: required field is missing", lambda c: c.pop("start_date_time")),
    (r"cdr.end_date_time: not an RFC 3339 timestamp: '2024-13-01'",
     lambda c: c.update(end_date_time="2024-13-01")),
    ("cdr.end_date_time: not a valid date and time", lambda c: c.update(end_date_time="2024-02-30T10:00:00Z")),
    ("cdr.end_date_time: 2024-01-15T08:00:00Z is before start_date_time",
     lambda c: c.update(end_date_time="2024-01-15T08:00:00Z")),
    ("cdr.currency: required field is missing", lambda c: c.pop("currency")),
    ("cdr.charging_periods: expected at least one entry", lambda c: c.update(charging_periods=[])),
    ("cdr.charging_periods: expected a list, got dict", lambda c: c.update(charging_periods={})),
    ("cdr.charging_periods[1].start_date_time: 2024-01-15T08:30:00Z is before the start of "
     "cdr.charging_periods[0]", lambda c: c["charging_periods"][1].update(start_date_time="2024-01-15T08:30:00Z")),
    ("cdr.charging_periods[1].start_date_time: 2024-01-15T12:00:00Z is after the end of the session",
     lambda c: c["charging_periods"][1].update(start_date_time="2024-01-15T12:00:00Z")),
    ("cdr.charging_periods[0].dimensions: required field is missing",
     lambda c: c["charging_periods"][0].pop("dimensions")),
    ("cdr.charging_periods[0].dimensions[0].volume: required field is missing",
     lambda c: c["charging_periods"][0]["dimensions"][0].update(volume=None)),
    ("cdr.charging_periods[0].dimensions[1].type: ENERGY is given twice",
     lambda c: c["charging_periods"][0]["dimensions"].append({"type": "ENERGY", "volume": 1})),
    ("cdr.charging_periods[0].dimensions: TIME volume -1 is negative",
     lambda c: c["charging_periods"][0]["dimensions"].append({"type": "TIME", "volume": -1})),
    ("cdr.charging_periods[0].tariff_id: tariff 'X' is neither among the tariffs given nor in the CDR's tariffs",
     lambda c: c["charging_periods"][0].update(tariff_id="X")),
    ("cdr.charging_periods[0].tariff_id: expected a string, got 12",
     lambda c: c["charging_periods"][0].update(tariff_id=12)),
    ("cdr.credit: expected true or false, got 'yes'", lambda c: c.update(credit="yes")),
    ("cdr.tariffs[0].elements: required field is missing",
     lambda c: c.update(tariffs=[{"id": "Y", "currency": "EUR"}])),
]


@pytest.mark.parametrize(("message", "spoil"), BAD_CDRS, ids=[m.split(":")[0] + ":" + m.split(":")[1][:30]
                                                              for m, _ in BAD_CDRS])
def test_bad_cdr_raises_tariff_error_naming_the_path(message: str, spoil: Any) -> None:
    record = build_cdr("2024-01-15T10:00", TZ, [span(60, ENERGY=5), span(60, ENERGY=5)])
    spoil(record)
    with pytest.raises(TariffError) as caught:
        price_cdr(record, [TARIFF], time_zone=TZ)
    assert str(caught.value).startswith(message)


BAD_TARIFFS = [
    ("tariffs[0].id: required field is missing", lambda t: t.pop("id")),
    ("tariffs[0].elements: expected at least one entry", lambda t: t.update(elements=[])),
    ("tariffs[0].elements[0].price_components[0].type: expected one of ENERGY, FLAT, PARKING_TIME, TIME, got 'GAS'",
     lambda t: t["elements"][0]["price_components"][0].update(type="GAS")),
    ("tariffs[0].elements[0].price_components[0].price: required field is missing",
     lambda t: t["elements"][0]["price_components"][0].pop("price")),
    ("tariffs[0].elements[0].price_components[0].step_size: expected a non-negative integer, got 1.5",
     lambda t: t["elements"][0]["price_components"][0].update(step_size=1.5)),
    ("tariffs[0].elements[0].price_components[1].vat: expected a number, got '10%'",
     lambda t: t["elements"][0]["price_components"][1].update(vat="10%")),
    ("tariffs[0].elements[0].restrictions.end_time: expected HH:MM from 00:00 to 23:59, got '24:00'",
     lambda t: t["elements"][0].update(restrictions={"end_time": "24:00"})),
    ("tariffs[0].elements[0].restrictions.start_date: not a calendar date: '2024-02-30'",
     lambda t: t["elements"][0].update(restrictions={"start_date": "2024-02-30"})),
    ("tariffs[0].elements[0].restrictions.day_of_week[1]: expected a DayOfWeek, got 'MON'",
     lambda t: t["elements"][0].update(restrictions={"day_of_week": ["MONDAY", "MON"]})),
    ("tariffs[0].elements[0].restrictions.reservation: expected one of RESERVATION, RESERVATION_EXPIRES",
     lambda t: t["elements"][0].update(restrictions={"reservation": "YES"})),
    ("tariffs[0].elements[0].restrictions.min_kwh: expected a number, got 'x'",
     lambda t: t["elements"][0].update(restrictions={"min_kwh": "x"})),
    ("tariffs[0].max_price.excl_vat: required field is missing", lambda t: t.update(max_price={"incl_vat": 1})),
    ("tariffs[0].start_date_time: not an RFC 3339 timestamp", lambda t: t.update(start_date_time="soon")),
]


@pytest.mark.parametrize(("message", "spoil"), BAD_TARIFFS, ids=[m.split(": ")[0] for m, _ in BAD_TARIFFS])
def test_bad_tariff_raises_tariff_error_naming_the_path(message: str, spoil: Any) -> None:
    tariff = copy.deepcopy(TARIFF)
    spoil(tariff)
    with pytest.raises(TariffError) as caught:
        price_cdr(_cdr(), [tariff], time_zone=TZ)
    assert str(caught.value).startswith(message)


def test_other_bad_arguments() -> None:
    with pytest.raises(TariffError, match=r"^time_zone: unknown IANA time zone 'Mars/Olympus'$"):
        price_cdr(_cdr(), [TARIFF], time_zone="Mars/Olympus")
    with pytest.raises(TariffError, match=r"^tariffs: expected a list of Tariff objects, got dict$"):
        price_cdr(_cdr(), TARIFF, time_zone=TZ)  # type: ignore[arg-type]
    with pytest.raises(TariffError, match=r"^cdr: expected an object, got list$"):
        price_cdr([], [TARIFF], time_zone=TZ)  # type: ignore[arg-type]
    untagged = build_cdr("2024-01-15T10:00", TZ, [span(60)])
    with pytest.raises(TariffError, match=r"^cdr\.charging_periods\[0\]\.tariff_id: absent, and there is no tariff"):
        price_cdr(untagged, [], time_zone=TZ)
    with pytest.raises(TariffError, match=r"^session\.last_updated: required field is missing$"):
        price_session({"start_date_time": "2024-01-15T10:00:00Z", "currency": "EUR"}, [TARIFF], time_zone=TZ)


def test_price_session_in_progress() -> None:
    session = {"start_date_time": "2024-01-15T09:00:00Z", "last_updated": "2024-01-15T10:00:00Z", "kwh": 12,
               "currency": "EUR", "status": "ACTIVE"}
    pricing = price_session(session, [TARIFF], time_zone=TZ)
    # no charging periods: one period of an hour with 12 kWh: 0.50 + 12 x 0.25 = 3.50
    assert pricing.total_cost.excl_vat == Decimal("3.50")
    assert any(n.startswith("session in progress") for n in pricing.notes)


_JUNK = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=True), st.text(max_size=4),
                  st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(data=st.data())
def test_any_malformed_value_gives_a_tariff_error_or_a_price(data: st.DataObject) -> None:
    """Whatever value replaces whatever field of a CDR or its tariff, the engine never raises anything but
    TariffError (no KeyError, TypeError, InvalidOperation...)."""
    record = _cdr()
    record["tariffs"] = [copy.deepcopy(TARIFF)]
    path = data.draw(st.sampled_from(_paths(record)))
    target: Any = record
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = data.draw(_JUNK)
    try:
        pricing = price_cdr(record, [], time_zone=TZ)
        compare(record, pricing)
        breakdown_table(pricing, record)
        pricing.explain()
    except TariffError as error:
        assert re.match(r"^(cdr|tariffs|time_zone)[\w.\[\]]*: ", str(error)), str(error)

