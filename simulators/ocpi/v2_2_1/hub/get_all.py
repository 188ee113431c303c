"""GET All via the hub (transport_and_format_get_all_via_hubs): a GET on a Sender interface's list addressed to
the hub returns the objects of every connected Sender of that module, combined by the hub and paginated by it,
so the next-page ``Link`` points at the hub (transport_and_format_paginated_response).

The hub reads each Sender's whole list (following its Link, at most ``HubState.max_pages`` pages) with the
caller's date filters, keeps of each Sender only the objects that party owns (its country_code and party_id), and
cuts its own pages from the result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from conformance.ocpi.headers import next_url
from simulators.behaviours import Behaviour
from simulators.ocpi.endpoint import Call, Reply
from simulators.ocpi.pagination import paginated_reply
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1 import VERSION
from simulators.ocpi.v2_2_1.hub.clientinfo import heard_from, not_answering
from simulators.ocpi.v2_2_1.hub.forwarding import FORWARD_HEADERS, forward
from simulators.ocpi.v2_2_1.hub.routing import opposite_roles, routing_headers
from simulators.ocpi.v2_2_1.hub.table import CONNECTED, Connected, hub_address, hub_state, parties, status_of

__all__ = ["SOURCES", "VISIBLE", "Sources", "Visible", "get_all"]

T = TypeVar("T")
Sources = Callable[[Party, str, Connected], list[Connected]]  # (hub, module, requester) -> the Senders read
Visible = Callable[[Connected, dict[str, Any]], bool]  # (Sender party, object) -> whether it is that party's

_FILTERS = ("date_from", "date_to")


def _sources(hub: Party, module: str, requester: Connected) -> list[Connected]:
    """The connected parties of other platforms, of the roles the requester deals with, offering the Sender."""
    roles = opposite_roles(requester.role)
    return [party for party in parties(hub) if party.peer is not requester.peer and party.role in roles
            and status_of(hub, party.address) == CONNECTED and party.peer.endpoint(module, "SENDER") is not None]


def _visible(source: Connected, item: dict[str, Any]) -> bool:
    """A platform holding several parties serves them all at one endpoint: each object is its owner's only."""
    return (str(item.get("country_code", "")).upper(), str(item.get("party_id", "")).upper()) == source.address.key


def _point(name: str, conformant: T) -> Behaviour[T]:
    return Behaviour("OCPI", VERSION, "hub", f"get_all.{name}", conformant)


SOURCES: Behaviour[Sources] = _point("sources", _sources)  # the Senders a GET All combines
VISIBLE: Behaviour[Visible] = _point("visible", _visible)  # which objects of a Sender's list it passes on


async def _read(call: Call, module: str, source: Connected) -> list[dict[str, Any]]:
    """Every page of ``source``'s list, following its next-page Link while it stays on that endpoint."""
    hub = call.party
    endpoint = source.peer.endpoint(module, "SENDER")
    assert endpoint is not None
    params: dict[str, str] | None = {k: v for k, v in call.params.items() if k in _FILTERS}
    url: str | None = endpoint
    found: list[dict[str, Any]] = []
    for _ in range(hub_state(hub).max_pages):
        if url is None:
            break
        headers = hub.behaviours(FORWARD_HEADERS)(call.request, source.address, hub_address(hub))
        forwarded = await forward(hub, source.peer, "GET", url, headers=headers, params=params)
        if forwarded.failure:
            await not_answering(hub, source.peer)
            break
        await heard_from(hub, source.peer)
        try:
            body = forwarded.json()
        except ValueError:
            break
        data = body.get("data") if isinstance(body, dict) and body.get("status_code") == 1000 else None
        found.extend(item for item in data or [] if isinstance(item, dict) and isinstance(item.get("last_updated"), str)
                     and hub.behaviours(VISIBLE)(source, item))
        url, params = _next(forwarded.headers.get("link"), endpoint), None
    return found


def _next(link: str | None, endpoint: str) -> str | None:
    """The next page a Link header names, if it is on the Sender's endpoint (the hub's token goes nowhere else)."""
    target = next_url(link)
    return target if target is not None and target.startswith(endpoint.rstrip("/")) else None


async def get_all(call: Call, module: str, requester: Connected) -> Reply:
    hub = call.party
    items: list[dict[str, Any]] = []
    for source in hub.behaviours(SOURCES)(hub, module, requester):
        items.extend(await _read(call, module, source))
    reply = paginated_reply(call, items)
    reply.headers.update(routing_headers(requester.address, hub_address(hub)))
    return reply
