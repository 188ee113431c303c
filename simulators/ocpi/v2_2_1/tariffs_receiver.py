"""The Tariffs module: the eMSP's Receiver interface (mod_tariffs_emsp_interface)."""

from __future__ import annotations

import copy
from typing import Any

from starlette.routing import BaseRoute

from simulators.behaviours import Behaviour
from simulators.ocpi.endpoint import Call, Reply, ocpi_route
from simulators.ocpi.modules import MODULES, ModuleImpl
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1.receiving import KEPT, PUT, STORED, VERSION, object_key, pushed_object, unknown

__all__ = ["DELETE", "receiver_routes"]

MODULE = "tariffs"


def _delete(tariff: dict[str, Any]) -> dict[str, Any] | None:
    """A DELETE removes the Tariff: nothing of it stays stored (mod_tariffs_delete_method)."""
    return None


DELETE = Behaviour("OCPI", VERSION, MODULE, "receiver.delete", _delete)  # what a DELETE leaves of a stored Tariff


def receiver_routes(party: Party) -> list[BaseRoute]:
    tariffs = party.received.setdefault(MODULE, {})

    def key(call: Call) -> tuple[str, str, str]:
        return object_key(call.path("country_code"), call.path("party_id"), call.path("tariff_id"))

    async def get(call: Call) -> Reply:
        tariff = tariffs.get(key(call))
        if tariff is None:
            raise unknown(f"tariff {call.path('tariff_id')}")
        return Reply(data=tariff)

    async def put(call: Call) -> Reply:
        body = pushed_object(call, "Tariff", id_param="tariff_id")
        old = tariffs.get(key(call))
        tariff = party.behaviours(PUT)("Tariff", old, copy.deepcopy(body))
        tariffs[key(call)] = party.behaviours(KEPT)("Tariff", tariff)
        return Reply(http_status=party.behaviours(STORED)("Tariff", old is None), with_data=False)

    async def delete(call: Call) -> Reply:
        if key(call) not in tariffs:
            raise unknown(f"tariff {call.path('tariff_id')}")
        left = party.behaviours(DELETE)(tariffs[key(call)])
        if left is None:
            del tariffs[key(call)]
        else:
            tariffs[key(call)] = left
        return Reply(with_data=False)

    base = party.module_url(VERSION, MODULE, "RECEIVER").removeprefix(party.base_url)
    path = f"{base}/{{country_code}}/{{party_id}}/{{tariff_id}}"
    return [
        ocpi_route(party, path, get, module=MODULE, methods=["GET"]),
        ocpi_route(party, path, put, module=MODULE, methods=["PUT"]),
        ocpi_route(party, path, delete, module=MODULE, methods=["DELETE"]),
    ]


MODULES.register(ModuleImpl("OCPI", VERSION, MODULE, "RECEIVER", frozenset({"EMSP", "NSP"}), receiver_routes))
