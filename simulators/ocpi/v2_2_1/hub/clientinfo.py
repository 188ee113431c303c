"""The hub's HubClientInfo module, Sender side (mod_hub_client_info_hub_interface), and its pushes.

The hub owns one ClientInfo per party it knows (mod_hub_client_info_hub_connection_type_enum): PLANNED for a party
it is configured to expect that never registered, CONNECTED once its platform registered, OFFLINE when a request
to it gets no answer (CONNECTED again when it is heard from), SUSPENDED once its platform unregistered (a
ClientInfo is never deleted). Each new or changed ClientInfo is PUT to the hubclientinfo Receiver of every other
connected platform (mod_hub_client_info_push_model), without routing headers: it is a configuration module.

The still-alive check (mod_hub_client_info_flow) GETs the versions endpoint of each platform not heard from for a
while; a served hub runs it every ``HubState.still_alive`` seconds (a background task of its lifespan), anyone
may run one round with :func:`still_alive`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from starlette.routing import BaseRoute

from conformance.core.errors import SutUnreachable
from simulators.behaviours import Behaviour
from simulators.ocpi.admin import HookError, admin_hook, payload_text
from simulators.ocpi.background import background
from simulators.ocpi.endpoint import Call, Reply, ocpi_route
from simulators.ocpi.modules import ModuleImpl
from simulators.ocpi.pagination import paginated_reply
from simulators.ocpi.party import Party, Peer
from simulators.ocpi.store import keep
from simulators.ocpi.v2_2_1 import VERSION
from simulators.ocpi.v2_2_1.credentials import peer_client
from simulators.ocpi.v2_2_1.hub.registry import HUB_MODULES, HUB_ROLE
from simulators.ocpi.v2_2_1.hub.table import (
    CONNECTED,
    OFFLINE,
    PLANNED,
    SUSPENDED,
    Address,
    ExpectedParty,
    hub_state,
    parties,
    parties_of,
    status_of,
)

__all__ = ["ANNOUNCED_TO", "PUSH_HEADERS", "AnnouncedTo", "PushHeaders", "expect", "heard_from", "introduce",
           "not_answering", "plan", "sender_routes", "still_alive", "still_alive_checks", "sync"]

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
    if changed:
        keep(hub)  # a served hub's store: the list survives a restart, whatever request (or none) changed it
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
    (but those found OFFLINE, until heard from), the parties no longer registered SUSPENDED; a PLANNED party
    stays PLANNED until it registers (it never connected, so it cannot be gone)."""
    registered = parties(hub)
    keys = {party.address.key for party in registered}
    clients = hub_state(hub).clients
    gone = [(Address(info["country_code"], info["party_id"]), str(info["role"]), SUSPENDED)
            for key, info in clients.items() if key not in keys and info.get("status") != PLANNED]
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


def plan(hub: Party, expected: Iterable[ExpectedParty]) -> list[dict[str, Any]]:
    """A PLANNED ClientInfo for each expected party the hub knows nothing of yet; returns the new ones (a party
    already known keeps its status: PLANNED means it never connected)."""
    clients = hub_state(hub).clients
    new = []
    for party in expected:
        if party.address.key not in clients:
            clients[party.address.key] = _client_info(hub, party.address, party.role, PLANNED)
            new.append(clients[party.address.key])
    return new


async def expect(hub: Party, expected: Iterable[ExpectedParty]) -> list[dict[str, Any]]:
    """:func:`plan`, then push the new PLANNED ClientInfo to the connected platforms."""
    new = plan(hub, expected)
    if new:
        keep(hub)
    await _announce(hub, new)
    return new


async def not_answering(hub: Party, peer: Peer) -> None:
    """A request to ``peer`` got no answer: its parties are OFFLINE."""
    await _set(hub, [(party.address, party.role, OFFLINE) for party in parties_of(peer)])


async def heard_from(hub: Party, peer: Peer) -> None:
    """``peer`` called the hub or answered it: parties of it that were OFFLINE are CONNECTED again."""
    state = hub_state(hub)
    state.heard[peer.token_in] = state.monotonic()
    await _set(hub, [(party.address, party.role, CONNECTED) for party in parties_of(peer)
                     if status_of(hub, party.address) == OFFLINE])


async def _answers(hub: Party, peer: Peer) -> bool:
    """Whether ``peer``'s versions endpoint answers 200 within the hub's timeout."""
    try:
        exchange = await asyncio.wait_for(peer_client(hub, peer.token_out).request("GET", peer.versions_url),
                                          hub_state(hub).timeout)
    except (SutUnreachable, TimeoutError):
        return False
    return exchange.status == 200


async def still_alive(hub: Party, *, quiet_for: float = 0.0) -> dict[str, str]:
    """One round of the still-alive check (mod_hub_client_info_flow): a GET on the versions endpoint of each
    platform not heard from for ``quiet_for`` seconds (0: every one) or with a party OFFLINE; each that answers is
    CONNECTED, each that does not OFFLINE, and the changes are pushed. Returns the status of the parties checked."""
    state = hub_state(hub)
    now = state.monotonic()
    due = [peer for peer in list(hub.peers.values())
           if now - state.heard.get(peer.token_in, float("-inf")) >= quiet_for
           or any(status_of(hub, party.address) == OFFLINE for party in parties_of(peer))]
    alive = await asyncio.gather(*(_answers(hub, peer) for peer in due))
    result: dict[str, str] = {}
    for peer, answered in zip(due, alive, strict=True):
        await (heard_from(hub, peer) if answered else not_answering(hub, peer))
        for party in parties_of(peer):
            result[str(party.address)] = status_of(hub, party.address) or ""
    return result


@background("still_alive", roles=(HUB_ROLE,))
async def still_alive_checks(hub: Party) -> None:
    """Every ``HubState.still_alive`` seconds (none when 0), a round for the platforms quiet for as long (the spec
    suggests 5 minutes when unsure)."""
    interval = hub_state(hub).still_alive
    while interval > 0:
        await asyncio.sleep(interval)
        try:
            await still_alive(hub, quiet_for=interval)
        except Exception:  # one failed round must not end the checks; the next round tries again
            logging.getLogger(__name__).exception("the hub's still-alive round failed")


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


@admin_hook("expect", "the hub expects the party {country_code, party_id, role}: PLANNED in its ClientInfo (pushed "
            "to the connected platforms) until a platform registers it", roles=(HUB_ROLE,))
async def _expect(hub: Party, payload: dict[str, Any]) -> dict[str, Any]:
    text = "/".join(payload_text(payload, key) for key in ("country_code", "party_id", "role"))
    try:
        party = ExpectedParty.parse(text)
    except ValueError as exc:
        raise HookError(str(exc)) from None
    new = await expect(hub, [party])
    return {"planned": bool(new), "status": status_of(hub, party.address)}
