"""The whole-charge checks (conformance/ocpi/v2_2_1/checks/charging.py) on hand-made pushes: what a CPO sent
roamcert's eMSP
while a charge ran, read the way the flows read it."""

from __future__ import annotations

from typing import Any

from conformance.ocpi.v2_2_1.checks import charging as cc
from tests.unit.samples import TOKEN, session

EVSE = {"uid": "LOC1-1", "evse_id": "NL*RCP*E1*1", "status": "AVAILABLE", "connectors": [{"id": "1"}]}


def push(index: int, module: str, method: str, segments: tuple[str, ...], body: Any, **extra: Any) -> cc.Push:
    return cc.Push(exchange_id=f"x{index}", index=index, module=module, method=method, segments=segments,
                   body=body, **extra)


def period(kwh: float) -> dict[str, Any]:
    return {"start_date_time": "2026-01-05T08:00:00Z", "dimensions": [{"type": "ENERGY", "volume": kwh}]}


def test_replay_applies_patches_and_adds_charging_periods() -> None:
    pushes = [push(1, "sessions", "PUT", ("NL", "RCP", "S1"), session()),
              push(2, "sessions", "PATCH", ("NL", "RCP", "S1"), {"status": "ACTIVE"}),
              push(3, "sessions", "PATCH", ("NL", "RCP", "S1"), {"kwh": 5, "charging_periods": [period(5)]}),
              push(4, "sessions", "PATCH", ("NL", "RCP", "S1"), {"kwh": 7, "charging_periods": [period(2)]})]
    replayed = cc.replay(pushes)
    assert replayed is not None
    assert replayed["status"] == "ACTIVE" and replayed["kwh"] == 7 and len(replayed["charging_periods"]) == 2
    assert cc.replay(pushes[1:]) is None  # PATCHes alone describe no Session


def test_a_session_put_for_the_token_at_the_evse_passes_and_its_faults_are_named() -> None:
    good = [push(1, "sessions", "PUT", ("NL", "RCP", "S1"), session())]
    assert cc.session_pushed_problems(TOKEN, "LOC1", EVSE, good) == []
    wrong = session(evse_uid="NL*RCP*E1*1", cdr_token={**TOKEN, "contract_id": "OTHER"}, status="COMPLETED")
    messages = [p.message for p in cc.session_pushed_problems(
        TOKEN, "LOC1", EVSE, [push(1, "sessions", "PUT", ("NL", "RCP", "S1"), wrong)])]
    assert any("another EVSE" in m for m in messages)
    assert any("cdr_token.contract_id" in m for m in messages)
    assert any("status" in m for m in messages)
    first_patch = [push(1, "sessions", "PATCH", ("NL", "RCP", "S1"), {"status": "ACTIVE"})]
    assert "not PUT" in cc.session_pushed_problems(TOKEN, "LOC1", EVSE, first_patch)[0].message


def test_evse_status_is_read_from_location_and_evse_pushes() -> None:
    charging = {"id": "LOC1", "evses": [{**EVSE, "status": "CHARGING"}]}
    whole = push(1, "locations", "PUT", ("NL", "RCP", "LOC1"), charging)
    back = push(5, "locations", "PATCH", ("NL", "RCP", "LOC1", "LOC1-1"), {"status": "AVAILABLE"})
    assert cc.evse_status_problems([whole], [back], "LOC1", "LOC1-1") == []
    other = push(5, "locations", "PATCH", ("NL", "RCP", "LOC1", "LOC1-2"), {"status": "AVAILABLE"})
    assert len(cc.evse_status_problems([whole], [other], "LOC1", "LOC1-1")) == 1
    assert len(cc.evse_status_problems([], [], "LOC1", "LOC1-1")) == 2


