"""Flows for the Commands module (mod_commands).

A CPO under test as Receiver: roamcert, as eMSP, sends commands whose response_url is a route of its own
platform (unique per command), judges the CommandResponse, waits for the CommandResult there (no longer than the
announced timeout and a margin), and looks for the effect: the Session a START_SESSION started (pushed to
roamcert's eMSP, or else in the CPO's Sessions list), its completion and CDR after STOP_SESSION, a reservation
that holds its EVSE RESERVED and that a second cancel no longer finds, a TIMEOUT from a Charge Point made silent
(the ``charge_point_answers`` action), and nothing at the response_url of a command not ACCEPTED. Tokens in
commands are roamcert's own and never pushed to the CPO.

An eMSP under test as Sender: roamcert makes the eMSP send commands (the ``send_command`` action); roamcert's CPO
receives them, answers ACCEPTED, judges the body and POSTs CommandResults of its choosing to the response_url:
ACCEPTED, TIMEOUT, REJECTED, FAILED, and a CANCELED_RESERVATION after a reservation's result. For a START_SESSION
it also starts the Session and sends it to the eMSP, so that the eMSP's STOP_SESSION is for a Session it knows.
"""

from __future__ import annotations

import asyncio
import copy
import json
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote, urlsplit

from conformance.core.case import Case
from conformance.core.errors import NotApplicable, SetupFailed
from conformance.core.exchange import Exchange
from conformance.ocpi.context import Context
from conformance.ocpi.expect import Expect
from conformance.ocpi.harness import Connection, Harness
from conformance.ocpi.types import ci_equal, format_datetime
from conformance.ocpi.v2_2_1.checks import charge_pushes as cp
from conformance.ocpi.v2_2_1.checks import commands as cc
from conformance.ocpi.v2_2_1.flows.actions import perform
from conformance.ocpi.v2_2_1.flows.http import data_of, join, send
from conformance.ocpi.v2_2_1.flows.pull import SenderPull
from simulators.ocpi.v2_2_1.commands import VERSION, SentCommand, command_book, response_path
from simulators.ocpi.v2_2_1.seed.tokens import seed_tokens

__all__ = ["Issued", "cancel_unknown_reservation", "invalid_body", "pause", "reserve_and_cancel",
           "silent_charge_point", "start_session", "stop_session", "stop_unknown_session", "unknown_location",
           "unlock_connector"]

_OK = frozenset({1000})
MAX_WAIT = 120.0  # roamcert never waits longer than this for one CommandResult, whatever the timeout
DEFAULT_WAIT = 30.0  # when the CommandResponse gives no usable timeout
EFFECT_WAIT = 5.0  # seconds to wait for a pushed Session or CDR once the CommandResult is in
SETTLE_WAIT = 1.5  # seconds roamcert listens at the response_url of a command the CPO did not accept
_POLL = 0.02


def pause(harness: Harness) -> None:
    """A moment's wait while something asynchronous may arrive."""
    harness.runtime.run(asyncio.sleep(_POLL))


# -- a CPO as Receiver: sending one command ---------------------------------------------------------------------

@dataclass
class Issued:
    """A command roamcert sent, the CPO's CommandResponse and the CommandResult that came back (if any)."""

    command: str
    body: dict[str, Any]
    exchange: Exchange
    sent: SentCommand
    answered_at: float
    inbound: list[Exchange] = field(default_factory=list)  # the CPO's POSTs to the response_url

    def record(self) -> cc.IssuedCommand:
        """What roamcert knows of the command by now, for the checks."""
        results = self.sent.results
        return cc.IssuedCommand(self.command, self.exchange, self.sent.response_url, tuple(r.body for r in results),
                                results[0].at - self.answered_at if results else None, tuple(self.inbound))

    @property
    def accepted(self) -> bool:
        return self.record().accepted

    @property
    def timeout(self) -> float | None:
        return self.record().timeout

    @property
    def result(self) -> str | None:
        return self.record().result

    def evidence(self) -> tuple[str, ...]:
        return self.record().exchange_ids


