"""The hub's requests to a registered platform on behalf of another party, and what of the answer it relays.

A forwarded request carries the hub's token for the receiving platform, a new ``X-Request-ID`` and the caller's
``X-Correlation-ID`` (transport_and_format_unique_messageg_ids), and the routing headers of its hop. It is recorded
in the hub's exchange log like every other exchange. The answer is relayed as given, apart from what a hub
answers for itself: its own request id echo, routing headers where the receiver gave none, and a pagination
``Link`` that points at the hub instead of the receiver (transport_and_format_paginated_response).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from starlette.requests import Request

from conformance.core.exchange import Exchange
from conformance.core.reading import read_bounded
from conformance.network.notary import OCN_SIGNATURE
from conformance.ocpi.auth import authorization_header
from conformance.ocpi.client import record_reading, refusal
from conformance.ocpi.headers import ROUTING_HEADERS
from simulators.behaviours import Behaviour
from simulators.ocpi.party import Party, Peer
from simulators.ocpi.v2_2_1 import VERSION
from simulators.ocpi.v2_2_1.hub.routing import routing_headers
from simulators.ocpi.v2_2_1.hub.table import Address, hub_state

__all__ = ["FORWARD_HEADERS", "LINK", "RELAYED_HEADERS", "TIMEOUT", "UNREACHABLE", "ForwardHeaders", "Forwarded",
           "LinkRewrite", "RelayedHeaders", "forward"]

T = TypeVar("T")
TIMEOUT, UNREACHABLE = "timeout", "unreachable"

# Pagination headers a relayed list answer keeps (transport_and_format_paginated_response).
_PAGINATION = ("X-Total-Count", "X-Limit")


@dataclass(frozen=True)
class Forwarded:
    """What came back from one forwarded request: an answer, or why none came (TIMEOUT, UNREACHABLE)."""

    exchange: Exchange
    status: int | None
    headers: httpx.Headers
    body: bytes
    failure: str | None = None
    reason: str = ""

    def json(self) -> Any:
        return self.exchange.response_json()


ForwardHeaders = Callable[[Request | None, Address, Address], dict[str, str]]  # (incoming, to, from) -> headers
LinkRewrite = Callable[[str, str, str], str]  # (Link value, receiver's endpoint URL, hub's endpoint URL) -> Link
RelayedHeaders = Callable[[Party, Forwarded, str, str, Address, Address], dict[str, str]]


def _forward_headers(incoming: Request | None, to: Address, sender: Address) -> dict[str, str]:
    """A new request id on every hop, the correlation id kept end to end, the routing headers of this hop."""
    correlation = incoming.headers.get("x-correlation-id") if incoming is not None else None
    headers = {"X-Request-ID": str(uuid.uuid4()), "X-Correlation-ID": correlation or str(uuid.uuid4()),
               **routing_headers(to, sender)}
    signature = incoming.headers.get(OCN_SIGNATURE) if incoming is not None else None
    if signature:  # a party's own signature of the request (a roaming network's OCN Notary) goes on with it
        headers[OCN_SIGNATURE] = signature
    return headers


def _link(value: str, receiver_url: str, hub_url: str) -> str:
    """The receiver's next-page Link, pointing at the hub's endpoint for the same module and interface."""
    return value.replace(f"<{receiver_url.rstrip('/')}", f"<{hub_url.rstrip('/')}", 1)


def _relayed_headers(hub: Party, forwarded: Forwarded, receiver_url: str, hub_url: str, requester: Address,
                     receiver: Address) -> dict[str, str]:
    """Routing headers as the receiver gave them (the hub fills in those it left out: the response goes to the
    requesting party, from the receiving one), pagination headers, and the Link rewritten to the hub."""
    kept = {name: forwarded.headers[name] for name in (*ROUTING_HEADERS, *_PAGINATION) if name in forwarded.headers}
    for name, value in routing_headers(requester, receiver).items():
        kept.setdefault(name, value)
    if "link" in forwarded.headers:
        kept["Link"] = hub.behaviours(LINK)(forwarded.headers["link"], receiver_url, hub_url)
    return kept


def _point(name: str, conformant: T) -> Behaviour[T]:
    return Behaviour("OCPI", VERSION, "hub", f"forwarding.{name}", conformant)


FORWARD_HEADERS: Behaviour[ForwardHeaders] = _point("headers", _forward_headers)  # ids and routing of a hop
LINK: Behaviour[LinkRewrite] = _point("link", _link)  # the next-page Link of a relayed list
RELAYED_HEADERS: Behaviour[RelayedHeaders] = _point("relayed_headers", _relayed_headers)  # headers kept


async def forward(hub: Party, peer: Peer, method: str, url: str, *, headers: dict[str, str],
                  body: bytes | None = None, params: dict[str, str] | None = None) -> Forwarded:
    """Send one request to ``peer`` with the hub's token for it, within the hub's timeout; recorded as roamcert's
    own client records its requests (conformance/ocpi/client.py), but a request that got no answer is a value."""
    if hub.http_factory is None:
        raise RuntimeError("the hub has no outbound HTTP client (set party.http_factory)")
    http: httpx.AsyncClient = hub.http_factory()
    send = {"Accept": "application/json", "Authorization": authorization_header(peer.token_out, base64_encoded=True),
            **({"Content-Type": "application/json"} if body else {}), **headers}
    request = http.build_request(method, url, params=params, content=body or None, headers=send)
    refused = refusal(hub.log, hub.hosts, request, body, direction="callback", version=VERSION)
    if refused is not None:
        reason, exchange = refused
        return Forwarded(exchange, None, httpx.Headers(), b"", UNREACHABLE, reason)
    reading = await read_bounded(http, request, deadline=hub_state(hub).timeout)
    exchange = record_reading(hub.log, request, body, reading, direction="callback", version=VERSION)
    # A deadline reached is the forwarded request timing out (4002); no answer at all, the receiver not reached.
    failure = None if exchange.status is not None else TIMEOUT if reading.limit is not None else UNREACHABLE
    return Forwarded(exchange, exchange.status, reading.response.headers if reading.response is not None
                     else httpx.Headers(), reading.body, failure, reading.limit or reading.error or "")
