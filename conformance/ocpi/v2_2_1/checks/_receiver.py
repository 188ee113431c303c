"""What a Receiver keeps of what roamcert pushes: the evidence, and the judging, that the Receiver checks of several
modules (Sessions, Tariffs, CDRs, Tokens, Locations, HubClientInfo) share."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from conformance.core.checks import Problem
from conformance.core.exchange import Exchange
from conformance.ocpi.v2_2_1.checks._compare import ReadBack, data_of, differences, readback_problems
from conformance.ocpi.v2_2_1.checks._util import short, status_code_of

__all__ = ["ReadBacks", "Refusal", "UnstampedPatch", "accepted", "answer", "readbacks_problems", "refusal_problems",
           "status_code_of", "unstamped_patch_problems"]


def accepted(exchange: Exchange) -> bool:
    """Answered with HTTP 2xx and a 1xxx status_code: the request was taken."""
    code = status_code_of(exchange)
    return exchange.status is not None and exchange.status < 300 and isinstance(code, int) and 1000 <= code < 2000


def answer(exchange: Exchange) -> str:
    """The HTTP status and the status_code of an answer, as a problem's actual value."""
    return f"HTTP {exchange.status}, status_code {short(status_code_of(exchange))}"


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
class UnstampedPatch:
    """A PATCH without last_updated: the object as read before it, the PATCH, and the object read after it."""

    what: str  # the object's name: "Session", "Token"
    before: Exchange
    patch: Exchange
    after: Exchange

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return self.before.id, self.patch.id, self.after.id


def unstamped_patch_problems(evidence: UnstampedPatch) -> Iterator[Problem]:
    """The PATCH was refused and changed nothing; judged against the object as the Receiver last returned it, so a
    push it got wrong before is not counted twice."""
    if accepted(evidence.patch):
        yield Problem("A PATCH without last_updated was accepted", "a 2xxx status_code (2001)",
                      answer(evidence.patch))
    held = data_of(evidence.before)
    diffs = list(differences(held, data_of(evidence.after))) if isinstance(held, dict) else []
    if diffs:
        what = evidence.what
        yield Problem(f"The PATCH without last_updated changed the {what}", f"the {what} as before it",
                      "; ".join(diffs[:8]), evidence=(evidence.after.id,))
