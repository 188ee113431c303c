"""A request crossing from one node of a roaming network to another, as OCN nodes exchange them.

A node that cannot deliver a request itself (the receiving party is listed on another node in the registry)
wraps it, OCPI headers and all but the caller's token, into one JSON message and POSTs it to the other node's
``/ocn/message`` with a new ``X-Request-ID`` and an ``OCN-Signature`` header: the sending node's signature of the
exact bytes of that JSON (an Ethereum "signed message" of the UTF-8 text, given as 130 hex digits r, s, v
without 0x). The receiving node checks that the signer is the operator the registry lists for the request's
sending party: only the node a party is connected to may speak for it.

The JSON has the field names and order of the OCN node's own messages (module as the node names it:
``LOCATIONS``, ``CHARGING_PROFILES``, ``CUSTOM`` with ``custom_module_id``...), null fields left out, so a node
of either kind can read the other's.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from conformance.network.ethereum import Account, encode_defunct
from conformance.network.registry_messages import RegistryError

__all__ = ["MESSAGE_PATH", "MODULE_NAMES", "NetworkMessage", "node_signature", "node_signer"]

MESSAGE_PATH = "/ocn/message"

# OCPI module identifier -> the name an OCN node gives it in a message.
MODULE_NAMES = {"cdrs": "CDRS", "chargingprofiles": "CHARGING_PROFILES", "commands": "COMMANDS",
                "credentials": "CREDENTIALS", "hubclientinfo": "HUB_CLIENT_INFO", "locations": "LOCATIONS",
                "sessions": "SESSIONS", "tariffs": "TARIFFS", "tokens": "TOKENS"}
_MODULE_IDS = {name: module for module, name in MODULE_NAMES.items()}

Party = tuple[str, str]  # (country_code, party_id)


def _party(raw: Any, where: str) -> Party:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("country_code"), str) \
            or not isinstance(raw.get("party_id"), str):
        raise ValueError(f"headers.{where}: not a party (country_code, party_id)")
    return raw["country_code"].upper(), raw["party_id"].upper()


@dataclass(frozen=True)
class NetworkMessage:
    """One OCPI request on its way between nodes."""

    module: str  # the OCPI module identifier ("locations"), or a custom module's own identifier
    interface_role: str  # SENDER or RECEIVER
    method: str
    sender: Party
    receiver: Party
    request_id: str
    correlation_id: str
    url_path: str | None = None  # below the module's endpoint
    query_params: dict[str, str] = field(default_factory=dict)
    body: Any = None  # the JSON of the OCPI request's body
    custom: bool = False  # a module OCPI does not define (custom_module_id)
    signature: str | None = None  # the sending party's own signature of the request (OCN Notary), if it signs
    proxy_uid: str | None = None
    proxy_resource: str | None = None

    def to_json(self) -> str:
        """The message as the node sends (and signs) it."""
        headers: dict[str, Any] = {"Authorization": ""}
        if self.signature is not None:
            headers["OCN-Signature"] = self.signature
        headers.update({"X-Request-ID": self.request_id, "X-Correlation-ID": self.correlation_id,
                        "sender": {"party_id": self.sender[1], "country_code": self.sender[0]},
                        "receiver": {"party_id": self.receiver[1], "country_code": self.receiver[0]}})
        raw: dict[str, Any] = {"module": "CUSTOM" if self.custom else MODULE_NAMES.get(self.module, self.module),
                               "interface_role": self.interface_role, "method": self.method, "headers": headers}
        optional = {"url_path": self.url_path, "query_params": self.query_params or None,
                    "proxy_uid": self.proxy_uid, "proxy_resource": self.proxy_resource,
                    "custom_module_id": self.module if self.custom else None, "body": self.body}
        raw.update({key: value for key, value in optional.items() if value is not None})
        return json.dumps(raw, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | bytes) -> NetworkMessage:
        """A message as another node sent it; ValueError names what is wrong."""
        raw = json.loads(text)
        if not isinstance(raw, dict):
            raise ValueError("the message is not a JSON object")
        headers = raw.get("headers")
        if not isinstance(headers, dict):
            raise ValueError("headers: missing")
        module, custom = str(raw.get("module", "")), raw.get("module") == "CUSTOM"
        if custom and not isinstance(raw.get("custom_module_id"), str):
            raise ValueError("custom_module_id: missing for a CUSTOM module")
        if not custom and module not in _MODULE_IDS:
            raise ValueError(f"module: {module!r} is no module a node forwards")
        interface = str(raw.get("interface_role", "")).upper()
        if interface not in ("SENDER", "RECEIVER"):
            raise ValueError(f"interface_role: {raw.get('interface_role')!r} is not SENDER or RECEIVER")
        query = raw.get("query_params") or {}
        if not isinstance(query, dict):
            raise ValueError("query_params: not an object")
        return cls(module=str(raw["custom_module_id"]) if custom else _MODULE_IDS[module], interface_role=interface,
                   method=str(raw.get("method", "")).upper(), sender=_party(headers.get("sender"), "sender"),
                   receiver=_party(headers.get("receiver"), "receiver"),
                   request_id=str(headers.get("X-Request-ID", "")),
                   correlation_id=str(headers.get("X-Correlation-ID", "")),
                   url_path=raw.get("url_path"), query_params={str(k): str(v) for k, v in query.items()},
                   body=raw.get("body"), custom=custom, signature=headers.get("OCN-Signature"),
                   proxy_uid=raw.get("proxy_uid"), proxy_resource=raw.get("proxy_resource"))


def node_signature(text: str, private_key: str | bytes) -> str:
    """The OCN-Signature a node puts on the message ``text`` it sends: r, s, v in hex, no 0x."""
    signed = Account.sign_message(encode_defunct(text=text), private_key=private_key)
    return bytes(signed.signature).hex()


def node_signer(text: str | bytes, signature: str) -> str:
    """The address that signed the message ``text`` (the exact bytes received)."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    try:
        return str(Account.recover_message(encode_defunct(primitive=raw),
                                           signature=bytes.fromhex(signature.removeprefix("0x"))))
    except Exception as exc:  # malformed hex or signature: eth-account raises several types
        raise RegistryError(f"OCN-Signature: not a recoverable signature ({type(exc).__name__})") from exc
