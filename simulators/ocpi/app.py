"""Build a simulated OCPI platform as an ASGI app from explicit route lists."""

from __future__ import annotations

import json
import secrets
import time
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from simulators.ocpi import versions
from simulators.ocpi.admin import ADMIN_HOOKS, AdminHook, HookError, admin_hook
from simulators.ocpi.background import lifespan
from simulators.ocpi.endpoint import record_plain
from simulators.ocpi.modules import PLATFORM_ROUTES, load_versions
from simulators.ocpi.party import Party

load_versions()

__all__ = ["build_app"]


def _admin_routes(party: Party) -> list[BaseRoute]:
    """The trigger hooks (simulators/ocpi/admin.py) the platform's roles offer, at POST /admin/{name}."""
    routes: list[BaseRoute] = []
    for hook in ADMIN_HOOKS.values():
        if hook.roles and not hook.roles & set(party.roles):
            continue

        async def call(request: Request, hook: AdminHook = hook) -> Response:
            refused = _refuse_without_secret(party, request)
            if refused is not None:
                return refused
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


def _presented_secret(request: Request) -> str | None:
    """The admin secret a request carries: ``Authorization: Bearer …`` or ``X-Admin-Secret: …``."""
    header = request.headers.get("x-admin-secret")
    if header:
        return header.strip()
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def _refuse_without_secret(party: Party, request: Request) -> Response | None:
    """401 without the admin secret, 403 with a wrong one; None when the hook may run."""
    if party.admin_secret is None:
        return None
    presented = _presented_secret(request)
    if presented is None:
        return JSONResponse({"error": "the admin hooks need the admin secret (Authorization: Bearer <secret> or "
                                      "X-Admin-Secret), printed by `roamcert serve` at start"},
                            status_code=401, headers={"WWW-Authenticate": 'Bearer realm="roamcert admin"'})
    if not secrets.compare_digest(presented.encode(), party.admin_secret.encode()):
        return JSONResponse({"error": "wrong admin secret"}, status_code=403)
    return None


@admin_hook("token-a", "issue one more CREDENTIALS_TOKEN_A")
async def _token_a(party: Party, payload: dict[str, Any]) -> dict[str, Any]:
    return {"token": party.issue_token_a(), "versions_url": party.versions_url()}


def build_app(party: Party, *, admin: bool = True) -> Starlette:
    routes: list[BaseRoute] = list(versions.routes(party))
    for impl in party.modules.for_party("OCPI", party.speaks, party.roles):
        routes.extend(impl.routes(party))
    for extra in PLATFORM_ROUTES:
        routes.extend(extra(party))
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

    return Starlette(routes=routes, exception_handlers={404: not_found, 405: not_found},
                     lifespan=lambda app: lifespan(party))
