"""What the reference CPO's charger does when a driver presents a Token (mod_tokens_whitelisttype_enum).

The CPO looks the Token up among those the eMSP pushed. It may let a whitelisted Token charge without asking
(ALWAYS, ALLOWED), asks the eMSP in real time when it must (NEVER, an unknown Token) and, for ALLOWED_OFFLINE,
asks first and only falls back to its whitelist when it gets no response from the eMSP (no HTTP answer, an HTTP
5xx, or an answer that is no OCPI response). An invalid Token never charges on the whitelist, but its validity
does not spare the real-time request its whitelist calls for: the eMSP's answer decides, as the Token's state
may have changed since it was pushed. A real-time answer other than ALLOWED refuses the charge; an ALLOWED one
starts it with the authorization_reference the eMSP gave, and at the EVSEs it allowed.

Each of these decisions is a behaviour point a fault profile may replace (simulators/ocpi/v2_2_1/profiles/charging.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

from conformance.core.errors import SutUnreachable
from conformance.ocpi.routing import Address
from conformance.ocpi.types import ci_equal
from conformance.ocpi.urls import join
from simulators.behaviours import Behaviour
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1 import VERSION
from simulators.ocpi.v2_2_1.addressing import Reachable, reachable, request_routing
from simulators.ocpi.v2_2_1.credentials import peer_client
from simulators.ocpi.v2_2_1.lifecycle import LifecycleError, lifecycle

__all__ = ["ANSWER", "ASKS", "FALLS_BACK", "INVALID", "LOCATION_REFERENCES", "REFUSES_UNASKED", "Answer",
           "Presented", "present_token"]

T = TypeVar("T")


@dataclass(frozen=True)
class Presented:
    session: dict[str, Any] | None  # the Session the charge started, if it did
    refused: str | None = None  # why not: the eMSP's AllowedType, INVALID, UNKNOWN_TOKEN, or a LifecycleError reason
    asked: bool = False  # whether the eMSP was asked in real time


@dataclass(frozen=True)
class Answer:
    """What the charger takes from the eMSP's AuthorizationInfo."""

    allowed: bool  # whether the charge may start
    reference: str | None  # the authorization_reference it starts with


def _asks(whitelist: str | None) -> bool:
    """Whether the charger asks the eMSP in real time about a Token with ``whitelist`` (None: not pushed)."""
    return whitelist in (None, "NEVER", "ALLOWED_OFFLINE")


def _invalid(token: dict[str, Any] | None) -> bool:
    """Whether the whitelist holds the pushed ``token`` (None: not pushed) as not valid."""
    return token is not None and not token.get("valid")


def _refuses_unasked(invalid: bool, ask: bool) -> bool:
    """Whether the charger refuses the Token on its whitelist before any real-time request: only an invalid Token
    the whitelist would decide about; a Token it must ask about is decided by the eMSP's answer."""
    return invalid and not ask


def _falls_back(whitelist: str | None) -> bool:
    """Whether the whitelist decides when the eMSP gives no response to the real-time request."""
    return whitelist == "ALLOWED_OFFLINE"


def _location_references(location_id: str, evse_uid: str) -> dict[str, Any] | None:
    """The body of the real-time request: where the driver is (mod_tokens_locationreferences_class)."""
    return {"location_id": location_id, "evse_uids": [evse_uid]}


def _answer(info: dict[str, Any]) -> Answer:
    given = info.get("authorization_reference")
    return Answer(info.get("allowed") == "ALLOWED", given if isinstance(given, str) else None)


def _point(name: str, conformant: T) -> Behaviour[T]:
    return Behaviour("OCPI", VERSION, "tokens", f"charger.{name}", conformant)


ASKS = _point("asks", _asks)
INVALID = _point("invalid", _invalid)
REFUSES_UNASKED = _point("refuses_unasked", _refuses_unasked)
FALLS_BACK = _point("falls_back", _falls_back)
LOCATION_REFERENCES = _point("location_references", _location_references)
ANSWER: Behaviour[Callable[[dict[str, Any]], Answer]] = _point("answer", _answer)


def _pushed(party: Party, uid: str, token_type: str) -> dict[str, Any] | None:
    for key, token in party.received.get("tokens", {}).items():
        if ci_equal(key[2], uid) and key[3] == token_type:
            return token
    return None


