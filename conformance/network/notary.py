"""The OCN Notary: Ethereum-style signatures over an OCPI message's routing headers, parameters and body, in the
format of the official package (npm ``@shareandcharge/ocn-notary``), so that each side verifies the other's.

What is signed: the leaves of ``{"headers", "params", "body"}`` (signed_values.py). The message is hashed with
keccak-256, and the hash, written as "0x" and 64 lower-case hex digits, is signed as text under Ethereum's
"\\x19Ethereum Signed Message" prefix (EIP-191, what ethers' ``signMessage`` does). A node that has to change a
signed value (a command's ``response_url``) *stashes* the previous values with the previous signature, then
signs the new message itself; a verifier restores each stashed value in turn and checks every earlier signature.
The signature travels as ``OCN-Signature`` on a request and as ``ocn_signature`` in an OCPI response body: the
Notary as JSON, Brotli-compressed, in base64.

Verification gives the official package's verdict and its error text, and names what it can: the recovered
signer, the signed fields absent from the message, the rewrite that failed, and the leaves nobody signed.
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import brotli

from conformance.network.ethereum import Account, encode_defunct, keccak, to_checksum_address
from conformance.network.signed_values import Json, TooDeep, assign, leaf_paths, message_of, walk

__all__ = [
    "MAX_NOTARY_BYTES",
    "OCN_SIGNATURE",
    "OCN_SIGNATURE_FIELD",
    "SIGNABLE_HEADERS",
    "Mismatch",
    "Notary",
    "Rewrite",
    "UnreadableSignature",
    "Verification",
    "sign",
    "values_to_sign",
]

#: The request header that carries a serialised Notary.
OCN_SIGNATURE = "OCN-Signature"
#: The member of an OCPI response body that carries a serialised Notary.
OCN_SIGNATURE_FIELD = "ocn_signature"
#: The headers a Notary signs, lower-cased as verifiers read them (X-Request-ID changes on every hop, so is not).
# (the OCPI names of the correlation id, the four routing headers and the pagination and Location headers; a test
# checks them against conformance/ocpi/headers.py, which this capability may not import)
SIGNABLE_HEADERS: tuple[str, ...] = ("x-correlation-id", "ocpi-from-country-code", "ocpi-from-party-id",
                                     "ocpi-to-country-code", "ocpi-to-party-id", "x-limit", "x-total-count", "link",
                                     "location")
#: The most a serialised Notary may expand to; Brotli has no bound of its own on what a few bytes become.
MAX_NOTARY_BYTES = 16 * 1024 * 1024
# The official package compresses at quality 4; any Brotli stream decodes, this keeps the size comparable.
_BROTLI_QUALITY = 4
_RSV_HEX_DIGITS = 130


class UnreadableSignature(ValueError):
    """A serialised Notary that is not base64 of Brotli-compressed Notary JSON."""


class Mismatch(StrEnum):
    """What a failed verification found."""

    MODIFIED = "modified"  # the signed values are not those received
    SIGNATORY = "signatory"  # the signature was not made by the signatory the Notary names
    REWRITE_MODIFIED = "rewrite_modified"  # the values a rewrite restores are not those signed before it
    REWRITE_SIGNATORY = "rewrite_signatory"  # a rewrite's earlier signature was not made by its signatory
    UNEXPECTED_SIGNATORY = "unexpected_signatory"  # valid, but not signed by the party the caller expected


@dataclass(frozen=True)
class Rewrite:
    """A node's declaration that it changed signed values: their previous values by JSONPath, and the
    signature that covered them."""

    rewritten_fields: Mapping[str, Json]
    hash: str
    rsv: str
    signatory: str

    def as_json(self) -> dict[str, Json]:
        return {"rewrittenFields": dict(self.rewritten_fields), "hash": self.hash, "rsv": self.rsv,
                "signatory": self.signatory}


@dataclass(frozen=True)
class Verification:
    """The verdict on a message and its Notary. ``error`` is the official package's text for the same verdict."""

    valid: bool
    mismatch: Mismatch | None = None
    error: str | None = None
    signatory: str | None = None  # who the Notary says signed last
    signer: str | None = None  # who did sign last (recovered from the signature), where it could be recovered
    original_signatory: str | None = None  # who signed first: the party, where nodes rewrote since
    missing_fields: tuple[str, ...] = ()  # signed fields the received message lacks (or holds empty)
    unsigned_fields: tuple[str, ...] = ()  # leaves of the received message that no signature covers
    rewrite: int | None = None  # the failing rewrite, counted from the latest (the official package's number)

    def __bool__(self) -> bool:
        return self.valid


