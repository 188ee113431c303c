"""The signed updates of a roaming network's registry, as the Open Charging Network's registry contracts take them.

Every entry of the registry is written by its owner's key: a node operator lists its node's domain, a party its
country code, party id, roles and node operator, a service provider its service, a party its grant to a service.
The owner signs a hash of the update's parameters; whoever submits it (the owner or a relay) hands the signature
over, and the registry recovers the signer from it: the entry belongs to whoever signed it. The hash is the
Solidity ``keccak256(abi.encodePacked(...))`` of the parameters in the order the OCN registry contracts read them
(enum values and permission numbers padded to 32 bytes, as ``abi.encodePacked`` pads array elements), signed as
an Ethereum "signed message" of 32 bytes (EIP-191, version 0x45), so an update roamcert signs is one the OCN
registry would accept and the other way round.

Keys and signatures are Ethereum secp256k1, made and checked with eth-account; nothing here is hand-made
cryptography.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

from eth_abi.packed import encode_packed

from conformance.network.ethereum import Account, encode_defunct, keccak, to_checksum_address

__all__ = ["Module", "Permission", "RegistryError", "Role", "Update", "address_of", "checksum", "create_agreement",
           "delete_node", "delete_party", "delete_service", "new_key", "revoke_agreement", "set_node",
           "set_party", "set_party_modules", "set_service", "sign", "signer"]


class RegistryError(ValueError):
    """An update the registry cannot take: its message names the field and why."""


class Role(IntEnum):
    """Party roles in the registry's order (the OCPI 2.2 roles)."""

    CPO = 0
    EMSP = 1
    HUB = 2
    NAP = 3
    NSP = 4
    OTHER = 5
    SCSP = 6


class Module(IntEnum):
    """OCPI functional modules a party lists as Sender or Receiver, in the registry's order."""

    cdrs = 0
    chargingprofiles = 1
    commands = 2
    locations = 3
    sessions = 4
    tariffs = 5
    tokens = 6


class Permission(IntEnum):
    """What a party lets a service receive: requests it sends, by interface and module."""

    FORWARD_ALL = 0
    FORWARD_ALL_SENDER = 1
    FORWARD_ALL_RECEIVER = 2
    FORWARD_MODULE_LOCATIONS_SENDER = 3
    FORWARD_MODULE_LOCATIONS_RECEIVER = 4
    FORWARD_MODULE_SESSIONS_SENDER = 5
    FORWARD_MODULE_SESSIONS_RECEIVER = 6
    FORWARD_MODULE_CDRS_SENDER = 7
    FORWARD_MODULE_CDRS_RECEIVER = 8
    FORWARD_MODULE_TARIFFS_SENDER = 9
    FORWARD_MODULE_TARIFFS_RECEIVER = 10
    FORWARD_MODULE_TOKENS_SENDER = 11
    FORWARD_MODULE_TOKENS_RECEIVER = 12
    FORWARD_MODULE_COMMANDS_SENDER = 13
    FORWARD_MODULE_COMMANDS_RECEIVER = 14
    FORWARD_MODULE_CHARGINGPROFILES_SENDER = 15
    FORWARD_MODULE_CHARGINGPROFILES_RECEIVER = 16

    def allows(self, module: str, interface: str) -> bool:
        """Whether a request to ``module``'s ``interface`` (SENDER or RECEIVER) falls under this permission."""
        if self is Permission.FORWARD_ALL:
            return True
        if self in (Permission.FORWARD_ALL_SENDER, Permission.FORWARD_ALL_RECEIVER):  # custom modules too
            return self.name.endswith(interface.upper())
        return self.name == f"FORWARD_MODULE_{module.upper()}_{interface.upper()}"


@dataclass(frozen=True)
class Update:
    """One registry update: what it does and the hash of its parameters, which its owner signs."""

    kind: str
    param_hash: bytes


def _hash(types: Sequence[str], values: Sequence[object]) -> bytes:
    return bytes(keccak(encode_packed(list(types), list(values))))


def checksum(value: str, field: str) -> str:
    """``value`` as a checksummed address, or a RegistryError naming ``field``."""
    try:
        return str(to_checksum_address(value))
    except ValueError as exc:
        raise RegistryError(f"{field}: {value!r} is not an Ethereum address") from exc