def _emsp_peer(party: Party, token: dict[str, Any] | None, country_code: str | None,
               party_id: str | None) -> Reachable | None:
    """The eMSP owning the Token, registered with the CPO or behind a hub it is registered with (the only eMSP
    when the Token names none)."""
    owner = (token or {}).get("country_code") or country_code, (token or {}).get("party_id") or party_id
    if isinstance(owner[0], str) and isinstance(owner[1], str):
        found = reachable(party, "EMSP", Address(owner[0], owner[1]))
        return found[0] if found else None
    candidates = reachable(party, "EMSP")
    return candidates[0] if len(candidates) == 1 and owner == (None, None) else None


async def _authorize(party: Party, emsp: Reachable, uid: str, token_type: str, location_id: str,
                     evse_uid: str) -> dict[str, Any] | None:
    """POST .../{uid}/authorize to the eMSP (through a hub: addressed to it); the AuthorizationInfo, or None when
    the eMSP answered without one (an unknown Token, for instance). Raises SutUnreachable when the CPO gets no
    response from the eMSP."""
    peer = emsp.peer
    url = peer.endpoint("tokens", "SENDER")
    if url is None:
        raise SutUnreachable("the eMSP offers no tokens SENDER endpoint to ask")
    place = party.behaviours(LOCATION_REFERENCES)(location_id, evse_uid)
    exchange = await peer_client(party, peer.token_out).request(
        "POST", join(url, quote(uid, safe=''), "authorize"), params={"type": token_type},
        json_body=place, headers=request_routing(party, peer, "CPO", emsp.address))
    try:
        body = exchange.response_json() if exchange.status is not None else None
    except ValueError:  # no JSON answer
        body = None
    if exchange.status is None or exchange.status >= 500 or not isinstance(body, dict) or "status_code" not in body:
        # A server or gateway that is down, or something other than the eMSP's OCPI interface answering.
        raise SutUnreachable(f"the eMSP gave no OCPI response (HTTP {exchange.status})")
    data = body.get("data")
    return data if isinstance(data, dict) else None


async def present_token(party: Party, *, uid: str, token_type: str, location_id: str, evse_uid: str,
                        country_code: str | None = None, party_id: str | None = None) -> Presented:
    """A driver holds Token ``uid`` to the reader of ``evse_uid`` at ``location_id``."""
    behave = party.behaviours
    token = _pushed(party, uid, token_type)
    whitelist = token.get("whitelist") if token else None
    invalid = behave(INVALID)(token)
    ask = behave(ASKS)(whitelist)
    if behave(REFUSES_UNASKED)(invalid, ask):
        return Presented(None, "INVALID")  # the whitelist would decide, and it does not let an invalid Token by
    peer = _emsp_peer(party, token, country_code, party_id)
    reference: str | None = None
    answered = False  # the eMSP allowed this charge in real time
    if ask:
        try:
            if peer is None:
                raise SutUnreachable("no registered eMSP owns the Token")
            info = await _authorize(party, peer, uid, token_type, location_id, evse_uid)
        except SutUnreachable:
            if not behave(FALLS_BACK)(whitelist):
                return Presented(None, "EMSP_UNREACHABLE" if peer else "UNKNOWN_TOKEN", asked=peer is not None)
            if invalid:  # no response: the whitelist decides
                return Presented(None, "INVALID", asked=True)
        else:
            if info is None:  # the eMSP answered without an AuthorizationInfo (an unknown Token)
                return Presented(None, "UNKNOWN_TOKEN", asked=True)
            answer = behave(ANSWER)(info)
            if not answer.allowed:
                return Presented(None, str(info.get("allowed")), asked=True)
            allowed = info.get("location")
            uids = allowed.get("evse_uids") if isinstance(allowed, dict) else None
            if uids and not any(ci_equal(u, evse_uid) for u in uids):
                return Presented(None, "NOT_ALLOWED", asked=True)
            answered = True
            reference = answer.reference
            token = info["token"] if isinstance(info.get("token"), dict) else token
    if token is None:
        return Presented(None, "UNKNOWN_TOKEN", asked=ask)
    try:
        session = await lifecycle(party).start(token=token, location_id=location_id, evse_uid=evse_uid,
                                               auth_method="AUTH_REQUEST" if answered else "WHITELIST",
                                               authorization_reference=reference)
    except LifecycleError as exc:
        return Presented(None, exc.reason, asked=ask)
    return Presented(session, asked=ask)