@dataclass(frozen=True)
class Notary:
    """A signature over the values of one message, with the rewrites nodes declared on its way."""

    fields: tuple[str, ...]
    hash: str
    rsv: str
    signatory: str
    rewrites: tuple[Rewrite, ...] = field(default=())

    def serialise(self) -> str:
        """The value of ``OCN-Signature``: base64 of the Brotli-compressed JSON, keys in the official order."""
        document = {"fields": list(self.fields), "hash": self.hash, "rsv": self.rsv, "signatory": self.signatory,
                    "rewrites": [r.as_json() for r in self.rewrites]}
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        compressed = brotli.compress(text.encode("utf-8"), quality=_BROTLI_QUALITY)
        return base64.b64encode(compressed).decode("ascii")

    @classmethod
    def deserialise(cls, serialised: str) -> Notary:
        """The Notary in an ``OCN-Signature`` value; :class:`UnreadableSignature` when it holds none."""
        # Node's Buffer.from(..., "base64") also reads the URL-safe alphabet and unpadded text.
        text = "".join(serialised.split()).replace("-", "+").replace("_", "/")
        try:
            compressed = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
        except (binascii.Error, ValueError) as error:
            raise UnreadableSignature(f"not base64: {error}") from None
        document = _read_json(_decompress(compressed))
        return cls(fields=tuple(_strings(document, "fields")), hash=_string(document, "hash"),
                   rsv=_string(document, "rsv"), signatory=_string(document, "signatory"),
                   rewrites=tuple(_rewrite(r) for r in _rewrites(document)))

    def stash(self, previous_values: Mapping[str, Json]) -> Notary:
        """This Notary with a rewrite declaring ``previous_values`` (JSONPath -> the value before the change);
        sign the changed values with :meth:`signed` next."""
        rewrite = Rewrite(dict(previous_values), self.hash, self.rsv, self.signatory)
        return Notary(self.fields, self.hash, self.rsv, self.signatory, (*self.rewrites, rewrite))

    def signed(self, values: Json, private_key: str | bytes) -> Notary:
        """A signature over ``values`` by ``private_key``, keeping the rewrites declared so far."""
        fields, message = walk(values)
        digest = _hash(message)
        account = Account.from_key(private_key)
        signature = Account.sign_message(encode_defunct(text=digest), private_key=account.key)
        rsv = f"0x{signature.r:064x}{signature.s:064x}{signature.v:02x}"
        return Notary(tuple(fields), digest, rsv, account.address, self.rewrites)

    def verify(self, values: Json, *, expected_signatory: str | None = None) -> Verification:
        """Whether ``values`` are what was signed, by whom the Notary says, through the rewrites it declares.

        ``expected_signatory`` (the party's address from the registry) must then have signed first; the official
        package leaves that comparison to its caller.
        """
        try:
            return self._verify(values, expected_signatory)
        except TooDeep as error:
            return Verification(False, Mismatch.MODIFIED, f"Request has been modified ({error})",
                                signatory=self.signatory)

    def _verify(self, values: Json, expected_signatory: str | None) -> Verification:
        signed = set(self.fields)
        facts: dict[str, Any] = {"signatory": self.signatory,
                                 "unsigned_fields": tuple(p for p in leaf_paths(values) if p not in signed)}
        try:
            digest = _hash(message_of(list(self.fields), values))
        except ValueError as error:  # an unreadable path, or text that is not Unicode
            return Verification(False, Mismatch.MODIFIED, f"Request has been modified ({error})", **facts)
        if self.hash != digest:
            missing = tuple(f for f in self.fields if not message_of([f], values))
            return Verification(False, Mismatch.MODIFIED, "Request has been modified", missing_fields=missing,
                                **facts)
        signer = _signer(self.hash, self.rsv)
        facts["signer"] = signer
        if signer is None or signer != _checksummed(self.signatory):
            return Verification(False, Mismatch.SIGNATORY, "Signatories do not match", **facts)
        later = values
        for index, rewrite in enumerate(reversed(self.rewrites)):
            earlier = copy.deepcopy(later)
            try:
                for path, previous in rewrite.rewritten_fields.items():
                    assign(earlier, path, copy.deepcopy(previous))
                restored = _hash(message_of(list(self.fields), earlier))
            except ValueError as error:
                return Verification(False, Mismatch.REWRITE_MODIFIED, f"Rewrite {index}: {error}", rewrite=index,
                                    **facts)
            if rewrite.hash != restored:
                return Verification(False, Mismatch.REWRITE_MODIFIED,
                                    f"Rewrite {index}: Rewritten request hash does not match", rewrite=index, **facts)
            # The official package compares this address exactly, so a lower-cased one fails there too.
            if rewrite.signatory != _signer(rewrite.hash, rewrite.rsv):
                return Verification(False, Mismatch.REWRITE_SIGNATORY,
                                    f"Rewrite {index}: Rewritten signatory incorrect", rewrite=index, **facts)
            later = earlier
        original = _checksummed(self.rewrites[0].signatory if self.rewrites else self.signatory)
        facts["original_signatory"] = original
        if expected_signatory is not None and original != _checksummed(expected_signatory):
            return Verification(False, Mismatch.UNEXPECTED_SIGNATORY,
                                f"Signed by {original}, expected {expected_signatory}", **facts)
        return Verification(True, **facts)