def test_a_completed_session_needs_kwh_equal_to_its_periods_energy() -> None:
    running = [push(2, "sessions", "PATCH", ("NL", "RCP", "S1"), {"kwh": 5, "charging_periods": [period(5)]})]
    ending = [push(4, "sessions", "PATCH", ("NL", "RCP", "S1"), {"status": "COMPLETED"})]
    held = session(status="COMPLETED", end_date_time="2026-01-05T09:00:00Z", kwh=5,
                   charging_periods=[period(4), period(1.0005)])
    assert cc.session_updated_problems(running, ending, held) == []
    off = cc.session_updated_problems(running, ending, {**held, "kwh": 6})
    assert [p.message for p in off] == ["Session S1 as roamcert's eMSP holds it: kwh is not the energy of its "
                                        "charging periods"]
    assert len(cc.session_updated_problems([], [], {**held, "status": "ACTIVE"})) == 3


def test_the_real_time_request_must_come_first_and_name_the_token_type() -> None:
    ask = push(3, "tokens", "POST", ("RC01AB", "authorize"), {"location_id": "LOC1", "evse_uids": ["LOC1-1"]},
               params={"type": "APP_USER"})
    started = [push(2, "sessions", "PUT", ("NL", "RCP", "S1"), session())]
    messages = [p.message for p in cc.real_time_problems(TOKEN, [ask], started)]
    assert len(messages) == 2 and "another type" in messages[0] and "before the CPO asked" in messages[1]
    assert cc.location_named_problems([ask], "loc1", "loc1-1") == []  # CiStrings
    assert len(cc.location_named_problems([push(3, "tokens", "POST", ("RC01AB", "authorize"), None)],
                                          "LOC1", "LOC1-1")) == 1


def _ask(index: int, allowed: str | None = "ALLOWED", status: int = 200) -> cc.Push:
    answer = {"status_code": 1000, "data": {"allowed": allowed}} if allowed else None
    return push(index, "tokens", "POST", ("RC01AB", "authorize"), {"location_id": "LOC1", "evse_uids": ["LOC1-1"]},
                params={"type": "RFID"}, status=status, answer=answer)


def test_a_token_pushed_not_valid_must_still_be_asked_about_and_the_answer_decides() -> None:
    started = [push(3, "sessions", "PUT", ("NL", "RCP", "S1"), session(auth_method="AUTH_REQUEST"))]
    assert cc.invalid_asked_problems(TOKEN, [_ask(2)], started, []) == []
    assert cc.invalid_asked_problems(TOKEN, [_ask(2)], [], [session()]) == []  # served, not (yet) pushed
    unasked = cc.invalid_asked_problems(TOKEN, [], [], [])
    assert len(unasked) == 1 and "not valid" in unasked[0].message and unasked[0].actual == "no request"
    ignored = cc.invalid_asked_problems(TOKEN, [_ask(2)], [], [])
    assert [p.expected for p in ignored] == ["a Session for the Token"]
    assert cc.invalid_asked_problems(TOKEN, [_ask(2, "NO_CREDIT")], [], []) == []  # refused in real time: fine
    late = cc.invalid_asked_problems(TOKEN, [_ask(4)], started, [])
    assert ["before the CPO asked" in p.message for p in late] == [True]


def test_real_time_problems_name_the_whitelist_and_a_charge_started_without_asking() -> None:
    started = [push(3, "sessions", "PUT", ("NL", "RCP", "S1"), session())]
    problems = cc.real_time_problems(TOKEN, [], started, whitelist="ALLOWED_OFFLINE")
    assert len(problems) == 1 and "ALLOWED_OFFLINE: its charge started (auth_method WHITELIST)" in problems[0].message
    assert problems[0].evidence == ("x3",)


def test_allowed_offline_charges_on_the_whitelist_when_the_emsp_gives_no_response() -> None:
    offline = [_ask(2, None, 503)]
    started = [push(3, "sessions", "PUT", ("NL", "RCP", "S1"), session())]
    assert cc.offline_charged_problems(offline, started, []) == []
    assert cc.offline_charged_problems([], [], [session()]) == []  # not pushed while offline, but served
    refused = cc.offline_charged_problems(offline, [], [])
    assert len(refused) == 1 and "1 real-time request(s)" in str(refused[0].actual)
    assert refused[0].evidence == ("x2",)
    mislabelled = cc.offline_charged_problems(offline, [push(3, "sessions", "PUT", ("NL", "RCP", "S1"),
                                                             session(auth_method="AUTH_REQUEST"))], [])
    assert [p.expected for p in mislabelled] == ["auth_method: WHITELIST"]
