"""Checks of the Commands module (mod_commands): a CPO as Receiver (its CommandResponse, the CommandResult it
POSTs to roamcert's response_url, and what the command did) and an eMSP as Sender (the commands it sends to
roamcert's CPO and how it takes the CommandResults back). Each judges what a flow recorded
(conformance/ocpi/v2_2_1/flows/commands.py and commands_sender.py); the exchanges themselves also go through the
response and request checks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from conformance.core.checks import Problem
from conformance.core.exchange import Exchange
from conformance.ocpi.schemas import errors as schema_errors
from conformance.ocpi.types import ci_equal
from conformance.ocpi.v2_2_1.checks._registrar import evidence_check
from conformance.ocpi.v2_2_1.checks._util import envelope, short

__all__ = ["RESULT_MARGIN", "CommandArrival", "CommandResponse", "CommandsAtUnknownLocation", "CommandsNotAccepted",
           "EffectOfStart", "EffectOfStop", "IssuedCommand", "RealTimeAuthorization", "ReservationCanceled",
           "ReservedStatus", "ResponseUrls", "ResultDelivery", "SessionNamed", "TokenCarried", "TokenOfSender",
           "absolute_url", "charge_point_timeout", "command_response", "invalid_body", "no_result_unless_accepted",
           "reservation_canceled", "reserve_no_realtime_authorization", "reserve_token_not_checked",
           "reserved_evse_status", "result_in_time", "result_posted", "sender_body", "sender_canceled_reservation",
           "sender_reserve_own_token", "sender_response_url", "sender_result_acknowledged", "sender_start_own_token",
           "sender_stop_session", "sender_unique_response_url", "session_token", "start_no_realtime_authorization",
           "start_session", "start_token_not_checked", "stop_session", "unknown_location", "unknown_reservation",
           "unknown_session"]

RESULT_MARGIN = 2.0  # seconds past the announced timeout before a CommandResult counts as missing
COMMAND_RESPONSE_TYPES = ("ACCEPTED", "NOT_SUPPORTED", "REJECTED", "UNKNOWN_SESSION")


# -- a CPO as Receiver: evidence ------------------------------------------------------------------------------

@dataclass(frozen=True)
class CommandResponse:
    """A command roamcert sent to the CPO under test and the CPO's answer to it."""

    command: str  # the CommandType
    exchange: Exchange  # roamcert's POST of the command and the CPO's answer

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return (self.exchange.id,)

    @property
    def status_code(self) -> Any:
        body = envelope(self.exchange)
        return body.get("status_code") if body else None

    @property
    def data(self) -> Any:
        body = envelope(self.exchange)
        return body.get("data") if body else None

    @property
    def response(self) -> dict[str, Any] | None:
        """The CommandResponse, when the answer's data is an object."""
        data = self.data
        return data if isinstance(data, dict) else None

    @property
    def answer(self) -> str | None:
        """The CommandResponseType, when the command was answered with 1000 and a CommandResponse."""
        response = self.response
        return str(response.get("result")) if response and self.status_code == 1000 else None

    @property
    def accepted(self) -> bool:
        return self.answer == "ACCEPTED"

    @property
    def timeout(self) -> float | None:
        """The CommandResponse's timeout, when it is a positive int of seconds."""
        value = (self.response or {}).get("timeout")
        return float(value) if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


@dataclass(frozen=True)
class IssuedCommand(CommandResponse):
    """A command roamcert sent, the CPO's answer, and what the CPO POSTed to the command's response_url."""

    response_url: str
    results: tuple[Any, ...]  # the bodies roamcert's eMSP took at the response_url, in order
    result_after: float | None  # seconds from the CommandResponse to the first of them
    inbound: tuple[Exchange, ...]  # every request of the CPO to the response_url

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return (self.exchange.id, *(x.id for x in self.inbound))

    @property
    def result(self) -> str | None:
        """The CommandResultType of the first CommandResult."""
        body = self.results[0] if self.results else None
        return str(body.get("result")) if isinstance(body, dict) else None

    def describe(self) -> str:
        answer = f"HTTP {self.exchange.status}, status_code {short(self.status_code)}, " \
                 f"result {short((self.response or {}).get('result'))}"
        if self.result:
            return f"{answer}, then CommandResult {self.result}"
        return f"{answer}, then no CommandResult" if self.accepted else answer


