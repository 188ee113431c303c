"""The ChargingProfiles module: the Sender interface (mod_charging_profiles_emsp_interface), implemented by an
SCSP or by an eMSP that steers its own customers' charging.

The Sender makes its requests to a CPO's Receiver interface, each with a response_url of its own minting
(``{sender url}/results/{request id}``), where the CPO POSTs what the charger made of the request; and it takes
the CPO's PUT of a changed ActiveChargingProfile at ``{sender url}/{session_id}``. Both are answered with the
response format and no data (mod_charging_profiles_msp_post_method, mod_charging_profiles_msp_put_method).

Trigger hooks make a reference Sender act: ``send_charging_profile``, ``get_active_charging_profile`` and
``clear_charging_profile``, each for a Session of a CPO it is registered with.

Each step a fault profile may replace is a behaviour (simulators/behaviours.py): the response_url it mints
(RESPONSE_URL), the query of its GET of an ActiveChargingProfile (GET_QUERY), and how it answers what a CPO sends
it (ACKNOWLEDGE).
"""

from __future__ import annotations

import copy
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import quote

from starlette.routing import BaseRoute

from conformance.ocpi.schemas import errors as schema_errors
from conformance.ocpi.urls import join
from simulators.behaviours import Behaviour
from simulators.ocpi.admin import HookError, admin_hook, payload_text
from simulators.ocpi.endpoint import Call, OcpiError, Reply, ocpi_route
from simulators.ocpi.modules import MODULES, ModuleImpl
from simulators.ocpi.party import Party, Peer
from simulators.ocpi.v2_2_1 import VERSION
from simulators.ocpi.v2_2_1.addressing import Reachable, is_hub, payload_address, reachable, request_routing
from simulators.ocpi.v2_2_1.credentials import ask_peer

__all__ = ["ACKNOWLEDGE", "GET_QUERY", "RESPONSE_URL", "RESULT_SCHEMAS", "Acknowledge", "GetQuery", "Request",
           "ResponseUrl", "SenderState", "new_request", "sample_profile", "sender_routes", "sender_state"]

T = TypeVar("T")
MODULE = "chargingprofiles"
SENDER_ROLES = frozenset({"EMSP", "SCSP"})
# What the CPO POSTs to the response_url of each kind of request (mod_charging_profiles_cpo_post_request_body)
RESULT_SCHEMAS = {"get": "ActiveChargingProfileResult", "set": "ChargingProfileResult", "clear": "ClearProfileResult"}


@dataclass
class Request:
    """A request the Sender made, awaiting its result at its response_url."""

    kind: str  # "get", "set" or "clear"
    session_id: str
    result: dict[str, Any] | None = None


@dataclass
class SenderState:
    requests: dict[str, Request] = field(default_factory=dict)  # by request id (the last segment of the URL)
    active: dict[str, dict[str, Any]] = field(default_factory=dict)  # ActiveChargingProfile pushed, by Session id


def sender_state(party: Party) -> SenderState:
    state = party.state.get("chargingprofiles_sender")
    if not isinstance(state, SenderState):
        state = party.state["chargingprofiles_sender"] = SenderState()
    return state


def _results_url(party: Party) -> str:
    return f"{party.module_url(VERSION, MODULE, 'SENDER')}/results"


def _response_url(party: Party, request_id: str) -> str:
    """The response_url of a request: an absolute URL of the Sender's own (mod_charging_profiles_cpo_get_method)."""
    return f"{_results_url(party)}/{request_id}"


def new_request(party: Party, kind: str, session_id: str) -> str:
    """Note a request of ``kind`` about ``session_id``; returns the response_url its result is to be POSTed to."""
    request_id = secrets.token_hex(8)
    sender_state(party).requests[request_id] = Request(kind, session_id)
    return party.behaviours(RESPONSE_URL)(party, request_id)


def sample_profile(limit: float = 7400.0) -> dict[str, Any]:
    """A ChargingProfile in W: ``limit`` for the first half hour, half of it after that."""
    return {"charging_rate_unit": "W", "min_charging_rate": 1400.0,
            "charging_profile_period": [{"start_period": 0, "limit": limit},
                                        {"start_period": 1800, "limit": round(limit / 2, 1)}]}


def _acknowledge(schema: str, body: Any) -> Reply:
    """The answer to what a CPO sends the Sender (a ``schema`` object): 2001 when it is not one, else the response
    format without data (mod_charging_profiles_msp_post_method, mod_charging_profiles_msp_put_method)."""
    problems = schema_errors(VERSION, schema, body)
    if problems:
        raise OcpiError(2001, f"Invalid {schema}: " + "; ".join(problems[:5]))
    return Reply(with_data=False)


def _get_query(duration: str) -> dict[str, str | int]:
    """The query of a GET of the ActiveChargingProfile, but for the response_url: the duration asked for."""
    return {"duration": duration}


ResponseUrl = Callable[[Party, str], str]
Acknowledge = Callable[[str, Any], Reply]
GetQuery = Callable[[str], dict[str, str | int]]


def _point(name: str, conformant: T) -> Behaviour[T]:
    return Behaviour("OCPI", VERSION, MODULE, f"sender.{name}", conformant)


