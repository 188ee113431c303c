"""The hub's HubClientInfo module, Sender side (mod_hub_client_info_hub_interface), and its pushes.

The hub owns one ClientInfo per party of a registered platform: CONNECTED once the platform registered, OFFLINE
when a request to it gets no answer (CONNECTED again when it is heard from), SUSPENDED once it unregistered (a
ClientInfo is never deleted). Each new or changed ClientInfo is PUT to the hubclientinfo Receiver of every other
connected platform (mod_hub_client_info_push_model), without routing headers: it is a configuration module.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any, TypeVar

from starlette.routing import BaseRoute

from conformance.core.errors import SutUnreachable
from simulators.behaviours import Behaviour
from simulators.ocpi.admin import admin_hook
from simulators.ocpi.endpoint import Call, Reply, ocpi_route
from simulators.ocpi.modules import ModuleImpl
from simulators.ocpi.pagination import paginated_reply
from simulators.ocpi.party import Party, Peer
from simulators.ocpi.v2_2_1 import VERSION
from simulators.ocpi.v2_2_1.credentials import peer_client
from simulators.ocpi.v2_2_1.hub.registry import HUB_MODULES, HUB_ROLE
from simulators.ocpi.v2_2_1.hub.table import (
    CONNECTED,
    OFFLINE,
    SUSPENDED,
    Address,
    hub_state,
    parties,
    parties_of,
    status_of,
)

__all__ = ["ANNOUNCED_TO", "PUSH_HEADERS", "AnnouncedTo", "PushHeaders", "heard_from", "introduce", "not_answering",
           "sender_routes", "still_alive", "sync"]

MODULE = "hubclientinfo"
T = TypeVar("T")

AnnouncedTo = Callable[[Party, dict[str, Any]], list[Peer]]  # (hub, ClientInfo) -> the platforms told
PushHeaders = Callable[[Party], dict[str, str]]  # headers the hub adds to its ClientInfo pushes


def _announced_to(hub: Party, info: dict[str, Any]) -> list[Peer]:
    """Every connected platform with a hubclientinfo Receiver, but the one the ClientInfo is about."""
    about = (str(info["country_code"]).upper(), str(info["party_id"]).upper())
    clients = hub_state(hub).clients
    told = []
    for peer in list(hub.peers.values()):
        own = parties_of(peer)
        if any(p.address.key == about for p in own) or peer.endpoint(MODULE, "RECEIVER") is None:
            continue
        if any(clients.get(p.address.key, {}).get("status") == CONNECTED for p in own):
            told.append(peer)
    return told


def _point(name: str, conformant: T) -> Behaviour[T]:
    return Behaviour("OCPI", VERSION, "hub", f"clientinfo.{name}", conformant)


def _push_headers(hub: Party) -> dict[str, str]:
    """None beyond the usual ones: hubclientinfo is a configuration module, never routed."""
    return {}


ANNOUNCED_TO: Behaviour[AnnouncedTo] = _point("announced_to", _announced_to)  # who is told of a change
PUSH_HEADERS: Behaviour[PushHeaders] = _point("push_headers", _push_headers)  # extra headers of a push


def _client_info(hub: Party, address: Address, role: str, status: str) -> dict[str, Any]:
    return {"party_id": address.party_id, "country_code": address.country_code, "role": role, "status": status,
            "last_updated": hub.now()}


async def _set(hub: Party, changes: list[tuple[Address, str, str]]) -> None:
    """Store each party's new status (address, role, status) and push the ClientInfo objects that changed."""
    clients = hub_state(hub).clients
    changed = []
    for address, role, status in changes:
        if clients.get(address.key, {}).get("status") != status:
            clients[address.key] = _client_info(hub, address, role, status)
            changed.append(clients[address.key])
    await _announce(hub, changed)