def _code(value: str, size: int, field: str) -> bytes:
    raw = value.encode("ascii", "replace")
    if len(raw) != size or not value.isalnum() or value.upper() != value:
        raise RegistryError(f"{field}: {value!r} is not {size} upper-case letters or digits")
    return raw


def _enums(values: Sequence[str | int], enum: type[IntEnum], field: str) -> list[int]:
    out: list[int] = []
    for value in values:
        try:
            out.append(int(enum[value] if isinstance(value, str) else enum(value)))
        except (KeyError, ValueError) as exc:
            raise RegistryError(f"{field}: {value!r} is not one of {', '.join(enum.__members__)}") from exc
    return out


def set_node(operator: str, domain: str) -> Update:
    """A node operator lists (or moves) its node at ``domain``, the base URL other nodes reach it at."""
    if not domain:
        raise RegistryError("domain: empty (delete the node instead)")
    return Update("set_node", _hash(["address", "string"], [checksum(operator, "operator"), domain]))


def delete_node(operator: str) -> Update:
    return Update("delete_node", _hash(["address"], [checksum(operator, "operator")]))


def set_party(party: str, country_code: str, party_id: str, roles: Sequence[str | int], operator: str) -> Update:
    """A party lists itself (country code, party id, roles) on the node of ``operator``; signed again with
    another operator, it moves to that operator's node."""
    if not roles:
        raise RegistryError("roles: a party lists at least one role")
    codes = _enums(roles, Role, "roles")
    return Update("set_party", _hash(
        ["address", "bytes2", "bytes3", *["uint256"] * len(codes), "address"],
        [checksum(party, "party"), _code(country_code, 2, "country_code"), _code(party_id, 3, "party_id"), *codes,
         checksum(operator, "operator")]))


def set_party_modules(party: str, sender: Sequence[str | int], receiver: Sequence[str | int]) -> Update:
    """The modules a party implements as Sender and as Receiver."""
    senders, receivers = _enums(sender, Module, "sender"), _enums(receiver, Module, "receiver")
    return Update("set_party_modules", _hash(["address", *["uint256"] * (len(senders) + len(receivers))],
                                             [checksum(party, "party"), *senders, *receivers]))


def delete_party(party: str) -> Update:
    return Update("delete_party", _hash(["address"], [checksum(party, "party")]))


def set_service(name: str, url: str, permissions: Sequence[str | int]) -> Update:
    """A service provider lists its service and the permissions it asks the parties for. An empty name or URL is
    left out of the hash, as the contract's packed encoding of an empty string adds nothing."""
    codes = _enums(permissions, Permission, "permissions")
    texts = [t for t in (name, url) if t]
    return Update("set_service", _hash([*["string"] * len(texts), *["uint256"] * len(codes)], [*texts, *codes]))


def delete_service(provider: str) -> Update:
    return Update("delete_service", _hash(["address"], [checksum(provider, "provider")]))


def create_agreement(provider: str) -> Update:
    """A party grants a service provider the permissions its service asks for."""
    return Update("create_agreement", _hash(["address"], [checksum(provider, "provider")]))


def revoke_agreement(provider: str) -> Update:
    return Update("revoke_agreement", _hash(["address"], [checksum(provider, "provider")]))


def sign(update: Update, private_key: str | bytes) -> str:
    """The owner's signature of ``update``: 65 bytes (r, s, v), hex with 0x."""
    signed = Account.sign_message(encode_defunct(primitive=update.param_hash), private_key=private_key)
    return "0x" + bytes(signed.signature).hex()


def signer(update: Update, signature: str) -> str:
    """The address that signed ``update`` (checksummed). A signature of other parameters recovers some other
    address, never an error: compare the result with the address the update claims."""
    try:
        recovered = Account.recover_message(encode_defunct(primitive=update.param_hash), signature=signature)
    except Exception as exc:  # eth-account raises several types for malformed signatures
        raise RegistryError(f"signature: not a recoverable secp256k1 signature ({type(exc).__name__})") from exc
    return str(recovered)


def new_key() -> str:
    """A fresh private key (hex with 0x), for roamcert's own parties, nodes and services."""
    return "0x" + bytes(Account.create().key).hex()


def address_of(private_key: str | bytes) -> str:
    return str(Account.from_key(private_key).address)
