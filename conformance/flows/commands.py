"""Flows for the Commands module (mod_commands).

A CPO under test as Receiver: roamcert, as eMSP, sends commands whose response_url is a route of its own
platform (unique per command), judges the CommandResponse, waits for the CommandResult there (no longer than the
announced timeout and a margin), and looks for the effect: the Session a START_SESSION started (pushed to
roamcert's eMSP, or else in the CPO's Sessions list), its completion and CDR after STOP_SESSION, a reservation
that a second cancel no longer finds. Tokens in commands are roamcert's own and never pushed to the CPO.

An eMSP under test as Sender: roamcert makes the eMSP send commands (the ``send_command`` action); roamcert's CPO
receives them, answers ACCEPTED, judges the body and POSTs CommandResults of its choosing to the response_url:
ACCEPTED, TIMEOUT, REJECTED, FAILED, and a CANCELED_RESERVATION after a reservation's result.
"""

from __future__ import annotations

import asyncio
import copy
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlsplit

from conformance.case import Case
from conformance.checks import commands as cc
from conformance.checks._util import short
from conformance.checks.registry import Check, Expect, Problem
from conformance.errors import NotApplicable, SetupFailed, SutUnreachable
from conformance.exchange import Exchange
from conformance.flows.actions import perform
from conformance.flows.http import data_of, join, send, status_code_of
from conformance.flows.pull import SenderPull
from conformance.harness import Connection, Harness
from conformance.protocols.ocpi.schemas import errors as schema_errors
from conformance.protocols.ocpi.types import ci_equal, format_datetime
from simulators.ocpi.commands import COMMAND_OBJECTS, VERSION, ReceivedCommand, SentCommand, command_book, response_path
from simulators.ocpi.seed.locations import seed_locations
from simulators.ocpi.seed.tokens import seed_tokens
from simulators.ocpi.v2_2_1.credentials import peer_client

__all__ = ["Issued", "cancel_unknown_reservation", "invalid_body", "reserve_and_cancel", "sender_reserve",
           "sender_start", "sender_stop", "sender_unlock", "start_session", "stop_session", "stop_unknown_session",
           "unknown_location", "unlock_connector"]

_OK = frozenset({1000})
RESULT_MARGIN = 2.0  # seconds past the announced timeout before a CommandResult counts as missing
MAX_WAIT = 120.0  # roamcert never waits longer than this for one CommandResult, whatever the timeout
DEFAULT_WAIT = 30.0  # when the CommandResponse gives no usable timeout
EFFECT_WAIT = 5.0  # seconds to wait for a pushed Session or CDR once the CommandResult is in
_POLL = 0.02


def _sleep(harness: Harness) -> None:
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

    @property
    def response(self) -> dict[str, Any] | None:
        data = data_of(self.exchange)
        return data if isinstance(data, dict) else None

    @property
    def answer(self) -> str | None:
        """The CommandResponseType, when the command was answered with 1000 and a CommandResponse."""
        response = self.response
        return str(response.get("result")) if response and status_code_of(self.exchange) == 1000 else None

    @property
    def accepted(self) -> bool:
        return self.answer == "ACCEPTED"

    @property
    def timeout(self) -> float | None:
        value = (self.response or {}).get("timeout")
        return float(value) if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None

    @property
    def result(self) -> str | None:
        body = self.sent.results[0].body if self.sent.results else None
        return str(body.get("result")) if isinstance(body, dict) else None

    @property
    def result_after(self) -> float | None:
        return self.sent.results[0].at - self.answered_at if self.sent.results else None

    def evidence(self) -> tuple[str, ...]:
        return (self.exchange.id, *(x.id for x in self.inbound))

    def describe(self) -> str:
        answer = f"HTTP {self.exchange.status}, status_code {short(status_code_of(self.exchange))}, " \
                 f"result {short((self.response or {}).get('result'))}"
        if self.result:
            return f"{answer}, then CommandResult {self.result}"
        return f"{answer}, then no CommandResult" if self.accepted else answer


def _commands_url(conn: Connection) -> str:
    url = conn.endpoint("commands", "RECEIVER")
    if url is None:
        raise SetupFailed("the SUT lists no commands RECEIVER endpoint")
    return url