def sign(values: Json, private_key: str | bytes) -> Notary:
    """A new Notary over ``values`` (build them with :func:`values_to_sign`)."""
    return Notary((), "", "", "").signed(values, private_key)


def values_to_sign(*, headers: Mapping[str, str] | None = None, params: Mapping[str, Json] | None = None,
                   body: Json = None) -> dict[str, Json]:
    """The object a Notary signs: the signable headers of a message (names lower-cased, in the official order),
    its URL-encoded parameters and its body; absent parts left out."""
    values: dict[str, Json] = {}
    if headers is not None:
        received = {name.lower(): value for name, value in headers.items()}
        values["headers"] = {name: received[name] for name in SIGNABLE_HEADERS if name in received}
    if params is not None:
        values["params"] = dict(params)
    if body is not None:
        values["body"] = body
    return values


def _hash(message: str) -> str:
    try:
        data = message.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(f"a signed value is not valid Unicode text: {error}") from None
    return "0x" + keccak(data).hex()


def _signer(digest: str, rsv: str) -> str | None:
    """The address that made ``rsv`` over ``digest`` (as text), or None where no address can be recovered."""
    if len(rsv) != _RSV_HEX_DIGITS + 2 or not rsv.startswith("0x"):
        return None
    try:
        raw = bytes.fromhex(rsv[2:])
    except ValueError:
        return None
    # ethers reads any v other than 27 or 28 by its parity; eth-account wants 27 or 28.
    v = raw[64] if raw[64] in (27, 28) else 27 + raw[64] % 2
    r, s = int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:64], "big")
    try:
        return str(Account.recover_message(encode_defunct(text=digest), vrs=(v, r, s)))
    except Exception:  # eth-keys' BadSignature and its validation errors have no common public base
        return None


def _checksummed(address: str) -> str | None:
    """The EIP-55 form of ``address``; None where a mixed-case address has a wrong checksum (ethers refuses it)."""
    digits = address[2:] if address.startswith("0x") else ""
    if len(digits) != 40:
        return None
    try:
        checksummed = str(to_checksum_address("0x" + digits.lower()))
    except ValueError:
        return None
    if digits not in (digits.lower(), digits.upper()) and checksummed != address:
        return None
    return checksummed


def _decompress(compressed: bytes) -> bytes:
    decompressor = brotli.Decompressor()
    try:
        output = decompressor.process(compressed, output_buffer_limit=MAX_NOTARY_BYTES + 1)
    except brotli.error as error:
        raise UnreadableSignature(f"not Brotli-compressed: {error}") from None
    if len(output) > MAX_NOTARY_BYTES:
        raise UnreadableSignature(f"expands beyond {MAX_NOTARY_BYTES} bytes")
    if not decompressor.is_finished():
        raise UnreadableSignature("the Brotli stream is truncated")
    return bytes(output)


def _read_json(text: bytes) -> Mapping[str, Any]:
    try:
        document = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UnreadableSignature(f"not JSON: {error}") from None
    if not isinstance(document, dict):
        raise UnreadableSignature("not a JSON object")
    return document


def _string(document: Mapping[str, Any], key: str) -> str:
    value = document.get(key)
    if not isinstance(value, str):
        raise UnreadableSignature(f"{key!r} is not a string")
    return value


def _strings(document: Mapping[str, Any], key: str) -> list[str]:
    value = document.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UnreadableSignature(f"{key!r} is not a list of strings")
    return value


def _rewrites(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    value = document.get("rewrites") or []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise UnreadableSignature("'rewrites' is not a list of objects")
    return value


def _rewrite(document: Mapping[str, Any]) -> Rewrite:
    fields = document.get("rewrittenFields")
    if not isinstance(fields, dict):
        raise UnreadableSignature("a rewrite's 'rewrittenFields' is not an object")
    return Rewrite(fields, _string(document, "hash"), _string(document, "rsv"), _string(document, "signatory"))
