"""Custom modules on a roaming network: modules OCPI does not define, which two parties agreed on.

A party sends a request of such a module to its node at ``/ocpi/custom/{sender|receiver}/{module}/...``,
addressed to one party (OCPI-to). The node forwards it untouched, across nodes if need be, to the endpoint the
receiving party's platform declared for that module identifier and interface; a platform that declared none did
not agree to the module, and the request is refused. On the receiving side, :func:`agreed_module` gives a
reference platform such a module: it keeps what is pushed to it and answers a GET with what it kept.
"""

from __future__ import annotations

from starlette.routing import BaseRoute

from conformance.ocpi.status_codes import StatusCode
from simulators.ocpi.endpoint import Call, OcpiError, Reply, ocpi_route
from simulators.ocpi.modules import PLATFORM_ROUTES, ModuleImpl
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1 import VERSION
from simulators.ocpi.v2_2_1.hub.delivery import ModuleCall, directed
from simulators.ocpi.v2_2_1.hub.routes import caller
from simulators.ocpi.v2_2_1.hub.table import hub_address
from simulators.ocpi.v2_2_1.node.state import node_state

__all__ = ["CUSTOM_PATH", "agreed_module", "custom_routes"]

CUSTOM_PATH = "/ocpi/custom"
_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


async def _custom(call: Call) -> Reply:
    sender, to = await caller(call)
    interface = call.path("interface").upper()
    if interface not in ("SENDER", "RECEIVER"):
        raise OcpiError(StatusCode.INVALID_OR_MISSING_PARAMETERS,
                        f"{call.path('interface')!r} is no interface: sender or receiver")
    if to is None or to == hub_address(call.party):
        raise OcpiError(StatusCode.INVALID_OR_MISSING_PARAMETERS,
                        "A custom module request is addressed to one party (OCPI-to headers)")
    rest = str(call.request.path_params.get("rest", "")).strip("/")
    return await directed(call, ModuleCall(call.path("module"), interface, rest, custom=True), sender, to)


def custom_routes(hub: Party) -> list[BaseRoute]:
    """The custom module endpoints of a node (none on a hub of its own)."""
    if node_state(hub) is None:
        return []
    base = f"{CUSTOM_PATH}/{{interface}}/{{module}}"
    return [ocpi_route(hub, base, _custom, module="custom", methods=_METHODS),
            ocpi_route(hub, f"{base}/{{rest:path}}", _custom, module="custom", methods=_METHODS)]


def agreed_module(module: str, interface: str, party_roles: frozenset[str]) -> ModuleImpl:
    """A reference implementation of the agreed module ``module``'s ``interface``: it keeps each object pushed to
    it under its path and answers a GET of that path with it (2003 when it has none)."""

    async def handle(call: Call) -> Reply:
        key = (str(call.request.path_params.get("rest", "")).strip("/"),)
        kept = call.party.received.setdefault(module, {})
        if call.request.method == "GET":
            if key not in kept:
                raise OcpiError(StatusCode.UNKNOWN_LOCATION, f"No {module} object at {key[0] or 'the endpoint'}")
            return Reply(data=kept[key])
        if call.request.method == "DELETE":
            kept.pop(key, None)
            return Reply(with_data=False)
        kept[key] = call.body if isinstance(call.body, dict) else {"value": call.body}
        return Reply(with_data=False)

    def routes(party: Party) -> list[BaseRoute]:
        base = party.module_url(VERSION, module, interface).removeprefix(party.base_url)
        return [ocpi_route(party, base, handle, module=module, methods=_METHODS),
                ocpi_route(party, f"{base}/{{rest:path}}", handle, module=module, methods=_METHODS)]

    return ModuleImpl("OCPI", VERSION, module, interface, party_roles, routes)


PLATFORM_ROUTES.append(custom_routes)