def _commands_url(conn: Connection) -> str:
    url = conn.endpoint("commands", "RECEIVER")
    if url is None:
        raise SetupFailed("the SUT lists no commands RECEIVER endpoint")
    return url


def issue(ctx: Context, command: str, fields: dict[str, Any], expect: Expect | None = None) -> Issued:
    """POST ``command`` with a response_url of roamcert's eMSP; when ACCEPTED, wait for the CommandResult."""
    partner = ctx.partner
    path = response_path(command, secrets.token_hex(8))
    # at the SUT's peer: roamcert's eMSP, or the hub, which forwards it to the eMSP with the path kept
    response_url = f"{ctx.registrar.module_url(VERSION, 'commands', 'SENDER')}/{path}"
    sent = SentCommand(command, response_url)
    command_book(partner).sent[path] = sent
    body = {"response_url": response_url, **fields}
    exchange = send(ctx, "POST", join(_commands_url(ctx.conn), command),
                    expect or Expect(schema="CommandResponse", status_codes=_OK), token=ctx.conn.token, json_body=body)
    issued = Issued(command, body, exchange, sent, time.monotonic())
    if issued.accepted:
        wait = min(issued.timeout or DEFAULT_WAIT, MAX_WAIT) + cc.RESULT_MARGIN
        deadline = issued.answered_at + wait
        while not sent.results and time.monotonic() < deadline:
            pause(ctx.harness)
    issued.inbound = _inbound_at(ctx.case, response_url)
    return issued


def _inbound_at(case: Case, url: str) -> list[Exchange]:
    """The SUT's requests to ``url``, by path (the SUT may reach roamcert under another host name)."""
    where = urlsplit(url).path
    return [x for x in case.log.exchanges if x.direction == "inbound" and urlsplit(x.url).path == where]


def conclude_command(case: Case, issued: Issued) -> None:
    """The checks every command answered with 1000 goes through: CommandResponse, CommandResult, its timing."""
    case.evaluate(cc.command_response, cc.CommandResponse(issued.command, issued.exchange))
    if not issued.accepted:
        return  # a CommandResult follows an ACCEPTED answer only (mod_commands_response_data)
    record = issued.record()
    case.evaluate(cc.result_posted, record)
    if record.result_after is not None and record.timeout is not None:
        case.evaluate(cc.result_in_time, record)


def conclude_not_accepted(ctx: Context, issued: Sequence[Issued]) -> None:
    """Listen a little at the response_url of each command the CPO did not answer ACCEPTED: nothing may come there,
    since a CommandResult follows an ACCEPTED answer only (mod_commands_response_data)."""
    refused = [one for one in issued if not one.accepted]
    if not refused:
        return  # the checks of the answers say why
    deadline = max(one.answered_at for one in refused) + SETTLE_WAIT
    while time.monotonic() < deadline and not any(one.sent.results for one in refused):
        pause(ctx.harness)
    for one in refused:
        one.inbound = _inbound_at(ctx.case, one.sent.response_url)
    ctx.case.evaluate(cc.no_result_unless_accepted,
                  cc.CommandsNotAccepted(tuple(one.record() for one in refused), SETTLE_WAIT))


def _real_time(case: Case, mark: int, token: dict[str, Any], issued: Issued) -> cc.RealTimeAuthorization:
    """The CPO's requests to roamcert since ``mark``, where a real-time authorization of ``token`` would show."""
    requests = tuple(x for x in case.log.exchanges[mark:] if x.direction == "inbound")
    return cc.RealTimeAuthorization(str(token["uid"]), requests, issued.evidence())


# -- a CPO as Receiver: where to charge, with what ------------------------------------------------------------

@dataclass(frozen=True)
class Place:
    location_id: str
    evse_uid: str
    connector_id: str


