"""Checks of what a node under test (role NODE) answers when the registry cannot place the party a request is
for (docs/network.md). Evaluated by conformance/ocpi/v2_2_1/flows/network_errors.py."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from conformance.core.checks import Problem
from conformance.core.exchange import Exchange
from conformance.ocpi.v2_2_1.checks._registrar import evidence_check
from conformance.ocpi.v2_2_1.checks._util import short, status_code_of

__all__ = ["Unplaced"]


@dataclass(frozen=True)
class Unplaced:
    """A request for a party the registry lists nowhere: the node's answer, and what went anywhere after it."""

    sent: Exchange
    onward: tuple[Exchange, ...]  # messages node R took and requests roamcert's parties received meanwhile

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return (self.sent.id, *(x.id for x in self.onward))


@evidence_check("ocpi.network.unknown_party")
def unknown_party(evidence: Unplaced) -> Iterator[Problem]:
    """A request for a party the registry does not list is answered 4001 and goes to no node and no party."""
    code = status_code_of(evidence.sent)
    if code != 4001:
        yield Problem("The node under test answered a request for a party no node lists with another status code",
                      "4001", short(code), evidence=(evidence.sent.id,))
    for x in evidence.onward:
        yield Problem("The node under test passed on a request for a party no node lists", "nothing passed on",
                      f"{x.method} {x.url}", evidence=(x.id,))
