"""A node passing a request on to the node of the party it is addressed to, as the registry lists it.

The hub part of a node delivers to the parties connected to it; for any other receiver it asks here. The
registry names the receiver's node; the request travels to it as one signed message (conformance/network/
message.py) and the other node's answer, which is the receiver's answer, goes back to the caller. A receiver
the registry does not list is left to the hub (4001); one listed on this very node but not connected to it is
4003; a node that does not answer in the hub's timeout is 4002.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from conformance.core.reading import read_bounded
from conformance.network.message import MESSAGE_PATH, NetworkMessage
from conformance.network.registry_client import RegistryUnavailable
from conformance.ocpi.client import record_reading, refusal
from conformance.ocpi.headers import ROUTING_HEADERS
from simulators.ocpi.endpoint import Call, Reply
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1 import VERSION
from simulators.ocpi.v2_2_1.hub.delivery import ModuleCall, hub_error
from simulators.ocpi.v2_2_1.hub.routing import HUB_ERRORS, routing_headers
from simulators.ocpi.v2_2_1.hub.table import Address, hub_state
from simulators.ocpi.v2_2_1.node.points import MESSAGE_SIGNATURE, MESSAGE_TEXT, RELAYED_ANSWER
from simulators.ocpi.v2_2_1.node.state import NodeState, node_state

__all__ = ["NodeAnswer", "elsewhere", "send_message"]


@dataclass(frozen=True)
class NodeAnswer:
    """What another node answered a message: its HTTP status, headers and body, or why none came."""

    status: int | None
    headers: dict[str, str]
    body: bytes
    failure: str | None = None
    timed_out: bool = False  # the hub's timeout passed first (4002), rather than no connection at all (4003)


async def send_message(hub: Party, node: NodeState, domain: str, message: NetworkMessage,
                       text: str | None = None) -> NodeAnswer:
    """POST ``message`` (as ``text`` when given, else its JSON) to the node at ``domain``, signed, recorded as the
    hub's forwarded requests are."""
    if hub.http_factory is None:
        raise RuntimeError("the node has no outbound HTTP client (set party.http_factory)")
    http = hub.http_factory()
    sent = message.to_json() if text is None else text
    signature = hub.behaviours(MESSAGE_SIGNATURE)(sent, node.key)
    raw = sent.encode("utf-8")
    request = http.build_request("POST", f"{domain.rstrip('/')}{MESSAGE_PATH}", content=raw,
                                 headers={"Content-Type": "application/json", "X-Request-ID": str(uuid.uuid4()),
                                          "OCN-Signature": signature})
    refused = refusal(hub.log, hub.hosts, request, raw, direction="callback", version=VERSION)
    if refused is not None:
        return NodeAnswer(None, {}, b"", refused[0])
    reading = await read_bounded(http, request, deadline=hub_state(hub).timeout)
    exchange = record_reading(hub.log, request, raw, reading, direction="callback", version=VERSION)
    if exchange.status is None or reading.response is None:
        return NodeAnswer(None, {}, b"", reading.limit or reading.error or "no answer", reading.limit is not None)
    return NodeAnswer(exchange.status, dict(reading.response.headers), reading.body)


async def elsewhere(call: Call, what: ModuleCall, sender: Address, to: Address) -> Reply | None:
    """The answer of ``to``'s node when the registry lists ``to`` on another node; None when it lists it
    nowhere (the hub answers: unknown receiver)."""
    hub = call.party
    node = node_state(hub)
    if node is None:
        return None
    errors = hub.behaviours(HUB_ERRORS)
    try:
        entry = await node.registry.party(to.country_code, to.party_id)
    except RegistryUnavailable as exc:
        return hub_error(call, errors.generic, f"The registry could not be read: {exc}", sender)
    if entry is None:
        return None
    if entry.node is None or entry.node.rstrip("/") == node.domain.rstrip("/"):
        return hub_error(call, errors.not_connected, f"{to} is listed on this node but not connected", sender)
    message = NetworkMessage(
        module=what.module, interface_role=what.interface, method=call.request.method, sender=sender.key,
        receiver=to.key, request_id=str(uuid.uuid4()),
        correlation_id=call.request.headers.get("x-correlation-id") or str(uuid.uuid4()),
        url_path=what.rest or None, query_params=dict(call.request.query_params), body=call.body,
        custom=what.custom, signature=call.request.headers.get("ocn-signature"))
    answer = await send_message(hub, node, entry.node, message, hub.behaviours(MESSAGE_TEXT)(message, call))
    if answer.status is None:
        return hub_error(call, errors.timeout if answer.timed_out else errors.not_connected,
                         f"The node of {to} did not answer: {answer.failure}", sender)
    routing = {h.lower() for h in ROUTING_HEADERS}
    relayed = {name: value for name, value in answer.headers.items() if name.lower() in routing}
    status, body = hub.behaviours(RELAYED_ANSWER)(answer.status, answer.body)
    return Reply(relayed=body, http_status=status, headers=relayed or routing_headers(sender, to))
