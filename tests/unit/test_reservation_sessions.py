"""The reference CPO's reservation Sessions (mod_sessions_reservation), between two real reference platforms
(in-process HTTP): a reservation gives a Session with status RESERVATION, pushed to the eMSP; it ends COMPLETED
without a charge, or goes on as the charge of the driver it was made for."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from simulators.ocpi.v2_2_1.lifecycle import Lifecycle, lifecycle
from tests.unit.platforms import Platforms, two_platforms


class Pair(Platforms):

    @property
    def life(self) -> Lifecycle:
        return lifecycle(self.cpo)

    def held(self, session_id: str) -> dict[str, Any]:
        """The eMSP's copy of a Session the CPO pushed."""
        return next(s for s in self.emsp.received["sessions"].values() if s["id"] == session_id)


@pytest.fixture()
def pair() -> Iterator[Pair]:
    with two_platforms("EMSP") as (cpo, emsp, loop):
        yield Pair(cpo, emsp, loop)


def _token(pair: Pair) -> dict[str, Any]:
    return copy.deepcopy(next(t for t in pair.emsp.owned["tokens"] if t.get("valid")))


def _reservable(pair: Pair) -> tuple[str, dict[str, Any]]:
    for location in pair.cpo.owned["locations"]:
        for evse in location.get("evses") or []:
            if evse.get("status") == "AVAILABLE" and evse.get("connectors") \
                    and "RESERVABLE" in (evse.get("capabilities") or []):
                return str(location["id"]), evse
    raise AssertionError("the seed has no AVAILABLE reservable EVSE")


def _reserve(pair: Pair, token: dict[str, Any], reservation_id: str, hours: float = 4) -> dict[str, Any]:
    location_id, evse = _reservable(pair)
    pair.run(pair.life.reserve(token=token, reservation_id=reservation_id, location_id=location_id,
                               evse_uid=str(evse["uid"]), expiry_date=pair.life.clock() + timedelta(hours=hours),
                               authorization_reference="AUTH-R1"))
    [session] = [s for s in pair.cpo.owned["sessions"] if s["status"] == "RESERVATION"]
    assert session["cdr_token"]["uid"] == token["uid"] and session["auth_method"] == "COMMAND"
    assert (session["location_id"], session["evse_uid"], session["connector_id"]) == (location_id, evse["uid"], "#NA")
    assert session["authorization_reference"] == "AUTH-R1"
    assert pair.held(session["id"])["status"] == "RESERVATION"
    return session


def test_a_canceled_reservation_leaves_its_session_completed(pair: Pair) -> None:
    session = _reserve(pair, _token(pair), "R-1")
    pair.run(pair.life.cancel_reservation("R-1"))
    assert session["status"] == "COMPLETED" and session["end_date_time"]
    held = pair.held(session["id"])
    assert held["status"] == "COMPLETED" and held["end_date_time"] == session["end_date_time"]


def test_an_expired_reservation_leaves_its_session_completed(pair: Pair) -> None:
    session = _reserve(pair, _token(pair), "R-2", hours=0.5)
    pair.run(pair.life.advance(40))
    assert pair.held(session["id"])["status"] == "COMPLETED"
    assert not pair.life.reservations


def test_the_reservations_session_goes_on_as_the_drivers_charge(pair: Pair) -> None:
    token = _token(pair)
    session = _reserve(pair, token, "R-3")
    location_id, evse_uid = session["location_id"], session["evse_uid"]
    charging = pair.run(pair.life.start(token=token, location_id=location_id, evse_uid=evse_uid,
                                        auth_method="WHITELIST"))
    assert charging["id"] == session["id"] and charging["status"] == "ACTIVE"
    assert charging["connector_id"] != "#NA" and charging["auth_method"] == "WHITELIST"
    held = pair.held(session["id"])
    assert (held["status"], held["connector_id"], held["start_date_time"]) == (
        "ACTIVE", charging["connector_id"], charging["start_date_time"])
    assert [s["id"] for s in pair.cpo.owned["sessions"]].count(session["id"]) == 1
