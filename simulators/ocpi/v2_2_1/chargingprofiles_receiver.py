"""The ChargingProfiles module: the CPO's Receiver interface (mod_charging_profiles_cpo_interface).

A Sender (an SCSP, or an eMSP for its own customers) asks for the ActiveChargingProfile of an ongoing Session
(GET), sets a ChargingProfile on it (PUT) or clears the one it set (DELETE). The CPO answers at once with a
ChargingProfileResponse saying whether it can pass the request on to the charger; when ACCEPTED, what the
charger made of it follows a moment later as a POST to the response_url the Sender gave.

Once a Sender has set a profile on a Session, the CPO keeps it informed of changes to that Session's
ActiveChargingProfile that the Sender did not ask for (PUT on the Sender interface), for instance when a local
load-balancing limit applies: the trigger hook ``change_active_charging_profile``.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote

from starlette.routing import BaseRoute

from conformance.core.errors import SutUnreachable
from conformance.ocpi.schemas import errors as schema_errors
from conformance.ocpi.types import ci_equal
from simulators.ocpi.admin import HookError, admin_hook
from simulators.ocpi.endpoint import Call, OcpiError, Reply, ocpi_route
from simulators.ocpi.modules import MODULES, ModuleImpl
from simulators.ocpi.party import Party, Peer
from simulators.ocpi.v2_2_1.credentials import peer_client
from simulators.ocpi.v2_2_1.ongoing import ONGOING, find_session, place_of

__all__ = ["ProfileState", "active_charging_profile", "push_active_profile", "receiver_routes"]

VERSION = "2.2.1"
MODULE = "chargingprofiles"
TIMEOUT = 30  # seconds the Sender may wait for a result (mod_charging_profiles_response_object)
RESULT_DELAY = 0.02  # the charger's answer comes a moment after the CPO's own
LOCAL_LIMIT_SHARE = 0.5  # what a local load-balancing limit leaves of an EVSE's capacity
MAX_REQUESTS = 30  # per Session and minute; more are answered TOO_OFTEN


@dataclass
class ProfileState:
    """What the CPO's chargers hold per Session (keyed by the upper-cased Session id)."""

    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)  # ChargingProfile set by a Sender
    local_share: dict[str, float] = field(default_factory=dict)  # part of the capacity a local limit leaves
    senders: dict[str, list[Peer]] = field(default_factory=dict)  # who set a profile, to be kept informed
    recent: dict[str, list[datetime]] = field(default_factory=dict)  # request moments, for TOO_OFTEN
    tasks: set[asyncio.Task[None]] = field(default_factory=set)  # results under way


def _state(party: Party) -> ProfileState:
    state = party.state.get(MODULE)
    if not isinstance(state, ProfileState):
        state = party.state[MODULE] = ProfileState()
    return state


def _spawn(party: Party, work: Coroutine[Any, Any, None]) -> None:
    tasks = _state(party).tasks
    task = asyncio.get_running_loop().create_task(work)
    tasks.add(task)
    task.add_done_callback(tasks.discard)


def active_charging_profile(party: Party, session: dict[str, Any], duration: int) -> dict[str, Any]:
    """The ActiveChargingProfile the charger plans for ``duration`` seconds: the profile a Sender set, capped by
    any local limit; with none set, the most the Connector can deliver (mod_charging_profiles_msp_put_method)."""
    state = _state(party)
    key = str(session["id"]).upper()
    place = place_of(party, session)
    chosen = state.profiles.get(key)
    unit = str(chosen["charging_rate_unit"]) if chosen else "W"
    cap = place.capacity(unit) * state.local_share.get(key, 1.0)
    periods = [{"start_period": int(p["start_period"]), "limit": round(min(float(p["limit"]), cap), 1)}
               for p in (chosen or {}).get("charging_profile_period") or [] if int(p["start_period"]) < duration]
    if not periods or periods[0]["start_period"] > 0:
        periods.insert(0, {"start_period": 0, "limit": round(cap, 1)})
    return {"start_date_time": party.now(),
            "charging_profile": {"charging_rate_unit": unit, "duration": duration, "charging_profile_period": periods}}


def _absolute(url: object) -> bool:
    return isinstance(url, str) and url.startswith(("http://", "https://")) and " " not in url


def _response_url(call: Call) -> str:
    url = call.params.get("response_url")
    if not _absolute(url):
        raise OcpiError(2001, "response_url must be given, as an absolute URL", 400)
    return str(url)


def _may_steer(peer: Peer | None, session: dict[str, Any]) -> bool:
    """An SCSP the CPO works with may steer any Session; an eMSP only those of its own Tokens."""
    roles = peer.roles if peer else []
    if not roles or any(r.get("role") == "SCSP" for r in roles):
        return True
    token = session.get("cdr_token") or {}
    return any(r.get("role") == "EMSP" and ci_equal(r.get("country_code"), token.get("country_code"))
               and ci_equal(r.get("party_id"), token.get("party_id")) for r in roles)


def _judge(call: Call, session: dict[str, Any] | None) -> str:
    """The ChargingProfileResponseType for a request about ``session`` (mod_charging_profiles_responsetype_enum)."""
    party = call.party
    if session is None:
        return "ACCEPTED" if party.faults.profile_unknown_session_accepted else "UNKNOWN_SESSION"
    if session.get("status") not in ONGOING or not _may_steer(call.peer, session):
        return "REJECTED"
    if not place_of(party, session).capable("CHARGING_PROFILE_CAPABLE"):
        return "NOT_SUPPORTED"
    now = party.clock()
    recent = _state(party).recent.setdefault(str(session["id"]).upper(), [])
    recent[:] = [moment for moment in recent if (now - moment).total_seconds() < 60] + [now]
    return "TOO_OFTEN" if len(recent) > MAX_REQUESTS else "ACCEPTED"


