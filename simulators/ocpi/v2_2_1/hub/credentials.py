"""The hub's credentials module: the platforms' registration handlers (simulators/ocpi/v2_2_1/credentials.py),
each followed by the ClientInfo changes it makes (a party CONNECTED at registration, SUSPENDED once its platform
unregistered). The hub reads a registering platform's versions and endpoints without routing headers
(transport_and_format_message_routing_headers: configuration modules are not routed)."""

from __future__ import annotations

from starlette.routing import BaseRoute

from simulators.behaviours import Behaviour, Replacement, replace
from simulators.ocpi.endpoint import Call, Handler, Reply, ocpi_route
from simulators.ocpi.modules import ModuleImpl
from simulators.ocpi.party import Party, Peer
from simulators.ocpi.v2_2_1 import VERSION
from simulators.ocpi.v2_2_1 import credentials as platform
from simulators.ocpi.v2_2_1.hub.clientinfo import heard_from, sync
from simulators.ocpi.v2_2_1.hub.registry import HUB_MODULES, HUB_ROLE

__all__ = ["CONNECTED_WHEN_REGISTERED", "sender_routes"]


def _then_connected(registered: platform.Registered) -> platform.Registered:
    async def handle(hub: Party, peer: Peer, token_a: str) -> None:
        await registered(hub, peer, token_a)
        await sync(hub)

    return handle


# The hub may also be the one that registers (with a platform's token A, through register_with or the
# /admin/register hook): that platform's parties are then CONNECTED just as when the platform registers with it.
CONNECTED_WHEN_REGISTERED: Replacement[platform.Registered] = replace(platform.REGISTERED, _then_connected)


def sender_routes(hub: Party) -> list[BaseRoute]:
    async def get(call: Call) -> Reply:
        return Reply(data=hub.credentials(call.peer.token_in if call.peer is not None else call.token or ""))

    def then_sync(point: Behaviour[Handler]) -> Handler:
        async def handle(call: Call) -> Reply:
            reply = await hub.behaviours(point)(call)
            await sync(hub)
            if call.peer is not None and call.peer in hub.peers.values():
                await heard_from(hub, call.peer)
            return reply

        return handle

    url = hub.module_url(VERSION, "credentials", "SENDER").removeprefix(hub.base_url)
    return [
        ocpi_route(hub, url, get, module="credentials", methods=["GET"]),
        ocpi_route(hub, url, then_sync(platform.POST), module="credentials", methods=["POST"], name="credentials_post"),
        ocpi_route(hub, url, then_sync(platform.PUT), module="credentials", methods=["PUT"], name="credentials_put"),
        ocpi_route(hub, url, then_sync(platform.DELETE), module="credentials", methods=["DELETE"],
                   name="credentials_delete"),
    ]


HUB_MODULES.register(ModuleImpl("OCPI", VERSION, "credentials", "SENDER", frozenset({HUB_ROLE}), sender_routes))
