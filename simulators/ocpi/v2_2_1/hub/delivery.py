"""Delivering a routed request: to the party the to-headers name, to every entitled party (Broadcast Push), or to
the party the hub determines (Open Routing Request) (transport_and_format_message_routing).

A receiver's answer goes back to the caller as given (forwarding.py says what the hub changes); when the receiver
gives none, the hub answers with its own 4xxx status (status_codes_4xxx_hub_errors) and, since the receiver
stopped answering, sets its parties OFFLINE.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from conformance.ocpi.status_codes import StatusCode
from simulators.ocpi.endpoint import Call, OcpiError, Reply
from simulators.ocpi.v2_2_1 import VERSION
from simulators.ocpi.v2_2_1.hub.clientinfo import heard_from, not_answering
from simulators.ocpi.v2_2_1.hub.forwarding import FORWARD_HEADERS, RELAYED_HEADERS, TIMEOUT, Forwarded, forward
from simulators.ocpi.v2_2_1.hub.routing import ENTITLED, HUB_ERRORS, OPEN_RECEIVER, RECEIVER, routing_headers
from simulators.ocpi.v2_2_1.hub.table import CONNECTED, Address, Connected, hub_address, status_of

__all__ = ["BEYOND", "Beyond", "ModuleCall", "broadcast", "directed", "hub_error", "open_routing"]

BEYOND = "beyond"  # the key of what a node of a roaming network adds to its hub part, in the hub's state


@dataclass(frozen=True)
class ModuleCall:
    """The module interface a request reached at the hub, and the path below its endpoint."""

    module: str
    interface: str  # SENDER or RECEIVER
    rest: str  # the path below the module's endpoint ('' for the endpoint itself)
    custom: bool = False  # a module OCPI does not define, agreed between parties (a roaming network's nodes)

    def url(self, endpoint: str, query: str) -> str:
        # The endpoint itself exactly as published: a platform may publish it with a trailing slash and redirect
        # the URL without one (extrawest-ocpi does), and the hub follows no redirect.
        path = f"{endpoint.rstrip('/')}/{self.rest}" if self.rest else endpoint
        return path + (f"?{query}" if query else "")


def hub_error(call: Call, status_code: int, message: str, to: Address | None) -> Reply:
    """An answer of the hub itself: the error goes to the requesting party, from the hub."""
    headers = routing_headers(to, hub_address(call.party)) if to is not None else {}
    return Reply(status_code=status_code, message=message, with_data=False, headers=headers)


async def _deliver(call: Call, what: ModuleCall, receiver: Connected, sender: Address) -> Forwarded:
    hub = call.party
    endpoint = receiver.peer.endpoint(what.module, what.interface)
    assert endpoint is not None
    headers = hub.behaviours(FORWARD_HEADERS)(call.request, receiver.address, sender)
    body = await call.request.body()
    forwarded = await forward(hub, receiver.peer, call.request.method, what.url(endpoint, call.request.url.query),
                              headers=headers, body=body or None)
    await (not_answering(hub, receiver.peer) if forwarded.failure else heard_from(hub, receiver.peer))
    return forwarded


def _relay(call: Call, what: ModuleCall, forwarded: Forwarded, receiver: Connected, requester: Address) -> Reply:
    hub = call.party
    endpoint = receiver.peer.endpoint(what.module, what.interface) or ""
    hub_url = hub.module_url(VERSION, what.module, what.interface)
    headers = hub.behaviours(RELAYED_HEADERS)(hub, forwarded, endpoint, hub_url, requester, receiver.address)
    return Reply(relayed=forwarded.body, http_status=forwarded.status or 200, headers=headers)


def _failed(call: Call, forwarded: Forwarded, receiver: Connected, requester: Address) -> Reply:
    errors = call.party.behaviours(HUB_ERRORS)
    if forwarded.failure == TIMEOUT:
        return hub_error(call, errors.timeout, f"The request forwarded to {receiver.address} timed out",
                         requester)
    return hub_error(call, errors.not_connected, f"{receiver.address} could not be reached", requester)


def _unavailable(call: Call, what: ModuleCall, receiver: Connected | None, to: Address,
                 requester: Address) -> Reply | None:
    """The hub's answer when the request cannot go to ``receiver`` at all, None when it can."""
    errors = call.party.behaviours(HUB_ERRORS)
    if receiver is None and status_of(call.party, to) is None:
        return hub_error(call, errors.unknown_receiver, f"No party {to} is known to this hub", requester)
    if receiver is None:  # known to the hub (its ClientInfo kept), but its platform is no longer registered
        return hub_error(call, errors.not_connected, f"{to} is not connected ({status_of(call.party, to)})",
                         requester)
    if status_of(call.party, receiver.address) != CONNECTED:
        return hub_error(call, errors.not_connected, f"{to} is not connected "
                         f"({status_of(call.party, receiver.address) or 'never connected'})", requester)
    if receiver.peer.endpoint(what.module, what.interface) is None:
        return hub_error(call, errors.generic, f"{to} offers no {what.module} {what.interface} interface",
                         requester)
    return None


