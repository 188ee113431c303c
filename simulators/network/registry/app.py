"""The reference registry of a roaming network over HTTP: look-ups for anyone, updates only with the owner's
signature (conformance/network/registry_messages.py).

    GET    /registry/nodes                         every node operator and its domain
    GET    /registry/nodes/{operator}              one, with the parties listed on its node
    PUT    /registry/nodes/{operator}              {"domain", "signature"}
    DELETE /registry/nodes/{operator}              {"signature"}
    GET    /registry/parties                       every party entry
    GET    /registry/parties/{country}/{party}     one party by its OCPI identity (its node's domain included)
    PUT    /registry/parties/{address}             {"country_code", "party_id", "roles", "operator", "signature"}
    PUT    /registry/parties/{address}/modules     {"sender", "receiver", "signature"}
    DELETE /registry/parties/{address}             {"signature"}
    GET    /registry/services[/{provider}]         services, the permissions they ask for, who granted them
    PUT    /registry/services/{provider}           {"name", "url", "permissions", "signature"}
    DELETE /registry/services/{provider}           {"signature"}
    GET    /registry/agreements/{party}            the providers a party granted
    PUT    /registry/agreements/{party}/{provider} {"signature"} (signed by the party)
    DELETE /registry/agreements/{party}/{provider} {"signature"}
    GET    /registry/events?since=N                what changed after event N (nodes drop cached look-ups)

An entry keeps its owner's signature, so whoever reads it can check it was not made up by the registry. An
update whose signature is not its owner's is refused (401) naming the address that did sign; a malformed one
is refused (400) naming the field; one that takes what another owns (a domain, a country code and party id) is
refused (409).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from conformance.network import registry_messages as messages
from conformance.network.registry_messages import RegistryError, Update
from simulators.network.registry.store import Conflict, NotFound, RegistryStore

__all__ = ["MAX_BODY", "registry_app"]

MAX_BODY = 64 * 1024  # an update is a few hundred bytes
Handler = Callable[[Request], Awaitable[JSONResponse]]


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def _body(request: Request) -> dict[str, Any]:
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BODY:
            raise RegistryError(f"body: larger than {MAX_BODY} bytes")
    try:
        body = json.loads(raw or b"{}")
    except ValueError as exc:
        raise RegistryError(f"body: not JSON ({exc})") from exc
    if not isinstance(body, dict):
        raise RegistryError("body: not a JSON object")
    return body


def _text(body: dict[str, Any], field: str) -> str:
    value = body.get(field)
    if not isinstance(value, str):
        raise RegistryError(f"{field}: missing, or not a string")
    return value


def _list(body: dict[str, Any], field: str) -> list[str | int]:
    value = body.get(field, [])
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise RegistryError(f"{field}: not a list of names or numbers")
    return list(value)


def _owner(update: Update, body: dict[str, Any], owner: str) -> str:
    """The signature of ``body``, checked to be ``owner``'s."""
    signature = _text(body, "signature")
    signer = messages.signer(update, signature)
    if signer != owner:
        raise PermissionError(f"signature: made by {signer}, not by {owner}")
    return signature


def _codes(values: list[str | int], enum: Any) -> list[int]:
    return [int(enum[v]) if isinstance(v, str) else int(v) for v in values]