def _answer(result: str) -> Reply:
    return Reply(data={"result": result, "timeout": TIMEOUT})


def _post_result(call: Call, url: str, result: dict[str, Any]) -> None:
    """POST ``result`` to the Sender's response_url once the charger has answered (no retries: OCPI has none)."""
    party, peer = call.party, call.peer
    if peer is None or party.faults.profile_results_not_sent:
        return

    async def post() -> None:
        await asyncio.sleep(RESULT_DELAY)
        with contextlib.suppress(SutUnreachable):  # recorded in the log; the Sender will see its timeout pass
            await peer_client(party, peer.token_out).request("POST", url, json_body=result)

    _spawn(party, post())


def receiver_routes(party: Party) -> list[BaseRoute]:
    faults = party.faults
    state = _state(party)

    async def get(call: Call) -> Reply:
        url = _response_url(call)
        duration = call.params.get("duration", "")
        if not duration.isdigit():
            raise OcpiError(2001, "duration must be given, as a number of seconds", 400)
        session = find_session(party, call.path("session_id"))
        result = _judge(call, session)
        if result == "ACCEPTED" and session is not None:
            outcome: dict[str, Any] = {"result": "ACCEPTED"}
            if not faults.profile_active_result_without_profile:
                outcome["profile"] = active_charging_profile(party, session, int(duration))
            _post_result(call, url, outcome)
        return _answer(result)

    async def put(call: Call) -> Reply:
        body = call.body
        problems = schema_errors(VERSION, "SetChargingProfile", body) if isinstance(body, dict) else ["not an object"]
        if problems and not faults.profile_invalid_accepted:
            raise OcpiError(2001, "Invalid SetChargingProfile: " + "; ".join(problems[:5]), 400)
        if not problems and not _absolute(body["response_url"]):
            raise OcpiError(2001, "response_url must be an absolute URL", 400)
        session = find_session(party, call.path("session_id"))
        result = _judge(call, session)
        if result == "ACCEPTED" and session is not None and not problems:
            key = str(session["id"]).upper()
            state.profiles[key] = copy.deepcopy(body["charging_profile"])
            senders = state.senders.setdefault(key, [])
            if call.peer is not None and call.peer not in senders:
                senders.append(call.peer)
            _post_result(call, str(body["response_url"]), {"result": "ACCEPTED"})
        return _answer(result)

    async def delete(call: Call) -> Reply:
        url = _response_url(call)
        session = find_session(party, call.path("session_id"))
        result = _judge(call, session)
        if result == "ACCEPTED" and session is not None:
            key = str(session["id"]).upper()
            found = key in state.profiles  # "UNKNOWN": the charger holds no profile to clear
            if found and not faults.profile_clear_ignored:
                del state.profiles[key]
            if not faults.profile_clear_without_result:
                _post_result(call, url, {"result": "ACCEPTED" if found else "UNKNOWN"})
        return _answer(result)

    base = party.module_url(VERSION, MODULE, "RECEIVER").removeprefix(party.base_url)
    path = f"{base}/{{session_id}}"
    return [
        ocpi_route(party, path, get, module=MODULE, methods=["GET"]),
        ocpi_route(party, path, put, module=MODULE, methods=["PUT"]),
        ocpi_route(party, path, delete, module=MODULE, methods=["DELETE"]),
    ]


async def push_active_profile(party: Party, session: dict[str, Any]) -> int:
    """PUT the Session's ActiveChargingProfile to every Sender that set a profile on it (mod_charging_profiles_msp_
    put_method); returns how many were sent."""
    state = _state(party)
    senders = state.senders.get(str(session["id"]).upper(), [])
    if party.faults.profile_pushed_to_all:
        senders = list({id(p): p for p in party.peers.values()}.values())
    sent = 0
    for peer in senders:
        url = peer.endpoint(MODULE, "SENDER")
        if url is None or peer not in party.peers.values():  # it no longer has the interface, or left
            continue
        body = active_charging_profile(party, session, party.faults.profile_push_seconds)
        try:
            await peer_client(party, peer.token_out).request(
                "PUT", f"{url.rstrip('/')}/{quote(str(session['id']), safe='')}", json_body=body)
        except SutUnreachable:
            continue
        sent += 1
    return sent


@admin_hook("change_active_charging_profile", "a local load-balancing limit changes the ActiveChargingProfile of "
            "an ongoing Session: {session_id}; the Senders that set a profile on it are told", roles=("CPO",))
async def _change(party: Party, payload: dict[str, Any]) -> dict[str, Any]:
    session_id = payload.get("session_id")
    session = find_session(party, session_id) if isinstance(session_id, str) else None
    if session is None or session.get("status") not in ONGOING:
        raise HookError(f"no ongoing Session {session_id!r}", 404)
    _state(party).local_share[str(session["id"]).upper()] = LOCAL_LIMIT_SHARE
    if party.faults.profile_change_not_pushed:
        return {"pushed": 0}
    return {"pushed": await push_active_profile(party, session)}


MODULES.register(ModuleImpl("OCPI", VERSION, MODULE, "RECEIVER", frozenset({"CPO"}), receiver_routes))