@dataclass(frozen=True)
class CommandsNotAccepted:
    """Commands the CPO did not answer ACCEPTED, and how long roamcert listened at their response_urls."""

    commands: tuple[IssuedCommand, ...]
    listened: float  # seconds after the latest answer

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return tuple(i for one in self.commands for i in one.exchange_ids)


@dataclass(frozen=True)
class EffectOfStart:
    """A START_SESSION and the Session found for its Token (pushed to roamcert's eMSP, or listed by the CPO)."""

    command: IssuedCommand
    location_id: str  # where the command asked to charge
    evse_uid: str
    session: dict[str, Any] | None  # None: none found, or not looked for (the command was not ACCEPTED)
    session_ids: tuple[str, ...]  # the exchanges that showed the Session

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return self.command.exchange_ids + self.session_ids


@dataclass(frozen=True)
class EffectOfStop:
    """A STOP_SESSION and the stopped Session found COMPLETED (pushed to roamcert's eMSP, or listed by the CPO)."""

    command: IssuedCommand
    session_id: str
    completed: dict[str, Any] | None  # None: not found so, or not looked for (the command was not ACCEPTED)
    session_ids: tuple[str, ...]

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return self.command.exchange_ids + self.session_ids


@dataclass(frozen=True)
class TokenCarried:
    """The cdr_token of an object a command gave (a Session or a CDR), and the Token the command carried."""

    what: str  # "Session" or "CDR"
    held: Any  # the object's cdr_token
    token: dict[str, Any]
    exchange_ids: tuple[str, ...]  # the exchanges that showed the object


@dataclass(frozen=True)
class RealTimeAuthorization:
    """The requests the CPO made to roamcert since a command with ``token_uid`` was sent."""

    token_uid: str
    requests: tuple[Exchange, ...]
    exchange_ids: tuple[str, ...]  # the command the check is concluded on


@dataclass(frozen=True)
class ReservedStatus:
    """What roamcert saw of a reserved EVSE's status: the CPO's pushes, and its own GETs of the EVSE."""

    location_id: str
    evse_uid: str
    pushed: tuple[tuple[Exchange, str], ...]  # (push, status) for each push that gave the EVSE a status
    listed: tuple[tuple[Exchange, Any], ...]  # (GET, its data) for each GET of the EVSE

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return tuple(x.id for x, _ in self.pushed) + tuple(x.id for x, _ in self.listed)

    @property
    def reserved(self) -> bool:
        """The latest push, or the latest GET, shows the EVSE RESERVED."""
        return bool(self.pushed and self.pushed[-1][1] == "RESERVED") or any(
            isinstance(evse, dict) and evse.get("status") == "RESERVED" for _, evse in self.listed[-1:])


@dataclass(frozen=True)
class ReservationCanceled:
    """RESERVE_NOW, CANCEL_RESERVATION of it, and the same cancel again."""

    reserve: IssuedCommand
    cancel: IssuedCommand
    again: IssuedCommand

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return self.reserve.exchange_ids + self.cancel.exchange_ids + self.again.exchange_ids


@dataclass(frozen=True)
class CommandsAtUnknownLocation:
    """Commands naming a Location the CPO does not have."""

    commands: tuple[IssuedCommand, ...]

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return tuple(i for one in self.commands for i in one.exchange_ids)


# -- a CPO as Receiver: checks ---------------------------------------------------------------------------------

@evidence_check("ocpi.commands.response")
def command_response(evidence: CommandResponse) -> Iterator[Problem]:
    code = evidence.status_code
    if code != 1000:
        yield Problem(f"The {evidence.command} was not answered with status 1000", "status_code 1000",
                      f"HTTP {evidence.exchange.status}, status_code {short(code)}")
        return
    response = evidence.response
    if response is None:
        yield Problem(f"The answer to the {evidence.command} carries no CommandResponse", "data: {result, timeout}",
                      short(evidence.data))
        return
    if response.get("result") not in COMMAND_RESPONSE_TYPES:
        yield Problem("The CommandResponse has no CommandResponseType result",
                      "ACCEPTED, NOT_SUPPORTED, REJECTED or UNKNOWN_SESSION", short(response.get("result")))
    if evidence.timeout is None:
        yield Problem("The CommandResponse gives no timeout in seconds", "timeout: a positive int",
                      short(response.get("timeout", "(absent)")))


