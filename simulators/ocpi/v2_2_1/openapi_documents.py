"""The OpenAPI 3.1 documents of the interfaces a reference platform offers, served without a token at
``{version URL}/openapi/{module}-{role}.json`` (e.g. ``/ocpi/cpo/2.2.1/openapi/locations-sender.json``), with an
index of them at ``{version URL}/openapi/``. They are generated from roamcert's JSON Schemas
(conformance/ocpi/v2_2_1/openapi.py), their server the module URL the version details publish."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from conformance.ocpi.v2_2_1.openapi import document, interface
from simulators.ocpi.modules import PLATFORM_ROUTES
from simulators.ocpi.party import Party

__all__ = ["document_routes"]

VERSION = "2.2.1"


def _offered(party: Party) -> list[tuple[str, str]]:
    found = []
    for impl in party.modules.for_party("OCPI", VERSION, party.roles):
        try:
            interface(impl.module, impl.role)
        except KeyError:
            continue
        found.append((impl.module, impl.role))
    return found


def document_routes(party: Party) -> list[BaseRoute]:
    if party.speaks != VERSION:
        return []
    base = party.version_url(VERSION).removeprefix(party.base_url) + "/openapi"
    offered = _offered(party)

    async def index(request: Request) -> Response:
        return JSONResponse([{"module": m, "role": r, "url": f"{party.base_url}{base}/{m}-{r.lower()}.json"}
                             for m, r in offered])

    async def one(request: Request) -> Response:
        name = str(request.path_params["name"])
        module, _, role = name.rpartition("-")
        if (module, role.upper()) not in offered:
            return JSONResponse({"error": f"no OpenAPI document {name}.json here; the index is at {base}/"},
                                status_code=404)
        return JSONResponse(document(module, role.upper(), party.module_url(VERSION, module, role.upper())))

    return [Route(f"{base}/", index, methods=["GET"]), Route(f"{base}/{{name}}.json", one, methods=["GET"])]


PLATFORM_ROUTES.append(document_routes)