def _locations(ctx: Context) -> list[dict[str, Any]]:
    if ctx.conn.endpoint("locations", "SENDER") is None:
        raise SetupFailed("the SUT lists no locations SENDER endpoint to learn where commands can go")
    items, _, _ = SenderPull(ctx).traverse()
    locations = [i for i in items if isinstance(i, dict) and isinstance(i.get("id"), str)]
    if not locations:
        raise SetupFailed("roamcert could not learn any Location from the CPO")
    return locations


def place_for(ctx: Context, capability: str) -> Place:
    """An AVAILABLE EVSE (with a Connector) that declares ``capability``, or any AVAILABLE one when the CPO
    declares no capabilities at all."""
    evses = [(loc, evse) for loc in _locations(ctx) for evse in loc.get("evses") or []
             if isinstance(evse, dict) and evse.get("connectors")]
    declaring = [(loc, e) for loc, e in evses if isinstance(e.get("capabilities"), list) and e["capabilities"]]
    if declaring and not any(capability in e["capabilities"] for _, e in declaring):
        raise NotApplicable(f"the CPO declares no EVSE with the capability {capability}")
    fitting = [(loc, e) for loc, e in evses if e.get("status") == "AVAILABLE"
               and (not declaring or capability in (e.get("capabilities") or []))]
    if not fitting:
        raise SetupFailed(f"no EVSE of the CPO with {capability} is AVAILABLE now")
    location, evse = fitting[0]
    return Place(str(location["id"]), str(evse["uid"]), str(evse["connectors"][0]["id"]))


def fresh_token(ctx: Context, token_type: str) -> dict[str, Any]:
    """A valid Token of roamcert's eMSP under a uid never used before (so never pushed to the CPO)."""
    emsp = ctx.partner_identity
    now = datetime.now(UTC).replace(microsecond=0)
    token = copy.deepcopy(next(t for t in seed_tokens(country_code=emsp.country_code, party_id=emsp.party_id,
                                                      base_time=now) if t["type"] == token_type and t["valid"]))
    token["uid"] = f"RC{secrets.token_hex(4).upper()}{str(token['uid'])[:14]}"
    token["last_updated"] = format_datetime(now - timedelta(minutes=1))
    return token


def _token_fields(place: Place, token: dict[str, Any]) -> dict[str, Any]:
    return {"token": token, "location_id": place.location_id, "evse_uid": place.evse_uid,
            "connector_id": place.connector_id}


# -- a CPO as Receiver: what the command did ------------------------------------------------------------------

def _pushed(ctx: Context, module: str, match: Any) -> dict[str, Any] | None:
    for item in list(ctx.partner.received.get(module, {}).values()):
        if match(item):
            return item
    return None


def _for_token(token: dict[str, Any]) -> Any:
    def match(item: dict[str, Any]) -> bool:
        held = item.get("cdr_token") or {}
        return isinstance(held, dict) and ci_equal(held.get("uid"), token["uid"]) and held.get("type") == token["type"]

    return match


def _find(ctx: Context, module: str, schema: str, match: Any,
          since: datetime) -> tuple[dict[str, Any] | None, tuple[str, ...]]:
    """The object pushed to roamcert's eMSP (waiting a little), else from the CPO's Sender list."""
    deadline = time.monotonic() + EFFECT_WAIT
    found = _pushed(ctx, module, match)
    while found is None and time.monotonic() < deadline:
        pause(ctx.harness)
        found = _pushed(ctx, module, match)
    if found is not None:
        key = str(found.get("id", ""))
        return found, tuple(x.id for x in ctx.case.log.exchanges if x.direction == "inbound" and f"/{module}" in x.url
                            and (key in x.url or key in (x.request_body or "")))
    if ctx.conn.endpoint(module, "SENDER") is None:
        return None, ()
    pull = SenderPull(ctx, module=module, schema=schema)
    items, pages, _ = pull.traverse({"date_from": format_datetime(since)})
    return next((i for i in items if isinstance(i, dict) and match(i)), None), tuple(p.id for p in pages)


