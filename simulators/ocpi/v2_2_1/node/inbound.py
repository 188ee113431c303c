"""A node taking a request another node passed on (``POST /ocn/message``) and delivering it to its own party.

The message is taken only when its ``OCN-Signature`` was made by the operator the registry lists for the sending
party: a node speaks only for the parties connected to it. The receiving party must be connected here. Then the
request the message carries is delivered as the hub part delivers any request (new X-Request-ID, the correlation
id kept, the routing headers of the hop) and the receiver's answer goes back as the message's answer.
"""

from __future__ import annotations

import json
import time

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from conformance.network.message import MESSAGE_PATH, NetworkMessage, node_signer
from conformance.network.notary import OCN_SIGNATURE
from conformance.network.registry_client import RegistryUnavailable
from conformance.network.registry_messages import RegistryError
from conformance.ocpi.headers import OCPI_FROM_COUNTRY_CODE, OCPI_FROM_PARTY_ID, OCPI_TO_COUNTRY_CODE, OCPI_TO_PARTY_ID
from conformance.ocpi.status_codes import StatusCode
from simulators.ocpi.endpoint import RENDER, Call, Reply, record_plain
from simulators.ocpi.modules import PLATFORM_ROUTES
from simulators.ocpi.party import Party, Peer
from simulators.ocpi.v2_2_1.hub.delivery import ModuleCall, directed
from simulators.ocpi.v2_2_1.hub.routing import HUB_ERRORS, RECEIVER
from simulators.ocpi.v2_2_1.hub.table import Address, Connected
from simulators.ocpi.v2_2_1.node.carried import carried_request
from simulators.ocpi.v2_2_1.node.points import SIGNER_ACCEPTED
from simulators.ocpi.v2_2_1.node.state import NodeState, node_state

__all__ = ["MAX_MESSAGE", "message_routes"]

MAX_MESSAGE = 4 * 1024 * 1024  # bytes of one message a node reads; a larger one is refused unread


def _refused(status_code: int, message: str, http_status: int = 400) -> Reply:
    return Reply(status_code=status_code, http_status=http_status, message=message, with_data=False)


def _carried(request: Request, message: NetworkMessage) -> Request:
    """The OCPI request the message carries, as the hub part reads a request."""
    headers = {"x-correlation-id": message.correlation_id, "x-request-id": message.request_id,
               OCPI_FROM_COUNTRY_CODE: message.sender[0], OCPI_FROM_PARTY_ID: message.sender[1],
               OCPI_TO_COUNTRY_CODE: message.receiver[0], OCPI_TO_PARTY_ID: message.receiver[1]}
    if message.signature is not None:
        headers[OCN_SIGNATURE] = message.signature
    body = b"" if message.body is None else json.dumps(message.body, separators=(",", ":")).encode("utf-8")
    if body:
        headers["content-type"] = "application/json"
    return carried_request(request, method=message.method, headers=headers, body=body,
                           query=message.query_params, rest=message.url_path or "")


async def _deliver(hub: Party, node: NodeState, request: Request, raw: bytes) -> Reply:
    signature = request.headers.get("ocn-signature")
    if not signature:
        return _refused(StatusCode.INVALID_OR_MISSING_PARAMETERS, "OCN-Signature: missing")
    try:
        message = NetworkMessage.from_json(raw)
    except ValueError as exc:
        return _refused(StatusCode.INVALID_OR_MISSING_PARAMETERS, f"The message is unusable: {exc}")
    errors = hub.behaviours(HUB_ERRORS)
    sender, to = Address(*message.sender), Address(*message.receiver)
    try:
        entry = await node.registry.party(*message.sender)
    except RegistryUnavailable as exc:
        return _refused(errors.generic, f"The registry could not be read: {exc}", 200)
    if entry is None:
        return _refused(errors.unknown_receiver, f"The sending party {sender} is not listed in the registry", 200)
    try:
        signer = node_signer(raw, signature)
    except RegistryError as exc:
        return _refused(StatusCode.INVALID_OR_MISSING_PARAMETERS, str(exc))
    if not hub.behaviours(SIGNER_ACCEPTED)(signer, entry.operator):
        return _refused(StatusCode.INVALID_OR_MISSING_PARAMETERS,
                        f"OCN-Signature: made by {signer}, not by {entry.operator}, the operator of the node the "
                        f"registry lists for {sender}", 401)
    if hub.behaviours(RECEIVER)(hub, to) is None:
        return _refused(errors.unknown_receiver, f"{to} is not connected to this node", 200)
    call = Call(request=_carried(request, message), party=hub, peer=None, token=None, token_kind="node",
                body=message.body)
    what = ModuleCall(message.module, message.interface_role, (message.url_path or "").strip("/"), message.custom)
    remote = Connected(sender, entry.roles[0] if entry.roles else "OTHER",
                       Peer(token_in="", token_out="", versions_url=entry.node or ""))
    return await directed(call, what, remote, to)


def message_routes(hub: Party) -> list[BaseRoute]:
    """``POST /ocn/message`` on a node (no routes on a hub of its own)."""
    node = node_state(hub)
    if node is None:
        return []

    async def endpoint(request: Request) -> Response:
        started = time.perf_counter()
        raw = b""
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > MAX_MESSAGE:
                reply = _refused(StatusCode.INVALID_OR_MISSING_PARAMETERS, f"The message is over {MAX_MESSAGE} bytes",
                                 413)
                break
        else:
            reply = await _deliver(hub, node, request, raw)
        response: Response = hub.behaviours(RENDER)(hub, reply)
        for name, value in reply.headers.items():
            response.headers[name] = value
        # a message between nodes is no OCPI request: no token, no OCPI headers of its own (docs/network.md)
        record_plain(hub, request, raw[:MAX_MESSAGE], response, started, protocol="OCN")
        return response

    return [Route(MESSAGE_PATH, endpoint, methods=["POST"])]


PLATFORM_ROUTES.append(message_routes)
