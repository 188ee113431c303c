"""Sender interfaces that only serve a paginated list of the owner's objects (Tariffs, CDRs)."""

from __future__ import annotations

from collections.abc import Callable

from starlette.routing import BaseRoute

from simulators.ocpi.endpoint import Call, Reply, ocpi_route
from simulators.ocpi.modules import MODULES, ModuleImpl
from simulators.ocpi.pagination import paginated_reply
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1.addressing import addressed_objects

__all__ = ["register_list_sender"]

VERSION = "2.2.1"


def register_list_sender(module: str, party_roles: frozenset[str],
                         more: Callable[[Party], list[BaseRoute]] | None = None) -> None:
    """Register ``module``'s Sender interface: GET of the owned list, paginated and date-filtered, and the
    ``more`` routes of that interface, if any."""

    def routes(party: Party) -> list[BaseRoute]:
        async def get_list(call: Call) -> Reply:
            return paginated_reply(call, addressed_objects(call, party.owned.setdefault(module, [])))

        path = party.module_url(VERSION, module, "SENDER").removeprefix(party.base_url)
        return [ocpi_route(party, path, get_list, module=module, methods=["GET"]), *(more(party) if more else [])]

    MODULES.register(ModuleImpl("OCPI", VERSION, module, "SENDER", party_roles, routes))


