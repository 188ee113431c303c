"""The HubClientInfo module: the Receiver interface of a party connected to a Hub
(mod_hub_client_info_client_interface).

The Hub owns the ClientInfo objects and pushes each new or changed one by PUT at
``{url}/{country_code}/{party_id}`` of the party it describes; a ClientInfo is never deleted, only set to
SUSPENDED. The connected party keeps the latest one per party and returns it on GET.
"""

from __future__ import annotations

import copy
from typing import Any

from starlette.routing import BaseRoute

from conformance.ocpi.types import ci_equal
from simulators.ocpi.endpoint import Call, OcpiError, Reply, ocpi_route
from simulators.ocpi.modules import MODULES, ModuleImpl
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1.receiving import KEPT, PUT, RULES, STORED, VERSION, pushed_object, unknown

__all__ = ["receiver_routes"]

MODULE = "hubclientinfo"


def receiver_routes(party: Party) -> list[BaseRoute]:
    clients = party.received.setdefault(MODULE, {})

    def key(call: Call) -> tuple[str, str]:
        return (call.path("country_code").upper(), call.path("party_id").upper())

    async def get(call: Call) -> Reply:
        info = clients.get(key(call))
        if info is None:
            raise unknown(f"ClientInfo {call.path('country_code')}/{call.path('party_id')}")
        return Reply(data=info)

    async def put(call: Call) -> Reply:
        body: dict[str, Any] = copy.deepcopy(pushed_object(call, "ClientInfo"))
        for field in ("country_code", "party_id") if party.behaviours(RULES)("ClientInfo").valid else ():
            if not ci_equal(body.get(field), call.path(field)):
                raise OcpiError(2001, f"ClientInfo {field} {body.get(field)!r} differs from the URL's "
                                      f"{call.path(field)!r}")
        old = clients.get(key(call))
        clients[key(call)] = party.behaviours(KEPT)("ClientInfo", party.behaviours(PUT)("ClientInfo", old, body))
        return Reply(http_status=party.behaviours(STORED)("ClientInfo", old is None), with_data=False)

    base = party.module_url(VERSION, MODULE, "RECEIVER").removeprefix(party.base_url)
    path = f"{base}/{{country_code}}/{{party_id}}"
    return [
        ocpi_route(party, path, get, module=MODULE, methods=["GET"]),
        ocpi_route(party, path, put, module=MODULE, methods=["PUT"]),
    ]


MODULES.register(ModuleImpl("OCPI", VERSION, MODULE, "RECEIVER", frozenset({"CPO", "EMSP", "SCSP", "NSP"}),
                            receiver_routes))
