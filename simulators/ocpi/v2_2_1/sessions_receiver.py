"""The Sessions module: the eMSP's Receiver interface (mod_sessions_emsp_interface)."""

from __future__ import annotations

import copy
from typing import Any

from starlette.routing import BaseRoute

from simulators.ocpi.endpoint import Call, OcpiError, Reply, ocpi_route
from simulators.ocpi.modules import MODULES, ModuleImpl
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1.receiving import VERSION, object_key, pushed_object, rewritten_reference, unknown

__all__ = ["receiver_routes"]

MODULE = "sessions"


def receiver_routes(party: Party) -> list[BaseRoute]:
    sessions = party.received.setdefault(MODULE, {})
    faults = party.faults

    def key(call: Call) -> tuple[str, str, str]:
        return object_key(call.path("country_code"), call.path("party_id"), call.path("session_id"))

    def stored(call: Call) -> dict[str, Any]:
        session = sessions.get(key(call))
        if session is None:
            raise unknown(f"session {call.path('session_id')}")
        return session

    def kept(session: dict[str, Any]) -> dict[str, Any]:
        if faults.session_periods_dropped:
            session.pop("charging_periods", None)
        if faults.emsp_reference_rewritten and session.get("authorization_reference"):
            session["authorization_reference"] = rewritten_reference(session["authorization_reference"])
        return session

    async def get(call: Call) -> Reply:
        return Reply(data=stored(call))

    async def put(call: Call) -> Reply:
        body = copy.deepcopy(pushed_object(call, "Session", id_param="session_id",
                                           validate=not faults.session_invalid_accepted))
        old = sessions.get(key(call))
        if old is not None and faults.session_put_merges:
            periods = body.get("charging_periods") or old.get("charging_periods") or []
            body = {**old, **body, "charging_periods": periods}
        # A PUT replaces the Session whole, its charging_periods included (mod_sessions_msp_put_method).
        sessions[key(call)] = kept(body)
        return Reply(http_status=201 if old is None else 200, with_data=False)

    async def patch(call: Call) -> Reply:
        body = copy.deepcopy(pushed_object(call, "Session", partial=True, id_param="session_id",
                                           validate=not faults.session_invalid_accepted,
                                           require_last_updated=not faults.session_patch_without_last_updated_ok))
        session = stored(call)
        if faults.session_patch_ignored:
            return Reply(with_data=False)
        if faults.session_patch_needs_kwh and "kwh" not in body:
            raise OcpiError(2001, "A Session PATCH must carry kwh", 400)
        if faults.session_patch_status_ignored:
            body.pop("status", None)
        periods = body.pop("charging_periods", None) or []
        session.update(body)
        # The charging_periods of a PATCH are added to those already stored (mod_sessions_patch_method).
        if periods:
            if faults.session_patch_replaces_periods:
                session["charging_periods"] = periods
            else:
                session.setdefault("charging_periods", []).extend(periods)
        kept(session)
        return Reply(with_data=False)

    base = party.module_url(VERSION, MODULE, "RECEIVER").removeprefix(party.base_url)
    path = f"{base}/{{country_code}}/{{party_id}}/{{session_id}}"
    return [
        ocpi_route(party, path, get, module=MODULE, methods=["GET"]),
        ocpi_route(party, path, put, module=MODULE, methods=["PUT"]),
        ocpi_route(party, path, patch, module=MODULE, methods=["PATCH"]),
    ]


MODULES.register(ModuleImpl("OCPI", VERSION, MODULE, "RECEIVER", frozenset({"EMSP", "SCSP"}), receiver_routes))
