"""Parties' own signatures on a roaming network (the OCN Notary, conformance/network/notary.py), as a node checks
them and, where it must change a signed value, declares the change.

Before delivering a request, from one of its own parties or passed on by another node, a node checks the
``OCN-Signature`` the request carries: it must be a Notary over the request's signable headers, parameters and
body, first signed by the sending party's key as the registry lists it, with every later change declared. A
request whose signature does not hold is refused (2001) and goes nowhere. A node set to require signatures also
refuses a request without one. A node that sends a copy to a service changes the OCPI-to headers: it declares
their previous values and signs the copy with its own key, so the service can check both the party's signature
and the node's change.
"""

from __future__ import annotations

from starlette.requests import Request

from conformance.network.notary import OCN_SIGNATURE, Notary, UnreadableSignature, values_to_sign
from conformance.network.registry_client import RegistryUnavailable
from conformance.network.signed_values import Json
from conformance.ocpi.headers import OCPI_TO_COUNTRY_CODE, OCPI_TO_PARTY_ID
from conformance.ocpi.status_codes import StatusCode
from simulators.ocpi.endpoint import Call, Reply
from simulators.ocpi.v2_2_1.hub.delivery import ModuleCall
from simulators.ocpi.v2_2_1.hub.table import Address, Connected
from simulators.ocpi.v2_2_1.node.state import NodeState, node_state

__all__ = ["check_signature", "countersigned", "signed_values"]


def signed_values(request: Request, body: Json) -> dict[str, Json]:
    """What a Notary over ``request`` signs."""
    params: dict[str, Json] = dict(request.query_params)
    return values_to_sign(headers=dict(request.headers), params=params or None, body=body)


def _refused(message: str) -> Reply:
    return Reply(status_code=StatusCode.INVALID_OR_MISSING_PARAMETERS, message=message, with_data=False)


async def check_signature(call: Call, what: ModuleCall, sender: Connected, to: Address) -> Reply | None:
    """The node's refusal of the request, None when it may be delivered."""
    node = node_state(call.party)
    if node is None:
        return None
    serialised = call.request.headers.get(OCN_SIGNATURE)
    if not serialised:
        return _refused(f"{OCN_SIGNATURE} required: this node forwards only signed requests") \
            if node.signatures_required else None
    try:
        notary = Notary.deserialise(serialised)
    except UnreadableSignature as exc:
        return _refused(f"{OCN_SIGNATURE} unreadable: {exc}")
    try:
        entry = await node.registry.party(sender.address.country_code, sender.address.party_id)
    except RegistryUnavailable as exc:
        return _refused(f"{OCN_SIGNATURE} cannot be checked: {exc}")
    if entry is None:
        return _refused(f"{OCN_SIGNATURE} cannot be checked: {sender.address} is not listed in the registry")
    verdict = notary.verify(signed_values(call.request, call.body), expected_signatory=entry.address)
    if not verdict:
        return _refused(f"{OCN_SIGNATURE} does not hold: {verdict.error}")
    return None


def countersigned(node: NodeState, request: Request, body: Json, to: Address) -> str | None:
    """The signature of a copy of ``request`` addressed to ``to`` instead: the party's Notary with the previous
    OCPI-to values declared and the copy signed by the node (None when the request carries no signature)."""
    serialised = request.headers.get(OCN_SIGNATURE)
    if not serialised:
        return None
    try:
        notary = Notary.deserialise(serialised)
    except UnreadableSignature:
        return None  # checked before delivery: cannot happen for a request the node delivered
    values = signed_values(request, body)
    headers = values["headers"]
    assert isinstance(headers, dict)
    previous = {f"$['headers']['{name.lower()}']": headers.get(name.lower())
                for name in (OCPI_TO_COUNTRY_CODE, OCPI_TO_PARTY_ID)}
    headers[OCPI_TO_COUNTRY_CODE.lower()], headers[OCPI_TO_PARTY_ID.lower()] = to.country_code, to.party_id
    return notary.stash(previous).signed(values, node.key).serialise()
