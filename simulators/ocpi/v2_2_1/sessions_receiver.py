"""The Sessions module: the eMSP's Receiver interface (mod_sessions_emsp_interface)."""

from __future__ import annotations

import copy
from typing import Any

from starlette.routing import BaseRoute

from simulators.ocpi.endpoint import Call, Reply, ocpi_route
from simulators.ocpi.modules import MODULES, ModuleImpl
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1.receiving import KEPT, PATCH, PUT, STORED, VERSION, object_key, pushed_object, unknown

__all__ = ["receiver_routes"]

MODULE = "sessions"


def receiver_routes(party: Party) -> list[BaseRoute]:
    sessions = party.received.setdefault(MODULE, {})

    def key(call: Call) -> tuple[str, str, str]:
        return object_key(call.path("country_code"), call.path("party_id"), call.path("session_id"))

    def stored(call: Call) -> dict[str, Any]:
        session = sessions.get(key(call))
        if session is None:
            raise unknown(f"session {call.path('session_id')}")
        return session

    async def get(call: Call) -> Reply:
        return Reply(data=stored(call))

    async def put(call: Call) -> Reply:
        body = copy.deepcopy(pushed_object(call, "Session", id_param="session_id"))
        old = sessions.get(key(call))
        # A PUT replaces the Session whole, its charging_periods included (mod_sessions_msp_put_method).
        sessions[key(call)] = party.behaviours(KEPT)("Session", party.behaviours(PUT)("Session", old, body))
        return Reply(http_status=party.behaviours(STORED)("Session", old is None), with_data=False)

    async def patch(call: Call) -> Reply:
        body = copy.deepcopy(pushed_object(call, "Session", partial=True, id_param="session_id"))
        # The charging_periods of a PATCH are added to those already stored (mod_sessions_patch_method).
        session = party.behaviours(PATCH)("Session", stored(call), body)
        sessions[key(call)] = party.behaviours(KEPT)("Session", session)
        return Reply(with_data=False)

    base = party.module_url(VERSION, MODULE, "RECEIVER").removeprefix(party.base_url)
    path = f"{base}/{{country_code}}/{{party_id}}/{{session_id}}"
    return [
        ocpi_route(party, path, get, module=MODULE, methods=["GET"]),
        ocpi_route(party, path, put, module=MODULE, methods=["PUT"]),
        ocpi_route(party, path, patch, module=MODULE, methods=["PATCH"]),
    ]


MODULES.register(ModuleImpl("OCPI", VERSION, MODULE, "RECEIVER", frozenset({"EMSP", "SCSP"}), receiver_routes))