RESPONSE_URL: Behaviour[ResponseUrl] = _point("response_url", _response_url)
ACKNOWLEDGE: Behaviour[Acknowledge] = _point("acknowledge", _acknowledge)
GET_QUERY: Behaviour[GetQuery] = _point("get_query", _get_query)


def sender_routes(party: Party) -> list[BaseRoute]:
    state = sender_state(party)

    async def result(call: Call) -> Reply:
        request = state.requests.get(call.path("request_id"))
        if request is None:
            raise OcpiError(2000, "No request awaits a result at this URL", 404)
        reply = party.behaviours(ACKNOWLEDGE)(RESULT_SCHEMAS[request.kind], call.body)
        request.result = copy.deepcopy(call.body)
        return reply

    async def active(call: Call) -> Reply:
        reply = party.behaviours(ACKNOWLEDGE)("ActiveChargingProfile", call.body)
        state.active[call.path("session_id").upper()] = copy.deepcopy(call.body)
        return reply

    base = party.module_url(VERSION, MODULE, "SENDER").removeprefix(party.base_url)
    return [
        ocpi_route(party, f"{base}/results/{{request_id}}", result, module=MODULE, methods=["POST"]),
        ocpi_route(party, f"{base}/{{session_id}}", active, module=MODULE, methods=["PUT"]),
    ]


# -- the reference Sender acting (trigger hooks) ------------------------------------------------------------

def _cpo(party: Party, payload: dict[str, Any]) -> tuple[Reachable, str]:
    """The CPO to ask (the one named by to_country_code and to_party_id, or country_code and party_id, when
    given), registered or behind a hub, and its Receiver URL."""
    named = payload_address(payload) or payload_address(payload, prefix="")
    for cpo in reachable(party, "CPO", named, module=MODULE, interface="RECEIVER"):
        url = cpo.peer.endpoint(MODULE, "RECEIVER")
        if url is not None:
            return cpo, url
    raise HookError("no registered CPO with a chargingprofiles Receiver interface" +
                    (f" is {named}" if named else ""), 409)


def _via(peer: Peer, response_url: str, party: Party) -> str:
    """The response_url as the CPO can reach it: through a hub, at the hub's Sender endpoint (the same path below
    it, which the hub forwards to the platform's: docs/hub.md)."""
    hub_url = peer.endpoint(MODULE, "SENDER") if is_hub(peer) else None
    own = party.module_url(VERSION, MODULE, "SENDER")
    if hub_url is None or not response_url.startswith(own):
        return response_url
    return hub_url.rstrip("/") + response_url.removeprefix(own)


async def _ask(party: Party, payload: dict[str, Any], kind: str, method: str,
               body: dict[str, Any] | None = None, params: dict[str, str | int] | None = None) -> dict[str, Any]:
    session_id = payload_text(payload, "session_id")
    cpo, url = _cpo(party, payload)
    peer = cpo.peer
    role = next(r for r in party.roles if r in SENDER_ROLES)
    response_url = _via(peer, new_request(party, kind, session_id), party)
    if body is not None:
        body = {**body, "response_url": response_url}
    else:
        params = {**(params or {}), "response_url": response_url}
    exchange, answer = await ask_peer(party, peer, method, join(url, quote(session_id, safe='')),
                                      json_body=body, params=params, who="the CPO",
                                      headers=request_routing(party, peer, role, cpo.address))
    # The CPO's answer, whatever it is: judging it is for whoever made the Sender act.
    return {"status": exchange.status, "answer": answer, "response_url": response_url}


@admin_hook("send_charging_profile", "set a ChargingProfile on an ongoing Session of a CPO: {session_id, "
            "country_code, party_id} (the CPO's; or to_country_code, to_party_id), optional limit (W)",
            roles=tuple(SENDER_ROLES))
async def _send(party: Party, payload: dict[str, Any]) -> dict[str, Any]:
    try:
        limit = float(payload.get("limit", 7400))
    except (TypeError, ValueError):
        raise HookError("'limit' must be a number of W") from None
    return await _ask(party, payload, "set", "PUT", body={"charging_profile": sample_profile(limit)})


@admin_hook("get_active_charging_profile", "ask a CPO for the ActiveChargingProfile of an ongoing Session: "
            "{session_id, country_code, party_id (or to_country_code, to_party_id)}, optional duration (s)",
            roles=tuple(SENDER_ROLES))
async def _get(party: Party, payload: dict[str, Any]) -> dict[str, Any]:
    params = party.behaviours(GET_QUERY)(str(payload.get("duration", "3600")))
    return await _ask(party, payload, "get", "GET", params=params)


@admin_hook("clear_charging_profile", "clear the ChargingProfile set on an ongoing Session of a CPO: "
            "{session_id, country_code, party_id (or to_country_code, to_party_id)}", roles=tuple(SENDER_ROLES))
async def _clear(party: Party, payload: dict[str, Any]) -> dict[str, Any]:
    return await _ask(party, payload, "clear", "DELETE")


MODULES.register(ModuleImpl("OCPI", VERSION, MODULE, "SENDER", SENDER_ROLES, sender_routes))
