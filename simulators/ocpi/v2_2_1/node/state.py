"""What makes a reference hub a node of a roaming network: its operator's key, its own domain as the registry
lists it, and its look-ups in the registry."""

from __future__ import annotations

from dataclasses import dataclass

from conformance.network.registry_client import RegistryClient
from conformance.network.registry_messages import address_of
from simulators.ocpi.party import Party

__all__ = ["NodeState", "node_state"]


@dataclass
class NodeState:
    key: str  # the operator's private key: it signs every message this node sends to another node
    domain: str  # the base URL the registry lists for this node (other nodes POST /ocn/message below it)
    registry: RegistryClient
    signatures_required: bool = False  # refuse a request its sender did not sign (OCN-Signature)

    @property
    def operator(self) -> str:
        return address_of(self.key)


def node_state(hub: Party) -> NodeState | None:
    """The node state of ``hub`` (None: a hub of its own, on no network)."""
    state = hub.state.get("node")
    return state if isinstance(state, NodeState) else None
