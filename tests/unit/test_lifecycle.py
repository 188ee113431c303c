"""The reference CPO's charging lifecycle between two real reference platforms (in-process HTTP): a Token at
the charger, real-time authorization, a Session pushed and PATCHed as the clock moves, a CDR priced by the
tariff engine, EVSE statuses."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from conformance.ocpi.schemas import errors as schema_errors
from conformance.tariffs import compare, price_cdr
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1.charger import present_token
from simulators.ocpi.v2_2_1.lifecycle import LifecycleError, lifecycle
from tests.unit.platforms import Platforms, two_platforms

NEVER_APP = ("b3d1f0a2-7c4e-4f55-9a1e-5d2c8e6f0a11", "APP_USER")  # valid, whitelist NEVER (seed/tokens.py)
BLOCKED = ("04A1B2C3D4E5F6", "RFID")  # invalid: BLOCKED


class Pair(Platforms):
    """The reference CPO and eMSP of these tests."""


@pytest.fixture()
def pair() -> Iterator[Pair]:
    with two_platforms("CPO") as (cpo, emsp, loop):
        _at_ten_utc(cpo)
        yield Pair(cpo, emsp, loop)


def _at_ten_utc(cpo: Party) -> None:
    """Charges start at 10:00 UTC (midday in the seed's time zones), so that no tariff's time restriction (the
    seed's night tariff runs 23:00-07:00 local) splits a test's charging periods whatever the hour the test runs."""
    clock = lifecycle(cpo).clock
    now = clock()
    ten = now.replace(hour=10, minute=0, second=0, microsecond=0)
    clock.advance((ten if ten >= now else ten + timedelta(days=1)) - now)


def _place(cpo: Party) -> tuple[dict[str, Any], dict[str, Any]]:
    for location in cpo.owned["locations"]:
        for evse in location.get("evses", []):
            connector = (evse.get("connectors") or [{}])[0]
            if evse.get("status") == "AVAILABLE" and evse.get("evse_id") and connector.get("tariff_ids"):
                return location, evse
    raise AssertionError("the seed has no free EVSE with a tariff")


def test_a_never_whitelisted_token_is_authorized_in_real_time_and_charges_to_a_priced_cdr(pair: Pair) -> None:
    location, evse = _place(pair.cpo)
    presented = pair.run(present_token(pair.cpo, uid=NEVER_APP[0], token_type=NEVER_APP[1],
                                       location_id=location["id"], evse_uid=evse["uid"],
                                       country_code="NL", party_id="REM"))
    assert presented.asked and presented.session is not None, presented
    session = presented.session
    assert session["auth_method"] == "AUTH_REQUEST"
    assert session["authorization_reference"].startswith("AUTH-")
    assert evse["status"] == "CHARGING"
    key = ("NL", "RCP", session["id"].upper())
    pushed = pair.emsp.received["sessions"][key]
    assert pushed["status"] == "ACTIVE" and pushed["cdr_token"]["uid"] == NEVER_APP[0]

    life = lifecycle(pair.cpo)
    pair.run(life.advance(40))
    pair.run(life.advance(25))
    pushed = pair.emsp.received["sessions"][key]
    assert len(pushed["charging_periods"]) == 2 and pushed["kwh"] > 0
    assert schema_errors("2.2.1", "Session", pushed) == []

    cdr = pair.run(life.stop(session["id"]))
    assert schema_errors("2.2.1", "CDR", cdr) == []
    assert pair.emsp.received["sessions"][key]["status"] == "COMPLETED"
    stored = next(c for c in pair.emsp.received["cdrs"].values() if c["id"] == cdr["id"])
    assert stored["session_id"] == session["id"] and stored["authorization_reference"] == \
        session["authorization_reference"]
    assert {d["type"] for p in cdr["charging_periods"] for d in p["dimensions"]}.isdisjoint(
        {"POWER", "CURRENT", "STATE_OF_CHARGE"})
    assert cdr["total_energy"] == pytest.approx(pair.emsp.received["sessions"][key]["kwh"])
    assert cdr["total_time"] == pytest.approx(65 / 60, abs=0.01)
    assert compare(cdr, price_cdr(cdr, cdr["tariffs"], time_zone=location["time_zone"])) == []
    assert evse["status"] == "AVAILABLE"
    assert any(c["id"] == cdr["id"] for c in pair.cpo.owned["cdrs"])
    assert any(s["id"] == session["id"] and s["status"] == "COMPLETED" for s in pair.cpo.owned["sessions"])
    held = pair.emsp.received["locations"]
    assert any(str(k[-1]).upper() == location["id"].upper() for k in held), "the Location was pushed first"


def test_a_blocked_token_does_not_charge(pair: Pair) -> None:
    location, evse = _place(pair.cpo)
    presented = pair.run(present_token(pair.cpo, uid=BLOCKED[0], token_type=BLOCKED[1], location_id=location["id"],
                                       evse_uid=evse["uid"], country_code="NL", party_id="REM"))
    assert presented.session is None and presented.refused == "BLOCKED"
    assert evse["status"] == "AVAILABLE"
    assert not pair.emsp.received.get("sessions")


def test_reservations_hold_an_evse_for_their_token_only(pair: Pair) -> None:
    location, evse = _place(pair.cpo)
    life = lifecycle(pair.cpo)
    owner = {"country_code": "NL", "party_id": "REM", "uid": "AAA", "type": "RFID", "contract_id": "NL-REM-C1"}
    other = {**owner, "uid": "BBB"}
    pair.run(life.reserve(token=owner, reservation_id="R1", location_id=location["id"], evse_uid=evse["uid"],
                          expiry_date=life.clock() + timedelta(minutes=30)))
    assert evse["status"] == "RESERVED"
    with pytest.raises(LifecycleError) as refused:
        pair.run(life.start(token=other, location_id=location["id"], evse_uid=evse["uid"], auth_method="COMMAND"))
    assert refused.value.reason == "RESERVED"
    session = pair.run(life.start(token=owner, location_id=location["id"], evse_uid=None, reservation_id="R1",
                                  auth_method="COMMAND"))
    assert session["evse_uid"] == evse["uid"] and "R1" not in life.reservations
    with pytest.raises(LifecycleError) as unknown:
        pair.run(life.cancel_reservation("R1"))
    assert unknown.value.reason == "UNKNOWN_RESERVATION"
    with pytest.raises(LifecycleError) as busy:
        pair.run(life.start(token=other, location_id=location["id"], evse_uid=evse["uid"], auth_method="COMMAND"))
    assert busy.value.reason == "EVSE_OCCUPIED"