@dataclass
class Started:
    token: dict[str, Any]
    place: Place
    session: dict[str, Any] | None
    since: datetime
    mark: int


def start_session(ctx: Context, token_type: str) -> Started:
    """START_SESSION with a Token of ``token_type`` the CPO never received, at an AVAILABLE EVSE."""
    place = place_for(ctx, "REMOTE_START_STOP_CAPABLE")
    token = fresh_token(ctx, token_type)
    since = datetime.now(UTC) - timedelta(minutes=5)
    mark = len(ctx.case.log.exchanges)
    issued = issue(ctx, "START_SESSION", _token_fields(place, token))
    conclude_command(ctx.case, issued)
    session: dict[str, Any] | None = None
    evidence: tuple[str, ...] = ()
    if issued.accepted:
        session, evidence = _find(ctx, "sessions", "Session", _for_token(token), since)
    ctx.case.evaluate(cc.start_session,
                  cc.EffectOfStart(issued.record(), place.location_id, place.evse_uid, session, evidence))
    ctx.case.evaluate(cc.start_token_not_checked, issued.record())
    if session is not None:
        ctx.case.evaluate(cc.session_token, cc.TokenCarried("Session", session.get("cdr_token"), token, evidence))
    ctx.case.evaluate(cc.start_no_realtime_authorization, _real_time(ctx.case, mark, token, issued))
    return Started(token, place, copy.deepcopy(session), since, mark)


def stop_session(ctx: Context, started: Started) -> None:
    """STOP_SESSION of the Session a START_SESSION started: it completes, and its CDR carries the Token."""
    if started.session is None or not isinstance(started.session.get("id"), str):
        raise SetupFailed("no Session was started to stop")
    session_id = str(started.session["id"])
    issued = issue(ctx, "STOP_SESSION", {"session_id": session_id})
    conclude_command(ctx.case, issued)
    session: dict[str, Any] | None = None
    evidence: tuple[str, ...] = ()
    if issued.accepted:
        def completed(item: dict[str, Any]) -> bool:
            return ci_equal(item.get("id"), session_id) and item.get("status") == "COMPLETED"

        session, evidence = _find(ctx, "sessions", "Session", completed, started.since)
        cdr, cdr_evidence = _find(ctx, "cdrs", "CDR",
                                  lambda i: ci_equal(i.get("session_id"), session_id), started.since)
        if cdr is not None:  # a CDR may come much later; when it is there, it carries the Token
            ctx.case.evaluate(cc.session_token, cc.TokenCarried("CDR", cdr.get("cdr_token"), started.token,
            cdr_evidence))
    ctx.case.evaluate(cc.stop_session, cc.EffectOfStop(issued.record(), session_id, session, evidence))
    ctx.case.evaluate(cc.start_no_realtime_authorization, _real_time(ctx.case, started.mark, started.token, issued))


def reserve_and_cancel(ctx: Context) -> None:
    """RESERVE_NOW with an RFID Token never pushed, CANCEL_RESERVATION, and the same cancel again."""
    place = place_for(ctx, "RESERVABLE")
    token = fresh_token(ctx, "RFID")
    reservation_id = f"RC-RES-{secrets.token_hex(5).upper()}"
    mark = len(ctx.case.log.exchanges)
    expiry = format_datetime(datetime.now(UTC) + timedelta(hours=4))
    reserve = issue(ctx, "RESERVE_NOW",
                    {"token": token, "expiry_date": expiry, "reservation_id": reservation_id,
                     "location_id": place.location_id, "evse_uid": place.evse_uid})
    conclude_command(ctx.case, reserve)
    ctx.case.evaluate(cc.reserve_token_not_checked, reserve.record())
    if reserve.accepted and reserve.result == "ACCEPTED":
        ctx.case.evaluate(cc.reserved_evse_status, _reserved_status(ctx, place, mark))
    reserved = _reservation_session(ctx, token, place, reserve)
    cancel = issue(ctx, "CANCEL_RESERVATION", {"reservation_id": reservation_id})
    conclude_command(ctx.case, cancel)
    _reservation_session(ctx, token, place, cancel, reserved)
    again = issue(ctx, "CANCEL_RESERVATION", {"reservation_id": reservation_id})
    conclude_command(ctx.case, again)
    ctx.case.evaluate(cc.reservation_canceled, cc.ReservationCanceled(reserve.record(), cancel.record(),
    again.record()))
    ctx.case.evaluate(cc.reserve_no_realtime_authorization, _real_time(ctx.case, mark, token, reserve))


