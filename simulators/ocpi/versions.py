"""Versions and the details of each version, derived from the module registry (version_information_endpoint)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.routing import BaseRoute

from simulators.ocpi.endpoint import Call, Reply, ocpi_route
from simulators.ocpi.modules import MODULES
from simulators.ocpi.party import Party

__all__ = ["routes"]


def version_details(party: Party, version: str) -> dict[str, object]:
    strip = party.base_url if party.faults.details_relative_urls else ""
    endpoints = [
        {"identifier": impl.module, "role": impl.role,
         "url": party.module_url(version, impl.module, impl.role).removeprefix(strip)}
        for impl in MODULES.for_party("OCPI", version, party.roles)
    ]
    return {"version": version, "endpoints": endpoints}


def routes(party: Party) -> list[BaseRoute]:
    async def versions(call: Call) -> Reply:
        strip = party.base_url if party.faults.versions_relative_url else ""
        return Reply(data=[{"version": v, "url": party.version_url(v).removeprefix(strip)} for v in party.versions])

    def details(version: str) -> Callable[[Call], Awaitable[Reply]]:
        async def answer(call: Call) -> Reply:
            return Reply(data=version_details(party, version))

        return answer

    prefix = f"/ocpi/{party.path_role}"
    return [
        ocpi_route(party, f"{prefix}/versions", versions, module="versions", methods=["GET"]),
        *(ocpi_route(party, f"{prefix}/{version}", details(version), module="versions", methods=["GET"])
          for version in MODULES.versions("OCPI")),
    ]
