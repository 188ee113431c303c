"""Checks on an eMSP as Receiver of Sessions, Tariffs and CDRs: what roamcert's CPO pushes is what the eMSP
keeps (mod_sessions, mod_tariffs, mod_cdrs); and, for every Receiver of Client Owned Objects, that a push under
another object's id is refused (transport_and_format_errors). Each is evaluated by a flow over the push and the
read-back."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from conformance.core.checks import Problem
from conformance.core.exchange import Exchange
from conformance.ocpi.v2_2_1.checks._compare import data_of
from conformance.ocpi.v2_2_1.checks._receiver import (
    MismatchedPush,
    ReadBacks,
    Refusal,
    accepted,
    mismatch_problems,
    readbacks_problems,
    refusal_problems,
)
from conformance.ocpi.v2_2_1.checks._registrar import evidence_check
from conformance.ocpi.v2_2_1.checks._util import short

SES = "mod_sessions"
TAR = "mod_tariffs"
CDR = "mod_cdrs"


@dataclass(frozen=True)
class Deletion:
    """A DELETE of an object roamcert pushed, and the answer to asking for the object afterwards."""

    what: str
    delete: Exchange
    back: Exchange

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return self.delete.id, self.back.id


@dataclass(frozen=True)
class CdrPost:
    """The answer to a CDR roamcert POSTed, which the eMSP accepted."""

    post: Exchange

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return (self.post.id,)


# -- Sessions ----------------------------------------------------------------------------------------------

@evidence_check("ocpi.sessions.receiver_stored")
def session_stored(evidence: ReadBacks) -> Iterator[Problem]:
    yield from readbacks_problems(evidence)


@evidence_check("ocpi.sessions.receiver_replaced")
def session_replaced(evidence: ReadBacks) -> Iterator[Problem]:
    """The second PUT holds no charging periods and no meter_id: the stored Session keeps none either."""
    yield from readbacks_problems(evidence)
    for read in evidence.reads:
        got = data_of(read.back)
        if not isinstance(got, dict):
            continue
        if got.get("charging_periods"):
            yield Problem("Charging periods the second PUT no longer held were kept",
                          "no charging_periods (absent or empty)",
                          f"{short(len(got['charging_periods']))} charging period(s)", evidence=(read.back.id,))
        if got.get("meter_id") is not None:
            yield Problem("meter_id, which the second PUT no longer held, was kept", "no meter_id",
                          short(got["meter_id"]), evidence=(read.back.id,))


@evidence_check("ocpi.sessions.receiver_patched")
def session_patched(evidence: ReadBacks) -> Iterator[Problem]:
    yield from readbacks_problems(evidence)


@evidence_check("ocpi.sessions.receiver_invalid_not_stored")
def session_rejected(evidence: Refusal) -> Iterator[Problem]:
    yield from refusal_problems(evidence)


# -- Tariffs -----------------------------------------------------------------------------------------------

@evidence_check("ocpi.tariffs.receiver_stored")
def tariff_stored(evidence: ReadBacks) -> Iterator[Problem]:
    yield from readbacks_problems(evidence)


@evidence_check("ocpi.tariffs.receiver_deleted")
def tariff_deleted(evidence: Deletion) -> Iterator[Problem]:
    back = evidence.back
    if accepted(back) and isinstance(data_of(back), dict):
        yield Problem(f"The deleted {evidence.what} is still returned", f"no such {evidence.what}",
                      f"HTTP {back.status} with the {evidence.what}", evidence=(back.id,))


@evidence_check("ocpi.tariffs.receiver_invalid_not_stored")
def tariff_rejected(evidence: Refusal) -> Iterator[Problem]:
    yield from refusal_problems(evidence)


# -- CDRs --------------------------------------------------------------------------------------------------

@evidence_check("ocpi.cdrs.receiver_created")
def cdr_created(evidence: CdrPost) -> Iterator[Problem]:
    if evidence.post.status != 201:
        yield Problem("A newly created CDR was not answered 201 Created", "HTTP 201", f"HTTP {evidence.post.status}")


@evidence_check("ocpi.cdrs.receiver_location_header")
def cdr_location(evidence: CdrPost) -> Iterator[Problem]:
    where = evidence.post.response_header("Location")
    if not where:
        yield Problem("The answer to the CDR POST has no Location header", "Location: <URL of the stored CDR>",
                      "absent")
        return
    parts = urlsplit(where)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        yield Problem("The Location header is not an absolute URL", "an absolute http(s) URL", where)


@evidence_check("ocpi.cdrs.receiver_stored")
def cdr_stored(evidence: ReadBacks) -> Iterator[Problem]:
    yield from readbacks_problems(evidence)


@evidence_check("ocpi.cdrs.receiver_invalid_not_stored")
def cdr_rejected(evidence: Refusal) -> Iterator[Problem]:
    yield from refusal_problems(evidence)


# -- every Receiver of Client Owned Objects (Locations, Sessions, Tariffs, Tokens) ---------------------------

@evidence_check("ocpi.receiver.id_mismatch")
def id_mismatch(evidence: MismatchedPush) -> Iterator[Problem]:
    yield from mismatch_problems(evidence)
