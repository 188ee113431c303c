"""Checks on how a CPO under test keeps the objects it pushes true over a charge or a reservation: the Session's
start_date_time as it goes from PENDING to ACTIVE, charging periods only ever appended by PATCH, the Session a
reservation gives (mod_sessions), and the EVSE status pushed whenever it changes by a CPO that pushes its
Locations (mod_locations).

The checks judge plain data a flow recorded: the pushes of one Session in the order they reached roamcert
(:class:`conformance.ocpi.v2_2_1.checks.charging.Push`, from conformance/ocpi/v2_2_1/flows/charging.py), the
Location pushes of a charge, or the Sessions roamcert found for a reservation (flows/commands.py). They never send
anything.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from conformance.core.checks import Problem
from conformance.ocpi.types import ci_equal
from conformance.ocpi.v2_2_1.checks._registrar import evidence_check
from conformance.ocpi.v2_2_1.checks._util import moment, short
from conformance.ocpi.v2_2_1.checks.charging import EvseStatusPushes, Push, evse_status_problems

__all__ = ["ReservationSession", "SessionPushes", "evse_status_pushed", "periods_appended",
           "periods_appended_problems", "reservation_session", "reservation_session_problems", "start_time",
           "start_time_problems"]

SES, LOC = "mod_sessions", "mod_locations"
NOT_AVAILABLE = "#NA"  # transport_and_format_not_available
CLOCK_TOLERANCE = timedelta(seconds=1)  # timestamps may be cut to whole seconds


@dataclass(frozen=True)
class SessionPushes:
    """The PUTs and PATCHes of one Session, in the order they reached roamcert."""

    pushes: tuple[Push, ...]

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return tuple(p.exchange_id for p in self.pushes)


@evidence_check("ocpi.sessions.charge_start_time")
def start_time(evidence: SessionPushes) -> Iterator[Problem]:
    yield from start_time_problems(evidence.pushes)


@evidence_check("ocpi.sessions.charge_periods_appended")
def periods_appended(evidence: SessionPushes) -> Iterator[Problem]:
    yield from periods_appended_problems(evidence.pushes)


@evidence_check("ocpi.locations.evse_status_pushed")
def evse_status_pushed(evidence: EvseStatusPushes) -> Iterator[Problem]:
    """Judged like ocpi.locations.charge_evse_status, as a must for a CPO that pushes its Locations at all (the flow
    evaluates it only for such a CPO)."""
    yield from evse_status_problems(evidence.during, evidence.after, evidence.location_id, evidence.evse_uid)


def _stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def start_time_problems(pushes: Sequence[Push]) -> list[Problem]:
    """``pushes``: the PUTs and PATCHes of one Session, in the order they reached roamcert."""
    if not pushes:
        return [Problem("No push of the Session reached roamcert's eMSP, so its start_date_time cannot be followed",
                        "the Session's PUT and PATCHes", "none")]
    problems: list[Problem] = []
    state: dict[str, Any] | None = None
    pending: tuple[datetime, Push] | None = None  # the latest last_updated at which the Session was still PENDING
    judged_active = False
    for push in pushes:
        if not isinstance(push.body, dict):
            continue
        if push.method == "PUT":
            state = dict(push.body)
        elif state is not None:
            state = {**state, **push.body}
        if state is None:
            continue
        start, updated = moment(state.get("start_date_time")), moment(state.get("last_updated"))
        if start is None or updated is None:
            continue  # a Session without valid timestamps is the schema checks' finding
        evidence = (push.exchange_id,)
        status = state.get("status")
        if status == "PENDING":
            if start > updated + CLOCK_TOLERANCE:
                problems.append(Problem("A PENDING Session's start_date_time, the moment it was created, is later "
                                        "than its last_updated", f"at most {_stamp(updated)}", _stamp(start),
                                        evidence=evidence))
            if pending is None or updated >= pending[0]:
                pending = (updated, push)
        elif status == "ACTIVE" and not judged_active:
            judged_active = True
            if pending is not None and start < pending[0] - CLOCK_TOLERANCE:
                problems.append(Problem(
                    "The Session went ACTIVE but its start_date_time was not moved to that moment: it lies before "
                    "the last_updated at which the Session was still pushed as PENDING",
                    f"no earlier than {_stamp(pending[0])}", _stamp(start),
                    evidence=(pending[1].exchange_id, push.exchange_id)))
            if start > updated + CLOCK_TOLERANCE:
                problems.append(Problem("The ACTIVE Session's start_date_time is later than the last_updated of the "
                                        "update that reports it ACTIVE", f"at most {_stamp(updated)}", _stamp(start),
                                        evidence=evidence))
    return problems


def _starts(periods: Any) -> list[datetime | None]:
    if not isinstance(periods, list):
        return []
    return [moment(p.get("start_date_time")) if isinstance(p, dict) else None for p in periods]


def periods_appended_problems(pushes: Sequence[Push]) -> list[Problem]:
    """``pushes``: the PUTs and PATCHes of one Session, in the order they reached roamcert."""
    problems: list[Problem] = []
    latest: datetime | None = None  # the start of the latest charging period pushed so far
    for push in pushes:
        if not isinstance(push.body, dict) or "charging_periods" not in push.body:
            continue
        starts = [s for s in _starts(push.body["charging_periods"]) if s is not None]
        if push.method == "PUT":  # a PUT replaces every period
            latest = max(starts, default=None)
            continue
        previous = latest
        for start in starts:
            if previous is not None and start <= previous:
                problems.append(Problem(
                    "A Session PATCH carries a charging period that does not follow those already pushed: the eMSP "
                    "adds the periods of a PATCH to those it holds, so pushed periods are changed or sent again only "
                    "by a PUT of the whole Session", f"periods starting after {_stamp(previous)}",
                    f"a period starting at {_stamp(start)}", evidence=(push.exchange_id,)))
                break
            previous = start
        latest = max([s for s in (latest, *starts) if s is not None], default=None)
    return problems


def reservation_session_problems(token: dict[str, Any], location_id: str, evse_uid: str,
                                 reserved: dict[str, Any] | None, ended: dict[str, Any] | None,
                                 canceled: bool) -> list[Problem]:
    """``reserved``: the Session for the reservation's Token found while the reservation held (status RESERVATION
    wanted); ``ended``: that Session (same id) once the reservation was canceled (``canceled``: the cancel was
    accepted), or None when it was not found COMPLETED."""
    if reserved is None:
        return [Problem("The reservation gave no Session with status RESERVATION for its Token",
                        f"a Session for Token {token.get('uid')} with status RESERVATION, pushed to roamcert's eMSP "
                        "or listed by the CPO's Sessions Sender", "none")]
    problems = []
    label = f"The reservation's Session {short(reserved.get('id'), 40)}"
    if not ci_equal(reserved.get("location_id"), location_id):
        problems.append(Problem(f"{label} names another Location than the one reserved", location_id,
                                short(reserved.get("location_id"))))
    if not (ci_equal(reserved.get("evse_uid"), evse_uid) or reserved.get("evse_uid") == NOT_AVAILABLE):
        problems.append(Problem(f"{label} names another EVSE than the one reserved", f"{evse_uid} (or #NA)",
                                short(reserved.get("evse_uid"))))
    if canceled and ended is None:
        problems.append(Problem(f"{label} was not COMPLETED when the reservation was canceled without a charge",
                                "the same Session with status COMPLETED", "not COMPLETED (neither pushed nor listed "
                                "so)"))
    return problems


@dataclass(frozen=True)
class ReservationSession:
    """The Session a reservation gave, looked for while it held and once it was canceled."""

    token: dict[str, Any]  # the reservation's Token
    location_id: str  # where the reservation was made
    evse_uid: str
    reserved: dict[str, Any] | None  # the Session with status RESERVATION found for the Token (None: none)
    ended: dict[str, Any] | None  # that Session found COMPLETED after the cancel (None: not so, or not looked for)
    canceled: bool  # the CANCEL_RESERVATION resulted in ACCEPTED
    exchange_ids: tuple[str, ...]


@evidence_check("ocpi.sessions.reservation_session")
def reservation_session(evidence: ReservationSession) -> Iterator[Problem]:
    yield from reservation_session_problems(evidence.token, evidence.location_id, evidence.evse_uid,
                                            evidence.reserved, evidence.ended, evidence.canceled)
