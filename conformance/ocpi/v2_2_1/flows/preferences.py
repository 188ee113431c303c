"""Flows for charging preferences at a CPO under test (mod_sessions_set_charging_preferences).

roamcert, as eMSP, sends its driver's ChargingPreferences for an ongoing Session of one of its Tokens
(conformance/ocpi/v2_2_1/flows/ongoing.py) at an EVSE that takes them (CHARGING_PREFERENCES_CAPABLE): a plain REGULAR
request, then each smart-charging ProfileType, which the CPO may only accept where the Connector offers a Tariff
for it; an invalid body, a Session the CPO does not know, and a Session at an EVSE that does not take
preferences.
"""

from __future__ import annotations

import secrets
from datetime import UTC, timedelta
from typing import Any
from urllib.parse import quote

from conformance.core.case import Case
from conformance.core.checks import Problem
from conformance.core.errors import SetupFailed
from conformance.core.exchange import Exchange
from conformance.ocpi.expect import Expect
from conformance.ocpi.harness import Connection, Harness
from conformance.ocpi.types import format_datetime
from conformance.ocpi.v2_2_1.checks import preferences as pc
from conformance.ocpi.v2_2_1.checks._util import short
from conformance.ocpi.v2_2_1.flows.http import data_of, join, send, status_code_of
from conformance.ocpi.v2_2_1.flows.ongoing import Ongoing, ongoing_session
from conformance.ocpi.v2_2_1.flows.pull import SenderPull, sender_url

__all__ = ["CAPABILITY", "capable_session", "incapable_session", "invalid_preferences", "profile_types",
           "regular_preferences", "unknown_session"]

CAPABILITY = "CHARGING_PREFERENCES_CAPABLE"
ANSWERS = frozenset({"ACCEPTED", "DEPARTURE_REQUIRED", "ENERGY_NEED_REQUIRED", "NOT_POSSIBLE",
                     "PROFILE_TYPE_NOT_SUPPORTED"})
_OK = frozenset({1000})


def capable_session(harness: Harness, case: Case, conn: Connection, sut_role: str) -> Ongoing:
    return ongoing_session(harness, case, conn, sut_role, capable=CAPABILITY)


def incapable_session(harness: Harness, case: Case, conn: Connection, sut_role: str) -> Ongoing:
    return ongoing_session(harness, case, conn, sut_role, lacking=CAPABILITY)


def _preferences(harness: Harness, sut_role: str, profile_type: str) -> dict[str, Any]:
    """The driver leaves in four hours and wants 12.5 kWh by then."""
    now = harness.partner(sut_role).clock().astimezone(UTC).replace(microsecond=0)
    return {"profile_type": profile_type, "departure_time": format_datetime(now + timedelta(hours=4)),
            "energy_need": 12.5, "discharge_allowed": False}


def _put(harness: Harness, case: Case, conn: Connection, session_id: str, body: Any, expect: Expect) -> Exchange:
    url = join(sender_url(conn, "sessions"), quote(session_id, safe=""), "charging_preferences")
    return send(harness, case, "PUT", url, expect, token=conn.token, json_body=body)


def _answered(x: Exchange) -> str:
    return f"HTTP {x.status}, status_code {short(status_code_of(x))}, data {short(data_of(x))}"


def _answer_problems(x: Exchange, profile_type: str) -> list[Problem]:
    data = data_of(x)
    if x.status != 200 or status_code_of(x) != 1000 or not isinstance(data, str) or data not in ANSWERS:
        return [Problem(f"Charging preferences ({profile_type}) were not answered with a ChargingPreferencesResponse",
                        "HTTP 200, status_code 1000, data: one of " + ", ".join(sorted(ANSWERS)), _answered(x),
                        evidence=(x.id,))]
    return []


def _send(harness: Harness, case: Case, conn: Connection, sut_role: str, session: Ongoing,
          profile_type: str) -> Exchange:
    return _put(harness, case, conn, session.id, _preferences(harness, sut_role, profile_type),
                Expect(schema="ChargingPreferencesResponse", status_codes=_OK))


def regular_preferences(harness: Harness, case: Case, conn: Connection, sut_role: str, session: Ongoing) -> None:
    x = _send(harness, case, conn, sut_role, session, "REGULAR")
    case.add(pc.ANSWER.conclude(_answer_problems(x, "REGULAR"), (x.id,)))


