"""Flows for a CPO under test as ChargingProfiles Receiver (mod_charging_profiles).

roamcert, as eMSP steering its own customers' charging, acts on an ongoing Session of one of its Tokens
(conformance/ocpi/v2_2_1/flows/ongoing.py): it asks for the ActiveChargingProfile, sets a profile, clears it, and
waits at
the response_url it gave (served by its own Sender interface) for the result the CPO POSTs, as long as the
CPO's ChargingProfileResponse.timeout (within the target's timeout). It also asks about a Session the CPO does
not know, and sends a body that is no SetChargingProfile. Then it has the CPO change a Session's
ActiveChargingProfile on its own (the action ``change_active_charging_profile``, a local limit for instance) and
listens for the update on its Sender interface: it must come for a Session roamcert set a profile on, and must
not for one it never did.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from conformance.core.case import Case
from conformance.core.checks import Problem
from conformance.core.errors import SetupFailed
from conformance.core.exchange import Exchange
from conformance.ocpi.expect import Expect
from conformance.ocpi.harness import Connection, Harness
from conformance.ocpi.schemas import errors as schema_errors
from conformance.ocpi.v2_2_1.checks import chargingprofiles as cp
from conformance.ocpi.v2_2_1.checks._util import short
from conformance.ocpi.v2_2_1.flows.actions import perform
from conformance.ocpi.v2_2_1.flows.awaiting import QUIET, await_exchange, path_of
from conformance.ocpi.v2_2_1.flows.http import data_of, join, send, status_code_of
from conformance.ocpi.v2_2_1.flows.ongoing import Ongoing, ongoing_session
from simulators.ocpi.v2_2_1.chargingprofiles_sender import RESULT_SCHEMAS, new_request, sample_profile

__all__ = ["clear_profile", "get_active_profile", "invalid_profile", "no_push_without_profile", "push_on_change",
           "set_profile", "steered_session", "unknown_session", "untouched_session"]

_OK = frozenset({1000})
_INVALID = frozenset({2001})
CAPABILITY = "CHARGING_PROFILE_CAPABLE"
DURATION = 900  # seconds of ActiveChargingProfile roamcert asks for


@dataclass
class _Steering:
    """What roamcert did to the CPO's Sessions during this run (upper-cased Session ids)."""

    profiled: set[str] = field(default_factory=set)  # a profile roamcert set was ACCEPTED
    changed: set[str] = field(default_factory=set)  # roamcert had the CPO change the ActiveChargingProfile


def _steering(harness: Harness, sut_role: str) -> _Steering:
    partner = harness.partner(sut_role)
    steering = partner.state.get("chargingprofiles_flows")
    if not isinstance(steering, _Steering):
        steering = partner.state["chargingprofiles_flows"] = _Steering()
    return steering


def _url(conn: Connection, session_id: str) -> str:
    url = conn.endpoint("chargingprofiles", "RECEIVER")
    if url is None:
        raise SetupFailed("the SUT lists no chargingprofiles RECEIVER endpoint")
    return join(url, quote(session_id, safe=""))


def _answer(x: Exchange) -> str:
    data = data_of(x)
    result = data.get("result") if isinstance(data, dict) else None
    return f"HTTP {x.status}, status_code {short(status_code_of(x))}, result {short(result)}"


def steered_session(harness: Harness, case: Case, conn: Connection, sut_role: str, *,
                    exclude: set[str] | frozenset[str] = frozenset()) -> Ongoing:
    """An ongoing Session of a Token of roamcert's eMSP at an EVSE that takes charging profiles."""
    return ongoing_session(harness, case, conn, sut_role, capable=CAPABILITY, exclude=exclude)


# -- one request and its result -----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Outcome:
    answer: Exchange
    accepted: bool
    result: Exchange | None  # the POST to the response_url, if one came

    @property
    def body(self) -> dict[str, Any] | None:
        if self.result is None:
            return None
        try:
            body = self.result.request_json()
        except ValueError:
            return None
        return body if isinstance(body, dict) else None

    @property
    def evidence(self) -> tuple[str, ...]:
        return (self.answer.id,) + ((self.result.id,) if self.result else ())


