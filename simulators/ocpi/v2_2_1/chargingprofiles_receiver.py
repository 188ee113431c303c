"""The ChargingProfiles module: the CPO's Receiver interface (mod_charging_profiles_cpo_interface).

A Sender (an SCSP, or an eMSP for its own customers) asks for the ActiveChargingProfile of an ongoing Session
(GET), sets a ChargingProfile on it (PUT) or clears the one it set (DELETE). The CPO answers at once with a
ChargingProfileResponse saying whether it can pass the request on to the charger; when ACCEPTED, what the
charger made of it follows a moment later as a POST to the response_url the Sender gave.

Once a Sender has set a profile on a Session, the CPO keeps it informed of changes to that Session's
ActiveChargingProfile that the Sender did not ask for (PUT on the Sender interface), for instance when a local
load-balancing limit applies: the trigger hook ``change_active_charging_profile``.

Each step a fault profile may replace is a behaviour (simulators/behaviours.py): the ChargingProfileResponseType
(JUDGE), the refusal of a SetChargingProfile (CHECK_SET), the charger clearing a profile (CLEAR), the POST of a
result (POST_RESULT), and the Senders told of a change (RECIPIENTS) with how long what they get covers
(PUSH_DURATION).
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import quote

from starlette.routing import BaseRoute

from conformance.core.errors import SutUnreachable
from conformance.ocpi.schemas import errors as schema_errors
from conformance.ocpi.types import ci_equal
from conformance.ocpi.urls import join
from simulators.behaviours import Behaviour
from simulators.ocpi.admin import HookError, admin_hook
from simulators.ocpi.endpoint import Call, OcpiError, Reply, ocpi_route
from simulators.ocpi.modules import MODULES, ModuleImpl
from simulators.ocpi.party import Party, Peer
from simulators.ocpi.v2_2_1 import VERSION
from simulators.ocpi.v2_2_1.addressing import callback_routing, request_routing, sender_view
from simulators.ocpi.v2_2_1.credentials import peer_client
from simulators.ocpi.v2_2_1.ongoing import ONGOING, find_session, place_of

__all__ = ["CHECK_SET", "CLEAR", "JUDGE", "POST_RESULT", "PUSH_DURATION", "RECIPIENTS", "CheckSet", "Clear", "Judge",
           "PostResult", "ProfileState", "Recipients", "active_charging_profile", "profile_state",
           "push_active_profile", "receiver_routes"]

T = TypeVar("T")
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
    # The routing headers to each of them, by (Session key, the peer's token): to the party that set the profile.
    sender_headers: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    recent: dict[str, list[datetime]] = field(default_factory=dict)  # request moments, for TOO_OFTEN
    tasks: set[asyncio.Task[None]] = field(default_factory=set)  # results under way


def profile_state(party: Party) -> ProfileState:
    state = party.state.get(MODULE)
    if not isinstance(state, ProfileState):
        state = party.state[MODULE] = ProfileState()
    return state


def _spawn(party: Party, work: Coroutine[Any, Any, None]) -> None:
    tasks = profile_state(party).tasks
    task = asyncio.get_running_loop().create_task(work)
    tasks.add(task)
    task.add_done_callback(tasks.discard)


def active_charging_profile(party: Party, session: dict[str, Any], duration: int) -> dict[str, Any]:
    """The ActiveChargingProfile the charger plans for ``duration`` seconds: the profile a Sender set, capped by
    any local limit; with none set, the most the Connector can deliver (mod_charging_profiles_msp_put_method)."""
    state = profile_state(party)
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
        raise OcpiError(2001, "response_url must be given, as an absolute URL")
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
        return "UNKNOWN_SESSION"
    if session.get("status") not in ONGOING or not _may_steer(sender_view(call), session):
        return "REJECTED"
    if not place_of(party, session).capable("CHARGING_PROFILE_CAPABLE"):
        return "NOT_SUPPORTED"
    now = party.clock()
    recent = profile_state(party).recent.setdefault(str(session["id"]).upper(), [])
    recent[:] = [moment for moment in recent if (now - moment).total_seconds() < 60] + [now]
    return "TOO_OFTEN" if len(recent) > MAX_REQUESTS else "ACCEPTED"


def _answer(result: str) -> Reply:
    return Reply(data={"result": result, "timeout": TIMEOUT})


def _check_set(body: Any, problems: list[str]) -> None:
    """Refuse (2001) a SetChargingProfile breaking the schema (``problems``) or with a response_url that is not
    absolute."""
    if problems:
        raise OcpiError(2001, "Invalid SetChargingProfile: " + "; ".join(problems[:5]))
    if not _absolute(body["response_url"]):
        raise OcpiError(2001, "response_url must be an absolute URL")


def _clear(profiles: dict[str, dict[str, Any]], key: str) -> bool:
    """The charger drops the profile set on Session ``key``; False when it held none (UNKNOWN)."""
    found = key in profiles
    if found:
        del profiles[key]
    return found


def _post_result(call: Call, url: str, schema: str, result: dict[str, Any]) -> None:
    """POST ``result`` (a ``schema`` object) to the Sender's response_url once the charger has answered (no retries:
    OCPI has none)."""
    party, peer = call.party, call.peer
    if peer is None:
        return
    headers = callback_routing(call, MODULE, "CPO")

    async def post() -> None:
        await asyncio.sleep(RESULT_DELAY)
        with contextlib.suppress(SutUnreachable):  # recorded in the log; the Sender will see its timeout pass
            await peer_client(party, peer.token_out).request("POST", url, json_body=result, headers=headers)

    _spawn(party, post())


def _recipients(party: Party, session: dict[str, Any]) -> list[Peer]:
    """The Senders to tell of a change of the Session's ActiveChargingProfile: those that set a profile on it."""
    return profile_state(party).senders.get(str(session["id"]).upper(), [])


