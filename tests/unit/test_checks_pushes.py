"""Checks on what a SUT pushes to roamcert: the request checks on every PUT/PATCH it sends to roamcert's Receiver
interfaces (conformance/ocpi/v2_2_1/checks/pushes.py) and the flow checks on a Session's pushes over a charge or a
reservation
and on the EVSE status (conformance/ocpi/v2_2_1/checks/charge_pushes.py)."""

from __future__ import annotations

import copy
import json
from typing import Any

from conformance.core.exchange import Exchange, ExchangeLog
from conformance.core.findings import Outcome
from conformance.ocpi.schemas import errors as schema_errors
from conformance.ocpi.v2_2_1.checks import REGISTRY, Expect
from conformance.ocpi.v2_2_1.checks import charge_pushes as cp
from conformance.ocpi.v2_2_1.checks.charging import Push
from simulators.ocpi.v2_2_1.seed.locations import seed_locations
from tests.unit.samples import TOKEN, session

LOG = ExchangeLog()
BASE = "https://roamcert.test/ocpi/emsp/2.2.1"
PUSH_CHECKS = ("ocpi.request.put_whole_object", "ocpi.request.push_owner", "ocpi.request.patch_last_updated")
LOCATION = seed_locations(country_code="NL", party_id="RCP")[0]


def inbound(method: str, path: str, body: Any, *, direction: str = "inbound") -> Exchange:
    raw = body if isinstance(body, str) else json.dumps(body)
    return LOG.record(protocol="OCPI", version="2.2.1", direction=direction, method=method, url=f"{BASE}{path}",
                      request_headers=[("Content-Type", "application/json")], request_body=raw, status=200,
                      response_headers=[("Content-Type", "application/json")],
                      response_body='{"status_code": 1000, "timestamp": "2026-01-05T08:00:00Z"}', elapsed_ms=1.0)


def outcomes(x: Exchange) -> dict[str, list[str]]:
    """check id -> the messages of its findings (an empty list: one PASS), for the push checks that applied."""
    out: dict[str, list[str]] = {}
    for check_id in PUSH_CHECKS:
        item = REGISTRY[check_id]
        if item.applies(x, Expect()):
            out[check_id] = [f.message for f in item.run(x, Expect()) if f.outcome is Outcome.FAIL]
    return out


# -- the request checks ------------------------------------------------------------------------------------------

def test_the_fixtures_are_valid_objects() -> None:
    assert schema_errors("2.2.1", "Location", LOCATION) == []
    assert schema_errors("2.2.1", "Session", session()) == []


def test_whole_and_well_addressed_pushes_pass() -> None:
    put = inbound("PUT", f"/receiver/locations/NL/RCP/{LOCATION['id']}", LOCATION)
    assert outcomes(put) == {"ocpi.request.put_whole_object": [], "ocpi.request.push_owner": []}
    evse = LOCATION["evses"][0]
    evse_put = inbound("PUT", f"/receiver/locations/nl/rcp/{LOCATION['id']}/{evse['uid']}", evse)
    assert outcomes(evse_put) == {"ocpi.request.put_whole_object": [], "ocpi.request.push_owner": []}
    patch = inbound("PATCH", "/receiver/sessions/NL/RCP/S1", {"status": "ACTIVE",
                                                              "last_updated": "2026-01-05T08:01:00Z"})
    assert outcomes(patch) == {"ocpi.request.push_owner": [], "ocpi.request.patch_last_updated": []}


def test_a_put_carrying_only_the_changes_is_not_a_whole_object() -> None:
    evse = LOCATION["evses"][0]
    partial = inbound("PUT", f"/receiver/locations/NL/RCP/{LOCATION['id']}/{evse['uid']}",
                      {"status": "CHARGING", "last_updated": "2026-01-05T08:01:00Z"})
    messages = outcomes(partial)["ocpi.request.put_whole_object"]
    assert messages and all("not a whole, valid EVSE" in m for m in messages)
    broken = inbound("PUT", "/receiver/sessions/NL/RCP/S1", {k: v for k, v in session().items() if k != "currency"})
    assert any("currency" in m for m in outcomes(broken)["ocpi.request.put_whole_object"])
    not_json = inbound("PUT", "/receiver/tariffs/NL/RCP/T1", "not json")
    assert "carries no Tariff object" in outcomes(not_json)["ocpi.request.put_whole_object"][0]


def test_the_url_must_name_the_owner_and_the_object_pushed() -> None:
    wrong_party = inbound("PUT", "/receiver/sessions/NL/RCX/S1", session())
    assert any("party_id" in m for m in outcomes(wrong_party)["ocpi.request.push_owner"])
    wrong_id = inbound("PATCH", "/receiver/sessions/NL/RCP/S2", {"id": "S1", "last_updated": "2026-01-05T08:01:00Z"})
    assert any("another object" in m for m in outcomes(wrong_id)["ocpi.request.push_owner"])
    token = {**TOKEN, "type": "APP_USER", "last_updated": "2026-01-05T08:01:00Z"}
    untyped = inbound("PATCH", "/receiver/tokens/NL/REM/RC01AB", token)  # no ?type=: means RFID
    assert any("type" in m for m in outcomes(untyped)["ocpi.request.push_owner"])
    typed = inbound("PATCH", "/receiver/tokens/NL/REM/RC01AB?type=APP_USER", token)
    assert outcomes(typed)["ocpi.request.push_owner"] == []


