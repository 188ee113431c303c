"""Build a simulated OCPI platform as an ASGI app from explicit route lists."""

from __future__ import annotations

import importlib
import pkgutil
import time
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from simulators.ocpi import v2_2_1
from simulators.ocpi.endpoint import OcpiError, record_plain
from simulators.ocpi.modules import MODULES
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1 import credentials, versions

# Importing every module file of a version registers its interfaces in MODULES (a new module needs no edit here).
for _module in pkgutil.iter_modules(v2_2_1.__path__):
    importlib.import_module(f"{v2_2_1.__name__}.{_module.name}")

__all__ = ["build_app"]


def _admin_routes(party: Party) -> list[BaseRoute]:
    """Hooks a test harness uses to make the reference act (the 'trigger hooks' of a real back-end)."""

    async def token_a(request: Request) -> Response:
        return JSONResponse({"token": party.issue_token_a(), "versions_url": party.versions_url()})

    async def register(request: Request) -> Response:
        body: Any = await request.json()
        if not isinstance(body, dict) or not body.get("versions_url") or not body.get("token"):
            return JSONResponse({"error": "body must be {\"versions_url\": ..., \"token\": ...}"}, status_code=400)
        try:
            peer = await credentials.register_with(party, str(body["versions_url"]), str(body["token"]))
        except OcpiError as exc:
            return JSONResponse({"error": exc.message, "status_code": exc.status_code}, status_code=502)
        return JSONResponse({"registered": True, "version": peer.version})

    return [
        Route("/admin/token-a", token_a, methods=["POST"]),
        Route("/admin/register", register, methods=["POST"]),
    ]


def build_app(party: Party, *, admin: bool = True) -> Starlette:
    routes: list[BaseRoute] = list(versions.routes(party))
    for impl in MODULES.for_party("OCPI", versions.VERSION, party.roles):
        routes.extend(impl.routes(party))
    if admin:
        routes.extend(_admin_routes(party))

    async def not_found(request: Request, exc: Exception) -> Response:
        started = time.perf_counter()
        response = JSONResponse(
            {"status_code": 2000, "status_message": f"No endpoint at {request.url.path}", "timestamp": party.now()},
            status_code=404,
        )
        record_plain(party, request, await request.body(), response, started)
        return response

    return Starlette(routes=routes, exception_handlers={404: not_found, 405: not_found})
