"""What a Receiver keeps of what roamcert pushes: the evidence, and the judging, that the Receiver checks of several
modules (Sessions, Tariffs, CDRs, Tokens, Locations, HubClientInfo) share."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from conformance.core.checks import Problem
from conformance.core.exchange import Exchange
from conformance.ocpi.v2_2_1.checks._compare import ReadBack, data_of, readback_problems
from conformance.ocpi.v2_2_1.checks._util import answer, status_code_of

__all__ = ["MismatchedPush", "ReadBacks", "Refusal", "accepted", "answer", "mismatch_problems",
           "readbacks_problems", "refusal_problems", "status_code_of"]


def accepted(exchange: Exchange) -> bool:
    """Answered with HTTP 2xx and a 1xxx status_code: the request was taken."""
    code = status_code_of(exchange)
    return exchange.status is not None and exchange.status < 300 and isinstance(code, int) and 1000 <= code < 2000


@dataclass(frozen=True)
class ReadBacks:
    """Objects roamcert pushed (PUT, PATCH or POST), each read back after its push; judged together."""

    reads: tuple[ReadBack, ...]
    exchange_ids: tuple[str, ...]  # the pushes and the read-backs


def readbacks_problems(evidence: ReadBacks) -> Iterator[Problem]:
    """A problem for every object read back otherwise than it was pushed."""
    for read in evidence.reads:
        yield from readback_problems(read)


@dataclass(frozen=True)
class Refusal:
    """An invalid object roamcert pushed, and the answer to asking for it afterwards (None when there was nowhere
    to ask: a CDR POST answered without a Location header)."""

    what: str  # the object's name: "Session", "Token", ...
    push: Exchange
    back: Exchange | None

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return (self.push.id,) if self.back is None else (self.push.id, self.back.id)


def refusal_problems(evidence: Refusal) -> Iterator[Problem]:
    """The invalid object was neither accepted nor stored."""
    if accepted(evidence.push):
        yield Problem(f"The invalid {evidence.what} was accepted", "a 2xxx status_code (2001)", answer(evidence.push))
    back = evidence.back
    if back is not None and accepted(back) and isinstance(data_of(back), dict):
        yield Problem(f"The invalid {evidence.what} was stored", f"no such {evidence.what}",
                      f"HTTP {back.status} with the {evidence.what}", evidence=(back.id,))


@dataclass(frozen=True)
class MismatchedPush:
    """A valid object roamcert pushed to a URL naming another object: ``field`` of the body differs from the URL."""

    what: str  # the object's name: "Session", "Token", ...
    field: str  # the body's field that differs ("id", "uid")
    push: Exchange

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return (self.push.id,)


def mismatch_problems(evidence: MismatchedPush) -> Iterator[Problem]:
    """transport_and_format advises 2001 for a Client Owned Object pushed under an id other than its own."""
    if accepted(evidence.push):
        yield Problem(f"A {evidence.what} whose {evidence.field} differs from the one in the URL was accepted",
                      "status_code 2001", answer(evidence.push))
