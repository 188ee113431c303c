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
from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from conformance.ocpi.schemas import errors as schema_errors
from simulators.behaviours import Behaviour
from simulators.ocpi.endpoint import Call, OcpiError, Reply, ocpi_route, record_plain
from simulators.ocpi.modules import MODULES, ModuleImpl
from simulators.ocpi.pagination import paginated_reply
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1 import VERSION
from simulators.ocpi.v2_2_1.addressing import addressed_objects
from simulators.ocpi.v2_2_1.seed.tokens import RESTRICTED, STANDING

__all__ = ["ALLOWED", "INFO", "LOCATION", "OFFLINE", "UNKNOWN_TOKEN", "sender_routes"]

T = TypeVar("T")

MODULE = "tokens"
TOKEN_TYPES = frozenset({"AD_HOC_USER", "APP_USER", "OTHER", "RFID"})
OFFLINE = "tokens.authorize_offline"  # Party.state key: while true, real-time authorization gets no OCPI answer


def _reference(token: dict[str, Any], location: dict[str, Any] | None) -> str:
    """A deterministic authorization reference (CiString(36)) for this token at this place."""
    seed = f"{token['uid']}|{token['type']}|{(location or {}).get('location_id', '')}"
    return "AUTH-" + hashlib.sha256(seed.encode("utf-8")).hexdigest()[:24].upper()


def _unknown_token(party: Party, uid: str, token_type: str) -> dict[str, Any]:
    """mod_tokens_post_method: an unknown Token is answered HTTP 404 with 2004 and no data."""
    raise OcpiError(2004, f"Unknown Token {uid} of type {token_type}", 404)


def _location(location: dict[str, Any] | None) -> dict[str, Any] | None:
    """The LocationReferences an authorization takes into account: those the request gives."""
    return location


def _allowed(party: Party, token: dict[str, Any], location: dict[str, Any] | None) -> str:
    """An invalid Token is refused; a Token restricted to some Locations is NOT_ALLOWED at the others."""
    uid = str(token["uid"]).upper()
    if not token["valid"]:
        return STANDING.get(uid, "BLOCKED")
    if location is not None and uid in RESTRICTED and str(location["location_id"]).upper() not in RESTRICTED[uid]:
        return "NOT_ALLOWED"
    return "ALLOWED"


def _info(token: dict[str, Any], location: dict[str, Any] | None, allowed: str) -> dict[str, Any]:
    """The AuthorizationInfo: an ALLOWED one echoes the LocationReferences and carries an authorization_reference
    the CPO copies into the Session and CDR; any other explains the refusal."""
    info: dict[str, Any] = {"allowed": allowed, "token": copy.deepcopy(token)}
    if allowed == "ALLOWED":
        if location is not None:
            # Every EVSE asked for may be used: the echo names them all (mod_tokens_authorizationinfo_object).
            info["location"] = copy.deepcopy(location)
        info["authorization_reference"] = _reference(token, location)
    else:
        info["info"] = {"language": "en", "text": f"Charging is not possible with this token ({allowed})."}
    return info


def _point(name: str, conformant: T) -> Behaviour[T]:
    return Behaviour("OCPI", VERSION, MODULE, f"authorize.{name}", conformant)


# Real-time authorization, step by step: the Token asked about when it is unknown, the LocationReferences taken
# into account, the decision (AllowedType), and the AuthorizationInfo answered.
UNKNOWN_TOKEN = _point("unknown_token", _unknown_token)
LOCATION = _point("location", _location)
ALLOWED = _point("allowed", _allowed)
INFO = _point("info", _info)


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
    async def get_list(call: Call) -> Reply:
        return paginated_reply(call, addressed_objects(call, party.owned.setdefault(MODULE, [])))

    def find(uid: str, token_type: str) -> dict[str, Any] | None:
        for token in party.owned.setdefault(MODULE, []):
            if str(token["uid"]).upper() == uid.upper() and token["type"] == token_type:
                return token
        return None

    async def authorize(call: Call) -> Reply:
        behave = party.behaviours
        uid = call.path("token_uid")
        token_type = call.params.get("type") or "RFID"
        if token_type not in TOKEN_TYPES:
            raise OcpiError(2001, f"Unknown TokenType {token_type!r}")
        location = call.body
        if location is not None:
            problems = schema_errors(VERSION, "LocationReferences", location)
            if problems:
                raise OcpiError(2001, "Invalid LocationReferences: " + "; ".join(problems[:5]))
        token = find(uid, token_type)
        if token is None:
            token = behave(UNKNOWN_TOKEN)(party, uid, token_type)
        location = behave(LOCATION)(location)
        return Reply(data=behave(INFO)(token, location, behave(ALLOWED)(party, token, location)))

    base = party.module_url(VERSION, MODULE, "SENDER").removeprefix(party.base_url)
    return [
        ocpi_route(party, base, get_list, module=MODULE, methods=["GET"]),
        _unless_offline(party, ocpi_route(party, f"{base}/{{token_uid}}/authorize", authorize, module=MODULE,
                                          methods=["POST"])),
    ]


MODULES.register(ModuleImpl("OCPI", VERSION, MODULE, "SENDER", frozenset({"EMSP"}), sender_routes))
