"""One wrapper for every OCPI endpoint of a simulated platform.

It authenticates the credentials token, parses the JSON body, wraps the
handler's reply in the OCPI response envelope, echoes the request and
correlation ids, applies the party's fault profile to all of that, and records
the inbound exchange. Handlers only compute data and status codes.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from conformance.ocpi.auth import decode_token
from simulators.ocpi.party import Party, Peer

__all__ = ["Call", "OcpiError", "Reply", "ocpi_route", "record_plain"]

# Modules that CREDENTIALS_TOKEN_A may open (transport_and_format_authorization_header).
_TOKEN_A_MODULES = frozenset({"versions", "credentials"})


@dataclass
class Reply:
    data: Any = None
    status_code: int = 1000
    http_status: int = 200
    message: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    with_data: bool = True


class OcpiError(Exception):
    def __init__(self, status_code: int, message: str, http_status: int = 200) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.http_status = http_status
        self.message = message


@dataclass
class Call:
    request: Request
    party: Party
    peer: Peer | None
    token: str | None  # the credentials token the caller authenticated with
    token_kind: str  # "peer", "token_a", "anonymous"
    body: Any

    @property
    def params(self) -> dict[str, str]:
        return dict(self.request.query_params)

    def path(self, name: str) -> str:
        return str(self.request.path_params[name])


Handler = Callable[[Call], Awaitable[Reply]]


def _authenticate(party: Party, header: str | None, module: str) -> tuple[str, str | None, Peer | None] | None:
    """Return (kind, token, peer) for an accepted caller, None for 401."""
    faults = party.faults
    if header is None:
        return ("anonymous", None, None) if faults.accept_missing_token else None
    decoded, raw = decode_token(header)
    candidates = [decoded] if decoded is not None else []
    if faults.accept_plain_token and raw is not None:
        candidates.append(raw)
    for token in candidates:
        peer = party.peer_by_token(token)
        if peer is not None:
            return ("peer", token, peer)
        if token in party.tokens_a and (module in _TOKEN_A_MODULES or faults.accept_token_a_everywhere):
            return ("token_a", token, None)
    if faults.accept_unknown_token and candidates:
        return ("anonymous", candidates[0], None)
    return None


def _envelope(party: Party, reply: Reply) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if reply.with_data:
        body["data"] = reply.data
    body["status_code"] = 1000 if reply.http_status >= 400 and party.faults.error_with_success_code \
        else reply.status_code
    if party.faults.custom_status_codes and body["status_code"] >= 2000:
        body["status_code"] = body["status_code"] // 1000 * 1000 + 900 + body["status_code"] % 100
    if reply.message:
        body["status_message"] = reply.message
    if party.faults.envelope_timestamp:
        body["timestamp"] = party.now()
    return body


def ocpi_route(
    party: Party, path: str, handler: Handler, *, module: str, methods: list[str], name: str | None = None
) -> Route:
    async def endpoint(request: Request) -> Response:
        started = time.perf_counter()
        raw_body = await request.body()
        reply = await _dispatch(party, request, raw_body, handler, module)
        faults = party.faults
        if reply.http_status >= 400 and faults.error_without_envelope:
            response: Response = PlainTextResponse(reply.message or "error", status_code=reply.http_status)
        else:
            content = json.dumps(_envelope(party, reply)).encode("utf-8")
            response = Response(content, status_code=reply.http_status, media_type="application/json")
        for key, value in reply.headers.items():
            response.headers[key] = value
        if faults.routing_headers_on_configuration and module in ("versions", "credentials"):
            us = party.identities[0]
            response.headers.update({"OCPI-from-country-code": us.country_code, "OCPI-from-party-id": us.party_id})
        request_id = request.headers.get("x-request-id")
        correlation_id = request.headers.get("x-correlation-id")
        if request_id and faults.echo_request_id:
            response.headers["X-Request-ID"] = request_id
        if correlation_id and faults.echo_correlation_id:
            response.headers["X-Correlation-ID"] = correlation_id
        record_plain(party, request, raw_body, response, started)
        return response

    return Route(path, endpoint, methods=methods, name=name)


async def _dispatch(party: Party, request: Request, raw_body: bytes, handler: Handler, module: str) -> Reply:
    auth = _authenticate(party, request.headers.get("authorization"), module)
    if auth is None:
        return Reply(status_code=2000, http_status=401, message="Unknown or missing credentials token",
                     with_data=False)
    kind, token, peer = auth
    body: Any = None
    if raw_body:
        try:
            body = json.loads(raw_body)
        except ValueError:
            return Reply(status_code=2000, http_status=party.faults.invalid_json_status,
                         message="Request body is not valid JSON", with_data=False)
    call = Call(request=request, party=party, peer=peer, token=token, token_kind=kind, body=body)
    try:
        return await handler(call)
    except OcpiError as exc:
        return Reply(status_code=exc.status_code, http_status=exc.http_status, message=exc.message,
                     with_data=False)


def record_plain(party: Party, request: Request, raw_body: bytes, response: Response, started: float) -> None:
    """Record an inbound exchange (a request the SUT made to this platform)."""
    body = getattr(response, "body", b"")
    party.log.record(
        direction="inbound",
        method=request.method,
        url=str(request.url),
        request_headers=request.headers.items(),
        request_body=raw_body or None,
        status=response.status_code,
        response_headers=response.headers.items(),
        response_body=bytes(body) if body else None,
        elapsed_ms=(time.perf_counter() - started) * 1000,
        protocol="OCPI",
        version=party.speaks,
    )
