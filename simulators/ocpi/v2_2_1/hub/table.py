"""The hub's routing table: the parties each registered platform declared in its credentials ``roles``, and what
the hub knows of each (its ClientInfo: mod_hub_client_info_hub_client_info_object)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from conformance.ocpi.routing import Address
from simulators.ocpi.party import Party, Peer

__all__ = ["CONNECTED", "OFFLINE", "PLANNED", "ROLES", "SUSPENDED", "Address", "Connected", "ExpectedParty",
           "HubState", "hub_address", "hub_state", "parties", "parties_of", "status_of"]

# ConnectionStatus (mod_hub_client_info_hub_connection_type_enum)
CONNECTED, OFFLINE, PLANNED, SUSPENDED = "CONNECTED", "OFFLINE", "PLANNED", "SUSPENDED"
ROLES = ("CPO", "EMSP", "HUB", "NSP", "OTHER", "SCSP")  # types_role_enum


@dataclass(frozen=True)
class ExpectedParty:
    """A party the hub is configured to expect: PLANNED in its ClientInfo until a platform registers it."""

    address: Address
    role: str

    @classmethod
    def parse(cls, text: str) -> ExpectedParty:
        """``CC/PARTY/ROLE``, e.g. ``NL/ABC/CPO`` (country code 2 characters, party id 3, a role of the spec)."""
        parts = [part.strip() for part in text.split("/")]
        if len(parts) != 3 or len(parts[0]) != 2 or len(parts[1]) != 3 or parts[2].upper() not in ROLES:
            raise ValueError(f"{text!r}: an expected party is COUNTRY_CODE/PARTY_ID/ROLE, e.g. NL/ABC/CPO "
                             f"(role one of {', '.join(ROLES)})")
        return cls(Address(parts[0].upper(), parts[1].upper()), parts[2].upper())


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
    still_alive: float = 0.0  # seconds between still-alive rounds of a served hub (0: none)
    heard: dict[str, float] = field(default_factory=dict)  # by a peer's token_in: when it was last heard from
    monotonic: Callable[[], float] = time.monotonic


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