def _reservation_session(ctx: Context, token: dict[str, Any],
                         place: Place, after: Issued, reserved: tuple[dict[str, Any] | None, tuple[str, ...]] | None
                         = None) -> tuple[dict[str, Any] | None, tuple[str, ...]] | None:
    """The Session a reservation gives (mod_sessions_reservation). After the RESERVE_NOW: the Session with status
    RESERVATION for ``token``, pushed or listed, or None when no reservation was made (the command's own checks
    say why). After the CANCEL_RESERVATION (``reserved``: what the first call returned): judged, that Session
    being COMPLETED by then."""
    since = datetime.now(UTC) - timedelta(minutes=10)
    if after.command == "RESERVE_NOW":
        if after.result != "ACCEPTED":
            return None

        def reserving(item: dict[str, Any]) -> bool:
            return _for_token(token)(item) and item.get("status") == "RESERVATION"

        return _find(ctx, "sessions", "Session", reserving, since)
    if reserved is None:
        return None
    session, evidence = reserved
    ended: dict[str, Any] | None = None
    canceled = after.result == "ACCEPTED"
    if session is not None and canceled:
        wanted = session.get("id")

        def completed(item: dict[str, Any]) -> bool:
            return ci_equal(item.get("id"), wanted) and item.get("status") == "COMPLETED"

        ended, more = _find(ctx, "sessions", "Session", completed, since)
        evidence += more
    ctx.case.evaluate(cp.reservation_session, cp.ReservationSession(
        token, place.location_id, place.evse_uid, session, ended, canceled, after.evidence() + evidence))
    return None


def _statuses_pushed(case: Case, since: int, place: Place) -> list[tuple[Exchange, str]]:
    """(push, status) for each Location or EVSE the CPO PUT or PATCHed to roamcert since ``since`` that gave the
    EVSE of ``place`` a status, and that roamcert took."""
    found = []
    for x in case.log.exchanges[since:]:
        if x.direction != "inbound" or x.method not in ("PUT", "PATCH") or "/locations/" not in x.url \
                or x.status is None or not 200 <= x.status < 300:
            continue
        try:
            body = json.loads(x.request_body or "")
        except ValueError:
            continue
        segments = [unquote(s) for s in urlsplit(x.url).path.rstrip("/").split("/")]
        if not isinstance(body, dict) or len(segments) < 2:
            continue
        if ci_equal(segments[-1], place.location_id):
            found += [(x, str(e["status"])) for e in body.get("evses") or []
                      if isinstance(e, dict) and ci_equal(e.get("uid"), place.evse_uid) and "status" in e]
        elif ci_equal(segments[-2], place.location_id) and ci_equal(segments[-1], place.evse_uid) \
                and "status" in body:
            found.append((x, str(body["status"])))
    return found


def _reserved_status(ctx: Context, place: Place, since: int) -> cc.ReservedStatus:
    """What shows the reserved EVSE's status: the CPO's pushes to roamcert's eMSP (waiting a little until one says
    RESERVED), else the EVSE in the CPO's Locations."""
    url = ctx.conn.endpoint("locations", "SENDER")
    listed: list[tuple[Exchange, Any]] = []

    def seen() -> cc.ReservedStatus:
        return cc.ReservedStatus(place.location_id, place.evse_uid, tuple(_statuses_pushed(ctx.case, since, place)),
                                 tuple(listed))

    def pull() -> None:
        if url is not None:
            x = send(ctx, "GET", join(url, place.location_id, place.evse_uid),
                     Expect(schema="EVSE", status_codes=_OK), token=ctx.conn.token)
            listed.append((x, data_of(x)))

    if not seen().reserved:
        pull()
    deadline = time.monotonic() + EFFECT_WAIT
    while not seen().reserved and time.monotonic() < deadline:
        pause(ctx.harness)
    if not seen().reserved:
        pull()
    return seen()


