"""The fault points of a reference node (simulators/behaviours.py): where a node's own work, beyond its hub
part's, may stray from what the Open Charging Network expects of a node. The node's code always runs
``hub.behaviours(POINT)``; the conformant behaviour of each is what docs/network.md describes, and a fault profile
of a node under test (role NODE) replaces one of them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from conformance.network.message import NetworkMessage, node_signature
from conformance.network.registry_client import RegistryClient, ServiceEntry
from simulators.behaviours import Behaviour
from simulators.ocpi.endpoint import Call
from simulators.ocpi.v2_2_1 import VERSION
from simulators.ocpi.v2_2_1.hub.table import Address

__all__ = ["MESSAGE_SIGNATURE", "MESSAGE_TEXT", "REGISTRY_MAX_AGE", "RELAYED_ANSWER", "SERVICES", "SIGNER_ACCEPTED",
           "MessageSignature", "MessageText", "RegistryMaxAge", "RelayedAnswer", "ServicesFor", "SignerAccepted"]

MessageSignature = Callable[[str, str], str]  # (the message's JSON text, the operator's key) -> OCN-Signature
MessageText = Callable[[NetworkMessage, Call], str]  # the message and the call it carries -> the text sent
SignerAccepted = Callable[[str, str], bool]  # (who signed a message taken, the operator the registry lists)
RegistryMaxAge = Callable[[float], float]  # the configured bound -> how old a kept look-up may be when used
RelayedAnswer = Callable[[int, bytes], tuple[int, bytes]]  # the other node's HTTP status and body -> those relayed
ServicesFor = Callable[[RegistryClient, Address, str, str], Awaitable[tuple[ServiceEntry, ...]]]


def _text(message: NetworkMessage, call: Call) -> str:
    return message.to_json()


def _signer_accepted(signer: str, operator: str) -> bool:
    return signer == operator


def _relayed(status: int, body: bytes) -> tuple[int, bytes]:
    return status, body


def _max_age(configured: float) -> float:
    return configured


async def _services(registry: RegistryClient, sender: Address, module: str,
                    interface: str) -> tuple[ServiceEntry, ...]:
    return await registry.services_of(sender.country_code, sender.party_id, module, interface)


MESSAGE_SIGNATURE: Behaviour[MessageSignature] = Behaviour("OCPI", VERSION, "node", "message.signature",
                                                           node_signature)
MESSAGE_TEXT: Behaviour[MessageText] = Behaviour("OCPI", VERSION, "node", "message.text", _text)
SIGNER_ACCEPTED: Behaviour[SignerAccepted] = Behaviour("OCPI", VERSION, "node", "inbound.signer", _signer_accepted)
RELAYED_ANSWER: Behaviour[RelayedAnswer] = Behaviour("OCPI", VERSION, "node", "message.answer", _relayed)
REGISTRY_MAX_AGE: Behaviour[RegistryMaxAge] = Behaviour("OCPI", VERSION, "node", "registry.max_age", _max_age)
SERVICES: Behaviour[ServicesFor] = Behaviour("OCPI", VERSION, "node", "services.chosen", _services)
