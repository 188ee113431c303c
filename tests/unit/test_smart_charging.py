"""The reference CPO's smart-charging interfaces between real reference platforms (in-process HTTP): charging
profiles set, read and cleared by an SCSP and an eMSP with their results POSTed back, the ActiveChargingProfile
update after a local limit, and the answers to charging preferences."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from conformance.core.exchange import Exchange
from conformance.core.runtime import Network
from conformance.ocpi.types import format_datetime
from simulators.ocpi.admin import ADMIN_HOOKS
from simulators.ocpi.app import build_app
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1.chargingprofiles_sender import sender_state
from simulators.ocpi.v2_2_1.credentials import peer_client, register_with
from simulators.ocpi.v2_2_1.lifecycle import lifecycle
from simulators.ocpi.v2_2_1.ongoing import place_of
from simulators.ocpi.v2_2_1.reference import reference_party


@dataclass
class Platforms:
    cpo: Party
    emsp: Party
    scsp: Party
    loop: asyncio.AbstractEventLoop

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    def hook(self, name: str, party: Party, **payload: str) -> dict[str, Any]:
        result: dict[str, Any] = self.run(ADMIN_HOOKS[name].handler(party, dict(payload)))
        pending = self.cpo.state["chargingprofiles"].tasks if "chargingprofiles" in self.cpo.state else set()
        if pending:  # the charger's answer follows the CPO's
            self.run(asyncio.wait(set(pending), timeout=10))
        return result

    def call(self, method: str, url: str, **kwargs: Any) -> Exchange:
        peer = next(iter(self.emsp.peers.values()))
        exchange: Exchange = self.run(peer_client(self.emsp, peer.token_out).request(method, url, **kwargs))
        return exchange


@pytest.fixture()
def platforms() -> Iterator[Platforms]:
    network = Network()
    cpo = reference_party("CPO", base_url="http://cpo.test")
    emsp = reference_party("EMSP", base_url="http://emsp.test")
    scsp = reference_party("SCSP", base_url="http://scsp.test")
    for party in (cpo, emsp, scsp):
        party.http_factory = network.client
        network.mount(party.base_url, build_app(party))
    loop = asyncio.new_event_loop()
    for sender in (emsp, scsp):
        loop.run_until_complete(register_with(sender, cpo.versions_url(), cpo.issue_token_a()))
    yield Platforms(cpo, emsp, scsp, loop)
    loop.run_until_complete(network.aclose())
    loop.close()


def _active(cpo: Party, index: int = 0) -> dict[str, Any]:
    return [s for s in cpo.owned["sessions"] if s["status"] == "ACTIVE"][index]


def _result(answer: dict[str, Any]) -> Any:
    return answer["answer"]["data"]["result"]


def test_an_scsp_sets_a_profile_gets_its_result_and_is_told_of_a_local_limit(platforms: Platforms) -> None:
    session = _active(platforms.cpo)
    capacity = place_of(platforms.cpo, session).capacity("W")
    answer = platforms.hook("send_charging_profile", platforms.scsp, session_id=session["id"], limit="20000")
    assert _result(answer) == "ACCEPTED" and answer["answer"]["data"]["timeout"] > 0
    state = sender_state(platforms.scsp)
    assert [r.result for r in state.requests.values()] == [{"result": "ACCEPTED"}]

    assert platforms.hook("change_active_charging_profile", platforms.cpo, session_id=session["id"]) == {"pushed": 1}
    update = state.active[session["id"].upper()]
    assert update["charging_profile"]["charging_rate_unit"] == "W"
    assert update["charging_profile"]["duration"] == 900  # a quarter of an hour: useful, not too much
    assert capacity / 2 < 20000 and capacity / 2 > 10000
    # the local limit caps the 20 kW asked for the first half hour
    assert update["charging_profile"]["charging_profile_period"] == [{"start_period": 0, "limit": capacity / 2}]

    answer = platforms.hook("get_active_charging_profile", platforms.scsp, session_id=session["id"], duration="3600")
    assert _result(answer) == "ACCEPTED"
    result = next(r.result for r in state.requests.values() if r.kind == "get")
    assert result is not None and result["result"] == "ACCEPTED"
    assert result["profile"]["charging_profile"]["duration"] == 3600
    assert result["profile"]["charging_profile"]["charging_profile_period"] == [
        {"start_period": 0, "limit": capacity / 2}, {"start_period": 1800, "limit": 10000.0}]


def test_clearing_a_profile_brings_the_connector_capacity_back(platforms: Platforms) -> None:
    session = _active(platforms.cpo)
    platforms.hook("send_charging_profile", platforms.emsp, session_id=session["id"])
    assert _result(platforms.hook("clear_charging_profile", platforms.emsp, session_id=session["id"])) == "ACCEPTED"
    assert _result(platforms.hook("clear_charging_profile", platforms.emsp, session_id=session["id"])) == "ACCEPTED"
    results = [r.result for r in sender_state(platforms.emsp).requests.values() if r.kind == "clear"]
    assert results == [{"result": "ACCEPTED"}, {"result": "UNKNOWN"}]  # nothing left to clear the second time
    platforms.hook("get_active_charging_profile", platforms.emsp, session_id=session["id"])
    active = next(r.result for r in sender_state(platforms.emsp).requests.values() if r.kind == "get")
    assert active is not None
    capacity = place_of(platforms.cpo, session).capacity("W")
    assert active["profile"]["charging_profile"]["charging_profile_period"] == [{"start_period": 0, "limit": capacity}]


def test_a_local_limit_is_not_sent_to_a_sender_that_set_no_profile(platforms: Platforms) -> None:
    session = _active(platforms.cpo, 1)
    assert platforms.hook("change_active_charging_profile", platforms.cpo, session_id=session["id"]) == {"pushed": 0}
    assert sender_state(platforms.scsp).active == {} and sender_state(platforms.emsp).active == {}


def test_the_cpo_refuses_what_it_cannot_pass_on(platforms: Platforms) -> None:
    mine, foreign, done = _active(platforms.cpo, 0), _active(platforms.cpo, 1), platforms.cpo.owned["sessions"][0]
    foreign["cdr_token"] = {**foreign["cdr_token"], "party_id": "XYZ"}
    assert done["status"] == "COMPLETED"
    send = platforms.hook
    assert _result(send("send_charging_profile", platforms.emsp, session_id="NO-SUCH-SESSION")) == "UNKNOWN_SESSION"
    assert _result(send("send_charging_profile", platforms.emsp, session_id=foreign["id"])) == "REJECTED"
    assert _result(send("send_charging_profile", platforms.scsp, session_id=foreign["id"])) == "ACCEPTED"
    assert _result(send("send_charging_profile", platforms.emsp, session_id=done["id"])) == "REJECTED"
    answers = [_result(send("get_active_charging_profile", platforms.emsp, session_id=mine["id"])) for _ in range(31)]
    assert answers[:30] == ["ACCEPTED"] * 30 and answers[30] == "TOO_OFTEN"
    url = f"{platforms.cpo.module_url('2.2.1', 'chargingprofiles', 'RECEIVER')}/{mine['id']}"
    without_duration = platforms.call("GET", url, params={"response_url": "http://emsp.test/results/1"})
    relative = platforms.call("DELETE", url, params={"response_url": "/results/1"})
    assert [(x.status, x.response_json()["status_code"]) for x in (without_duration, relative)] == [(200, 2001)] * 2


def _preferences(platforms: Platforms, session_id: str, **preferences: Any) -> tuple[int | None, Any]:
    url = f"{platforms.cpo.module_url('2.2.1', 'sessions', 'SENDER')}/{session_id}/charging_preferences"
    exchange = platforms.call("PUT", url, json_body=preferences)
    body = exchange.response_json()
    return exchange.status, body.get("data", body["status_code"])


def test_charging_preferences_are_answered_by_what_the_connector_can_do(platforms: Platforms) -> None:
    location, evse = next((loc, e) for loc in platforms.cpo.owned["locations"] for e in loc["evses"]
                          if e["status"] == "AVAILABLE" and "CHARGING_PREFERENCES_CAPABLE" in e["capabilities"])
    token = {"country_code": "NL", "party_id": "REM", "uid": "04AABBCCDD0011", "type": "RFID",
             "contract_id": "NL-REM-C000077"}
    session = platforms.run(lifecycle(platforms.cpo).start(token=token, location_id=location["id"],
                                                           evse_uid=evse["uid"], auth_method="WHITELIST"))
    later = format_datetime(datetime.now(UTC) + timedelta(hours=2))
    sid = session["id"]
    assert _preferences(platforms, sid, profile_type="REGULAR", departure_time=later, energy_need=20) == \
        (200, "ACCEPTED")
    assert _preferences(platforms, sid, profile_type="REGULAR", energy_need=20) == (200, "DEPARTURE_REQUIRED")
    assert _preferences(platforms, sid, profile_type="REGULAR", departure_time=later) == (200, "ENERGY_NEED_REQUIRED")
    assert _preferences(platforms, sid, profile_type="REGULAR", departure_time=later, energy_need=5000) == \
        (200, "NOT_POSSIBLE")
    assert _preferences(platforms, sid, profile_type="FAST") == (200, "PROFILE_TYPE_NOT_SUPPORTED")
    assert _preferences(platforms, sid, profile_type="TURBO") == (200, 2001)
    assert _preferences(platforms, "NO-SUCH-SESSION", profile_type="REGULAR") == (404, 2003)
    elsewhere = _active(platforms.cpo)  # a seed Session at an EVSE without the capability
    assert _preferences(platforms, elsewhere["id"], profile_type="REGULAR") == (404, 2001)