def _request(harness: Harness, case: Case, conn: Connection, sut_role: str, kind: str, session_id: str,
             method: str, *, body: dict[str, Any] | None = None, params: dict[str, str | int] | None = None,
             expect: Expect | None = None, wait: bool = True) -> tuple[_Outcome, str]:
    """Send one request with a fresh response_url; wait for the result when the CPO ACCEPTED it."""
    response_url = new_request(harness.partner(sut_role), kind, session_id)
    if body is not None:
        body = {**body, "response_url": response_url}
    else:
        params = {**(params or {}), "response_url": response_url}
    mark = len(case.log.exchanges)
    answer = send(harness, case, method, _url(conn, session_id),
                  expect or Expect(schema="ChargingProfileResponse", status_codes=_OK), token=conn.token,
                  json_body=body, params=params)
    data = data_of(answer)
    accepted = answer.status == 200 and status_code_of(answer) == 1000 and isinstance(data, dict) \
        and data.get("result") == "ACCEPTED"
    timeout = data.get("timeout") if isinstance(data, dict) else None
    wanted = path_of(response_url)
    limit = min(float(timeout), harness.target.timeout) if isinstance(timeout, int) and timeout > 0 \
        else harness.target.timeout
    result = await_exchange(harness, case, lambda x: x.direction == "inbound" and x.method == "POST"
                            and path_of(x.url) == wanted, since=mark,
                            timeout=limit if accepted and wait else QUIET)
    return _Outcome(answer, accepted, result), response_url


def _result_problems(outcome: _Outcome, kind: str, what: str) -> list[Problem]:
    """The request was ACCEPTED, then its result came to the response_url as a valid object of its kind."""
    if not outcome.accepted:
        return [Problem(f"The CPO did not accept {what} for an ongoing Session of roamcert's eMSP",
                        "HTTP 200, status_code 1000, result ACCEPTED", _answer(outcome.answer))]
    schema = RESULT_SCHEMAS[kind]
    if outcome.result is None:
        return [Problem(f"No {schema} was POSTed to the response_url within the timeout the CPO gave",
                        f"POST <response_url> with a {schema}", "nothing came")]
    body = outcome.body
    problems = [Problem(f"The result POSTed is not a valid {schema}: {short(message, 300)}",
                        evidence=(outcome.result.id,)) for message in schema_errors("2.2.1", schema, body)[:5]]
    if kind == "get" and isinstance(body, dict) and body.get("result") == "ACCEPTED" and "profile" not in body:
        problems.append(Problem("An ACCEPTED ActiveChargingProfileResult carries no profile",
                                "profile: ActiveChargingProfile", "absent", evidence=(outcome.result.id,)))
    return problems


def _set(harness: Harness, case: Case, conn: Connection, sut_role: str, session: Ongoing,
         limit: float = 7400.0) -> _Outcome:
    outcome, _ = _request(harness, case, conn, sut_role, "set", session.id, "PUT",
                          body={"charging_profile": sample_profile(limit)})
    case.add(cp.SET_RESULT.conclude(_result_problems(outcome, "set", "a SetChargingProfile"), outcome.evidence))
    if outcome.accepted:
        _steering(harness, sut_role).profiled.add(session.id.upper())
    return outcome


def _get(harness: Harness, case: Case, conn: Connection, sut_role: str, session: Ongoing) -> _Outcome:
    outcome, _ = _request(harness, case, conn, sut_role, "get", session.id, "GET", params={"duration": DURATION})
    case.add(cp.ACTIVE_RESULT.conclude(_result_problems(outcome, "get", "the GET of the ActiveChargingProfile"),
                                       outcome.evidence))
    return outcome


# -- scenarios ----------------------------------------------------------------------------------------------

def get_active_profile(harness: Harness, case: Case, conn: Connection, sut_role: str, session: Ongoing) -> None:
    _get(harness, case, conn, sut_role, session)


