"""Build a simulated OCPI platform as an ASGI app from explicit route lists."""

from __future__ import annotations

import importlib
import json
import pkgutil
import time
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from simulators.ocpi import v2_2_1
from simulators.ocpi.admin import ADMIN_HOOKS, AdminHook, HookError, admin_hook
from simulators.ocpi.endpoint import OcpiError, record_plain
from simulators.ocpi.modules import MODULES
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1 import credentials, versions

# Importing every module file of a version registers its interfaces in MODULES (a new module needs no edit here).
for _module in pkgutil.iter_modules(v2_2_1.__path__):
    importlib.import_module(f"{v2_2_1.__name__}.{_module.name}")

__all__ = ["build_app"]


def _admin_routes(party: Party) -> list[BaseRoute]:
    """The trigger hooks (simulators/ocpi/admin.py) the platform's roles offer, at POST /admin/{name}."""
    routes: list[BaseRoute] = []
    for hook in ADMIN_HOOKS.values():
        if hook.roles and not hook.roles & set(party.roles):
            continue

        async def call(request: Request, hook: AdminHook = hook) -> Response:
            try:
                body: Any = json.loads(await request.body() or b"{}")
            except ValueError:
                body = None
            if not isinstance(body, dict):
                return JSONResponse({"error": f"{hook.name}: the body must be a JSON object"}, status_code=400)
            try:
                return JSONResponse(await hook.handler(party, body))
            except HookError as exc:
                return JSONResponse({"error": f"{hook.name}: {exc.message}"}, status_code=exc.status)

        routes.append(Route(f"/admin/{hook.name}", call, methods=["POST"]))
    return routes


@admin_hook("token-a", "issue one more CREDENTIALS_TOKEN_A")
async def _token_a(party: Party, payload: dict[str, Any]) -> dict[str, Any]:
    return {"token": party.issue_token_a(), "versions_url": party.versions_url()}


@admin_hook("register", "register with a partner: {versions_url, token} (the partner's token A)")
async def _register(party: Party, payload: dict[str, Any]) -> dict[str, Any]:
    if not payload.get("versions_url") or not payload.get("token"):
        raise HookError('body must be {"versions_url": ..., "token": ...}')
    try:
        peer = await credentials.register_with(party, str(payload["versions_url"]), str(payload["token"]))
    except OcpiError as exc:
        raise HookError(f"{exc.message} (status_code {exc.status_code})", 502) from None
    return {"registered": True, "version": peer.version}


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