def registry_app(store: RegistryStore | None = None) -> Starlette:
    """The registry as an ASGI app over ``store`` (in memory unless given)."""
    db = store or RegistryStore()

    def guarded(handler: Handler) -> Handler:
        async def run(request: Request) -> JSONResponse:
            try:
                return await handler(request)
            except NotFound as exc:
                return _error(404, str(exc))
            except Conflict as exc:
                return _error(409, str(exc))
            except RegistryError as exc:
                return _error(400, str(exc))
            except PermissionError as exc:
                return _error(401, str(exc))
        return run

    def address(request: Request, name: str) -> str:
        return messages.checksum(str(request.path_params[name]), name)

    async def nodes(request: Request) -> JSONResponse:
        return JSONResponse(db.nodes())

    async def node(request: Request) -> JSONResponse:
        operator = address(request, "operator")
        if request.method == "GET":
            return JSONResponse({**db.node(operator), "parties": db.parties(operator)})
        body = await _body(request)
        if request.method == "PUT":
            domain = _text(body, "domain")
            seq = db.set_node(operator, domain, _owner(messages.set_node(operator, domain), body, operator))
        else:
            _owner(messages.delete_node(operator), body, operator)
            seq = db.delete_node(operator)
        return JSONResponse({"seq": seq})

    async def parties(request: Request) -> JSONResponse:
        return JSONResponse(db.parties())

    async def party_by_ocpi(request: Request) -> JSONResponse:
        return JSONResponse(db.party_by_ocpi(str(request.path_params["country"]).upper(),
                                             str(request.path_params["party"]).upper()))

    async def party(request: Request) -> JSONResponse:
        owner = address(request, "address")
        body = await _body(request)
        if request.method == "PUT":
            country, party_id = _text(body, "country_code"), _text(body, "party_id")
            roles, operator = _list(body, "roles"), messages.checksum(_text(body, "operator"), "operator")
            update = messages.set_party(owner, country, party_id, roles, operator)
            seq = db.set_party(owner, country, party_id, _codes(roles, messages.Role), operator,
                               _owner(update, body, owner))
        else:
            _owner(messages.delete_party(owner), body, owner)
            seq = db.delete_party(owner)
        return JSONResponse({"seq": seq})

    async def party_modules(request: Request) -> JSONResponse:
        owner = address(request, "address")
        body = await _body(request)
        sender, receiver = _list(body, "sender"), _list(body, "receiver")
        update = messages.set_party_modules(owner, sender, receiver)
        seq = db.set_party_modules(owner, _codes(sender, messages.Module), _codes(receiver, messages.Module),
                                   _owner(update, body, owner))
        return JSONResponse({"seq": seq})

    async def services(request: Request) -> JSONResponse:
        return JSONResponse(db.services())

    async def service(request: Request) -> JSONResponse:
        provider = address(request, "provider")
        if request.method == "GET":
            return JSONResponse(db.service(provider))
        body = await _body(request)
        if request.method == "PUT":
            name, url, permissions = _text(body, "name"), _text(body, "url"), _list(body, "permissions")
            update = messages.set_service(name, url, permissions)
            seq = db.set_service(provider, name, url, _codes(permissions, messages.Permission),
                                 _owner(update, body, provider))
        else:
            _owner(messages.delete_service(provider), body, provider)
            seq = db.delete_service(provider)
        return JSONResponse({"seq": seq})

    async def agreements(request: Request) -> JSONResponse:
        return JSONResponse(db.agreements(address(request, "party")))

    async def agreement(request: Request) -> JSONResponse:
        owner, provider = address(request, "party"), address(request, "provider")
        body = await _body(request)
        if request.method == "PUT":
            seq = db.create_agreement(owner, provider, _owner(messages.create_agreement(provider), body, owner))
        else:
            _owner(messages.revoke_agreement(provider), body, owner)
            seq = db.revoke_agreement(owner, provider)
        return JSONResponse({"seq": seq})

    async def events(request: Request) -> JSONResponse:
        try:
            since = int(request.query_params.get("since", "0"))
        except ValueError as exc:
            raise RegistryError("since: not a whole number") from exc
        return JSONResponse(db.events(since))

    routes = [
        Route("/registry/nodes", guarded(nodes), methods=["GET"]),
        Route("/registry/nodes/{operator}", guarded(node), methods=["GET", "PUT", "DELETE"]),
        Route("/registry/parties", guarded(parties), methods=["GET"]),
        Route("/registry/parties/{country}/{party}", guarded(party_by_ocpi), methods=["GET"]),
        Route("/registry/parties/{address}", guarded(party), methods=["PUT", "DELETE"]),
        Route("/registry/parties/{address}/modules", guarded(party_modules), methods=["PUT"]),
        Route("/registry/services", guarded(services), methods=["GET"]),
        Route("/registry/services/{provider}", guarded(service), methods=["GET", "PUT", "DELETE"]),
        Route("/registry/agreements/{party}", guarded(agreements), methods=["GET"]),
        Route("/registry/agreements/{party}/{provider}", guarded(agreement), methods=["PUT", "DELETE"]),
        Route("/registry/events", guarded(events), methods=["GET"]),
    ]
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        if store is None:  # its own store ends with it
            db.close()

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.store = db
    return app