def set_profile(harness: Harness, case: Case, conn: Connection, sut_role: str, session: Ongoing) -> bool:
    """Whether the CPO accepted the profile."""
    return _set(harness, case, conn, sut_role, session).accepted


def clear_profile(harness: Harness, case: Case, conn: Connection, sut_role: str, session: Ongoing) -> None:
    """Set a profile, clear it, then read the ActiveChargingProfile: it must be back at the EVSE's capacity."""
    if _set(harness, case, conn, sut_role, session).result is None:
        raise SetupFailed("the profile to clear was not set")
    outcome, _ = _request(harness, case, conn, sut_role, "clear", session.id, "DELETE")
    problems = _result_problems(outcome, "clear", "the DELETE of the ChargingProfile")
    body = outcome.body
    if not problems and body is not None and body.get("result") != "ACCEPTED":
        problems.append(Problem("The profile roamcert had just set was not cleared", "result ACCEPTED",
                                short(body.get("result")), evidence=(outcome.result.id,) if outcome.result else ()))
    case.add(cp.CLEAR_RESULT.conclude(problems, outcome.evidence))
    if problems:
        raise SetupFailed("the profile was not cleared")
    after = _get(harness, case, conn, sut_role, session)
    profile = (after.body or {}).get("profile")
    if not isinstance(profile, dict):
        raise SetupFailed("no ActiveChargingProfile came to compare with the EVSE's capacity")
    case.add(cp.CLEARED_MAX_CAPACITY.conclude(_capacity_problems(session, profile), after.evidence))


def _capacity_problems(session: Ongoing, active: dict[str, Any]) -> list[Problem]:
    found = active.get("charging_profile")
    charging: dict[str, Any] = found if isinstance(found, dict) else {}
    unit = charging.get("charging_rate_unit")
    connector = session.connector or {}
    if unit == "A":
        capacity = connector.get("max_amperage")
    else:
        capacity = connector.get("max_electric_power")
        if capacity is None and connector.get("max_voltage") and connector.get("max_amperage"):
            phases = 3 if connector.get("power_type") == "AC_3_PHASE" else 1
            capacity = connector["max_voltage"] * connector["max_amperage"] * phases
    if not isinstance(capacity, int | float):
        raise SetupFailed(f"the CPO's Location does not give the capacity ({unit}) of connector "
                          f"{session.session.get('connector_id')} of EVSE {session.session.get('evse_uid')}")
    limits = [p.get("limit") for p in charging.get("charging_profile_period") or [] if isinstance(p, dict)]
    off = [limit for limit in limits if not isinstance(limit, int | float) or abs(limit - capacity) > 0.01 * capacity]
    if not limits or off:
        return [Problem("With no profile set any more, the ActiveChargingProfile does not show the EVSE's maximum "
                        "capacity", f"every period's limit {capacity} {unit} (the connector's maximum)",
                        short(limits))]
    return []


def unknown_session(harness: Harness, case: Case, conn: Connection, sut_role: str) -> None:
    session_id = f"RC-NO-SUCH-SESSION-{secrets.token_hex(4).upper()}"
    outcome, _ = _request(harness, case, conn, sut_role, "set", session_id, "PUT",
                          body={"charging_profile": sample_profile()}, wait=False)
    data = data_of(outcome.answer)
    problems = []
    if not isinstance(data, dict) or data.get("result") != "UNKNOWN_SESSION":
        problems.append(Problem("A profile for a Session the CPO does not know was not answered UNKNOWN_SESSION",
                                "a ChargingProfileResponse with result UNKNOWN_SESSION", _answer(outcome.answer)))
    if outcome.result is not None:
        problems.append(Problem("A result was POSTed for a Session the CPO does not know", "no POST",
                                f"POST {outcome.result.url}", evidence=(outcome.result.id,)))
    case.add(cp.UNKNOWN_SESSION.conclude(problems, outcome.evidence))