def issue(harness: Harness, case: Case, conn: Connection, sut_role: str, command: str, fields: dict[str, Any],
          expect: Expect | None = None) -> Issued:
    """POST ``command`` with a response_url of roamcert's eMSP; when ACCEPTED, wait for the CommandResult."""
    partner = harness.partner(sut_role)
    path = response_path(command, secrets.token_hex(8))
    response_url = f"{partner.module_url(VERSION, 'commands', 'SENDER')}/{path}"
    sent = SentCommand(command, response_url)
    command_book(partner).sent[path] = sent
    body = {"response_url": response_url, **fields}
    exchange = send(harness, case, "POST", join(_commands_url(conn), command),
                    expect or Expect(schema="CommandResponse", status_codes=_OK), token=conn.token, json_body=body)
    issued = Issued(command, body, exchange, sent, time.monotonic())
    if issued.accepted:
        wait = min(issued.timeout or DEFAULT_WAIT, MAX_WAIT) + RESULT_MARGIN
        deadline = issued.answered_at + wait
        while not sent.results and time.monotonic() < deadline:
            _sleep(harness)
    where = urlsplit(response_url).path  # the SUT may reach roamcert under another host name
    issued.inbound = [x for x in case.log.exchanges if x.direction == "inbound" and urlsplit(x.url).path == where]
    return issued


def _response_problems(issued: Issued) -> list[Problem]:
    code = status_code_of(issued.exchange)
    if code != 1000:
        return [Problem(f"The {issued.command} was not answered with status 1000", "status_code 1000",
                        f"HTTP {issued.exchange.status}, status_code {short(code)}")]
    response = issued.response
    if response is None:
        return [Problem(f"The answer to the {issued.command} carries no CommandResponse",
                        "data: {result, timeout}", short(data_of(issued.exchange)))]
    problems = []
    if response.get("result") not in ("ACCEPTED", "NOT_SUPPORTED", "REJECTED", "UNKNOWN_SESSION"):
        problems.append(Problem("The CommandResponse has no CommandResponseType result",
                                "ACCEPTED, NOT_SUPPORTED, REJECTED or UNKNOWN_SESSION", short(response.get("result"))))
    if issued.timeout is None:
        problems.append(Problem("The CommandResponse gives no timeout in seconds", "timeout: a positive int",
                                short(response.get("timeout", "(absent)"))))
    return problems


def conclude_command(case: Case, issued: Issued) -> None:
    """The checks every command answered with 1000 goes through: CommandResponse, CommandResult, its timing."""
    case.add(cc.RESPONSE.conclude(_response_problems(issued), (issued.exchange.id,)))
    if not issued.accepted:
        return  # a CommandResult follows an ACCEPTED answer only (mod_commands_response_data)
    problems = []
    if not issued.sent.results:
        refused = ", ".join(f"HTTP {x.status}" for x in issued.inbound)
        problems.append(Problem(
            f"No CommandResult for the {issued.command} reached its response_url within the timeout "
            f"({short(issued.timeout)}s) and {RESULT_MARGIN:g}s more", f"POST {issued.sent.response_url}",
            f"{len(issued.inbound)} request(s) to it, answered {refused}" if issued.inbound else "none"))
    else:
        body = issued.sent.results[0].body
        for message in (schema_errors(VERSION, "CommandResult", body) if isinstance(body, dict)
                        else ["not a JSON object"])[:5]:
            problems.append(Problem(f"The body POSTed to the response_url is not a CommandResult: {message}"))
    case.add(cc.RESULT_POSTED.conclude(problems, issued.evidence()))
    after = issued.result_after
    if after is not None and issued.timeout is not None:
        late = [] if after <= issued.timeout else [Problem(
            f"The CommandResult of the {issued.command} came after the announced timeout",
            f"within {issued.timeout:g}s", f"{after:.2f}s after the CommandResponse")]
        case.add(cc.RESULT_IN_TIME.conclude(late, issued.evidence()))


def _expect_accepted(issued: Issued, *, result: str = "ACCEPTED") -> list[Problem]:
    if not issued.accepted:
        return [Problem(f"The {issued.command} was not ACCEPTED", "status_code 1000, result ACCEPTED",
                        issued.describe())]
    if issued.result is not None and issued.result != result:
        return [Problem(f"The CommandResult of the {issued.command} is not {result}", result, issued.result)]
    if issued.result is None:
        return [Problem(f"The {issued.command} was ACCEPTED but no CommandResult came", f"CommandResult {result}",
                        "none")]
    return []


