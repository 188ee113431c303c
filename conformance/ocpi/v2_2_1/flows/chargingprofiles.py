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

from conformance.core.errors import SetupFailed
from conformance.core.exchange import Exchange
from conformance.core.findings import Outcome
from conformance.ocpi.context import Context
from conformance.ocpi.expect import Expect
from conformance.ocpi.harness import Connection
from conformance.ocpi.v2_2_1.checks import chargingprofiles as cp
from conformance.ocpi.v2_2_1.flows.actions import perform
from conformance.ocpi.v2_2_1.flows.awaiting import QUIET, await_exchange, path_of
from conformance.ocpi.v2_2_1.flows.http import data_of, join, send
from conformance.ocpi.v2_2_1.flows.ongoing import Ongoing, ongoing_session
from simulators.ocpi.v2_2_1.chargingprofiles_sender import new_request, sample_profile

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


def _steering(ctx: Context) -> _Steering:
    partner = ctx.partner
    steering = partner.state.get("chargingprofiles_flows")
    if not isinstance(steering, _Steering):
        steering = partner.state["chargingprofiles_flows"] = _Steering()
    return steering


def _url(conn: Connection, session_id: str) -> str:
    url = conn.endpoint("chargingprofiles", "RECEIVER")
    if url is None:
        raise SetupFailed("the SUT lists no chargingprofiles RECEIVER endpoint")
    return join(url, quote(session_id, safe=""))


def steered_session(ctx: Context, *, exclude: set[str] | frozenset[str] = frozenset(),
                    known_history: bool = False) -> Ongoing:
    """An ongoing Session of a Token of roamcert's eMSP at an EVSE that takes charging profiles (with
    ``known_history``, one roamcert started in this run)."""
    return ongoing_session(ctx, capable=CAPABILITY, exclude=exclude, known_history=known_history)


# -- one request and its result -----------------------------------------------------------------------------

def _request(ctx: Context, kind: str, session_id: str,
             method: str, *, body: dict[str, Any] | None = None, params: dict[str, str | int] | None = None,
             expect: Expect | None = None, wait: bool = True) -> cp.ProfileRequest:
    """Send one request with a fresh response_url; wait for the result when the CPO ACCEPTED it."""
    response_url = ctx.as_reached(new_request(ctx.partner, kind, session_id), "chargingprofiles", "SENDER")
    if body is not None:
        body = {**body, "response_url": response_url}
    else:
        params = {**(params or {}), "response_url": response_url}
    mark = len(ctx.case.log.exchanges)
    answer = send(ctx, method, _url(ctx.conn, session_id),
                  expect or Expect(schema="ChargingProfileResponse", status_codes=_OK), token=ctx.conn.token,
                  json_body=body, params=params)
    data = data_of(answer)
    timeout = data.get("timeout") if isinstance(data, dict) else None
    wanted = path_of(response_url)
    limit = min(float(timeout), ctx.harness.target.timeout) if isinstance(timeout, int) and timeout > 0 \
        else ctx.harness.target.timeout
    result = await_exchange(ctx, lambda x: x.direction == "inbound" and x.method == "POST"
                            and path_of(x.url) == wanted, since=mark,
                            timeout=limit if cp.accepted(answer) and wait else QUIET)
    return cp.ProfileRequest(answer, result)


def _set(ctx: Context, session: Ongoing, limit: float = 7400.0) -> cp.ProfileRequest:
    request = _request(ctx, "set", session.id, "PUT",
                       body={"charging_profile": sample_profile(limit)})
    ctx.case.evaluate(cp.set_result, request)
    if request.accepted:
        _steering(ctx).profiled.add(session.id.upper())
    return request


def _get(ctx: Context, session: Ongoing) -> cp.ProfileRequest:
    request = _request(ctx, "get", session.id, "GET", params={"duration": DURATION})
    ctx.case.evaluate(cp.active_result, request)
    return request


# -- scenarios ----------------------------------------------------------------------------------------------

def get_active_profile(ctx: Context, session: Ongoing) -> None:
    _get(ctx, session)