@dataclass(frozen=True)
class Beyond:
    """What a node of a roaming network adds to its hub part's delivery (simulators/ocpi/v2_2_1/node)."""

    # Its refusal of a request before delivery (its sender's signature does not hold), None to deliver it.
    vet: Callable[[Call, ModuleCall, Connected, Address], Awaitable[Reply | None]]
    # The answer of the node the registry lists a party on that the hub part does not serve; None: listed nowhere.
    elsewhere: Callable[[Call, ModuleCall, Address, Address], Awaitable[Reply | None]]
    # Copies of a delivered request to the services its sender granted.
    copies: Callable[[Call, ModuleCall, Connected, Address], Awaitable[None]]


async def directed(call: Call, what: ModuleCall, sender: Connected, to: Address) -> Reply:
    """Party to party via the hub: the routing headers are kept on both hops. A node of a roaming network first
    checks the request (its sender's signature), reaches a party served by another node, and sends copies of a
    delivered request to the services the sender granted."""
    beyond: Beyond | None = call.party.state.get(BEYOND)
    refused = None if beyond is None else await beyond.vet(call, what, sender, to)
    if refused is not None:
        return refused
    reply = await _directed(call, what, sender, to, beyond)
    if beyond is not None and reply.relayed is not None:
        await beyond.copies(call, what, sender, to)
    return reply


async def _directed(call: Call, what: ModuleCall, sender: Connected, to: Address, beyond: Beyond | None) -> Reply:
    receiver = call.party.behaviours(RECEIVER)(call.party, to)
    if beyond is not None and receiver is None and status_of(call.party, to) is None:
        relayed = await beyond.elsewhere(call, what, sender.address, to)
        if relayed is not None:
            return relayed
    refused = _unavailable(call, what, receiver, to, sender.address)
    if refused is not None:
        return refused
    assert receiver is not None
    forwarded = await _deliver(call, what, receiver, sender.address)
    if forwarded.failure:
        return _failed(call, forwarded, receiver, sender.address)
    return _relay(call, what, forwarded, receiver, sender.address)


def _entitled(call: Call, what: ModuleCall, sender: Connected) -> list[Connected]:
    hub = call.party
    return [party for party in hub.behaviours(ENTITLED)(hub, what.module, what.interface, sender)
            if status_of(hub, party.address) == CONNECTED]


async def broadcast(call: Call, what: ModuleCall, sender: Connected) -> Reply:
    """A Broadcast Push (to-headers: the hub): the hub sends it, from itself, to every entitled party and answers
    the caller itself; the receivers' errors are not forwarded (status_codes_4xxx_hub_errors)."""
    if call.request.method == "GET":
        raise OcpiError(StatusCode.INVALID_OR_MISSING_PARAMETERS,
                        "GET is no Broadcast Push (transport_and_format_message_routing_broadcast_push); a GET All "
                        "via the hub goes to a Sender interface's list")
    hub_party = hub_address(call.party)
    receivers = _entitled(call, what, sender)
    await asyncio.gather(*(_deliver(call, what, receiver, hub_party) for receiver in receivers))
    return Reply(with_data=False, headers=routing_headers(sender.address, hub_address(call.party)))


async def open_routing(call: Call, what: ModuleCall, sender: Connected) -> Reply:
    """An Open Routing Request (no to-headers): to the party the request's content names where it names one,
    otherwise to every entitled party (transport_and_format_message_routing_open_routing_request). A GET asks
    them in turn and relays the first success; a push goes to all and relays the first success (else the last
    answer)."""
    named = call.party.behaviours(OPEN_RECEIVER)(what.module, call.body)
    if named is not None:
        return await directed(call, what, sender, named)
    receivers = _entitled(call, what, sender)
    if not receivers:
        return hub_error(call, call.party.behaviours(HUB_ERRORS).unknown_receiver,
                         f"No connected party to route this {what.module} request to", sender.address)
    answers: list[tuple[Connected, Forwarded]] = []
    if call.request.method == "GET":
        for receiver in receivers:
            answers.append((receiver, await _deliver(call, what, receiver, sender.address)))
            if _succeeded(answers[-1][1]):
                break
    else:
        delivered = await asyncio.gather(*(_deliver(call, what, r, sender.address) for r in receivers))
        answers = list(zip(receivers, delivered, strict=True))
    receiver, forwarded = next(((r, f) for r, f in answers if _succeeded(f)), answers[-1])
    if forwarded.failure:
        return _failed(call, forwarded, receiver, sender.address)
    return _relay(call, what, forwarded, receiver, sender.address)


def _succeeded(forwarded: Forwarded) -> bool:
    if forwarded.failure:
        return False
    try:
        body = forwarded.json()
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("status_code") == StatusCode.GENERIC_SUCCESS