def cancel_unknown_reservation(ctx: Context) -> None:
    issued = issue(ctx, "CANCEL_RESERVATION",
                   {"reservation_id": f"RC-NO-SUCH-RES-{secrets.token_hex(4).upper()}"})
    conclude_command(ctx.case, issued)
    ctx.case.evaluate(cc.unknown_reservation, issued.record())


def unlock_connector(ctx: Context) -> None:
    place = place_for(ctx, "UNLOCK_CAPABLE")
    issued = issue(ctx, "UNLOCK_CONNECTOR",
                   {"location_id": place.location_id, "evse_uid": place.evse_uid, "connector_id": place.connector_id})
    conclude_command(ctx.case, issued)


def stop_unknown_session(ctx: Context) -> None:
    issued = issue(ctx, "STOP_SESSION",
                   {"session_id": f"RC-NO-SUCH-SESSION-{secrets.token_hex(4).upper()}"})
    conclude_command(ctx.case, issued)
    ctx.case.evaluate(cc.unknown_session, issued.record())
    conclude_not_accepted(ctx, [issued])


def unknown_location(ctx: Context) -> None:
    """START_SESSION and UNLOCK_CONNECTOR at a Location the CPO does not have."""
    location_id = f"RC-NO-SUCH-LOC-{secrets.token_hex(4).upper()}"
    expect = Expect(status_codes=frozenset({2003}), resource_exists=True)  # the commands URL exists
    token = fresh_token(ctx, "APP_USER")
    issued = [
        issue(ctx, "START_SESSION", {"token": token, "location_id": location_id}, expect),
        issue(ctx, "UNLOCK_CONNECTOR",
              {"location_id": location_id, "evse_uid": f"{location_id}-1", "connector_id": "1"}, expect),
    ]
    ctx.case.evaluate(cc.unknown_location, cc.CommandsAtUnknownLocation(tuple(one.record() for one in issued)))
    conclude_not_accepted(ctx, issued)


def invalid_body(ctx: Context) -> None:
    """START_SESSION whose body lacks the Token: 2001, nothing carried out."""
    location_id = _locations(ctx)[0]["id"]
    issued = issue(ctx, "START_SESSION", {"location_id": location_id},
                   Expect(status_codes=frozenset({2001}), resource_exists=True))
    conclude_not_accepted(ctx, [issued])
    ctx.case.evaluate(cc.invalid_body, issued.record())


def silent_charge_point(ctx: Context) -> None:
    """START_SESSION at an EVSE whose Charge Point takes commands and never answers (action charge_point_answers):
    the CPO reports TIMEOUT within the timeout it announced."""
    place = place_for(ctx, "REMOTE_START_STOP_CAPABLE")
    where = {"location_id": place.location_id, "evse_uid": place.evse_uid}
    perform(ctx, "charge_point_answers", {**where, "answer": "NOTHING"})
    try:
        issued = issue(ctx, "START_SESSION",
                       _token_fields(place, fresh_token(ctx, "APP_USER")))
    finally:
        perform(ctx, "charge_point_answers", {**where, "answer": "NORMALLY"})
    conclude_command(ctx.case, issued)
    if not issued.accepted:
        raise SetupFailed(f"the CPO did not hand the START_SESSION to the Charge Point ({issued.record().describe()}), "
                          "so its silence was not put to the test")
    ctx.case.evaluate(cc.charge_point_timeout, issued.record())