def _refused(issued: Issued, what: str) -> list[Problem]:
    """The command was turned down (the CPO's REJECTED, or the Charge Point's) though nothing but its Token could
    be the reason."""
    if issued.answer == "REJECTED" or issued.result == "REJECTED":
        return [Problem(f"The {issued.command} with a Token the CPO was never sent was refused", what,
                        issued.describe())]
    return []


def _asked_in_real_time(case: Case, mark: int, token: dict[str, Any]) -> list[Problem]:
    wanted = f"/{quote(str(token['uid']), safe='')}/authorize".lower()
    asked = [x for x in case.log.exchanges[mark:] if x.direction == "inbound" and wanted in x.url.lower()]
    return [Problem("The CPO asked roamcert's eMSP in real time about the command's Token",
                    "no POST .../tokens/{uid}/authorize for it", f"{len(asked)} request(s)",
                    evidence=tuple(x.id for x in asked))] if asked else []


# -- a CPO as Receiver: where to charge, with what ------------------------------------------------------------

@dataclass(frozen=True)
class Place:
    location_id: str
    evse_uid: str
    connector_id: str


def _locations(harness: Harness, case: Case, conn: Connection) -> list[dict[str, Any]]:
    if conn.endpoint("locations", "SENDER") is None:
        raise SetupFailed("the SUT lists no locations SENDER endpoint to learn where commands can go")
    items, _, _ = SenderPull(harness, case, conn).traverse()
    locations = [i for i in items if isinstance(i, dict) and isinstance(i.get("id"), str)]
    if not locations:
        raise SetupFailed("roamcert could not learn any Location from the CPO")
    return locations