@evidence_check("ocpi.commands.result_posted")
def result_posted(evidence: IssuedCommand) -> Iterator[Problem]:
    """``evidence``: a command the CPO ACCEPTED (a CommandResult follows no other answer)."""
    if not evidence.results:
        refused = ", ".join(f"HTTP {x.status}" for x in evidence.inbound)
        yield Problem(
            f"No CommandResult for the {evidence.command} reached its response_url within the timeout "
            f"({short(evidence.timeout)}s) and {RESULT_MARGIN:g}s more", f"POST {evidence.response_url}",
            f"{len(evidence.inbound)} request(s) to it, answered {refused}" if evidence.inbound else "none")
        return
    body = evidence.results[0]
    for message in (schema_errors(evidence.exchange.version, "CommandResult", body) if isinstance(body, dict)
                    else ["not a JSON object"])[:5]:
        yield Problem(f"The body POSTed to the response_url is not a CommandResult: {message}")


@evidence_check("ocpi.commands.result_in_time")
def result_in_time(evidence: IssuedCommand) -> Iterator[Problem]:
    """``evidence``: a command whose CommandResponse announced a timeout and whose CommandResult came."""
    after, timeout = evidence.result_after, evidence.timeout
    if after is not None and timeout is not None and after > timeout:
        yield Problem(f"The CommandResult of the {evidence.command} came after the announced timeout",
                      f"within {timeout:g}s", f"{after:.2f}s after the CommandResponse")


@evidence_check("ocpi.commands.no_result_unless_accepted")
def no_result_unless_accepted(evidence: CommandsNotAccepted) -> Iterator[Problem]:
    for one in evidence.commands:
        if one.inbound or one.results:
            yield Problem(
                f"The CPO did not accept the {one.command}, yet POSTed to its response_url",
                f"nothing at the response_url within {evidence.listened:g}s of an answer other than ACCEPTED",
                f"{one.describe()} ({len(one.inbound)} request(s) to the response_url)", evidence=one.exchange_ids)


def _expect_accepted(issued: IssuedCommand, *, result: str = "ACCEPTED") -> list[Problem]:
    if not issued.accepted:
        return [Problem(f"The {issued.command} was not ACCEPTED", "status_code 1000, result ACCEPTED",
                        issued.describe())]
    if issued.result is not None and issued.result != result:
        return [Problem(f"The CommandResult of the {issued.command} is not {result}", result, issued.result)]
    if issued.result is None:
        return [Problem(f"The {issued.command} was ACCEPTED but no CommandResult came", f"CommandResult {result}",
                        "none")]
    return []


def _refused(issued: IssuedCommand, what: str) -> Iterator[Problem]:
    """The command was turned down (the CPO's REJECTED, or the Charge Point's) though nothing but its Token could
    be the reason."""
    if issued.answer == "REJECTED" or issued.result == "REJECTED":
        yield Problem(f"The {issued.command} with a Token the CPO was never sent was refused", what,
                      issued.describe())


def _asked_in_real_time(evidence: RealTimeAuthorization) -> Iterator[Problem]:
    wanted = f"/{quote(evidence.token_uid, safe='')}/authorize".lower()
    asked = [x for x in evidence.requests if wanted in x.url.lower()]
    if asked:
        yield Problem("The CPO asked roamcert's eMSP in real time about the command's Token",
                      "no POST .../tokens/{uid}/authorize for it", f"{len(asked)} request(s)",
                      evidence=tuple(x.id for x in asked))


