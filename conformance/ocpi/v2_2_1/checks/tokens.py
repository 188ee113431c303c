"""Checks of the Tokens module (mod_tokens): an eMSP as Sender (its real-time authorization) and a CPO as
Receiver (what roamcert's eMSP pushes is what the CPO keeps). Each is evaluated by a flow
(conformance/ocpi/v2_2_1/flows/tokens.py, flows/authorization.py) over the requests it made; the Token pulls are
judged by the pagination and schema checks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from conformance.core.checks import Problem
from conformance.core.exchange import Exchange
from conformance.ocpi.types import ci_equal
from conformance.ocpi.v2_2_1.checks._compare import data_of
from conformance.ocpi.v2_2_1.checks._receiver import (
    ReadBacks,
    Refusal,
    accepted,
    answer,
    readbacks_problems,
    refusal_problems,
    status_code_of,
)
from conformance.ocpi.v2_2_1.checks._registrar import evidence_check
from conformance.ocpi.v2_2_1.checks._util import short

TOK = "mod_tokens"

_REFUSED = ("BLOCKED", "EXPIRED", "NO_CREDIT", "NOT_ALLOWED")


@dataclass(frozen=True)
class Authorization:
    """A real-time authorization roamcert asked the eMSP for: the Token (its uid and type), the LocationReferences
    sent with it (None when none were), and the answer."""

    token: dict[str, Any]
    location: dict[str, Any] | None
    answer: Exchange

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return (self.answer.id,)


@dataclass(frozen=True)
class AuthorizationAfterClosing:
    """The same Token asked about twice at the same EVSEs: the answer while the Location was open with its EVSEs
    AVAILABLE (ALLOWED), and the answer once the eMSP had learnt it closed and its EVSEs OUTOFORDER."""

    open: Exchange
    closed: Exchange

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return self.open.id, self.closed.id


def allowed_of(exchange: Exchange) -> str | None:
    """The ``allowed`` of the AuthorizationInfo answered, when there is one."""
    info = data_of(exchange)
    allowed = info.get("allowed") if isinstance(info, dict) else None
    return allowed if isinstance(allowed, str) else None


def _info(evidence: Authorization) -> tuple[list[Problem], dict[str, Any] | None]:
    """An AuthorizationInfo was given, for the Token asked about: (the problems, the AuthorizationInfo)."""
    x, token = evidence.answer, evidence.token
    info = data_of(x)
    if not accepted(x) or not isinstance(info, dict):
        return [Problem("The authorization request was not answered with an AuthorizationInfo",
                        "status_code 1000 with an AuthorizationInfo", answer(x))], None
    got = info.get("token")
    if not isinstance(got, dict) or not ci_equal(got.get("uid"), token["uid"]) or got.get("type") != token["type"]:
        return [Problem("The AuthorizationInfo is not about the Token asked for",
                        f"token uid {token['uid']}, type {token['type']}",
                        short(got if not isinstance(got, dict) else {k: got.get(k) for k in ("uid", "type")}))], info
    return [], info


# -- an eMSP as Sender: real-time authorization ------------------------------------------------------------

@evidence_check("ocpi.tokens.authorize_valid")
def authorize_valid(evidence: Authorization) -> Iterator[Problem]:
    problems, info = _info(evidence)
    yield from problems
    if info is not None and not problems and info.get("allowed") != "ALLOWED":
        yield Problem(f"The valid Token {evidence.token['uid']} was not allowed to charge", "allowed: ALLOWED",
                      short(info.get("allowed")))


@evidence_check("ocpi.tokens.authorize_reference")
def authorize_reference(evidence: Authorization) -> Iterator[Problem]:
    """Evaluated on an ALLOWED answer only."""
    info = data_of(evidence.answer)
    reference = info.get("authorization_reference") if isinstance(info, dict) else None
    if not (isinstance(reference, str) and reference):
        yield Problem("The ALLOWED authorization carries no authorization_reference",
                      "authorization_reference: a CiString(36)", short(reference))


@evidence_check("ocpi.tokens.authorize_location")
def authorize_location(evidence: Authorization) -> Iterator[Problem]:
    problems, info = _info(evidence)
    yield from problems
    place = evidence.location
    # A Token may be limited to some Locations (NOT_ALLOWED elsewhere): only an ALLOWED answer is judged further.
    if place is None or info is None or problems or info.get("allowed") != "ALLOWED":
        return
    echo = info.get("location")
    if not isinstance(echo, dict):
        yield Problem("The ALLOWED answer does not name the Location asked about",
                      f"location: {{location_id: {place['location_id']}, evse_uids: ...}}", short(echo))
        return
    if not ci_equal(echo.get("location_id"), place["location_id"]):
        yield Problem("The answer names another Location than the one asked about", place["location_id"],
                      short(echo.get("location_id")))
    asked = {u.upper() for u in place["evse_uids"]}
    others = [u for u in echo.get("evse_uids") or [] if not isinstance(u, str) or u.upper() not in asked]
    if others:
        yield Problem("The answer allows EVSEs that were not asked about", f"a subset of {place['evse_uids']}",
                      short(others))


@evidence_check("ocpi.tokens.authorize_invalid")
def authorize_invalid(evidence: Authorization) -> Iterator[Problem]:
    problems, info = _info(evidence)
    yield from problems
    if info is not None and not problems and info.get("allowed") not in _REFUSED:
        yield Problem(f"The invalid Token {evidence.token['uid']} was not refused",
                      "allowed: BLOCKED, EXPIRED, NO_CREDIT or NOT_ALLOWED", short(info.get("allowed")))


@evidence_check("ocpi.tokens.authorize_unknown")
def authorize_unknown(evidence: Authorization) -> Iterator[Problem]:
    x = evidence.answer
    if x.status != 404 or status_code_of(x) != 2004:
        yield Problem("An unknown Token was not answered as unknown", "HTTP 404 with status_code 2004", answer(x))
    if data_of(x) is not None:
        yield Problem("The answer about an unknown Token carries data", "no data field", short(data_of(x)))


@evidence_check("ocpi.tokens.authorize_regardless_of_state")
def authorize_regardless_of_state(evidence: AuthorizationAfterClosing) -> Iterator[Problem]:
    """Evaluated once the open Location was answered ALLOWED."""
    closed = allowed_of(evidence.closed)
    if closed != "ALLOWED":
        yield Problem("The eMSP refused a Token at a Location it had allowed it at, after learning only that the "
                      "Location is closed and its EVSEs out of order", "allowed: ALLOWED, as at the open Location",
                      short(closed) if closed else answer(evidence.closed))


# -- a CPO as Receiver -------------------------------------------------------------------------------------

@evidence_check("ocpi.tokens.receiver_stored")
def receiver_stored(evidence: ReadBacks) -> Iterator[Problem]:
    yield from readbacks_problems(evidence)


@evidence_check("ocpi.tokens.receiver_patched")
def receiver_patched(evidence: ReadBacks) -> Iterator[Problem]:
    yield from readbacks_problems(evidence)


@evidence_check("ocpi.tokens.receiver_type")
def receiver_type(evidence: ReadBacks) -> Iterator[Problem]:
    """An APP_USER and an RFID Token of the same uid, each read back by its type (and the RFID one without it)."""
    yield from readbacks_problems(evidence)


@evidence_check("ocpi.tokens.receiver_invalid_not_stored")
def receiver_rejected(evidence: Refusal) -> Iterator[Problem]:
    yield from refusal_problems(evidence)
