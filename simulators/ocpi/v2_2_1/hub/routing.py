"""How the hub reads routing headers and chooses receivers (transport_and_format_message_routing).

Each choice is a behaviour (simulators/behaviours.py), so a fault profile of the hub replaces one of them: the
receiver the to-headers name, the caller's party the from-headers name, the parties a Broadcast Push reaches, the
receiver an Open Routing Request reaches, and the hub's 4xxx status codes (status_codes_4xxx_hub_errors).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from conformance.ocpi import routing
from conformance.ocpi.headers import OCPI_FROM_COUNTRY_CODE, OCPI_FROM_PARTY_ID, OCPI_TO_COUNTRY_CODE, OCPI_TO_PARTY_ID
from conformance.ocpi.routing import opposite_roles
from conformance.ocpi.status_codes import StatusCode
from simulators.behaviours import Behaviour
from simulators.ocpi.endpoint import OcpiError
from simulators.ocpi.party import Party, Peer
from simulators.ocpi.v2_2_1 import VERSION
from simulators.ocpi.v2_2_1.hub.table import Address, Connected, parties, parties_of

__all__ = ["ENTITLED", "HUB_ERRORS", "OPEN_RECEIVER", "OWNED_SENDER", "RECEIVER", "Entitled", "HubErrors",
           "OpenReceiver", "OwnedSender", "ReceiverOf", "opposite_roles", "routing_addresses", "routing_headers"]

T = TypeVar("T")


@dataclass(frozen=True)
class HubErrors:
    """The status codes of the errors the hub meets while routing (status_codes_4xxx_hub_errors)."""

    generic: int = StatusCode.GENERIC_HUB_ERROR
    unknown_receiver: int = StatusCode.UNKNOWN_RECEIVER  # the TO address is unknown
    timeout: int = StatusCode.TIMEOUT_ON_FORWARDED_REQUEST  # forwarded, but the request timed out
    not_connected: int = StatusCode.CONNECTION_PROBLEM  # the receiving party is not connected


OwnedSender = Callable[[Peer, Address], Connected | None]  # (caller's platform, from-address) -> its party
ReceiverOf = Callable[[Party, Address], Connected | None]  # (hub, to-address) -> the party it names
Entitled = Callable[[Party, str, str, Connected], list[Connected]]  # (hub, module, interface, sender) -> receivers
OpenReceiver = Callable[[str, Any], Address | None]  # (module, request body) -> the receiver it names


def routing_addresses(headers: Mapping[str, str]) -> tuple[Address | None, Address | None]:
    """(to, from) as the request's routing headers name them; a half-given address is refused with 2001."""

    def read(country: str, party_id: str, side: str) -> Address | None:
        code, pid = headers.get(country), headers.get(party_id)
        if not code and not pid:
            return None
        if not code or not pid:
            raise OcpiError(StatusCode.INVALID_OR_MISSING_PARAMETERS,
                            f"The {side} routing headers need both {country} and {party_id}")
        return Address(code, pid)

    return (read(OCPI_TO_COUNTRY_CODE, OCPI_TO_PARTY_ID, "OCPI-to"),
            read(OCPI_FROM_COUNTRY_CODE, OCPI_FROM_PARTY_ID, "OCPI-from"))


def routing_headers(to: Address, sender: Address) -> dict[str, str]:
    return routing.routing_headers(to, sender)


def _owned_sender(peer: Peer, sender: Address) -> Connected | None:
    """The caller may only speak for a party its platform declared at registration."""
    return next((party for party in parties_of(peer) if party.address == sender), None)


def _receiver(hub: Party, to: Address) -> Connected | None:
    return next((party for party in parties(hub) if party.address == to), None)


def _entitled(hub: Party, module: str, interface: str, sender: Connected) -> list[Connected]:
    """Every party of another platform with an opposite role whose platform offers the module's interface."""
    roles = opposite_roles(sender.role)
    return [party for party in parties(hub) if party.peer is not sender.peer and party.role in roles
            and party.peer.endpoint(module, interface) is not None]


def _open_receiver(module: str, body: Any) -> Address | None:
    """The receiver a pushed Session or CDR names: the eMSP owning its token (mod_cdrs_cdr_token_class)."""
    token = body.get("cdr_token") if module in ("sessions", "cdrs") and isinstance(body, dict) else None
    if isinstance(token, dict) and isinstance(token.get("country_code"), str) \
            and isinstance(token.get("party_id"), str):
        return Address(token["country_code"], token["party_id"])
    return None


def _point(name: str, conformant: T) -> Behaviour[T]:
    return Behaviour("OCPI", VERSION, "hub", f"routing.{name}", conformant)


OWNED_SENDER: Behaviour[OwnedSender] = _point("owned_sender", _owned_sender)  # the from-headers checked
RECEIVER: Behaviour[ReceiverOf] = _point("receiver", _receiver)  # the party the to-headers name
ENTITLED: Behaviour[Entitled] = _point("entitled", _entitled)  # the receivers of a Broadcast Push
OPEN_RECEIVER: Behaviour[OpenReceiver] = _point("open_receiver", _open_receiver)  # content-based routing
HUB_ERRORS: Behaviour[HubErrors] = _point("errors", HubErrors())  # the 4xxx codes the hub answers
