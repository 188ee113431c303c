"""Checks specific to the Locations module (mod_locations)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from conformance.core.checks import Problem
from conformance.core.exchange import Exchange
from conformance.ocpi.expect import Expect
from conformance.ocpi.types import ci_equal, parse_datetime
from conformance.ocpi.v2_2_1.checks._compare import data_of
from conformance.ocpi.v2_2_1.checks._receiver import ReadBacks, Refusal, readbacks_problems, status_code_of
from conformance.ocpi.v2_2_1.checks._registrar import check, evidence_check
from conformance.ocpi.v2_2_1.checks._util import envelope, short

LOC = "mod_locations"


def _stamp(obj: Any) -> Any:
    try:
        return parse_datetime(obj["last_updated"])
    except (KeyError, TypeError, ValueError):
        return None


def tree_problems(location: Any, where: str) -> Iterator[Problem]:
    if not isinstance(location, dict):
        return
    top = _stamp(location)
    for evse in location.get("evses") or []:
        if not isinstance(evse, dict):
            continue
        mid = _stamp(evse)
        if top is not None and mid is not None and mid > top:
            yield Problem(f"{where}: EVSE {short(evse.get('uid'))} is newer than its Location",
                          f"Location.last_updated >= {evse.get('last_updated')}", str(location.get("last_updated")))
        for connector in evse.get("connectors") or []:
            low = _stamp(connector) if isinstance(connector, dict) else None
            if mid is not None and low is not None and low > mid:
                yield Problem(f"{where}: Connector {short(connector.get('id'))} of EVSE {short(evse.get('uid'))} "
                              "is newer than its EVSE", f"EVSE.last_updated >= {connector.get('last_updated')}",
                              str(evse.get("last_updated")))


@check("ocpi.locations.last_updated_tree", tags=["response"],
       applies=lambda x, e: e.schema == "Location" and x.status is not None and x.status < 400)
def last_updated_tree(x: Exchange, e: Expect) -> Iterator[Problem]:
    body = envelope(x)
    data = body.get("data") if body else None
    items = data if isinstance(data, list) else [data]
    for index, location in enumerate(items):
        yield from tree_problems(location, f"data[{index}]" if isinstance(data, list) else "data")


# -- the CPO as Sender -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ObjectAsked:
    """A GET of one Location, EVSE or Connector by its id: which object and id were asked for, and the answer."""

    schema: str  # "Location", "EVSE" or "Connector"
    field: str  # the object's id field: "id" or "uid"
    wanted: Any  # the id asked for
    answer: Exchange

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return (self.answer.id,)


@evidence_check("ocpi.locations.sender_object")
def sender_object(evidence: ObjectAsked) -> Iterator[Problem]:
    x = evidence.answer
    data = data_of(x)
    got = data.get(evidence.field) if isinstance(data, dict) else None
    if x.status != 200 or not ci_equal(got, evidence.wanted):
        yield Problem(f"GET of {evidence.schema} {evidence.wanted!r} did not return that {evidence.schema}",
                      f"{evidence.field}: {evidence.wanted}", f"HTTP {x.status}, {evidence.field}: {short(got)}")


# -- the SUT as Receiver -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ParentRead:
    """The parent (Location or EVSE) of an object roamcert pushed, read after the push, and the push's
    last_updated."""

    what: str  # "Location" or "EVSE"
    back: Exchange
    stamp: str


@dataclass(frozen=True)
class ParentsRead:
    parents: tuple[ParentRead, ...]
    exchange_ids: tuple[str, ...]  # the pushes and the parents' read-backs


def _parent_problems(parent: ParentRead) -> Iterator[Problem]:
    data = data_of(parent.back)
    got = data.get("last_updated") if isinstance(data, dict) else None
    try:
        ok = isinstance(got, str) and parse_datetime(got) >= parse_datetime(parent.stamp)
    except ValueError:
        ok = False
    if not ok:
        yield Problem(f"The parent {parent.what}'s last_updated did not move forward", f">= {parent.stamp}", short(got))


@evidence_check("ocpi.locations.receiver_stored")
def receiver_stored(evidence: ReadBacks) -> Iterator[Problem]:
    yield from readbacks_problems(evidence)


@evidence_check("ocpi.locations.receiver_parent_last_updated")
def receiver_parent(evidence: ParentsRead) -> Iterator[Problem]:
    for parent in evidence.parents:
        yield from _parent_problems(parent)


@evidence_check("ocpi.locations.receiver_invalid_not_stored")
def receiver_rejected(evidence: Refusal) -> Iterator[Problem]:
    """Only that nothing was stored (the PUT's answer is not judged here)."""
    back = evidence.back
    if back is not None and back.status == 200 and status_code_of(back) == 1000 and isinstance(data_of(back), dict):
        yield Problem(f"The invalid {evidence.what} was stored", f"no such {evidence.what}",
                      f"HTTP {back.status} with the {evidence.what}")