async def _announce(hub: Party, infos: list[dict[str, Any]]) -> None:
    async def put(peer: Peer, info: dict[str, Any]) -> None:
        url = f"{peer.endpoint(MODULE, 'RECEIVER')}/{info['country_code']}/{info['party_id']}"
        # recorded either way; that platform's own silence is noticed when the hub next calls it
        with contextlib.suppress(SutUnreachable):
            await peer_client(hub, peer.token_out).request("PUT", url, json_body=info,
                                                           headers=hub.behaviours(PUSH_HEADERS)(hub))

    await asyncio.gather(*(put(peer, info) for info in infos for peer in hub.behaviours(ANNOUNCED_TO)(hub, info)))


async def sync(hub: Party) -> None:
    """After a registration, an update or an unregistration: the registered platforms' parties are CONNECTED
    (but those found OFFLINE, until heard from), the parties no longer registered SUSPENDED."""
    registered = parties(hub)
    keys = {party.address.key for party in registered}
    clients = hub_state(hub).clients
    gone = [(Address(info["country_code"], info["party_id"]), str(info["role"]), SUSPENDED)
            for key, info in clients.items() if key not in keys]
    await _set(hub, [*((party.address, party.role, CONNECTED) for party in registered
                       if status_of(hub, party.address) != OFFLINE), *gone])


async def introduce(hub: Party, peer: Peer) -> None:
    """Push to ``peer`` the ClientInfo of every party but its own: the hub registered with it, so it is not
    registering with the hub (when it would GET the list) and learns of the parties already connected this way."""
    if peer.endpoint(MODULE, "RECEIVER") is None:
        return
    own = {party.address.key for party in parties_of(peer)}
    url = peer.endpoint(MODULE, "RECEIVER")
    for key, info in list(hub_state(hub).clients.items()):
        if key not in own:
            with contextlib.suppress(SutUnreachable):
                await peer_client(hub, peer.token_out).request(
                    "PUT", f"{url}/{info['country_code']}/{info['party_id']}", json_body=info,
                    headers=hub.behaviours(PUSH_HEADERS)(hub))


async def not_answering(hub: Party, peer: Peer) -> None:
    """A request to ``peer`` got no answer: its parties are OFFLINE."""
    await _set(hub, [(party.address, party.role, OFFLINE) for party in parties_of(peer)])


async def heard_from(hub: Party, peer: Peer) -> None:
    """``peer`` called the hub or answered it: parties of it that were OFFLINE are CONNECTED again."""
    await _set(hub, [(party.address, party.role, CONNECTED) for party in parties_of(peer)
                     if status_of(hub, party.address) == OFFLINE])


async def still_alive(hub: Party) -> dict[str, str]:
    """The still-alive check (mod_hub_client_info_flow): a GET on each platform's versions endpoint."""
    result: dict[str, str] = {}
    for peer in list(hub.peers.values()):
        try:
            exchange = await peer_client(hub, peer.token_out).request("GET", peer.versions_url)
            alive = exchange.status == 200
        except SutUnreachable:
            alive = False
        await (heard_from(hub, peer) if alive else not_answering(hub, peer))
        for party in parties_of(peer):
            result[str(party.address)] = status_of(hub, party.address) or ""
    return result


def sender_routes(hub: Party) -> list[BaseRoute]:
    async def get_list(call: Call) -> Reply:
        """The ClientInfo of the parties the caller can communicate with: all but its own."""
        own = {party.address.key for party in parties_of(call.peer)} if call.peer is not None else set()
        infos = [info for key, info in hub_state(hub).clients.items() if key not in own]
        return paginated_reply(call, infos)

    path = hub.module_url(VERSION, MODULE, "SENDER").removeprefix(hub.base_url)
    return [ocpi_route(hub, path, get_list, module=MODULE, methods=["GET"])]


HUB_MODULES.register(ModuleImpl("OCPI", VERSION, MODULE, "SENDER", frozenset({HUB_ROLE}), sender_routes))


@admin_hook("still_alive", "the hub GETs every registered platform's versions endpoint and pushes the ClientInfo "
            "of those whose state changed", roles=(HUB_ROLE,))
async def _still_alive(hub: Party, payload: dict[str, Any]) -> dict[str, Any]:
    return {"clients": await still_alive(hub)}