def _tariff_types(harness: Harness, case: Case, conn: Connection, session: Ongoing) -> dict[str, str]:
    """The Tariffs the session's Connector names, by id, with their type (REGULAR when they give none)."""
    ids = [i for i in (session.connector or {}).get("tariff_ids") or [] if isinstance(i, str)]
    if session.connector is None:
        raise SetupFailed(f"the CPO's Location does not describe connector {session.session.get('connector_id')}")
    if conn.endpoint("tariffs", "SENDER") is None:
        return {i: "(no Tariffs interface)" for i in ids}
    items, _, _ = SenderPull(harness, case, conn, module="tariffs", schema="Tariff").traverse()
    types = {str(t.get("id")).upper(): str(t.get("type") or "REGULAR") for t in items if isinstance(t, dict)}
    return {i: types.get(i.upper(), "(not served)") for i in ids}


def profile_types(harness: Harness, case: Case, conn: Connection, sut_role: str, session: Ongoing) -> None:
    """Preferences of every ProfileType; each one ACCEPTED needs a Tariff of that type at the Connector."""
    exchanges = [(kind, _send(harness, case, conn, sut_role, session, kind))
                 for kind in ("CHEAP", "FAST", "GREEN", "REGULAR")]
    answer_problems = [p for kind, x in exchanges for p in _answer_problems(x, kind)]
    case.add(pc.ANSWER.conclude(answer_problems, tuple(x.id for _, x in exchanges)))
    accepted = [(kind, x) for kind, x in exchanges if data_of(x) == "ACCEPTED"]
    tariffs = _tariff_types(harness, case, conn, session) if accepted else {}
    problems = []
    for kind, x in accepted:
        wanted = "REGULAR" if kind == "REGULAR" else f"PROFILE_{kind}"
        if wanted not in tariffs.values():
            problems.append(Problem(f"{kind} preferences were accepted at a Connector that offers no Tariff for "
                                    f"{kind}", f"a Tariff of type {wanted} among the connector's tariff_ids",
                                    short(tariffs) if tariffs else "no tariff_ids", evidence=(x.id,)))
    case.add(pc.TARIFF.conclude(problems, tuple(x.id for _, x in exchanges)))


def invalid_preferences(harness: Harness, case: Case, conn: Connection, sut_role: str, session: Ongoing) -> None:
    body = {**_preferences(harness, sut_role, "REGULAR"), "profile_type": "TURBO", "energy_need": "lots"}
    x = _put(harness, case, conn, session.id, body, Expect(status_codes=frozenset({2001})))
    code = status_code_of(x)
    case.add(pc.INVALID.conclude([] if code == 2001 else [Problem(
        "Charging preferences with an unknown profile_type and a text energy_need were not refused with 2001",
        "status_code 2001", _answered(x))], (x.id,)))


def unknown_session(harness: Harness, case: Case, conn: Connection, sut_role: str) -> None:
    session_id = f"RC-NO-SUCH-SESSION-{secrets.token_hex(4).upper()}"
    x = _put(harness, case, conn, session_id, _preferences(harness, sut_role, "REGULAR"),
             Expect(resource_exists=False))
    code = status_code_of(x)
    refused = x.status == 404 or (isinstance(code, int) and 2000 <= code < 3000)
    case.add(pc.UNKNOWN_SESSION.conclude([] if refused else [Problem(
        "Charging preferences for a Session the CPO does not know were taken", "HTTP 404 or a 2xxx status_code",
        _answered(x))], (x.id,)))


def not_capable(harness: Harness, case: Case, conn: Connection, sut_role: str, session: Ongoing) -> None:
    x = _put(harness, case, conn, session.id, _preferences(harness, sut_role, "REGULAR"), Expect())
    case.add(pc.NOT_CAPABLE.conclude([] if x.status == 404 and status_code_of(x) == 2001 else [Problem(
        f"Charging preferences at EVSE {session.session.get('evse_uid')}, which lacks {CAPABILITY}, were not "
        "answered HTTP 404 with 2001", "HTTP 404, status_code 2001", _answered(x))], (x.id,)))
