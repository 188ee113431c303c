"""Checks of a node under test (role NODE) of a decentralised roaming network, as the Open Charging Network runs
one (docs/network.md): judged from what roamcert's CPO (on the node under test), roamcert's node R and its eMSP
sent and received. Evaluated by conformance/ocpi/v2_2_1/flows/network.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from conformance.core.checks import Problem
from conformance.core.exchange import Exchange
from conformance.network.message import node_signer
from conformance.network.registry_messages import RegistryError
from conformance.ocpi.headers import OCPI_FROM_COUNTRY_CODE, OCPI_FROM_PARTY_ID, OCPI_TO_COUNTRY_CODE, OCPI_TO_PARTY_ID
from conformance.ocpi.v2_2_1.checks._registrar import evidence_check
from conformance.ocpi.v2_2_1.checks._util import envelope as envelope_of
from conformance.ocpi.v2_2_1.checks._util import short, status_code_of

__all__ = ["Crossed", "Forged", "Received"]


@dataclass(frozen=True)
class Crossed:
    """A request roamcert's CPO sent to the node under test for the eMSP on node R: the message node R took from
    the node under test, and the request node R then delivered to the eMSP."""

    sent: Exchange
    operator: str  # the operator the registry lists for the node under test
    message: Exchange | None  # the POST /ocn/message node R received
    arrival: Exchange | None  # the request the eMSP received

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return tuple(x.id for x in (self.sent, self.message, self.arrival) if x is not None)


@dataclass(frozen=True)
class Received:
    """A message node R sent to the node under test for roamcert's CPO, and what reached the CPO."""

    sent: Exchange  # the eMSP's request to node R
    message: Exchange | None  # node R's POST /ocn/message to the node under test
    arrivals: tuple[Exchange, ...]  # the requests the CPO received
    path: str  # the path the carried request belongs at on the CPO's platform

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return tuple(x.id for x in (self.sent, self.message, *self.arrivals) if x is not None)


@dataclass(frozen=True)
class Forged:
    """A message for roamcert's CPO signed by a key that is not the operator of the sending party's node."""

    message: Exchange  # roamcert's POST /ocn/message to the node under test
    arrivals: tuple[Exchange, ...]  # the requests the CPO received after it

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return (self.message.id, *(x.id for x in self.arrivals))


def _message(x: Exchange) -> dict[str, Any] | None:
    try:
        raw = json.loads(x.raw_request_body or b"")
    except ValueError:
        return None
    return raw if isinstance(raw, dict) else None


def _party(country: str | None, party_id: str | None) -> dict[str, str]:
    return {"country_code": (country or "").upper(), "party_id": (party_id or "").upper()}


def _body(x: Exchange) -> Any:
    try:
        return json.loads(x.raw_request_body) if x.raw_request_body else None
    except ValueError:
        return None


@evidence_check("ocpi.network.message_signed")
def message_signed(evidence: Crossed) -> Iterator[Problem]:
    """The message reaches the receiver's node signed by the operator the registry lists for the sender's node."""
    if evidence.message is None:
        yield Problem("No message from the node under test reached the receiving party's node",
                      "a POST /ocn/message to roamcert's node R", "none", evidence=(evidence.sent.id,))
        return
    signature = evidence.message.request_header("OCN-Signature")
    if not signature:
        yield Problem("The message the node under test sent carries no OCN-Signature", "OCN-Signature", "none",
                      evidence=(evidence.message.id,))
        return
    try:
        signer = node_signer(evidence.message.raw_request_body or b"", signature)
    except RegistryError as exc:
        yield Problem("The OCN-Signature of the node under test's message is not a signature", "r, s, v in hex",
                      str(exc), evidence=(evidence.message.id,))
        return
    if signer.lower() != evidence.operator.lower():
        yield Problem("The message the node under test sent is not signed by the operator the registry lists for "
                      "it", evidence.operator, signer, evidence=(evidence.message.id,))


