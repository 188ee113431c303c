"""Copies of a party's requests to the third-party services it granted, as a node of a roaming network sends them.

After a node delivered a request that one of its own parties sent (not one another node passed on: that node
sent the copies), it asks the registry which services the sender granted whose permissions cover the request's
module and interface, and sends each the same request addressed to the service's own party. A copy is sent and
forgotten: its answer is recorded in the node's log but changes nothing of the sender's answer. A revoked grant
stops the copies at the node's next read of the registry's change log. Custom modules are not copied (as OCN
nodes do not).
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import replace

from conformance.network.notary import OCN_SIGNATURE
from conformance.network.registry_client import RegistryUnavailable
from conformance.ocpi.headers import OCPI_TO_COUNTRY_CODE, OCPI_TO_PARTY_ID
from simulators.ocpi.endpoint import Call
from simulators.ocpi.v2_2_1.hub.delivery import ModuleCall, directed
from simulators.ocpi.v2_2_1.hub.table import Address, Connected
from simulators.ocpi.v2_2_1.node.carried import carried_request
from simulators.ocpi.v2_2_1.node.points import SERVICES
from simulators.ocpi.v2_2_1.node.signatures import countersigned
from simulators.ocpi.v2_2_1.node.state import NodeState, node_state

__all__ = ["copy_to_services"]

_copying: ContextVar[bool] = ContextVar("copying", default=False)  # a copy is not copied again


async def copy_to_services(call: Call, what: ModuleCall, sender: Connected, to: Address) -> None:
    node = node_state(call.party)
    if node is None or what.custom or call.token_kind == "node" or _copying.get():
        return
    try:
        services = await call.party.behaviours(SERVICES)(node.registry, sender.address, what.module,
                                                         what.interface)
    except RegistryUnavailable:
        return  # no copies without the registry's word; the sender's own request went through
    marker = _copying.set(True)
    try:
        for service in services:
            address = Address(*service.party)
            if address not in (to, sender.address):
                await directed(await _copy(call, node, address), what, sender, address)
    finally:
        _copying.reset(marker)


async def _copy(call: Call, node: NodeState, to: Address) -> Call:
    """The call as the copy to ``to`` goes: addressed to it, and where the sender signed, the change declared
    and the copy signed by the node."""
    headers = {name.lower(): value for name, value in call.request.headers.items()}
    headers.update({OCPI_TO_COUNTRY_CODE.lower(): to.country_code, OCPI_TO_PARTY_ID.lower(): to.party_id})
    signature = countersigned(node, call.request, call.body, to)
    if signature is not None:
        headers[OCN_SIGNATURE.lower()] = signature
    request = carried_request(call.request, method=call.request.method, headers=headers,
                              body=await call.request.body(), query=dict(call.request.query_params),
                              rest=str(call.request.path_params.get("rest", "")))
    return replace(call, request=request)
