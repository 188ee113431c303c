"""Message routing as both sides of a routed request read it (transport_and_format_message_routing): a party's
address, the four routing headers naming the receiving and the sending party, and the roles a push goes to."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from conformance.ocpi.headers import OCPI_FROM_COUNTRY_CODE, OCPI_FROM_PARTY_ID, OCPI_TO_COUNTRY_CODE, OCPI_TO_PARTY_ID

__all__ = ["CONFIGURATION_MODULES", "Address", "from_address", "opposite_roles", "routing_headers", "to_address"]

# Not routed: platform-to-platform or platform-to-hub only (transport_and_format_message_routing_headers).
CONFIGURATION_MODULES = frozenset({"versions", "credentials", "hubclientinfo"})


@dataclass(frozen=True)
class Address:
    """A party as routing headers name it; country code and party id are CiStrings (compared upper-cased)."""

    country_code: str
    party_id: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.country_code.upper(), self.party_id.upper())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Address) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __str__(self) -> str:
        return f"{self.country_code}/{self.party_id}"


def _address(headers: Mapping[str, str], country: str, party_id: str) -> Address | None:
    code, pid = headers.get(country), headers.get(party_id)
    return Address(code, pid) if code and pid else None


def to_address(headers: Mapping[str, str]) -> Address | None:
    """The receiving party the OCPI-to headers name (None unless both are given)."""
    return _address(headers, OCPI_TO_COUNTRY_CODE, OCPI_TO_PARTY_ID)


def from_address(headers: Mapping[str, str]) -> Address | None:
    """The sending party the OCPI-from headers name (None unless both are given)."""
    return _address(headers, OCPI_FROM_COUNTRY_CODE, OCPI_FROM_PARTY_ID)


def routing_headers(to: Address | None, sender: Address | None) -> dict[str, str]:
    """The routing headers of a message to ``to`` from ``sender`` (either left out when None)."""
    headers: dict[str, str] = {}
    if to is not None:
        headers.update({OCPI_TO_COUNTRY_CODE: to.country_code, OCPI_TO_PARTY_ID: to.party_id})
    if sender is not None:
        headers.update({OCPI_FROM_COUNTRY_CODE: sender.country_code, OCPI_FROM_PARTY_ID: sender.party_id})
    return headers


def opposite_roles(role: str) -> frozenset[str]:
    """The roles a party's pushes go to (transport_and_format_message_routing_broadcast_push): a CPO's to eMSPs,
    NSPs and "Other" (seen as an eMSP type of role), everyone else's to CPOs."""
    return frozenset({"EMSP", "NSP", "OTHER"}) if role == "CPO" else frozenset({"CPO"})
