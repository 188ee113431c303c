"""The hub's functional module endpoints: every module on both sides, each request routed by its headers
(transport_and_format_message_routing).

The caller is the platform its token identifies; its ``OCPI-from-*`` headers must name one of the parties it
declared at registration (else 2001). Then, by the ``OCPI-to-*`` headers:

- the hub itself: a Broadcast Push, or on a Sender's list a GET All via the hub;
- another party: forwarded to it (4001 when unknown, 4003 when not connected, 4002 when it times out);
- none: a GET on a Sender's list is a GET All, any other request an Open Routing Request.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.routing import BaseRoute

from conformance.ocpi.status_codes import StatusCode
from simulators.ocpi.endpoint import Call, Handler, OcpiError, Reply, ocpi_route
from simulators.ocpi.modules import ModuleImpl
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1 import VERSION
from simulators.ocpi.v2_2_1.hub.clientinfo import heard_from
from simulators.ocpi.v2_2_1.hub.delivery import ModuleCall, broadcast, directed, open_routing
from simulators.ocpi.v2_2_1.hub.get_all import get_all
from simulators.ocpi.v2_2_1.hub.registry import FUNCTIONAL_MODULES, HUB_MODULES, HUB_ROLE, INTERFACES
from simulators.ocpi.v2_2_1.hub.routing import OWNED_SENDER, routing_addresses
from simulators.ocpi.v2_2_1.hub.table import Address, Connected, hub_address

__all__ = ["caller", "module_routes"]

_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


async def caller(call: Call) -> tuple[Connected, Address | None]:
    """The calling party (its platform registered; the OCPI-from headers name one of its parties) and the party
    the OCPI-to headers name, if any."""
    hub = call.party
    if call.peer is None:  # token A opens only versions and credentials: the wrapper let no one else in
        raise OcpiError(StatusCode.GENERIC_CLIENT_ERROR, "Not registered with this hub", 401)
    to, sender_address = routing_addresses(call.request.headers)
    if sender_address is None:
        raise OcpiError(StatusCode.INVALID_OR_MISSING_PARAMETERS,
                        "A routed request needs OCPI-from-country-code and OCPI-from-party-id")
    sender = hub.behaviours(OWNED_SENDER)(call.peer, sender_address)
    if sender is None:
        raise OcpiError(StatusCode.INVALID_OR_MISSING_PARAMETERS,
                        f"OCPI-from {sender_address} is no party the calling platform registered")
    await heard_from(hub, call.peer)
    return sender, to


def _routed(module: str, interface: str) -> Handler:
    async def handle(call: Call) -> Reply:
        hub = call.party
        sender, to = await caller(call)
        what = ModuleCall(module, interface, str(call.request.path_params.get("rest", "")).strip("/"))
        list_get = call.request.method == "GET" and interface == "SENDER" and not what.rest
        if to is not None and to == hub_address(hub):
            return await (get_all(call, module, sender) if list_get else broadcast(call, what, sender))
        if to is None:
            return await (get_all(call, module, sender) if list_get else open_routing(call, what, sender))
        return await directed(call, what, sender, to)

    return handle


def module_routes(module: str, interface: str) -> Callable[[Party], list[BaseRoute]]:
    def routes(hub: Party) -> list[BaseRoute]:
        base = hub.module_url(VERSION, module, interface).removeprefix(hub.base_url)
        handler = _routed(module, interface)
        return [ocpi_route(hub, base, handler, module=module, methods=_METHODS),
                ocpi_route(hub, f"{base}/{{rest:path}}", handler, module=module, methods=_METHODS)]

    return routes


for _module in FUNCTIONAL_MODULES:
    for _interface in INTERFACES:
        HUB_MODULES.register(ModuleImpl("OCPI", VERSION, _module, _interface, frozenset({HUB_ROLE}),
                                        module_routes(_module, _interface)))