Judge = Callable[[Call, dict[str, Any] | None], str]
CheckSet = Callable[[Any, list[str]], None]
Clear = Callable[[dict[str, dict[str, Any]], str], bool]
PostResult = Callable[[Call, str, str, dict[str, Any]], None]
Recipients = Callable[[Party, dict[str, Any]], list[Peer]]


def _point(name: str, conformant: T) -> Behaviour[T]:
    return Behaviour("OCPI", VERSION, MODULE, f"receiver.{name}", conformant)


JUDGE: Behaviour[Judge] = _point("judge", _judge)
CHECK_SET: Behaviour[CheckSet] = _point("check_set", _check_set)
CLEAR: Behaviour[Clear] = _point("clear", _clear)
POST_RESULT: Behaviour[PostResult] = _point("post_result", _post_result)
RECIPIENTS: Behaviour[Recipients] = _point("recipients", _recipients)
PUSH_DURATION = _point("push_duration", 900)  # seconds a pushed ActiveChargingProfile covers


def receiver_routes(party: Party) -> list[BaseRoute]:
    state = profile_state(party)

    async def get(call: Call) -> Reply:
        behave = party.behaviours
        url = _response_url(call)
        duration = call.params.get("duration", "")
        if not duration.isdigit():
            raise OcpiError(2001, "duration must be given, as a number of seconds")
        session = find_session(party, call.path("session_id"))
        result = behave(JUDGE)(call, session)
        if result == "ACCEPTED" and session is not None:
            outcome = {"result": "ACCEPTED", "profile": active_charging_profile(party, session, int(duration))}
            behave(POST_RESULT)(call, url, "ActiveChargingProfileResult", outcome)
        return _answer(result)

    async def put(call: Call) -> Reply:
        behave = party.behaviours
        body = call.body
        problems = schema_errors(VERSION, "SetChargingProfile", body) if isinstance(body, dict) else ["not an object"]
        behave(CHECK_SET)(body, problems)
        session = find_session(party, call.path("session_id"))
        result = behave(JUDGE)(call, session)
        if result == "ACCEPTED" and session is not None and not problems:
            key = str(session["id"]).upper()
            state.profiles[key] = copy.deepcopy(body["charging_profile"])
            senders = state.senders.setdefault(key, [])
            if call.peer is not None and call.peer not in senders:
                senders.append(call.peer)
            if call.peer is not None:
                state.sender_headers[(key, call.peer.token_in)] = callback_routing(call, MODULE, "CPO")
            behave(POST_RESULT)(call, str(body["response_url"]), "ChargingProfileResult", {"result": "ACCEPTED"})
        return _answer(result)

    async def delete(call: Call) -> Reply:
        behave = party.behaviours
        url = _response_url(call)
        session = find_session(party, call.path("session_id"))
        result = behave(JUDGE)(call, session)
        if result == "ACCEPTED" and session is not None:
            found = behave(CLEAR)(state.profiles, str(session["id"]).upper())  # else UNKNOWN: nothing to clear
            behave(POST_RESULT)(call, url, "ClearProfileResult", {"result": "ACCEPTED" if found else "UNKNOWN"})
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
    sent = 0
    for peer in party.behaviours(RECIPIENTS)(party, session):
        url = peer.endpoint(MODULE, "SENDER")
        if url is None or peer not in party.peers.values():  # it no longer has the interface, or left
            continue
        body = active_charging_profile(party, session, party.behaviours(PUSH_DURATION))
        headers = profile_state(party).sender_headers.get((str(session["id"]).upper(), peer.token_in)) \
            or request_routing(party, peer, "CPO")
        try:
            await peer_client(party, peer.token_out).request(
                "PUT", join(url, quote(str(session['id']), safe='')), json_body=body, headers=headers)
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
    profile_state(party).local_share[str(session["id"]).upper()] = LOCAL_LIMIT_SHARE
    return {"pushed": await push_active_profile(party, session)}


MODULES.register(ModuleImpl("OCPI", VERSION, MODULE, "RECEIVER", frozenset({"CPO"}), receiver_routes))