@evidence_check("ocpi.commands.start_session")
def start_session(evidence: EffectOfStart) -> Iterator[Problem]:
    issued, session = evidence.command, evidence.session
    yield from _expect_accepted(issued)
    if issued.accepted and session is None:
        yield Problem("No Session for the command's Token appeared", "a Session pushed to roamcert's eMSP or listed "
                      "by the CPO's Sessions Sender", "none")
    elif session is not None and not (ci_equal(session.get("location_id"), evidence.location_id)
                                      and ci_equal(session.get("evse_uid"), evidence.evse_uid)):
        yield Problem("The Session started elsewhere than the command asked",
                      f"{evidence.location_id} / {evidence.evse_uid}",
                      f"{short(session.get('location_id'))} / {short(session.get('evse_uid'))}")


@evidence_check("ocpi.commands.start_token_not_checked")
def start_token_not_checked(evidence: IssuedCommand) -> Iterator[Problem]:
    yield from _refused(evidence, "ACCEPTED, whatever the CPO knows of the Token")


@evidence_check("ocpi.commands.reserve_token_not_checked")
def reserve_token_not_checked(evidence: IssuedCommand) -> Iterator[Problem]:
    yield from _refused(evidence, "ACCEPTED, whatever the CPO knows of the Token")


@evidence_check("ocpi.commands.start_no_realtime_authorization")
def start_no_realtime_authorization(evidence: RealTimeAuthorization) -> Iterator[Problem]:
    yield from _asked_in_real_time(evidence)


@evidence_check("ocpi.commands.reserve_no_realtime_authorization")
def reserve_no_realtime_authorization(evidence: RealTimeAuthorization) -> Iterator[Problem]:
    yield from _asked_in_real_time(evidence)


@evidence_check("ocpi.commands.session_token")
def session_token(evidence: TokenCarried) -> Iterator[Problem]:
    held, token, what = evidence.held, evidence.token, evidence.what
    if not isinstance(held, dict):
        yield Problem(f"The {what} carries no cdr_token", "the command's Token", short(held))
        return
    wrong = [k for k in ("uid", "type", "contract_id", "country_code", "party_id")
             if not ci_equal(held.get(k), token.get(k))]
    if wrong:
        yield Problem(f"The {what}'s cdr_token is not the command's Token ({', '.join(wrong)} differ)",
                      short({k: token.get(k) for k in wrong}), short({k: held.get(k) for k in wrong}))


@evidence_check("ocpi.commands.stop_session")
def stop_session(evidence: EffectOfStop) -> Iterator[Problem]:
    yield from _expect_accepted(evidence.command)
    if evidence.command.accepted and evidence.completed is None:
        yield Problem("The Session did not become COMPLETED", f"Session {evidence.session_id}: COMPLETED",
                      "not COMPLETED (neither pushed nor listed so)")


@evidence_check("ocpi.commands.reserved_evse_status")
def reserved_evse_status(evidence: ReservedStatus) -> Iterator[Problem]:
    """``evidence``: what roamcert saw after a RESERVE_NOW resulted in ACCEPTED."""
    if evidence.reserved:
        return
    seen = [f"pushed {status}" for _, status in evidence.pushed] + [
        f"listed {short(evse.get('status'))}" if isinstance(evse, dict) else f"GET answered {short(evse)}"
        for _, evse in evidence.listed[-1:]]
    yield Problem(f"After the RESERVE_NOW resulted in ACCEPTED, EVSE {evidence.evse_uid} is not RESERVED",
                  f"status RESERVED, pushed to roamcert or in GET {{locations}}/{evidence.location_id}/"
                  f"{evidence.evse_uid}", ", ".join(seen) or "no push, and no Locations Sender to ask")


def _unknown_reservation(issued: IssuedCommand, what: str) -> Iterator[Problem]:
    if issued.answer == "REJECTED" or issued.result == "UNKNOWN_RESERVATION":
        return
    yield Problem(f"CANCEL_RESERVATION of {what} did not report it unknown",
                  "CommandResult UNKNOWN_RESERVATION (or a REJECTED CommandResponse)", issued.describe())


@evidence_check("ocpi.commands.reservation_canceled")
def reservation_canceled(evidence: ReservationCanceled) -> Iterator[Problem]:
    problems = _expect_accepted(evidence.reserve) + _expect_accepted(evidence.cancel)
    if problems:
        yield from problems
        return  # the second cancel tells nothing of a reservation not made, or not canceled
    yield from _unknown_reservation(evidence.again, "a reservation already canceled")