@evidence_check("ocpi.network.message_carried")
def message_carried(evidence: Crossed) -> Iterator[Problem]:
    """The message carries the request unchanged (method, routing headers, correlation id, body) without the
    caller's token."""
    if evidence.message is None:
        return  # message_signed says that none came
    raw = _message(evidence.message)
    if raw is None:
        yield Problem("The message the node under test sent is not a JSON object", "a message",
                      short(evidence.message.request_body or ""), evidence=(evidence.message.id,))
        return
    headers: dict[str, Any] = raw["headers"] if isinstance(raw.get("headers"), dict) else {}
    sent = evidence.sent
    due: dict[str, Any] = {
        "method": sent.method,
        "sender": _party(sent.request_header(OCPI_FROM_COUNTRY_CODE), sent.request_header(OCPI_FROM_PARTY_ID)),
        "receiver": _party(sent.request_header(OCPI_TO_COUNTRY_CODE), sent.request_header(OCPI_TO_PARTY_ID)),
        "X-Correlation-ID": sent.request_header("X-Correlation-ID"), "body": _body(sent)}
    found: dict[str, Any] = {
        "method": str(raw.get("method", "")).upper(),
        "sender": _party(*_pair(headers.get("sender"))), "receiver": _party(*_pair(headers.get("receiver"))),
        "X-Correlation-ID": headers.get("X-Correlation-ID"), "body": raw.get("body")}
    for name, value in due.items():
        if found[name] != value:
            yield Problem(f"The message the node under test sent changed the request's {name}", short(value),
                          short(found[name]), evidence=(sent.id, evidence.message.id))
    if headers.get("Authorization"):  # never shown: it may be the caller's token
        yield Problem("The message the node under test sent carries an Authorization: the caller's token left "
                      "its node", "an empty Authorization", "a credential", evidence=(evidence.message.id,))


def _pair(raw: Any) -> tuple[str | None, str | None]:
    if not isinstance(raw, dict):
        return None, None
    return raw.get("country_code"), raw.get("party_id")


@evidence_check("ocpi.network.answer_returned")
def answer_returned(evidence: Crossed) -> Iterator[Problem]:
    """The receiving party's answer, from across the network, reaches the caller as the receiver gave it."""
    if evidence.arrival is None:
        yield Problem("The request did not reach the receiving party on the other node, so its answer could not "
                      "come back", "the receiver's answer", f"HTTP {evidence.sent.status}, status_code "
                      f"{status_code_of(evidence.sent)}", evidence=evidence.exchange_ids)
        return
    due, got = _answer(evidence.arrival), _answer(evidence.sent)
    if due != got:
        yield Problem("The caller did not get the receiving party's answer as it was given", short(due), short(got),
                      evidence=evidence.exchange_ids)


def _answer(x: Exchange) -> dict[str, Any]:
    """What of an answer must come back unchanged: its HTTP status and the envelope's status and data."""
    envelope = envelope_of(x) or {}
    return {"http": x.status, **{k: envelope.get(k) for k in ("status_code", "status_message", "data")}}


@evidence_check("ocpi.network.message_delivered")
def message_delivered(evidence: Received) -> Iterator[Problem]:
    """A message signed by the sending party's node is delivered to the receiving party, whose answer returns."""
    delivered = [x for x in evidence.arrivals if x.url.split("?")[0].endswith(evidence.path)]
    if not delivered:
        yield Problem("The message node R sent for a party of the node under test was not delivered to it",
                      f"a request at {evidence.path}", "none",
                      evidence=tuple(x.id for x in (evidence.sent, evidence.message) if x is not None))
        return
    due, got = _answer(delivered[0]), _answer(evidence.sent)
    if due != got:
        yield Problem("The receiving party's answer did not come back across the nodes as it was given", short(due),
                      short(got), evidence=(evidence.sent.id, delivered[0].id))


@evidence_check("ocpi.network.forged_refused")
def forged_refused(evidence: Forged) -> Iterator[Problem]:
    """A message signed by anyone but the operator of the sending party's node is refused, delivered nowhere."""
    message = evidence.message
    if evidence.arrivals:
        yield Problem("The node under test delivered a message that the sending party's node did not sign",
                      "nothing delivered", f"{len(evidence.arrivals)} request(s) at roamcert's CPO",
                      evidence=evidence.exchange_ids)
    if message.status is not None and 200 <= message.status < 300 and status_code_of(message) == 1000:
        yield Problem("The node under test accepted a message that the sending party's node did not sign",
                      "a refusal", f"HTTP {message.status}, status_code 1000", evidence=(message.id,))
