"""Versions and the details of each version, derived from the module registry (version_information_endpoint)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.routing import BaseRoute

from simulators.behaviours import Behaviour
from simulators.ocpi.endpoint import Call, Reply, ocpi_route
from simulators.ocpi.party import Party

__all__ = ["DETAILS_OPEN", "ENDPOINT_URL", "OFFERED", "VERSION_URL", "DetailsOpen", "EndpointUrl", "Offered",
           "VersionUrl", "routes"]

VersionUrl = Callable[[Party, str], str]
EndpointUrl = Callable[[Party, str, str, str], str]  # (party, version, module, interface role) -> URL
Offered = Callable[[Party], tuple[str, ...]]  # the versions the versions list offers
DetailsOpen = Callable[[Call], bool]  # whether an authenticated caller may read the version details


def _version_url(party: Party, version: str) -> str:
    return party.version_url(version)


def _endpoint_url(party: Party, version: str, module: str, role: str) -> str:
    return party.module_url(version, module, role)


def _offered(party: Party) -> tuple[str, ...]:
    return party.versions


def _details_open(call: Call) -> bool:
    """Every caller the endpoint wrapper let in: a registered peer, and token A before registration."""
    return True


# The URLs the versions list and the version details give (absolute, as version_information_endpoint says).
VERSION_URL = Behaviour("OCPI", "", "transport", "versions.version_url", _version_url)
ENDPOINT_URL = Behaviour("OCPI", "", "transport", "versions.endpoint_url", _endpoint_url)
OFFERED = Behaviour("OCPI", "", "transport", "versions.offered", _offered)  # the versions listed
DETAILS_OPEN = Behaviour("OCPI", "", "transport", "versions.details_open", _details_open)  # who reads the details


def version_details(party: Party, version: str) -> dict[str, object]:
    endpoint_url = party.behaviours(ENDPOINT_URL)
    endpoints = [
        {"identifier": impl.module, "role": impl.role, "url": endpoint_url(party, version, impl.module, impl.role)}
        for impl in party.modules.for_party("OCPI", version, party.roles)
    ]
    return {"version": version, "endpoints": endpoints}


def routes(party: Party) -> list[BaseRoute]:
    async def versions(call: Call) -> Reply:
        version_url = party.behaviours(VERSION_URL)
        offered = party.behaviours(OFFERED)(party)
        return Reply(data=[{"version": v, "url": version_url(party, v)} for v in offered])

    def details(version: str) -> Callable[[Call], Awaitable[Reply]]:
        async def answer(call: Call) -> Reply:
            if not party.behaviours(DETAILS_OPEN)(call):
                return Reply(status_code=2000, http_status=401, message="Unknown or missing credentials token",
                             with_data=False)
            return Reply(data=version_details(party, version))

        return answer

    prefix = f"/ocpi/{party.path_role}"
    return [
        ocpi_route(party, f"{prefix}/versions", versions, module="versions", methods=["GET"]),
        *(ocpi_route(party, f"{prefix}/{version}", details(version), module="versions", methods=["GET"])
          for version in party.modules.versions("OCPI")),
    ]