def place_for(harness: Harness, case: Case, conn: Connection, capability: str) -> Place:
    """An AVAILABLE EVSE (with a Connector) that declares ``capability``, or any AVAILABLE one when the CPO
    declares no capabilities at all."""
    evses = [(loc, evse) for loc in _locations(harness, case, conn) for evse in loc.get("evses") or []
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


def fresh_token(harness: Harness, sut_role: str, token_type: str) -> dict[str, Any]:
    """A valid Token of roamcert's eMSP under a uid never used before (so never pushed to the CPO)."""
    emsp = harness.partner_identity(sut_role)
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

def _pushed(harness: Harness, sut_role: str, module: str, match: Any) -> dict[str, Any] | None:
    for item in list(harness.partner(sut_role).received.get(module, {}).values()):
        if match(item):
            return item
    return None


def _for_token(token: dict[str, Any]) -> Any:
    def match(item: dict[str, Any]) -> bool:
        held = item.get("cdr_token") or {}
        return isinstance(held, dict) and ci_equal(held.get("uid"), token["uid"]) and held.get("type") == token["type"]

    return match


def _find(harness: Harness, case: Case, conn: Connection, sut_role: str, module: str, schema: str, match: Any,
          since: datetime) -> tuple[dict[str, Any] | None, tuple[str, ...]]:
    """The object pushed to roamcert's eMSP (waiting a little), else from the CPO's Sender list."""
    deadline = time.monotonic() + EFFECT_WAIT
    found = _pushed(harness, sut_role, module, match)
    while found is None and time.monotonic() < deadline:
        _sleep(harness)
        found = _pushed(harness, sut_role, module, match)
    if found is not None:
        key = str(found.get("id", ""))
        return found, tuple(x.id for x in case.log.exchanges if x.direction == "inbound" and f"/{module}" in x.url
                            and (key in x.url or key in (x.request_body or "")))
    if conn.endpoint(module, "SENDER") is None:
        return None, ()
    pull = SenderPull(harness, case, conn, module=module, schema=schema)
    items, pages, _ = pull.traverse({"date_from": format_datetime(since)})
    return next((i for i in items if isinstance(i, dict) and match(i)), None), tuple(p.id for p in pages)


def _token_problems(what: str, held: Any, token: dict[str, Any]) -> list[Problem]:
    if not isinstance(held, dict):
        return [Problem(f"The {what} carries no cdr_token", "the command's Token", short(held))]
    wrong = [k for k in ("uid", "type", "contract_id", "country_code", "party_id")
             if not ci_equal(held.get(k), token.get(k))]
    return [Problem(f"The {what}'s cdr_token is not the command's Token ({', '.join(wrong)} differ)",
                    short({k: token.get(k) for k in wrong}), short({k: held.get(k) for k in wrong}))] if wrong else []


@dataclass
class Started:
    token: dict[str, Any]
    place: Place
    session: dict[str, Any] | None
    since: datetime
    mark: int


def start_session(harness: Harness, case: Case, conn: Connection, sut_role: str, token_type: str) -> Started:
    """START_SESSION with a Token of ``token_type`` the CPO never received, at an AVAILABLE EVSE."""
    place = place_for(harness, case, conn, "REMOTE_START_STOP_CAPABLE")
    token = fresh_token(harness, sut_role, token_type)
    since = datetime.now(UTC) - timedelta(minutes=5)
    mark = len(case.log.exchanges)
    issued = issue(harness, case, conn, sut_role, "START_SESSION", _token_fields(place, token))
    conclude_command(case, issued)
    session: dict[str, Any] | None = None
    evidence: tuple[str, ...] = ()
    if issued.accepted:
        session, evidence = _find(harness, case, conn, sut_role, "sessions", "Session", _for_token(token), since)
    problems = _expect_accepted(issued)
    if issued.accepted and session is None:
        problems.append(Problem("No Session for the command's Token appeared", "a Session pushed to roamcert's "
                                "eMSP or listed by the CPO's Sessions Sender", "none"))
    elif session is not None and not (ci_equal(session.get("location_id"), place.location_id)
                                      and ci_equal(session.get("evse_uid"), place.evse_uid)):
        problems.append(Problem("The Session started elsewhere than the command asked",
                                f"{place.location_id} / {place.evse_uid}",
                                f"{short(session.get('location_id'))} / {short(session.get('evse_uid'))}"))
    case.add(cc.START_SESSION.conclude(problems, issued.evidence() + evidence))
    case.add(cc.START_TOKEN_NOT_CHECKED.conclude(_refused(issued, "ACCEPTED, whatever the CPO knows of the Token"),
                                                 issued.evidence()))
    if session is not None:
        case.add(cc.SESSION_TOKEN.conclude(_token_problems("Session", session.get("cdr_token"), token), evidence))
    case.add(cc.START_NO_REALTIME.conclude(_asked_in_real_time(case, mark, token), issued.evidence()))
    return Started(token, place, copy.deepcopy(session), since, mark)


def stop_session(harness: Harness, case: Case, conn: Connection, sut_role: str, started: Started) -> None:
    """STOP_SESSION of the Session a START_SESSION started: it completes, and its CDR carries the Token."""
    if started.session is None or not isinstance(started.session.get("id"), str):
        raise SetupFailed("no Session was started to stop")
    session_id = str(started.session["id"])
    issued = issue(harness, case, conn, sut_role, "STOP_SESSION", {"session_id": session_id})
    conclude_command(case, issued)
    problems = _expect_accepted(issued)
    evidence: tuple[str, ...] = ()
    if issued.accepted:
        def completed(item: dict[str, Any]) -> bool:
            return ci_equal(item.get("id"), session_id) and item.get("status") == "COMPLETED"

        session, evidence = _find(harness, case, conn, sut_role, "sessions", "Session", completed, started.since)
        if session is None:
            problems.append(Problem("The Session did not become COMPLETED", f"Session {session_id}: COMPLETED",
                                    "not COMPLETED (neither pushed nor listed so)"))
        cdr, cdr_evidence = _find(harness, case, conn, sut_role, "cdrs", "CDR",
                                  lambda i: ci_equal(i.get("session_id"), session_id), started.since)
        if cdr is not None:  # a CDR may come much later; when it is there, it carries the Token
            case.add(cc.SESSION_TOKEN.conclude(_token_problems("CDR", cdr.get("cdr_token"), started.token),
                                               cdr_evidence))
    case.add(cc.STOP_SESSION.conclude(problems, issued.evidence() + evidence))
    case.add(cc.START_NO_REALTIME.conclude(_asked_in_real_time(case, started.mark, started.token),
                                           issued.evidence()))


def _unknown_reservation_problems(issued: Issued, what: str) -> list[Problem]:
    if issued.answer == "REJECTED" or issued.result == "UNKNOWN_RESERVATION":
        return []
    return [Problem(f"CANCEL_RESERVATION of {what} did not report it unknown",
                    "CommandResult UNKNOWN_RESERVATION (or a REJECTED CommandResponse)", issued.describe())]


def reserve_and_cancel(harness: Harness, case: Case, conn: Connection, sut_role: str) -> None:
    """RESERVE_NOW with an RFID Token never pushed, CANCEL_RESERVATION, and the same cancel again."""
    place = place_for(harness, case, conn, "RESERVABLE")
    token = fresh_token(harness, sut_role, "RFID")
    reservation_id = f"RC-RES-{secrets.token_hex(5).upper()}"
    mark = len(case.log.exchanges)
    expiry = format_datetime(datetime.now(UTC) + timedelta(hours=4))
    reserve = issue(harness, case, conn, sut_role, "RESERVE_NOW",
                    {"token": token, "expiry_date": expiry, "reservation_id": reservation_id,
                     "location_id": place.location_id, "evse_uid": place.evse_uid})
    conclude_command(case, reserve)
    case.add(cc.RESERVE_TOKEN_NOT_CHECKED.conclude(
        _refused(reserve, "ACCEPTED, whatever the CPO knows of the Token"), reserve.evidence()))
    cancel = issue(harness, case, conn, sut_role, "CANCEL_RESERVATION", {"reservation_id": reservation_id})
    conclude_command(case, cancel)
    again = issue(harness, case, conn, sut_role, "CANCEL_RESERVATION", {"reservation_id": reservation_id})
    conclude_command(case, again)
    problems = _expect_accepted(reserve) + _expect_accepted(cancel)
    if not problems:
        problems = _unknown_reservation_problems(again, "a reservation already canceled")
    case.add(cc.RESERVATION_CANCELED.conclude(problems, reserve.evidence() + cancel.evidence() + again.evidence()))
    case.add(cc.RESERVE_NO_REALTIME.conclude(_asked_in_real_time(case, mark, token), reserve.evidence()))


def cancel_unknown_reservation(harness: Harness, case: Case, conn: Connection, sut_role: str) -> None:
    issued = issue(harness, case, conn, sut_role, "CANCEL_RESERVATION",
                   {"reservation_id": f"RC-NO-SUCH-RES-{secrets.token_hex(4).upper()}"})
    conclude_command(case, issued)
    case.add(cc.UNKNOWN_RESERVATION.conclude(_unknown_reservation_problems(issued, "a reservation never made"),
                                             issued.evidence()))


def unlock_connector(harness: Harness, case: Case, conn: Connection, sut_role: str) -> None:
    place = place_for(harness, case, conn, "UNLOCK_CAPABLE")
    issued = issue(harness, case, conn, sut_role, "UNLOCK_CONNECTOR",
                   {"location_id": place.location_id, "evse_uid": place.evse_uid, "connector_id": place.connector_id})
    conclude_command(case, issued)


def stop_unknown_session(harness: Harness, case: Case, conn: Connection, sut_role: str) -> None:
    issued = issue(harness, case, conn, sut_role, "STOP_SESSION",
                   {"session_id": f"RC-NO-SUCH-SESSION-{secrets.token_hex(4).upper()}"})
    conclude_command(case, issued)
    problems = [] if issued.answer == "UNKNOWN_SESSION" else [Problem(
        "STOP_SESSION of an unknown Session was not answered UNKNOWN_SESSION", "status_code 1000, UNKNOWN_SESSION",
        issued.describe())]
    case.add(cc.UNKNOWN_SESSION.conclude(problems, issued.evidence()))


def unknown_location(harness: Harness, case: Case, conn: Connection, sut_role: str) -> None:
    """START_SESSION and UNLOCK_CONNECTOR at a Location the CPO does not have."""
    location_id = f"RC-NO-SUCH-LOC-{secrets.token_hex(4).upper()}"
    expect = Expect(status_codes=frozenset({2003}))
    token = fresh_token(harness, sut_role, "APP_USER")
    issued = [
        issue(harness, case, conn, sut_role, "START_SESSION", {"token": token, "location_id": location_id}, expect),
        issue(harness, case, conn, sut_role, "UNLOCK_CONNECTOR",
              {"location_id": location_id, "evse_uid": f"{location_id}-1", "connector_id": "1"}, expect),
    ]
    problems = []
    for one in issued:
        answer = (one.response or {}).get("result")
        if status_code_of(one.exchange) != 2003 or answer == "ACCEPTED":
            problems.append(Problem(f"{one.command} at an unknown Location was not answered as such",
                                    "status_code 2003 (Unknown Location), the CommandResponse (if any) REJECTED",
                                    one.describe(), evidence=one.evidence()))
    case.add(cc.UNKNOWN_LOCATION.conclude(problems, tuple(i for one in issued for i in one.evidence())))


def invalid_body(harness: Harness, case: Case, conn: Connection, sut_role: str) -> None:
    """START_SESSION whose body lacks the Token: 2001, nothing carried out."""
    location_id = _locations(harness, case, conn)[0]["id"]
    issued = issue(harness, case, conn, sut_role, "START_SESSION", {"location_id": location_id},
                   Expect(status_codes=frozenset({2001})))
    problems = []
    if status_code_of(issued.exchange) != 2001:
        problems.append(Problem("A StartSession without token was not refused with 2001", "status_code 2001",
                                issued.describe()))
    if issued.sent.results:
        problems.append(Problem("The CPO carried the invalid command out", "no CommandResult",
                                f"CommandResult {issued.result}"))
    case.add(cc.INVALID_BODY.conclude(problems, issued.evidence()))


# -- an eMSP as Sender -----------------------------------------------------------------------------------------

@dataclass
class Arrived:
    """A command the eMSP sent to roamcert's CPO (None: none came)."""

    entry: ReceivedCommand | None
    evidence: tuple[str, ...]

    @property
    def body(self) -> dict[str, Any]:
        return self.entry.body if self.entry is not None and isinstance(self.entry.body, dict) else {}

    @property
    def response_url(self) -> Any:
        return self.body.get("response_url")


def _absolute(url: Any) -> bool:
    if not isinstance(url, str):
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def have_sent(harness: Harness, case: Case, conn: Connection, sut_role: str, command: str,
              payload: dict[str, str]) -> Arrived:
    """Make the eMSP send ``command`` (action send_command) and judge what reaches roamcert's CPO."""
    partner = harness.partner(sut_role)
    book = command_book(partner)
    book.scripted = True  # roamcert's CPO answers ACCEPTED; this flow chooses the CommandResults
    before, mark = len(book.received), len(case.log.exchanges)
    perform(harness, "send_command", sut_role, {"command": command, **payload})
    deadline = time.monotonic() + harness.target.timeout
    while len(book.received) == before and time.monotonic() < deadline:
        _sleep(harness)
    entry = next((e for e in book.received[before:]), None)
    evidence = tuple(x.id for x in case.log.exchanges[mark:] if x.direction == "inbound")
    problems = []
    if entry is None:
        problems.append(Problem(f"No {command} reached roamcert's CPO", f"POST {{commands_url}}/{command}",
                                f"{len(evidence)} other request(s) from the eMSP"))
    elif entry.command != command:
        problems.append(Problem(f"The eMSP sent {entry.command} where {command} was asked", command, entry.command))
    else:
        problems.extend(Problem(f"The {command} body is not a valid {COMMAND_OBJECTS[command]}: {p}")
                        for p in entry.problems[:10])
    case.add(cc.SENDER_BODY.conclude(problems, evidence))
    arrived = Arrived(entry, evidence)
    if entry is not None:
        url = arrived.response_url
        case.add(cc.SENDER_RESPONSE_URL.conclude([] if _absolute(url) else [Problem(
            "The response_url is not an absolute http(s) URL roamcert can POST to", "https://…/commands/…",
            short(url))], evidence))
    return arrived


def _own_token(case: Case, conn: Connection, arrived: Arrived, check: Check) -> None:
    token = arrived.body.get("token")
    if not isinstance(token, dict):
        return  # a body without its Token is judged by ocpi.commands.sender_body
    roles = conn.peer.roles if conn.peer is not None else []
    own = any(r.get("role") == "EMSP" and ci_equal(r.get("country_code"), token.get("country_code"))
              and ci_equal(r.get("party_id"), token.get("party_id")) for r in roles)
    case.add(check.conclude([] if own else [Problem(
        "The command's Token is not one of the eMSP's own", "country_code/party_id of an EMSP role of the SUT: "
        + ", ".join(f"{r.get('country_code')}/{r.get('party_id')}" for r in roles if r.get("role") == "EMSP"),
        f"{short(token.get('country_code'))}/{short(token.get('party_id'))}")], arrived.evidence))


def post_result(harness: Harness, case: Case, sut_role: str, arrived: Arrived, result: str,
                check: Check = cc.SENDER_ACKNOWLEDGED) -> None:
    """roamcert's CPO POSTs a CommandResult to the command's response_url; the eMSP must answer 1000."""
    if arrived.entry is None or not _absolute(arrived.response_url) or arrived.entry.callback_token is None:
        return
    client = peer_client(harness.partner(sut_role), arrived.entry.callback_token)
    body = {"result": result, "message": [{"language": "en", "text": f"roamcert's Charge Point: {result}"}]}
    try:
        exchange = harness.runtime.run(client.request("POST", str(arrived.response_url), json_body=body))
    except SutUnreachable as exc:
        case.add(check.conclude([Problem(f"The eMSP's response_url gave no answer to a CommandResult {result}",
                                         "HTTP 200 with status_code 1000", str(exc))],
                                (case.log.exchanges[-1].id,)))
        return
    case.check_response(exchange, Expect(status_codes=_OK))
    code = status_code_of(exchange)
    ok = exchange.status is not None and 200 <= exchange.status < 300 and code == 1000
    case.add(check.conclude([] if ok else [Problem(
        f"The eMSP did not acknowledge the CommandResult {result}", "HTTP 2xx with status_code 1000",
        f"HTTP {exchange.status}, status_code {short(code)}")], (exchange.id,)))


def _cpo_place(harness: Harness, sut_role: str) -> dict[str, str]:
    """One of roamcert's CPO's seed EVSEs (and its first Connector): where the eMSP's driver would charge."""
    cpo = harness.partner_identity(sut_role)
    location = seed_locations(country_code=cpo.country_code, party_id=cpo.party_id)[0]
    evse = location["evses"][0]
    return {"location_id": str(location["id"]), "evse_uid": str(evse["uid"]),
            "connector_id": str(evse["connectors"][0]["id"])}


def sender_start(harness: Harness, case: Case, conn: Connection, sut_role: str) -> None:
    arrived = have_sent(harness, case, conn, sut_role, "START_SESSION", _cpo_place(harness, sut_role))
    _own_token(case, conn, arrived, cc.SENDER_START_OWN_TOKEN)
    post_result(harness, case, sut_role, arrived, "ACCEPTED")


def sender_stop(harness: Harness, case: Case, conn: Connection, sut_role: str) -> None:
    arrived = have_sent(harness, case, conn, sut_role, "STOP_SESSION",
                        {"session_id": f"RCS-{secrets.token_hex(6).upper()}"})
    post_result(harness, case, sut_role, arrived, "TIMEOUT")


def sender_reserve(harness: Harness, case: Case, conn: Connection, sut_role: str) -> None:
    """RESERVE_NOW (result ACCEPTED, later CANCELED_RESERVATION by the CPO), then CANCEL_RESERVATION."""
    place = _cpo_place(harness, sut_role)
    reservation_id = f"RC-RES-{secrets.token_hex(5).upper()}"
    arrived = have_sent(harness, case, conn, sut_role, "RESERVE_NOW",
                        {"location_id": place["location_id"], "evse_uid": place["evse_uid"],
                         "reservation_id": reservation_id})
    _own_token(case, conn, arrived, cc.SENDER_RESERVE_OWN_TOKEN)
    post_result(harness, case, sut_role, arrived, "ACCEPTED")
    post_result(harness, case, sut_role, arrived, "CANCELED_RESERVATION", cc.SENDER_CANCELED_RESERVATION)
    reserved = str(arrived.body.get("reservation_id") or reservation_id)
    cancel = have_sent(harness, case, conn, sut_role, "CANCEL_RESERVATION", {"reservation_id": reserved})
    post_result(harness, case, sut_role, cancel, "UNKNOWN_RESERVATION")


def sender_unlock(harness: Harness, case: Case, conn: Connection, sut_role: str) -> None:
    """UNLOCK_CONNECTOR twice: results FAILED and REJECTED; the two response_urls differ."""
    place = _cpo_place(harness, sut_role)
    first = have_sent(harness, case, conn, sut_role, "UNLOCK_CONNECTOR", place)
    post_result(harness, case, sut_role, first, "FAILED")
    second = have_sent(harness, case, conn, sut_role, "UNLOCK_CONNECTOR", place)
    post_result(harness, case, sut_role, second, "REJECTED")
    if first.entry is not None and second.entry is not None:
        same = first.response_url == second.response_url
        case.add(cc.SENDER_UNIQUE_URL.conclude([Problem(
            "Two commands carried the same response_url", "a response_url unique to each command",
            short(first.response_url))] if same else [], first.evidence + second.evidence))