def invalid_profile(harness: Harness, case: Case, conn: Connection, sut_role: str, session: Ongoing) -> None:
    broken = sample_profile()
    del broken["charging_rate_unit"]
    broken["charging_profile_period"][0]["limit"] = "a lot"
    outcome, _ = _request(harness, case, conn, sut_role, "set", session.id, "PUT",
                          body={"charging_profile": broken}, expect=Expect(status_codes=_INVALID), wait=False)
    problems = []
    code = status_code_of(outcome.answer)
    if not isinstance(code, int) or not 2000 <= code < 3000:
        problems.append(Problem("A SetChargingProfile without charging_rate_unit and with a text limit was not "
                                "refused", "status_code 2001", _answer(outcome.answer)))
    if outcome.result is not None:
        problems.append(Problem("A result was POSTed for a request that is not a valid SetChargingProfile",
                                "no POST", f"POST {outcome.result.url}", evidence=(outcome.result.id,)))
    case.add(cp.INVALID_REFUSED.conclude(problems, outcome.evidence))


def _change(harness: Harness, case: Case, conn: Connection, sut_role: str, session: Ongoing,
            expected: bool) -> Exchange | None:
    """Have the CPO change the Session's ActiveChargingProfile; the PUT it sends roamcert's Sender, if any."""
    partner = harness.partner(sut_role)
    wanted = path_of(join(partner.module_url("2.2.1", "chargingprofiles", "SENDER"), quote(session.id, safe="")))
    mark = len(case.log.exchanges)
    _steering(harness, sut_role).changed.add(session.id.upper())
    perform(harness, "change_active_charging_profile", sut_role, {"session_id": session.id})
    return await_exchange(harness, case, lambda x: x.direction == "inbound" and x.method == "PUT"
                          and path_of(x.url) == wanted, since=mark,
                          timeout=harness.target.timeout if expected else QUIET)


def push_on_change(harness: Harness, case: Case, conn: Connection, sut_role: str, session: Ongoing) -> None:
    """The ActiveChargingProfile of a Session roamcert set a profile on changes at the charger: the CPO must tell
    roamcert."""
    update = _change(harness, case, conn, sut_role, session, expected=True)
    if update is None:
        case.add(cp.PUSH_ON_CHANGE.conclude([Problem(
            "The CPO did not PUT the changed ActiveChargingProfile to roamcert's Sender interface",
            f"PUT <roamcert chargingprofiles Sender>/{session.id} with an ActiveChargingProfile", "nothing came")],
            ()))
        return
    try:
        body = update.request_json()
    except ValueError:
        body = None
    problems = [Problem(f"The update is not a valid ActiveChargingProfile: {short(message, 300)}")
                for message in schema_errors("2.2.1", "ActiveChargingProfile", body)[:5]]
    case.add(cp.PUSH_ON_CHANGE.conclude(problems, (update.id,)))
    charging = body.get("charging_profile") if isinstance(body, dict) else None
    duration = charging.get("duration") if isinstance(charging, dict) else None
    case.add(cp.PUSH_DURATION.conclude([] if not isinstance(duration, int) or duration >= 300 else [Problem(
        "The pushed ActiveChargingProfile covers less than 5 minutes", "duration of 300 to 3600 seconds (a guide)",
        f"{duration} s")], (update.id,)))


def no_push_without_profile(harness: Harness, case: Case, conn: Connection, sut_role: str) -> None:
    """The ActiveChargingProfile of a Session roamcert never set a profile on changes: no update may come."""
    session = steered_session(harness, case, conn, sut_role, exclude=_steering(harness, sut_role).profiled)
    update = _change(harness, case, conn, sut_role, session, expected=False)
    case.add(cp.NO_PUSH_WITHOUT_PROFILE.conclude([] if update is None else [Problem(
        "The CPO PUT an ActiveChargingProfile to roamcert for a Session roamcert never set a profile on",
        "no PUT", f"PUT {update.url}")], (update.id,) if update else ()))


def untouched_session(harness: Harness, case: Case, conn: Connection, sut_role: str) -> Ongoing:
    """An ongoing Session whose ActiveChargingProfile roamcert never had the CPO change (no local limit on it)."""
    return steered_session(harness, case, conn, sut_role, exclude=_steering(harness, sut_role).changed)
