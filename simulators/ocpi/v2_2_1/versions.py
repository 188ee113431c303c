"""Versions and version details, derived from the module registry (version_information_endpoint)."""

from __future__ import annotations

from starlette.routing import BaseRoute

from simulators.ocpi.endpoint import Call, Reply, ocpi_route
from simulators.ocpi.modules import MODULES
from simulators.ocpi.party import Party

__all__ = ["routes"]

VERSION = "2.2.1"


def version_details(party: Party) -> dict[str, object]:
    strip = party.base_url if party.faults.details_relative_urls else ""
    endpoints = [
        {"identifier": impl.module, "role": impl.role,
         "url": party.module_url(VERSION, impl.module, impl.role).removeprefix(strip)}
        for impl in MODULES.for_party("OCPI", VERSION, party.roles)
    ]
    return {"version": VERSION, "endpoints": endpoints}


def routes(party: Party) -> list[BaseRoute]:
    async def versions(call: Call) -> Reply:
        strip = party.base_url if party.faults.versions_relative_url else ""
        return Reply(data=[{"version": v, "url": party.version_url(v).removeprefix(strip)} for v in party.versions])

    async def details(call: Call) -> Reply:
        return Reply(data=version_details(party))

    prefix = f"/ocpi/{party.path_role}"
    return [
        ocpi_route(party, f"{prefix}/versions", versions, module="versions", methods=["GET"]),
        ocpi_route(party, f"{prefix}/{VERSION}", details, module="versions", methods=["GET"]),
    ]