def test_every_patch_carries_last_updated() -> None:
    bare = inbound("PATCH", "/receiver/locations/NL/RCP/LOC1/LOC1-1", {"status": "AVAILABLE"})
    assert "carries no last_updated" in outcomes(bare)["ocpi.request.patch_last_updated"][0]
    garbled = inbound("PATCH", "/receiver/tokens/NL/REM/RC01AB", {"valid": False, "last_updated": "yesterday"})
    assert "no DateTime" in outcomes(garbled)["ocpi.request.patch_last_updated"][0]


def test_only_the_suts_pushes_to_push_interfaces_are_judged() -> None:
    # roamcert's own pushes to the SUT (callbacks), GETs, the Tokens Sender and the credentials are no pushes
    assert outcomes(inbound("PUT", "/receiver/sessions/NL/RCP/S1", {}, direction="callback")) == {}
    assert outcomes(inbound("GET", "/receiver/sessions/NL/RCP/S1", {})) == {}
    assert outcomes(inbound("POST", "/sender/tokens/RC01AB/authorize", {})) == {}
    assert outcomes(inbound("PUT", "/cpo/credentials", {})) == {}
    active = inbound("PUT", "/sender/chargingprofiles/S1", {"start_date_time": "2026-01-05T08:00:00Z"})
    assert any("ActiveChargingProfile" in m for m in outcomes(active)["ocpi.request.put_whole_object"])


# -- a Session's pushes over a charge ---------------------------------------------------------------------------

def push(index: int, method: str, body: Any) -> Push:
    return Push(exchange_id=f"x{index}", index=index, module="sessions", method=method,
                segments=("NL", "RCP", "S1"), body=body)


def test_start_date_time_moves_to_the_moment_the_session_went_active() -> None:
    created = session(start_date_time="2026-01-05T08:00:00Z", last_updated="2026-01-05T08:00:00Z")
    kept = [push(1, "PUT", created), push(2, "PATCH", {"status": "ACTIVE", "last_updated": "2026-01-05T08:00:00Z"})]
    assert cp.start_time_problems(kept) == []  # it went ACTIVE the moment it was created
    later = [push(1, "PUT", session(last_updated="2026-01-05T08:01:00Z")),
             push(2, "PATCH", {"status": "ACTIVE", "start_date_time": "2026-01-05T08:02:00Z",
                               "last_updated": "2026-01-05T08:02:00Z"})]
    assert cp.start_time_problems(later) == []
    stale = [push(1, "PUT", session(last_updated="2026-01-05T08:01:00Z")),
             push(2, "PATCH", {"status": "ACTIVE", "last_updated": "2026-01-05T08:02:00Z"})]
    problems = cp.start_time_problems(stale)
    assert len(problems) == 1 and "not moved" in problems[0].message and problems[0].evidence == ("x1", "x2")
    future = [push(1, "PUT", session(start_date_time="2026-01-05T09:00:00Z"))]
    assert "later than its last_updated" in cp.start_time_problems(future)[0].message
    assert cp.start_time_problems([])[0].actual == "none"


def test_patched_charging_periods_only_follow_those_pushed_before() -> None:
    def period(start: str) -> dict[str, Any]:
        return {"start_date_time": start, "dimensions": [{"type": "ENERGY", "volume": 1}]}

    first, second, third = (period(f"2026-01-05T08:{m}:00Z") for m in ("00", "20", "40"))
    appended = [push(1, "PUT", session(charging_periods=[first])),
                push(2, "PATCH", {"charging_periods": [second], "last_updated": "2026-01-05T08:40:00Z"}),
                push(3, "PATCH", {"charging_periods": [third], "last_updated": "2026-01-05T09:00:00Z"})]
    assert cp.periods_appended_problems(appended) == []
    repeated = [push(1, "PUT", session()),
                push(2, "PATCH", {"charging_periods": [first], "last_updated": "2026-01-05T08:20:00Z"}),
                push(3, "PATCH", {"charging_periods": [first, second], "last_updated": "2026-01-05T08:40:00Z"})]
    problems = cp.periods_appended_problems(repeated)
    assert len(problems) == 1 and problems[0].evidence == ("x3",)
    replaced = [*repeated[:2], push(3, "PUT", session(charging_periods=[first, second])),
                push(4, "PATCH", {"charging_periods": [third], "last_updated": "2026-01-05T09:00:00Z"})]
    assert cp.periods_appended_problems(replaced) == []  # a PUT may change what was pushed


def test_a_reservation_gives_a_session_completed_when_canceled() -> None:
    reserved = session(status="RESERVATION", location_id="LOC1", evse_uid="#NA", connector_id="#NA")
    completed = {**copy.deepcopy(reserved), "status": "COMPLETED"}
    assert cp.reservation_session_problems(TOKEN, "LOC1", "LOC1-1", reserved, completed, True) == []
    assert "no Session with status RESERVATION" in \
        cp.reservation_session_problems(TOKEN, "LOC1", "LOC1-1", None, None, True)[0].message
    left_open = cp.reservation_session_problems(TOKEN, "LOC1", "LOC1-1", reserved, None, True)
    assert len(left_open) == 1 and "not COMPLETED" in left_open[0].message
    assert cp.reservation_session_problems(TOKEN, "LOC1", "LOC1-1", reserved, None, False) == []
    elsewhere = cp.reservation_session_problems(TOKEN, "LOC2", "LOC2-1", session(status="RESERVATION"), completed,
                                                True)
    assert {p.expected for p in elsewhere} == {"LOC2", "LOC2-1 (or #NA)"}
