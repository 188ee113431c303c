"""Whom a reference platform's requests are addressed to, and through which peer (transport_and_format_message_
routing).

A peer is either a platform (its parties are the ``roles`` of its Credentials) or a Hub (it reports role HUB,
credentials_credentials_object; the parties behind it are those of its Hub Client Info that the platform GETs once
registered and keeps as the hub pushes them: mod_hub_client_info_module). A functional module's request carries,
by the header tables of the spec:

- through a hub: ``OCPI-from`` the platform's own party acting in that role, ``OCPI-to`` the addressed party, or
  the hub itself for a Broadcast Push (and for a GET All via the hub);
- peer to peer: the same headers when either platform holds several parties ("only exception is a peer-to-peer
  connection between two parties that both have only one OCPI party and role implemented"), none otherwise.

The headers of a request are a behaviour (``ROUTING``), so a fault profile replaces them in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from conformance.ocpi.routing import Address, opposite_roles, routing_headers
from conformance.ocpi.types import ci_equal
from simulators.behaviours import Behaviour
from simulators.ocpi.endpoint import Call, answering_party
from simulators.ocpi.party import Party, Peer
from simulators.ocpi.v2_2_1 import VERSION

__all__ = ["HUB", "ROUTING", "Reachable", "Routing", "addressed_objects", "callback_routing", "hub_address", "is_hub",
           "own_address", "payload_address", "reachable", "request_routing", "sender_view"]

HUB = "HUB"
_CLIENT_INFO = "hubclientinfo"
_CONNECTED = "CONNECTED"


@dataclass(frozen=True)
class Reachable:
    """A party the platform can address, its role, and the peer its requests go to (the party's own platform, or
    the hub it sits behind)."""

    address: Address
    role: str
    peer: Peer


def is_hub(peer: Peer) -> bool:
    """The peer reports role HUB (a hub reports no other: credentials_credentials_object)."""
    return any(str(role.get("role", "")).upper() == HUB for role in peer.roles)


def _address_of(role: dict[str, Any]) -> Address | None:
    country, party_id = role.get("country_code"), role.get("party_id")
    return Address(country, party_id) if isinstance(country, str) and isinstance(party_id, str) else None


def hub_address(peer: Peer) -> Address | None:
    return next((a for r in peer.roles if str(r.get("role", "")).upper() == HUB
                 for a in [_address_of(r)] if a is not None), None)


def own_address(party: Party, role: str) -> Address:
    """The platform's own party of ``role`` (KeyError when it holds none)."""
    identity = party.identity(role)
    return Address(identity.country_code, identity.party_id)


def _parties(party: Party, peer: Peer) -> Iterator[Reachable]:
    """The parties reached through ``peer``: a hub's CONNECTED clients (its Hub Client Info), else its own."""
    if is_hub(peer):
        for info in list(party.received.get(_CLIENT_INFO, {}).values()):
            address = _address_of(info)
            if address is not None and info.get("status") == _CONNECTED and isinstance(info.get("role"), str):
                yield Reachable(address, str(info["role"]).upper(), peer)
        return
    for role in peer.roles:
        address = _address_of(role)
        if address is not None and isinstance(role.get("role"), str):
            yield Reachable(address, str(role["role"]).upper(), peer)


def reachable(party: Party, role: str, address: Address | None = None, *, module: str | None = None,
              interface: str | None = None) -> list[Reachable]:
    """The parties of ``role`` (the one at ``address`` when given) the platform can reach (at ``module``'s
    ``interface`` when given): those of directly registered platforms first, then those behind a hub; among
    each, the latest registered first (a platform that registered again is reached there, not at the connection a
    restarted platform kept from before: simulators/ocpi/store.py)."""
    found: list[Reachable] = []
    for direct in (True, False):
        for peer in reversed(list(party.peers.values())):
            if is_hub(peer) == direct or (module is not None and peer.endpoint(module, interface) is None):
                continue
            found.extend(p for p in _parties(party, peer)
                         if p.role == role and (address is None or p.address == address))
    return found


def payload_address(payload: dict[str, Any], *, prefix: str = "to_") -> Address | None:
    """The party a trigger hook's payload names: ``{to_country_code, to_party_id}`` (both or neither)."""
    country, party_id = payload.get(f"{prefix}country_code"), payload.get(f"{prefix}party_id")
    return Address(str(country), str(party_id)) if country and party_id else None


Routing = Callable[[Party, Peer, str, Address | None], dict[str, str]]


def _request_routing(party: Party, peer: Peer, role: str, to: Address | None) -> dict[str, str]:
    """The routing headers of a request the platform's ``role`` party sends through ``peer`` to ``to`` (None: a
    Broadcast Push or GET All when ``peer`` is a hub; the peer's party of an opposite role peer to peer)."""
    sender = own_address(party, role)
    if is_hub(peer):
        return routing_headers(to or hub_address(peer), sender)
    if len(party.identities) == 1 and len(peer.roles) <= 1:
        return {}
    if to is None:
        entitled = [p.address for p in _parties(party, peer) if p.role in opposite_roles(role)]
        to = entitled[0] if entitled else None
    return routing_headers(to, sender)


ROUTING: Behaviour[Routing] = Behaviour("OCPI", VERSION, "transport", "addressing.routing", _request_routing)


def request_routing(party: Party, peer: Peer, role: str, to: Address | None = None) -> dict[str, str]:
    return party.behaviours(ROUTING)(party, peer, role, to)


def callback_routing(call: Call, module: str, role: str) -> dict[str, str]:
    """The routing headers of a request that answers ``call`` later (a CommandResult, a ChargingProfile result at
    the response_url): to the party that sent it, from the party it was addressed to; without routing headers on
    ``call``, as the platform addresses its peer."""
    requester = call.requester
    if requester is None:
        return request_routing(call.party, call.peer, role) if call.peer is not None else {}
    sender = answering_party(call.party, call.request, module) or own_address(call.party, role)
    return routing_headers(requester, sender)


def sender_view(call: Call) -> Peer | None:
    """The peer a request came from, seen as the one party its OCPI-from headers name (its role as the peer's
    Credentials, or the hub's Hub Client Info, give it): what the platform judges a routed request by (whose Token,
    whose reservation), since a hub's own role says nothing of the party behind it. The peer itself when the
    request names no sender."""
    peer, requester = call.peer, call.requester
    if peer is None or requester is None:
        return peer
    roles = [p.role for p in _parties(call.party, peer) if p.address == requester]
    role = {"country_code": requester.country_code, "party_id": requester.party_id, "role": roles[0] if roles else ""}
    return replace(peer, roles=[role], first_call=None)


def addressed_objects(call: Call, objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The objects of ``objects`` the party a routed request names owns (a platform with several parties answers
    as the one addressed: its own objects only); all of them when the request names no party."""
    addressed = call.addressee
    if addressed is None:
        return objects
    return [o for o in objects if ci_equal(o.get("country_code"), addressed.country_code)
            and ci_equal(o.get("party_id"), addressed.party_id)]