@evidence_check("ocpi.commands.unknown_reservation")
def unknown_reservation(evidence: IssuedCommand) -> Iterator[Problem]:
    yield from _unknown_reservation(evidence, "a reservation never made")


@evidence_check("ocpi.commands.unknown_session")
def unknown_session(evidence: IssuedCommand) -> Iterator[Problem]:
    if evidence.answer != "UNKNOWN_SESSION":
        yield Problem("STOP_SESSION of an unknown Session was not answered UNKNOWN_SESSION",
                      "status_code 1000, UNKNOWN_SESSION", evidence.describe())


@evidence_check("ocpi.commands.unknown_location")
def unknown_location(evidence: CommandsAtUnknownLocation) -> Iterator[Problem]:
    for one in evidence.commands:
        if one.status_code != 2003 or (one.response or {}).get("result") == "ACCEPTED":
            yield Problem(f"{one.command} at an unknown Location was not answered as such",
                          "status_code 2003 (Unknown Location), the CommandResponse (if any) REJECTED",
                          one.describe(), evidence=one.exchange_ids)


@evidence_check("ocpi.commands.invalid_body")
def invalid_body(evidence: IssuedCommand) -> Iterator[Problem]:
    """``evidence``: a START_SESSION whose body lacks the Token."""
    if evidence.status_code != 2001:
        yield Problem("A StartSession without token was not refused with 2001", "status_code 2001",
                      evidence.describe())
    if evidence.results:
        yield Problem("The CPO carried the invalid command out", "no CommandResult", f"CommandResult {evidence.result}")


@evidence_check("ocpi.commands.charge_point_timeout")
def charge_point_timeout(evidence: IssuedCommand) -> Iterator[Problem]:
    """``evidence``: a START_SESSION the CPO ACCEPTED for a Charge Point that never answers."""
    if evidence.result != "TIMEOUT":
        yield Problem("The CPO did not report the Charge Point's silence as TIMEOUT", "CommandResult TIMEOUT",
                      evidence.describe())
    elif evidence.timeout is not None and (evidence.result_after or 0) > evidence.timeout:
        yield Problem("The TIMEOUT came after the timeout the CPO announced", f"within {evidence.timeout:g}s",
                      f"{evidence.result_after:.2f}s after the CommandResponse")


# -- an eMSP as Sender: evidence ------------------------------------------------------------------------------

def absolute_url(url: Any) -> bool:
    """An absolute http(s) URL, which roamcert can POST to."""
    if not isinstance(url, str):
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


@dataclass(frozen=True)
class CommandArrival:
    """What reached roamcert's CPO after roamcert made the eMSP send a command."""

    asked: str  # the CommandType roamcert made the eMSP send
    object_name: str  # the object that command's body carries (StartSession, ...)
    command: str | None  # the CommandType that arrived (None: none did)
    body: Any
    body_problems: tuple[str, ...]  # why the body is not the command's object, as roamcert's CPO read it
    exchange_ids: tuple[str, ...]  # the eMSP's requests to roamcert meanwhile

    @property
    def response_url(self) -> Any:
        return self.body.get("response_url") if isinstance(self.body, dict) else None


@dataclass(frozen=True)
class TokenOfSender:
    """The Token a command carried, and the roles the eMSP under test holds."""

    token: dict[str, Any]
    roles: tuple[dict[str, Any], ...]  # the SUT's CredentialsRoles
    exchange_ids: tuple[str, ...]


@dataclass(frozen=True)
class ResultDelivery:
    """A CommandResult roamcert's CPO POSTed to the eMSP's response_url, and how the eMSP answered."""

    result: str  # the CommandResultType POSTed
    exchange: Exchange  # the POST, as recorded (without an answer when the eMSP gave none)
    unreachable: str | None = None  # why the eMSP gave no answer

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return (self.exchange.id,)


@dataclass(frozen=True)
class SessionNamed:
    """The session_id of the eMSP's STOP_SESSION, and the Session roamcert's CPO started and sent to the eMSP."""

    session_id: str
    named: Any
    exchange_ids: tuple[str, ...]


