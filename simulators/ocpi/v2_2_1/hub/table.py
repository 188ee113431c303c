"""The hub's routing table: the parties each registered platform declared in its credentials ``roles``, and what
the hub knows of each (its ClientInfo: mod_hub_client_info_hub_client_info_object)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from conformance.ocpi.routing import Address
from simulators.ocpi.party import Party, Peer

__all__ = ["CONNECTED", "OFFLINE", "PLANNED", "SUSPENDED", "Address", "Connected", "HubState", "hub_address",
           "hub_state", "parties", "parties_of", "status_of"]

# ConnectionStatus (mod_hub_client_info_hub_connection_type_enum)
CONNECTED, OFFLINE, PLANNED, SUSPENDED = "CONNECTED", "OFFLINE", "PLANNED", "SUSPENDED"


@dataclass(frozen=True)
class Connected:
    """One party of a registered platform: its address, its role, and the platform (peer) behind it."""

    address: Address
    role: str
    peer: Peer = field(compare=False)


@dataclass
class HubState:
    """What the hub keeps beside its registered peers."""

    timeout: float = 5.0  # seconds a forwarded request may take before the hub answers 4002
    max_pages: int = 50  # pages the hub reads from one Sender for a GET All
    clients: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # ClientInfo by address key


def hub_state(hub: Party) -> HubState:
    state = hub.state.setdefault("hub", HubState())
    assert isinstance(state, HubState)
    return state


def hub_address(hub: Party) -> Address:
    identity = hub.identities[0]
    return Address(identity.country_code, identity.party_id)


def parties_of(peer: Peer) -> list[Connected]:
    """The parties a platform declared when it registered (credentials_credentials_object ``roles``)."""
    found = []
    for role in peer.roles:
        country, party_id, name = role.get("country_code"), role.get("party_id"), role.get("role")
        if isinstance(country, str) and isinstance(party_id, str) and isinstance(name, str):
            found.append(Connected(Address(country, party_id), name.upper(), peer))
    return found


def parties(hub: Party) -> list[Connected]:
    """Every party of every registered platform, in registration order."""
    return [party for peer in list(hub.peers.values()) for party in parties_of(peer)]


def status_of(hub: Party, address: Address) -> str | None:
    info = hub_state(hub).clients.get(address.key)
    return None if info is None else str(info["status"])
