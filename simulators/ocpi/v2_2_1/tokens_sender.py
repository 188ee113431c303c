"""The Tokens module: the eMSP's Sender interface (mod_tokens_emsp_interface).

GET of the eMSP's Tokens (paginated, date-filtered) and the real-time authorization of one Token
(mod_tokens_post_method), with optional LocationReferences the answer honours and echoes. While the platform's
``state[OFFLINE]`` is set, real-time authorization gets no OCPI response: HTTP 503 with a plain-text body, as a
gateway in front of an eMSP back-end that is down answers (what a CPO meets when it "cannot get a response from
the eMSP", mod_tokens_whitelisttype_enum).
"""

from __future__ import annotations

import copy
import hashlib
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from conformance.ocpi.schemas import errors as schema_errors
from simulators.ocpi.endpoint import Call, OcpiError, Reply, ocpi_route, record_plain
from simulators.ocpi.modules import MODULES, ModuleImpl
from simulators.ocpi.pagination import paginated_reply
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1.seed.tokens import RESTRICTED, STANDING

__all__ = ["OFFLINE", "sender_routes"]

VERSION = "2.2.1"
MODULE = "tokens"
TOKEN_TYPES = frozenset({"AD_HOC_USER", "APP_USER", "OTHER", "RFID"})
OFFLINE = "tokens.authorize_offline"  # Party.state key: while true, real-time authorization gets no OCPI answer


def _reference(token: dict[str, Any], location: dict[str, Any] | None) -> str:
    """A deterministic authorization reference (CiString(36)) for this token at this place."""
    seed = f"{token['uid']}|{token['type']}|{(location or {}).get('location_id', '')}"
    return "AUTH-" + hashlib.sha256(seed.encode("utf-8")).hexdigest()[:24].upper()


def _free_evse(party: Party, location: dict[str, Any]) -> bool:
    """Whether a Location pushed to this eMSP under the id asked about has an AVAILABLE EVSE (any, when unknown)."""
    wanted = str(location.get("location_id", "")).upper()
    for key, pushed in party.received.get("locations", {}).items():
        if key[-1] == wanted:
            return any(evse.get("status") == "AVAILABLE" for evse in pushed.get("evses") or [])
    return True


def _unless_offline(party: Party, route: Route) -> Route:
    """``route``, answering HTTP 503 without an OCPI body while ``party.state[OFFLINE]`` is set (recorded like
    every inbound exchange, so the request the SUT made is still seen)."""
    answer = route.endpoint

    async def endpoint(request: Request) -> Response:
        if not party.state.get(OFFLINE):
            response: Response = await answer(request)
            return response
        started = time.perf_counter()
        raw_body = await request.body()
        response = PlainTextResponse("Service Unavailable", status_code=503, headers={"Retry-After": "60"})
        record_plain(party, request, raw_body, response, started)
        return response

    return Route(route.path, endpoint, methods=sorted(route.methods or ()), name=route.name)


def sender_routes(party: Party) -> list[BaseRoute]:
    faults = party.faults

    async def get_list(call: Call) -> Reply:
        return paginated_reply(call, party.owned.setdefault(MODULE, []))

    def find(uid: str, token_type: str) -> dict[str, Any] | None:
        for token in party.owned.setdefault(MODULE, []):
            if str(token["uid"]).upper() == uid.upper() and token["type"] == token_type:
                return token
        return None

    async def authorize(call: Call) -> Reply:
        uid = call.path("token_uid")
        token_type = call.params.get("type") or "RFID"
        if token_type not in TOKEN_TYPES:
            raise OcpiError(2001, f"Unknown TokenType {token_type!r}", 400)
        location = call.body
        if location is not None:
            problems = schema_errors(VERSION, "LocationReferences", location)
            if problems:
                raise OcpiError(2001, "Invalid LocationReferences: " + "; ".join(problems[:5]), 400)
        token = find(uid, token_type)
        if token is None:
            if not faults.authorize_unknown_allowed:
                # mod_tokens_post_method: an unknown Token is answered HTTP 404 with 2004 and no data.
                raise OcpiError(2004, f"Unknown Token {uid} of type {token_type}", 404)
            emsp = party.identity("EMSP")
            token = {"country_code": emsp.country_code, "party_id": emsp.party_id, "uid": uid, "type": token_type,
                     "contract_id": f"{emsp.country_code}-{emsp.party_id}-C999999", "issuer": "unknown",
                     "valid": True, "whitelist": "ALLOWED", "last_updated": party.now()}
        if faults.authorize_ignores_location:
            location = None
        allowed = "ALLOWED"
        if not token["valid"] and not faults.authorize_invalid_allowed:
            allowed = STANDING.get(str(token["uid"]).upper(), "BLOCKED")
        elif location is not None and str(token["uid"]).upper() in RESTRICTED \
                and str(location["location_id"]).upper() not in RESTRICTED[str(token["uid"]).upper()]:
            allowed = "NOT_ALLOWED"
        if faults.authorize_valid_refused:
            allowed = "BLOCKED"
        if faults.authorize_judges_location_state and allowed == "ALLOWED" and location is not None \
                and not _free_evse(party, location):
            allowed = "NOT_ALLOWED"
        info: dict[str, Any] = {"allowed": allowed, "token": copy.deepcopy(token)}
        if allowed == "ALLOWED":
            if location is not None:
                # Every EVSE asked for may be used: the echo names them all (mod_tokens_authorizationinfo_object).
                info["location"] = copy.deepcopy(location)
            if not faults.authorize_without_reference:
                info["authorization_reference"] = _reference(token, location)
        else:
            info["info"] = {"language": "en", "text": f"Charging is not possible with this token ({allowed})."}
        return Reply(data=info)

    base = party.module_url(VERSION, MODULE, "SENDER").removeprefix(party.base_url)
    return [
        ocpi_route(party, base, get_list, module=MODULE, methods=["GET"]),
        _unless_offline(party, ocpi_route(party, f"{base}/{{token_uid}}/authorize", authorize, module=MODULE,
                                          methods=["POST"])),
    ]


MODULES.register(ModuleImpl("OCPI", VERSION, MODULE, "SENDER", frozenset({"EMSP"}), sender_routes))
