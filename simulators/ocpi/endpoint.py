"""One wrapper for every OCPI endpoint of a simulated platform.

It authenticates the credentials token, parses the JSON body, wraps the
handler's reply in the OCPI response envelope, echoes the request and
correlation ids, and records the inbound exchange. Handlers only compute data
and status codes. Each of those steps is a behaviour (simulators/behaviours.py)
a fault profile may replace.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from conformance.ocpi.auth import decode_token
from conformance.ocpi.routing import CONFIGURATION_MODULES, Address, from_address, routing_headers, to_address
from simulators.behaviours import Behaviour
from simulators.ocpi.party import Party, Peer

__all__ = ["ADDRESSEE", "ANSWER_ROUTING", "ENVELOPE", "INVALID_JSON_STATUS", "RENDER", "RESPONSE_HEADERS", "TOKENS",
           "TOKEN_A_OPENS", "UNKNOWN_CALLER", "Addressee", "Call", "Caller", "Envelope", "Handler", "OcpiError",
           "Render", "Reply", "ResponseHeaders", "TokenAOpens", "Tokens", "UnknownCaller", "answering_party",
           "ocpi_route", "record_plain"]

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
    # An answer relayed as another platform gave it (a hub's forwarded response): rendered as is, no envelope.
    relayed: bytes | None = None


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

    @property
    def addressee(self) -> Address | None:
        """The party of this platform the request's OCPI-to headers name (checked held before the handler runs)."""
        return to_address(self.request.headers)

    @property
    def requester(self) -> Address | None:
        """The party the request's OCPI-from headers name."""
        return from_address(self.request.headers)


Handler = Callable[[Call], Awaitable[Reply]]
Caller = tuple[str, str | None, Peer | None]  # (token kind, token, peer) of an accepted caller
Tokens = Callable[[str], list[str]]
TokenAOpens = Callable[[str], bool]
UnknownCaller = Callable[[str | None, list[str]], Caller | None]
Envelope = Callable[[Party, Reply], dict[str, Any]]
Render = Callable[[Party, Reply], Response]
ResponseHeaders = Callable[[Party, Request, str], dict[str, str]]
Addressee = Callable[[Party, Request, str], str | None]  # why a routed request is not for this platform, or None

T = TypeVar("T")


def _point(name: str, conformant: T) -> Behaviour[T]:
    return Behaviour("OCPI", "", "transport", f"endpoint.{name}", conformant)


def _tokens(header: str) -> list[str]:
    """The credentials tokens an Authorization header carries: only the Base64-decoded one."""
    decoded, _ = decode_token(header)
    return [decoded] if decoded is not None else []


def _token_a_opens(module: str) -> bool:
    return module in _TOKEN_A_MODULES


def _unknown_caller(header: str | None, tokens: list[str]) -> Caller | None:
    """A caller without a token, or whose tokens open nothing here, is refused (HTTP 401)."""
    return None


def _envelope(party: Party, reply: Reply) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if reply.with_data:
        body["data"] = reply.data
    body["status_code"] = reply.status_code
    if reply.message:
        body["status_message"] = reply.message
    body["timestamp"] = party.now()
    return body


def _render(party: Party, reply: Reply) -> Response:
    """Every reply, an error too, is the OCPI response envelope (transport_and_format_response_format)."""
    if reply.relayed is not None:
        return Response(reply.relayed, status_code=reply.http_status, media_type="application/json")
    content = json.dumps(party.behaviours(ENVELOPE)(party, reply)).encode("utf-8")
    return Response(content, status_code=reply.http_status, media_type="application/json")


def _response_headers(party: Party, request: Request, module: str) -> dict[str, str]:
    """The request and correlation ids are echoed (transport_and_format_request_id / _correlation_id)."""
    headers: dict[str, str] = {}
    request_id = request.headers.get("x-request-id")
    correlation_id = request.headers.get("x-correlation-id")
    if request_id:
        headers["X-Request-ID"] = request_id
    if correlation_id:
        headers["X-Correlation-ID"] = correlation_id
    return headers


def answering_party(party: Party, request: Request, module: str) -> Address | None:
    """The party of this platform that answers a functional module's request: the one its OCPI-to headers name,
    else the platform's only party, else the one whose role offers the interface the URL belongs to."""
    addressed = to_address(request.headers)
    if addressed is not None:
        return addressed
    if len(party.identities) == 1:
        identity = party.identities[0]
        return Address(identity.country_code, identity.party_id)
    path = request.url.path
    for interface in ("SENDER", "RECEIVER"):
        if not path.startswith(party.module_url(party.speaks, module, interface).removeprefix(party.base_url)):
            continue
        offered = [impl for impl in party.modules.for_party("OCPI", party.speaks, party.roles)
                   if impl.module == module and impl.role == interface]
        for identity in party.identities:
            if any(identity.role in impl.party_roles for impl in offered):
                return Address(identity.country_code, identity.party_id)
    return None