@dataclass(frozen=True)
class ResponseUrls:
    """The response_urls of two commands the eMSP sent."""

    first: Any
    second: Any
    exchange_ids: tuple[str, ...]


# -- an eMSP as Sender: checks --------------------------------------------------------------------------------

@evidence_check("ocpi.commands.sender_body")
def sender_body(evidence: CommandArrival) -> Iterator[Problem]:
    asked = evidence.asked
    if evidence.command is None:
        yield Problem(f"No {asked} reached roamcert's CPO", f"POST {{commands_url}}/{asked}",
                      f"{len(evidence.exchange_ids)} other request(s) from the eMSP")
    elif evidence.command != asked:
        yield Problem(f"The eMSP sent {evidence.command} where {asked} was asked", asked, evidence.command)
    else:
        for problem in evidence.body_problems[:10]:
            yield Problem(f"The {asked} body is not a valid {evidence.object_name}: {problem}")


@evidence_check("ocpi.commands.sender_response_url")
def sender_response_url(evidence: CommandArrival) -> Iterator[Problem]:
    """``evidence``: a command that reached roamcert's CPO."""
    if not absolute_url(evidence.response_url):
        yield Problem("The response_url is not an absolute http(s) URL roamcert can POST to", "https://…/commands/…",
                      short(evidence.response_url))


def _own_token(evidence: TokenOfSender) -> Iterator[Problem]:
    token, roles = evidence.token, evidence.roles
    own = any(r.get("role") == "EMSP" and ci_equal(r.get("country_code"), token.get("country_code"))
              and ci_equal(r.get("party_id"), token.get("party_id")) for r in roles)
    if not own:
        yield Problem("The command's Token is not one of the eMSP's own", "country_code/party_id of an EMSP role of "
                      "the SUT: " + ", ".join(f"{r.get('country_code')}/{r.get('party_id')}" for r in roles
                                              if r.get("role") == "EMSP"),
                      f"{short(token.get('country_code'))}/{short(token.get('party_id'))}")


@evidence_check("ocpi.commands.sender_start_own_token")
def sender_start_own_token(evidence: TokenOfSender) -> Iterator[Problem]:
    yield from _own_token(evidence)


@evidence_check("ocpi.commands.sender_reserve_own_token")
def sender_reserve_own_token(evidence: TokenOfSender) -> Iterator[Problem]:
    yield from _own_token(evidence)


def _acknowledged(evidence: ResultDelivery) -> Iterator[Problem]:
    result, exchange = evidence.result, evidence.exchange
    if evidence.unreachable is not None:
        yield Problem(f"The eMSP's response_url gave no answer to a CommandResult {result}",
                      "HTTP 200 with status_code 1000", evidence.unreachable)
        return
    body = envelope(exchange)
    code = body.get("status_code") if body else None
    if not (exchange.status is not None and 200 <= exchange.status < 300 and code == 1000):
        yield Problem(f"The eMSP did not acknowledge the CommandResult {result}", "HTTP 2xx with status_code 1000",
                      f"HTTP {exchange.status}, status_code {short(code)}")


@evidence_check("ocpi.commands.sender_result_acknowledged")
def sender_result_acknowledged(evidence: ResultDelivery) -> Iterator[Problem]:
    yield from _acknowledged(evidence)


@evidence_check("ocpi.commands.sender_canceled_reservation")
def sender_canceled_reservation(evidence: ResultDelivery) -> Iterator[Problem]:
    """``evidence``: the CANCELED_RESERVATION POSTed to a RESERVE_NOW's response_url."""
    yield from _acknowledged(evidence)


@evidence_check("ocpi.commands.sender_stop_session")
def sender_stop_session(evidence: SessionNamed) -> Iterator[Problem]:
    if not ci_equal(evidence.named, evidence.session_id):
        yield Problem("The STOP_SESSION does not name the Session roamcert's CPO started and sent to the eMSP",
                      f"session_id {evidence.session_id}", short(evidence.named))


@evidence_check("ocpi.commands.sender_unique_response_url")
def sender_unique_response_url(evidence: ResponseUrls) -> Iterator[Problem]:
    if evidence.first == evidence.second:
        yield Problem("Two commands carried the same response_url", "a response_url unique to each command",
                      short(evidence.first))
