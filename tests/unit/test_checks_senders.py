"""The Sessions, CDRs and Tariffs Sender checks (conformance/ocpi/v2_2_1/checks/senders.py) on hand-made objects, and
the
reference CPO's seed, which must satisfy all of them (its fault profiles break one each)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from conformance.core.exchange import Exchange, ExchangeLog
from conformance.core.findings import Outcome
from conformance.ocpi.v2_2_1.checks import REGISTRY, Expect, run_checks
from conformance.ocpi.v2_2_1.checks import senders as sv
from simulators.ocpi.v2_2_1.reference import reference_party

LOG = ExchangeLog()


def served(schema: str, items: list[dict[str, Any]], *, paginated: bool = True) -> list[str]:
    """Messages of the FAIL findings the per-object checks give for one page of ``items``."""
    exchange: Exchange = LOG.record(
        protocol="OCPI", version="2.2.1", direction="outbound", method="GET", url="https://sut.test/ocpi/cpo/2.2.1/x",
        request_headers=[], request_body=None, status=200, response_headers=[("Content-Type", "application/json")],
        response_body=json.dumps({"data": items, "status_code": 1000, "timestamp": "2026-01-05T08:00:00Z"}),
        elapsed_ms=1.0)
    findings = run_checks(exchange, Expect(schema=schema, many=True, paginated=paginated), "response")
    return [f.message for f in findings if f.check_id.startswith(("ocpi.sessions.", "ocpi.cdrs.", "ocpi.tariffs."))
            and f.outcome is Outcome.FAIL]


def period(start: str, **volumes: float) -> dict[str, Any]:
    return {"start_date_time": start, "dimensions": [{"type": k, "volume": v} for k, v in volumes.items()]}


def cdr(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "CDR1", "session_id": "SES1", "start_date_time": "2026-01-05T08:00:00Z",
        "end_date_time": "2026-01-05T10:00:00Z", "currency": "EUR",
        "cdr_token": {"country_code": "NL", "party_id": "REM", "uid": "ABC123", "type": "RFID"},
        "cdr_location": {"id": "LOC1", "evse_uid": "LOC1-E1", "evse_id": "NL*RCP*E1", "connector_id": "1"},
        "charging_periods": [period("2026-01-05T08:00:00Z", ENERGY=10.0, TIME=1.5),
                             period("2026-01-05T09:30:00Z", PARKING_TIME=0.5)],
        "total_energy": 10.0, "total_time": 2.0, "total_parking_time": 0.5,
        "total_cost": {"excl_vat": 4.0, "incl_vat": 4.84},
    }
    base.update(changes)
    return base


def session(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "SES1", "status": "COMPLETED", "start_date_time": "2026-01-05T08:00:00Z",
        "end_date_time": "2026-01-05T10:00:00Z", "location_id": "LOC1", "evse_uid": "LOC1-E1", "connector_id": "1",
        "cdr_token": {"country_code": "NL", "party_id": "REM", "uid": "ABC123", "type": "RFID"},
        "charging_periods": [period("2026-01-05T08:00:00Z", ENERGY=10.0)],
    }
    base.update(changes)
    return base


LOCATIONS = [{"id": "LOC1", "evses": [
    {"uid": "LOC1-E1", "evse_id": "NL*RCP*E1", "status": "AVAILABLE",
     "connectors": [{"id": "1", "tariff_ids": ["T-AC"]}]},
    {"uid": "LOC1-E2", "status": "REMOVED", "connectors": [{"id": "1", "tariff_ids": ["T-OLD"]}]},
]}]


# ------------------------------------------------------------------------------------------- per object


def test_every_sender_check_names_a_sender_requirement() -> None:
    ids = [c for c in REGISTRY if c.id.startswith(("ocpi.sessions.", "ocpi.cdrs.", "ocpi.tariffs."))
           and c.id != "ocpi.cdrs.price" and "receiver" not in c.id]
    assert {c.id for c in ids} >= {"ocpi.sessions.status_rules", "ocpi.sessions.charging_periods",
                                   "ocpi.sessions.location_refs", "ocpi.cdrs.totals_consistent",
                                   "ocpi.cdrs.session_link", "ocpi.cdrs.location_refs", "ocpi.cdrs.credit",
                                   "ocpi.cdrs.dimensions", "ocpi.tariffs.consistent", "ocpi.tariffs.connector_refs"}


def test_session_status_rules() -> None:
    assert served("Session", [session(), session(status="ACTIVE", end_date_time=None)]) == []
    active = session(status="ACTIVE")
    del active["end_date_time"]
    assert served("Session", [active]) == []
    completed = session()
    del completed["end_date_time"]
    assert served("Session", [completed]) == ["data[0] (Session SES1) is COMPLETED but has no end_date_time"]
    assert served("Session", [session(end_date_time="2026-01-05T07:00:00Z", charging_periods=[])]) == [
        "data[0] (Session SES1) ends before it starts"]


def test_per_object_checks_judge_only_sender_lists() -> None:
    completed = session()
    del completed["end_date_time"]
    assert served("Session", [completed], paginated=False) == []


def test_session_charging_periods_in_time_order_within_the_session() -> None:
    periods = [period("2026-01-05T09:00:00Z", ENERGY=1.0), period("2026-01-05T08:00:00Z", ENERGY=1.0)]
    assert served("Session", [session(charging_periods=periods)]) == [
        "data[0] (Session SES1): charging_periods[1] starts before charging_periods[0]"]
    late = [period("2026-01-05T08:00:00Z", ENERGY=1.0), period("2026-01-05T11:00:00Z", ENERGY=1.0)]
    assert served("Session", [session(charging_periods=late)]) == [
        "data[0] (Session SES1): charging_periods[1] starts after the session ended"]
    # a reservation period before the Session became ACTIVE is not a fault; an ongoing Session has no end yet
    early = [period("2026-01-05T07:30:00Z", RESERVATION_TIME=0.5), period("2026-01-05T08:00:00Z", ENERGY=1.0)]
    assert served("Session", [session(charging_periods=early, status="ACTIVE", end_date_time=None)]) == []


def test_cdr_totals_consistent_within_tolerance() -> None:
    assert served("CDR", [cdr()]) == []
    assert served("CDR", [cdr(total_energy=10.0009, total_parking_time=0.5009, total_time=2.0009)]) == []
    messages = served("CDR", [cdr(total_energy=11.5, total_parking_time=0.75, total_time=2.5)])
    assert messages == [
        "data[0] (CDR CDR1): total_energy is not the sum of its charging periods' ENERGY volumes",
        "data[0] (CDR CDR1): total_parking_time is not the sum of its charging periods' PARKING_TIME volumes",
        "data[0] (CDR CDR1): total_time is not the time from start_date_time to end_date_time",
    ]
    # optional totals, and periods without the dimension, are not compared
    no_parking = cdr(charging_periods=[period("2026-01-05T08:00:00Z", ENERGY=10.0)], total_parking_time=0.4)
    assert served("CDR", [no_parking]) == []
    assert served("CDR", [cdr(total_parking_time=0.5, total_time=2.0, end_date_time="2026-01-05T10:00:00Z")]) == []


def test_cdr_dimensions_only_sessions_may_use() -> None:
    assert served("CDR", [cdr(charging_periods=[period("2026-01-05T08:00:00Z", ENERGY=10.0, POWER=7.0)],
                              total_parking_time=None)]) == [
        "data[0] (CDR CDR1): charging_periods[0] carries POWER, which only Sessions may use"]
    assert served("Session", [session(charging_periods=[period("2026-01-05T08:00:00Z", STATE_OF_CHARGE=50.0)])]) \
        == []


def test_tariff_consistent() -> None:
    tariff = {"id": "T1", "min_price": {"excl_vat": 2.0, "incl_vat": 2.42},
              "max_price": {"excl_vat": 90.0, "incl_vat": 108.9},
              "start_date_time": "2026-01-01T00:00:00Z", "end_date_time": "2026-07-01T00:00:00Z"}
    assert served("Tariff", [tariff]) == []
    bad = {**tariff, "min_price": {"excl_vat": 100.0}, "end_date_time": "2025-12-01T00:00:00Z"}
    assert served("Tariff", [bad]) == [
        "data[0] (Tariff T1): end_date_time is not after start_date_time, so the Tariff is never valid",
        "data[0] (Tariff T1): min_price.excl_vat is above max_price.excl_vat; no session can cost both",
    ]


# ------------------------------------------------------------------------------------------- across modules


def messages(problems: list[Any]) -> list[str]:
    return [p.message for p in problems]


def test_session_location_refs_compare_ci_strings() -> None:
    assert sv.session_location_problems([session(location_id="loc1", evse_uid="loc1-e1")], LOCATIONS) == []
    assert messages(sv.session_location_problems([session(location_id="LOC9")], LOCATIONS)) == [
        "Session SES1: location_id LOC9 is not a Location the CPO serves"]
    assert messages(sv.session_location_problems([session(connector_id="2")], LOCATIONS)) == [
        "Session SES1: connector_id 2 is not a Connector of EVSE LOC1-E1 at Location LOC1"]
    reserved = session(status="RESERVATION", evse_uid="#NA", connector_id="#NA")
    assert sv.session_location_problems([reserved], LOCATIONS) == []
    assert len(sv.session_location_problems([{**reserved, "status": "ACTIVE"}], LOCATIONS)) == 1


def test_cdr_location_refs_allow_unpublished_locations() -> None:
    assert sv.cdr_location_problems([cdr()], LOCATIONS) == []
    home = cdr(cdr_location={"id": "HOME-1", "evse_uid": "X", "evse_id": "X", "connector_id": "1"})
    assert sv.cdr_location_problems([home], LOCATIONS) == []
    wrong = cdr(cdr_location={"id": "loc1", "evse_uid": "LOC1-E3", "evse_id": "X", "connector_id": "1"})
    assert messages(sv.cdr_location_problems([wrong], LOCATIONS)) == [
        "CDR CDR1: cdr_location.evse_uid LOC1-E3 is not an EVSE of Location LOC1"]
    other_id = cdr(cdr_location={"id": "LOC1", "evse_uid": "LOC1-E1", "evse_id": "NL*RCP*E9", "connector_id": "1"})
    assert messages(sv.cdr_location_problems([other_id], LOCATIONS)) == [
        "CDR CDR1: cdr_location.evse_id differs from the evse_id of EVSE LOC1-E1"]


def test_session_link() -> None:
    assert sv.session_link_problems([cdr(session_id="ses1")], [session()]) == []
    # A Sender need not list every Session a CDR names; for a charge's own CDR the id must be its Session's.
    assert sv.session_link_problems([cdr(session_id="SES2")], [session()]) == []
    assert messages(sv.session_link_problems([cdr(session_id="SES2")], [session()], complete=True)) == [
        "CDR CDR1: session_id SES2 is not the id of the Session it was made for"]
    other_token = cdr(cdr_token={"country_code": "NL", "party_id": "REM", "uid": "ZZZ", "type": "RFID"})
    other_place = cdr(cdr_location={"id": "LOC1", "evse_uid": "LOC1-E2", "connector_id": "1"})
    assert messages(sv.session_link_problems([other_token, other_place], [session()])) == [
        "CDR CDR1: cdr_token.uid differs from that of Session SES1",
        "CDR CDR1: cdr_location.evse_uid differs from the evse_uid of Session SES1",
    ]
    charged = cdr()
    del charged["session_id"]
    reservation = cdr(charging_periods=[period("2026-01-05T08:00:00Z", RESERVATION_TIME=2.0)])
    del reservation["session_id"]
    assert messages(sv.session_link_problems([charged, reservation], [session()])) == [
        "CDR CDR1 has no session_id, although the CPO implements Sessions and the CDR is for a charging session"]


def credit_of(original: dict[str, Any], **changes: Any) -> dict[str, Any]:
    credit = copy.deepcopy(original)
    credit.update({"id": f"{original['id']}-C", "credit": True, "credit_reference_id": original["id"],
                   "total_cost": {k: -v for k, v in original["total_cost"].items()}})
    credit.update(changes)
    return credit


def test_credit_rules() -> None:
    original = cdr()
    assert sv.credit_problems([original, credit_of(original)]) == []
    assert sv.credit_problems([original, credit_of(original, credit_reference_id="cdr1")]) == []
    cases = {
        "without reference": credit_of(original, credit_reference_id=None),
        "unknown": credit_of(original, credit_reference_id="CDR9"),
        "itself": credit_of(original, credit_reference_id="CDR1-C"),
        "positive": credit_of(original, total_cost={"excl_vat": 4.0, "incl_vat": 4.84}),
        "other session": credit_of(original, session_id="SES7"),
        "reference without credit": {**cdr(id="CDR2"), "credit_reference_id": "CDR1"},
    }
    found = {name: messages(sv.credit_problems([original, item])) for name, item in cases.items()}
    assert found == {
        "without reference": ["CDR CDR1-C is a Credit CDR without credit_reference_id"],
        "unknown": ["CDR CDR1-C: credit_reference_id CDR9 is not a CDR the CPO serves"],
        "itself": ["CDR CDR1-C is a Credit CDR that names itself as the CDR it credits"],
        "positive": ["CDR CDR1-C: total_cost.excl_vat is not the negative of that of the CDR it credits, CDR1",
                     "CDR CDR1-C: total_cost.incl_vat is not the negative of that of the CDR it credits, CDR1"],
        "other session": ["CDR CDR1-C: session_id differs from that of the CDR it credits, CDR1"],
        "reference without credit": ["CDR CDR2 has a credit_reference_id but is not a Credit CDR"],
    }


def test_connector_tariff_refs_skip_removed_evses() -> None:
    assert sv.connector_tariff_problems(LOCATIONS, [{"id": "t-ac"}]) == []
    assert messages(sv.connector_tariff_problems(LOCATIONS, [{"id": "T-DC"}])) == [
        "Tariff 'T-AC', named by 1 Connector(s) such as LOC1/LOC1-E1/1, is not among the Tariffs the CPO serves"]


# ------------------------------------------------------------------------------------------- the reference seed


@pytest.fixture(scope="module")
def owned() -> dict[str, list[dict[str, Any]]]:
    return reference_party("CPO", base_url="http://cpo.test").owned


def test_the_reference_seed_is_consistent(owned: dict[str, list[dict[str, Any]]]) -> None:
    sessions, cdrs, locations, tariffs = owned["sessions"], owned["cdrs"], owned["locations"], owned["tariffs"]
    assert served("Session", sessions) == []
    assert served("CDR", cdrs) == []
    assert served("Tariff", tariffs) == []
    assert sv.session_location_problems(sessions, locations) == []
    assert sv.session_link_problems(cdrs, sessions) == []
    assert sv.cdr_location_problems(cdrs, locations) == []
    assert sv.credit_problems(cdrs) == []
    assert sv.connector_tariff_problems(locations, tariffs) == []


def test_the_reference_seed_has_sessions_of_every_kind(owned: dict[str, list[dict[str, Any]]]) -> None:
    sessions, cdrs = owned["sessions"], owned["cdrs"]
    credits = [c for c in cdrs if c.get("credit")]
    assert len(credits) == 1 and credits[0]["id"] == f"{credits[0]['credit_reference_id']}-C"
    assert credits[0]["total_cost"]["excl_vat"] < 0
    active = [s for s in sessions if s["status"] == "ACTIVE"]
    assert 2 <= len(active) <= 3 and all("end_date_time" not in s for s in active)
    assert {c["session_id"] for c in cdrs} == {s["id"] for s in sessions if s["status"] == "COMPLETED"}
    assert [s["last_updated"] for s in sessions] == sorted(s["last_updated"] for s in sessions)