def _answer_routing(party: Party, request: Request, module: str) -> dict[str, str]:
    """The routing headers of an answer from a functional module (transport_and_format_message_routing, the header
    tables): to the requesting party, from the answering one. A platform of one party answering a request without
    routing headers (peer to peer between single parties) sends none; the configuration modules never do."""
    if module in CONFIGURATION_MODULES or "HUB" in party.roles:  # the hub writes its own (hub/forwarding.py)
        return {}
    requester = from_address(request.headers)
    if requester is None and len(party.identities) == 1:
        return {}
    return routing_headers(requester, answering_party(party, request, module))


def _addressee(party: Party, request: Request, module: str) -> str | None:
    """A routed request for a party this platform does not hold is not its to answer: it is refused (2001, an
    invalid parameter: status_codes_2xxx_client_errors; the 4xxx codes are a hub's)."""
    addressed = to_address(request.headers)
    if addressed is None or module in CONFIGURATION_MODULES or "HUB" in party.roles:
        return None
    if any(Address(i.country_code, i.party_id) == addressed for i in party.identities):
        return None
    return f"OCPI-to {addressed} is no party of this platform"


TOKENS = _point("tokens", _tokens)  # the tokens an Authorization header may carry
TOKEN_A_OPENS = _point("token_a_opens", _token_a_opens)  # the modules CREDENTIALS_TOKEN_A opens
UNKNOWN_CALLER = _point("unknown_caller", _unknown_caller)  # a caller no token of ours identifies
ENVELOPE = _point("envelope", _envelope)  # the response envelope of a reply
RENDER = _point("render", _render)  # the HTTP response a reply becomes
RESPONSE_HEADERS = _point("response_headers", _response_headers)  # headers every response carries
INVALID_JSON_STATUS = _point("invalid_json_status", 400)  # HTTP status of a request body that is not JSON
ANSWER_ROUTING = _point("answer_routing", _answer_routing)  # the routing headers of an answer
ADDRESSEE = _point("addressee", _addressee)  # a routed request for a party the platform does not hold


def _authenticate(party: Party, header: str | None, module: str) -> Caller | None:
    """Return (kind, token, peer) for an accepted caller, None for 401."""
    behave = party.behaviours
    tokens = behave(TOKENS)(header) if header is not None else []
    for token in tokens:
        peer = party.peer_by_token(token)
        if peer is not None:
            return ("peer", token, peer)
        if token in party.tokens_a and behave(TOKEN_A_OPENS)(module):
            return ("token_a", token, None)
    return behave(UNKNOWN_CALLER)(header, tokens)


def ocpi_route(
    party: Party, path: str, handler: Handler, *, module: str, methods: list[str], name: str | None = None
) -> Route:
    async def endpoint(request: Request) -> Response:
        started = time.perf_counter()
        raw_body = await request.body()
        reply = await _dispatch(party, request, raw_body, handler, module)
        response = party.behaviours(RENDER)(party, reply)
        for key, value in reply.headers.items():
            response.headers[key] = value
        for key, value in party.behaviours(RESPONSE_HEADERS)(party, request, module).items():
            response.headers[key] = value
        for key, value in party.behaviours(ANSWER_ROUTING)(party, request, module).items():
            if key not in reply.headers:
                response.headers[key] = value
        record_plain(party, request, raw_body, response, started)
        return response

    return Route(path, endpoint, methods=methods, name=name)


async def _dispatch(party: Party, request: Request, raw_body: bytes, handler: Handler, module: str) -> Reply:
    auth = _authenticate(party, request.headers.get("authorization"), module)
    if auth is None:
        return Reply(status_code=2000, http_status=401, message="Unknown or missing credentials token",
                     with_data=False)
    kind, token, peer = auth
    stranger = party.behaviours(ADDRESSEE)(party, request, module)
    if stranger is not None:
        return Reply(status_code=2001, message=stranger, with_data=False)
    if peer is not None and peer.first_call is not None:
        learn, peer.first_call = peer.first_call, None
        await learn()
    body: Any = None
    if raw_body:
        try:
            body = json.loads(raw_body)
        except ValueError:
            return Reply(status_code=2000, http_status=party.behaviours(INVALID_JSON_STATUS),
                         message="Request body is not valid JSON", with_data=False)
    call = Call(request=request, party=party, peer=peer, token=token, token_kind=kind, body=body)
    try:
        return await handler(call)
    except OcpiError as exc:
        return Reply(status_code=exc.status_code, http_status=exc.http_status, message=exc.message,
                     with_data=False)


def record_plain(party: Party, request: Request, raw_body: bytes, response: Response, started: float, *,
                 protocol: str = "OCPI") -> None:
    """Record an inbound exchange (a request the SUT made to this platform); ``protocol`` other than OCPI (a
    message between nodes) keeps OCPI's request checks off it."""
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
        protocol=protocol,
        version=party.speaks if protocol == "OCPI" else "",
    )
