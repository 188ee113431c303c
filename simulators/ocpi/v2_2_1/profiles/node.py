"""OCPI 2.2.1 fault profiles of the reference node (docs/network.md, "Node under test"): each replaces one of the
node's own behaviours (simulators/ocpi/v2_2_1/node/points.py) and trips the check of a node under test (role
NODE) that shows it (conformance/ocpi/v2_2_1/checks/network.py)."""

from __future__ import annotations

import json
from weakref import WeakKeyDictionary

from conformance.network import registry_messages
from conformance.network.message import NetworkMessage, node_signature
from conformance.network.registry_client import RegistryClient, ServiceEntry
from simulators.behaviours import replace, set_to
from simulators.ocpi.endpoint import Call
from simulators.ocpi.v2_2_1.hub import routing
from simulators.ocpi.v2_2_1.hub.routing import HubErrors
from simulators.ocpi.v2_2_1.hub.table import Address
from simulators.ocpi.v2_2_1.node import points
from simulators.ocpi.v2_2_1.node.points import MessageSignature, MessageText, RelayedAnswer, ServicesFor, SignerAccepted
from simulators.ocpi.v2_2_1.profiles._register import profile

_NODE = ("NODE",)
_STRANGER = registry_messages.new_key()  # a key no registry entry names


def _signed_by_a_stranger(_: MessageSignature) -> MessageSignature:
    return lambda text, key: node_signature(text, _STRANGER)


def _with_callers_token(text: MessageText) -> MessageText:
    def leaking(message: NetworkMessage, call: Call) -> str:
        raw = json.loads(text(message, call))
        raw["headers"]["Authorization"] = call.request.headers.get("authorization", "")
        return json.dumps(raw, separators=(",", ":"))

    return leaking


def _any_signer(_: SignerAccepted) -> SignerAccepted:
    return lambda signer, operator: True


def _no_signer(_: SignerAccepted) -> SignerAccepted:
    return lambda signer, operator: False


def _own_answer(_: RelayedAnswer) -> RelayedAnswer:
    return lambda status, body: (200, b'{"status_code": 1000, "status_message": "Accepted by the node"}')


_REMEMBERED: WeakKeyDictionary[RegistryClient, dict[Address, set[ServiceEntry]]] = WeakKeyDictionary()


def _revocation_ignored(services: ServicesFor) -> ServicesFor:
    """Every service the sender ever granted, revoked or not (kept per registry client, outside the replacement:
    the node applies it at each request)."""

    async def chosen(registry: RegistryClient, sender: Address, module: str,
                     interface: str) -> tuple[ServiceEntry, ...]:
        kept = _REMEMBERED.setdefault(registry, {}).setdefault(sender, set())
        kept.update(await services(registry, sender, module, interface))
        return tuple(s for s in kept if s.allows(module, interface))

    return chosen


profile("node_signs_with_another_key", "The node signs the messages it sends with a key the registry does not "
        "list for it: the other node refuses them, so no answer of the receiver returns either.", roles=_NODE,
        trips=("ocpi.network.message_signed", "ocpi.network.answer_returned"),
        replaces=[replace(points.MESSAGE_SIGNATURE, _signed_by_a_stranger)])

profile("node_sends_callers_token", "The node puts the caller's token in the Authorization of the message it sends "
        "to another node.", roles=_NODE, trips=("ocpi.network.message_carried",),
        replaces=[replace(points.MESSAGE_TEXT, _with_callers_token)])

profile("node_accepts_any_signer", "The node takes a message whoever signed it.", roles=_NODE,
        trips=("ocpi.network.forged_refused",), replaces=[replace(points.SIGNER_ACCEPTED, _any_signer)])

profile("node_refuses_every_message", "The node refuses every message from another node as not signed by its "
        "operator.", roles=_NODE, trips=("ocpi.network.message_delivered",),
        replaces=[replace(points.SIGNER_ACCEPTED, _no_signer)])

profile("node_relays_no_answer", "The node answers a request it passed to another node HTTP 200, 1000 itself "
        "instead of relaying the receiver's answer.", roles=_NODE, trips=("ocpi.network.answer_returned",),
        replaces=[replace(points.RELAYED_ANSWER, _own_answer)])

profile("node_copies_after_revocation", "The node keeps sending copies to a service after the party revoked its "
        "grant.", roles=_NODE, trips=(), replaces=[replace(points.SERVICES, _revocation_ignored)])

profile("node_4000_for_unknown_party", "A party no node lists is answered 4000 instead of 4001.", roles=_NODE,
        trips=("ocpi.network.unknown_party",), replaces=[set_to(routing.HUB_ERRORS, HubErrors(unknown_receiver=4000))])