def set_profile(ctx: Context, session: Ongoing) -> bool:
    """Whether the CPO accepted the profile."""
    return _set(ctx, session).accepted


def clear_profile(ctx: Context, session: Ongoing) -> None:
    """Set a profile, clear it, then read the ActiveChargingProfile: it must be back at the EVSE's capacity."""
    if _set(ctx, session).result is None:
        raise SetupFailed("the profile to clear was not set")
    request = _request(ctx, "clear", session.id, "DELETE")
    cleared = ctx.case.evaluate(cp.clear_result, request)
    if any(f.outcome is not Outcome.PASS for f in cleared):
        raise SetupFailed("the profile was not cleared")
    after = _get(ctx, session)
    profile = (after.body or {}).get("profile")
    if not isinstance(profile, dict):
        raise SetupFailed("no ActiveChargingProfile came to compare with the EVSE's capacity")
    unit = cp.rate_unit(profile)
    capacity = cp.capacity_of(session.connector or {}, unit)
    if capacity is None:
        raise SetupFailed(f"the CPO's Location does not give the capacity ({unit}) of connector "
                          f"{session.session.get('connector_id')} of EVSE {session.session.get('evse_uid')}")
    ctx.case.evaluate(cp.cleared_max_capacity, cp.ClearedProfile(profile, capacity, after.exchange_ids))


def unknown_session(ctx: Context) -> None:
    session_id = f"RC-NO-SUCH-SESSION-{secrets.token_hex(4).upper()}"
    request = _request(ctx, "set", session_id, "PUT",
                       body={"charging_profile": sample_profile()}, wait=False)
    ctx.case.evaluate(cp.unknown_session, request)


def invalid_profile(ctx: Context, session: Ongoing) -> None:
    broken = sample_profile()
    del broken["charging_rate_unit"]
    broken["charging_profile_period"][0]["limit"] = "a lot"
    request = _request(ctx, "set", session.id, "PUT",
                       body={"charging_profile": broken},
                       expect=Expect(status_codes=_INVALID, resource_exists=True), wait=False)
    ctx.case.evaluate(cp.invalid_refused, request)


def _change(ctx: Context, session: Ongoing, expected: bool) -> Exchange | None:
    """Have the CPO change the Session's ActiveChargingProfile; the PUT it sends roamcert's Sender, if any."""
    wanted = path_of(join(ctx.registrar.module_url("2.2.1", "chargingprofiles", "SENDER"), quote(session.id, safe="")))
    mark = len(ctx.case.log.exchanges)
    _steering(ctx).changed.add(session.id.upper())
    perform(ctx, "change_active_charging_profile", {"session_id": session.id})
    return await_exchange(ctx, lambda x: x.direction == "inbound" and x.method == "PUT"
                          and path_of(x.url) == wanted, since=mark,
                          timeout=ctx.harness.target.timeout if expected else QUIET)


def push_on_change(ctx: Context, session: Ongoing) -> None:
    """The ActiveChargingProfile of a Session roamcert set a profile on changes at the charger: the CPO must tell
    roamcert."""
    update = cp.ProfileUpdate(session.id, _change(ctx, session, expected=True))
    ctx.case.evaluate(cp.push_on_change, update)
    if update.update is not None:  # how long the update covers only when one came
        ctx.case.evaluate(cp.push_duration, update)


def no_push_without_profile(ctx: Context) -> None:
    """The ActiveChargingProfile of a Session roamcert never set a profile on changes: no update may come."""
    session = steered_session(ctx, exclude=_steering(ctx).profiled, known_history=True)
    update = _change(ctx, session, expected=False)
    ctx.case.evaluate(cp.no_push_without_profile, cp.ProfileUpdate(session.id, update))


def untouched_session(ctx: Context) -> Ongoing:
    """An ongoing Session whose ActiveChargingProfile roamcert never had the CPO change (no local limit on it)."""
    return steered_session(ctx, exclude=_steering(ctx).changed, known_history=True)
