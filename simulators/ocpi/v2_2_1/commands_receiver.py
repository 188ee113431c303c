"""The Commands module: the CPO's Receiver interface (mod_commands_cpo_interface).

``POST {commands_url}/{command}`` is answered at once with a CommandResponse: whether the CPO can hand the
command to a Charge Point, and how many seconds the result may take. When it can (ACCEPTED), the Charge Point
carries the command out through the charging lifecycle in a background task on the server's loop, and the
CommandResult is POSTed to the response_url the eMSP gave, well within that timeout.

The CPO does not judge the Token of a START_SESSION or RESERVE_NOW: the eMSP has authorized it, it need not have
been pushed, and it is not authorized again in real time (mod_commands_startsession_object). A reservation id is
only unique per eMSP, so the Charge Point gets one made unique per Sender (mod_commands_reservenow_object).

A Charge Point can be made to answer otherwise (the ``charge_point_answers`` trigger hook): not at all, when the CPO
reports TIMEOUT once its wait is over, or NOT_SUPPORTED. The CPO gives commands to a Charge Point that does not
answer a short timeout (2 seconds unless the hook says otherwise), so that nobody waits minutes for the TIMEOUT.

Each step a fault profile may replace is a behaviour (simulators/behaviours.py): how the CPO takes a command in
(HANDLE) and answers it (ANSWER), the CommandResponse (RESPONSE) and the timeout it announces (TIMEOUT), what it
reports for a Charge Point that never answers (SILENCE), how long the Charge Point takes (RESULT_DELAY) and the
POST of the CommandResult (DELIVER).
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any, NoReturn, TypeVar

import httpx
from starlette.routing import BaseRoute

from conformance.core.errors import SutUnreachable
from conformance.ocpi.schemas import errors as schema_errors
from conformance.ocpi.types import ci_equal, parse_datetime
from simulators.behaviours import Behaviour
from simulators.ocpi.admin import HookError, admin_hook
from simulators.ocpi.endpoint import Call, OcpiError, Reply, ocpi_route
from simulators.ocpi.modules import MODULES, ModuleImpl
from simulators.ocpi.party import Party, Peer
from simulators.ocpi.store import keep
from simulators.ocpi.v2_2_1 import VERSION
from simulators.ocpi.v2_2_1.addressing import callback_routing, sender_view
from simulators.ocpi.v2_2_1.commands import COMMAND_OBJECTS, ChargePoint, ReceivedCommand, command_book
from simulators.ocpi.v2_2_1.credentials import peer_client
from simulators.ocpi.v2_2_1.lifecycle import LifecycleError, lifecycle

__all__ = ["ANSWER", "DELIVER", "HANDLE", "RESPONSE", "RESULT_DELAY", "SILENCE", "TIMEOUT", "Answer", "Decision",
           "Execute", "Handle", "Place", "outcome", "receiver_routes"]

T = TypeVar("T")

MODULE = "commands"

# What the Charge Point reports when the lifecycle cannot do it (mod_commands_commandresulttype_enum).
_RESULT_OF = {"EVSE_OCCUPIED": "EVSE_OCCUPIED", "EVSE_INOPERATIVE": "EVSE_INOPERATIVE", "RESERVED": "REJECTED",
              "UNKNOWN_RESERVATION": "UNKNOWN_RESERVATION"}

Execute = Callable[[], Awaitable[str]]

SILENT_TIMEOUT = 2  # seconds announced for a command to a Charge Point that does not answer
CHARGE_POINT_WAIT = 0.5  # the share of the announced timeout the CPO waits for the Charge Point's answer
_CHARGE_POINT_ANSWERS = ("NOTHING", "NOT_SUPPORTED", "NORMALLY")


@dataclass(frozen=True)
class Decision:
    """The CPO's answer to a command; for ACCEPTED, what the Charge Point then does (returns a CommandResultType)."""

    result: str  # CommandResponseType
    status_code: int = 1000
    message: str | None = None
    execute: Execute | None = None
    timeout: int | None = None  # seconds announced, when not the CPO's usual timeout


def outcome(result: str) -> Execute:
    """A Charge Point that reports ``result`` at once, whatever the command."""

    async def fixed() -> str:
        return result

    return fixed


def _rejected(message: str, status_code: int = 1000) -> Decision:
    return Decision("REJECTED", status_code, message)


class Place:
    """The Location and EVSE a command names, looked up in the CPO's own Locations."""

    def __init__(self, party: Party, body: dict[str, Any]) -> None:
        self.location = next((loc for loc in party.owned.get("locations", [])
                              if ci_equal(loc.get("id"), body.get("location_id"))), None)
        evses = (self.location or {}).get("evses") or []
        self.evse_uid = body.get("evse_uid")
        self.evse = next((e for e in evses if ci_equal(e.get("uid"), self.evse_uid)), None) if self.evse_uid \
            else None

    def unknown(self) -> Decision | None:
        """2003 Unknown Location for a Location (or EVSE) the CPO does not have (status_codes_2xxx_client_errors)."""
        if self.location is None or (self.evse_uid and self.evse is None):
            what = "Location" if self.location is None else f"EVSE {self.evse_uid} at this Location"
            return _rejected(f"Unknown {what}", 2003)
        return None

    def capabilities(self) -> list[str]:
        capabilities = (self.evse or {}).get("capabilities")
        return capabilities if isinstance(capabilities, list) else []

    def lacks(self, capability: str) -> bool:
        """The EVSE names its capabilities and this one is not among them."""
        return bool(self.capabilities()) and capability not in self.capabilities()

    def refusal(self, capability: str, cannot: str) -> Decision | None:
        """Why the command cannot go to this EVSE: an unknown Location or EVSE, or NOT_SUPPORTED when the EVSE
        lacks the ``capability`` the command needs (``cannot`` says what it then cannot do)."""
        unknown = self.unknown()
        if unknown is not None:
            return unknown
        if self.lacks(capability):
            return Decision("NOT_SUPPORTED", message=f"EVSE {self.evse_uid} {cannot}")
        return None


def _owner(peer: Peer | None) -> str:
    """The eMSP(s) a Sender platform holds, as a stable key (reservation ids are unique per Sender only)."""
    if peer is None:
        return "?"
    emsps = sorted(f"{r.get('country_code')}/{r.get('party_id')}".upper() for r in peer.roles
                   if r.get("role") == "EMSP")
    return ",".join(emsps) or peer.versions_url


def _of_sender(peer: Peer | None, cdr_token: dict[str, Any]) -> bool:
    if peer is None:
        return True
    return any(r.get("role") == "EMSP" and ci_equal(r.get("country_code"), cdr_token.get("country_code"))
               and ci_equal(r.get("party_id"), cdr_token.get("party_id")) for r in peer.roles)


# -- the five commands ----------------------------------------------------------------------------------------

async def _start_session(party: Party, peer: Peer | None, body: dict[str, Any]) -> Decision:
    place = Place(party, body)
    refused = place.refusal("REMOTE_START_STOP_CAPABLE", "cannot be started remotely")
    if refused is not None:
        return refused
    if not body.get("connector_id") and "START_SESSION_CONNECTOR_REQUIRED" in place.capabilities():
        return _rejected(f"EVSE {place.evse_uid} needs a connector_id to start")
    token = body["token"]  # authorized by the eMSP: not checked again (mod_commands_startsession_object)

    async def execute() -> str:
        used = copy.deepcopy(token)
        try:
            await lifecycle(party).start(token=used, location_id=str(body["location_id"]), evse_uid=place.evse_uid,
                                         connector_id=body.get("connector_id"), auth_method="COMMAND",
                                         authorization_reference=body.get("authorization_reference"))
        except LifecycleError as exc:
            return _RESULT_OF.get(exc.reason, "FAILED")
        return "ACCEPTED"

    return Decision("ACCEPTED", execute=execute)


async def _stop_session(party: Party, peer: Peer | None, body: dict[str, Any]) -> Decision:
    life = lifecycle(party)
    session_id = str(body["session_id"])
    session = life.session(session_id)
    if session is None:
        if any(ci_equal(s.get("id"), session_id) for s in party.owned.get("sessions", [])):
            return _rejected(f"Session {session_id} cannot be stopped remotely")
        return Decision("UNKNOWN_SESSION", message=f"No Session {session_id}")
    if not _of_sender(peer, session.get("cdr_token") or {}):
        return _rejected(f"Session {session_id} is not one of your customers'")
    if session.get("status") not in ("ACTIVE", "PENDING"):
        return _rejected(f"Session {session_id} has already ended")

    async def execute() -> str:
        try:
            await life.stop(session_id)
        except LifecycleError:
            return "REJECTED"
        return "ACCEPTED"

    return Decision("ACCEPTED", execute=execute)


async def _reserve_now(party: Party, peer: Peer | None, body: dict[str, Any]) -> Decision:
    place = Place(party, body)
    refused = place.refusal("RESERVABLE", "cannot be reserved")
    if refused is not None:
        return refused
    token = body["token"]  # authorized by the eMSP: not checked again (mod_commands_reservenow_object)
    expiry = parse_datetime(str(body["expiry_date"]))
    # The id the Charge Point gets: unique across Senders, so no eMSP can touch another's reservation.
    reservation = f"{_owner(peer)}:{body['reservation_id']}".upper()
    book = command_book(party)

    async def execute() -> str:
        try:
            await lifecycle(party).reserve(token=copy.deepcopy(token), reservation_id=reservation,
                                           location_id=str(body["location_id"]), evse_uid=place.evse_uid,
                                           expiry_date=expiry,
                                           authorization_reference=body.get("authorization_reference"))
        except LifecycleError as exc:
            return _RESULT_OF.get(exc.reason, "REJECTED")
        book.reservations[reservation] = (str(body["response_url"]), peer.token_out if peer else None)
        return "ACCEPTED"

    return Decision("ACCEPTED", execute=execute)


async def _cancel_reservation(party: Party, peer: Peer | None, body: dict[str, Any]) -> Decision:
    reservation = f"{_owner(peer)}:{body['reservation_id']}".upper()
    book = command_book(party)

    async def execute() -> str:
        try:
            await lifecycle(party).cancel_reservation(reservation)
        except LifecycleError:
            return "UNKNOWN_RESERVATION"
        book.reservations.pop(reservation, None)
        return "ACCEPTED"

    return Decision("ACCEPTED", execute=execute)


async def _unlock_connector(party: Party, peer: Peer | None, body: dict[str, Any]) -> Decision:
    place = Place(party, body)
    refused = place.refusal("UNLOCK_CAPABLE", "cannot unlock its connectors remotely")
    if refused is not None:
        return refused
    connectors = (place.evse or {}).get("connectors") or []
    if not any(ci_equal(c.get("id"), body.get("connector_id")) for c in connectors):
        return _rejected(f"EVSE {place.evse_uid} has no connector {body.get('connector_id')}")

    async def execute() -> str:
        try:
            await lifecycle(party).unlock(str(body["location_id"]), str(body["evse_uid"]), str(body["connector_id"]))
        except LifecycleError:
            return "FAILED"
        return "ACCEPTED"

    return Decision("ACCEPTED", execute=execute)


_COMMANDS: dict[str, Callable[[Party, Peer | None, dict[str, Any]], Awaitable[Decision]]] = {
    "CANCEL_RESERVATION": _cancel_reservation,
    "RESERVE_NOW": _reserve_now,
    "START_SESSION": _start_session,
    "STOP_SESSION": _stop_session,
    "UNLOCK_CONNECTOR": _unlock_connector,
}

Answer = Callable[[Party, Peer | None, str, dict[str, Any]], Awaitable[Decision]]


async def _answer(party: Party, peer: Peer | None, command: str, body: dict[str, Any]) -> Decision:
    """The CPO's answer to a well-formed ``command`` (its refusals first) and, when ACCEPTED, what the Charge Point
    is to do with it."""
    return await _COMMANDS[command](party, peer, body)


# -- answering and reporting back -----------------------------------------------------------------------------

def _evse_of(party: Party, peer: Peer | None, command: str, body: dict[str, Any]) -> tuple[str, str] | None:
    """The (location id, EVSE uid) whose Charge Point a command goes to, when it names or implies one."""
    life = lifecycle(party)
    if command == "STOP_SESSION":
        session = life.session(str(body.get("session_id")))
        return (str(session["location_id"]), str(session["evse_uid"])) if session else None
    if command == "CANCEL_RESERVATION":
        held = life.reservations.get(f"{_owner(peer)}:{body.get('reservation_id')}".upper())
        return (held.location_id, held.evse_uid) if held else None
    if body.get("location_id") and body.get("evse_uid"):
        return str(body["location_id"]), str(body["evse_uid"])
    return None


def _through_charge_point(party: Party, peer: Peer | None, command: str, body: dict[str, Any],
                          decision: Decision) -> Decision:
    """An ACCEPTED command as the Charge Point that gets it answers, when it does not answer as it should."""
    where = _evse_of(party, peer, command, body)
    charge_point = command_book(party).charge_points.get((where[0].upper(), where[1].upper())) if where else None
    if charge_point is None:
        return decision
    if charge_point.answer == "NOT_SUPPORTED":
        return replace(decision, execute=outcome("NOT_SUPPORTED"), timeout=charge_point.timeout)
    wait = charge_point.timeout * CHARGE_POINT_WAIT
    silence = party.behaviours(SILENCE)

    async def unanswered() -> str:  # the command went out; no answer comes back before the CPO stops waiting
        await asyncio.sleep(wait)
        return silence

    return replace(decision, execute=unanswered, timeout=charge_point.timeout)


def _response(party: Party, decision: Decision) -> dict[str, Any]:
    """The CommandResponse (mod_commands_commandresponse_object)."""
    timeout = decision.timeout if decision.timeout is not None else party.behaviours(TIMEOUT)
    response: dict[str, Any] = {"result": decision.result, "timeout": timeout}
    if decision.message:
        response["message"] = [{"language": "en", "text": decision.message}]
    return response


async def _report(party: Party, entry: ReceivedCommand, execute: Execute) -> None:
    """The Charge Point carries the command out; its CommandResult goes to the response_url."""
    delay = party.behaviours(RESULT_DELAY)
    if delay:
        await asyncio.sleep(delay)
    entry.result = {"result": await execute()}
    keep(party)  # what the Charge Point did, and the result still due, outlive a restart (simulators/ocpi/store.py)
    await party.behaviours(DELIVER)(party, entry)
    keep(party)


async def _deliver(party: Party, entry: ReceivedCommand) -> None:
    """POST the CommandResult to the response_url, noting how it went."""
    if entry.callback_token is None:
        entry.result_status = "not sent"
        return
    url = str(entry.body.get("response_url", "")) if isinstance(entry.body, dict) else ""
    try:
        exchange = await peer_client(party, entry.callback_token).request("POST", url, json_body=entry.result,
                                                                          headers=entry.callback_headers)
    except (SutUnreachable, httpx.InvalidURL, ValueError) as exc:  # recorded in the log where it could be
        entry.result_status = f"failed: {exc}"
        return
    entry.result_status = f"HTTP {exchange.status}"


def _refuse(entry: ReceivedCommand) -> NoReturn:
    """2001 for a body that is not the command's object (mod_commands_cpo_post_request_body)."""
    entry.status_code = 2001
    raise OcpiError(2001, f"Invalid {COMMAND_OBJECTS[entry.command]}: " + "; ".join(entry.problems[:5]))


Handle = Callable[[Party, Peer | None, ReceivedCommand], Awaitable[Decision]]


async def _handle(party: Party, peer: Peer | None, entry: ReceivedCommand) -> Decision:
    """How the CPO takes a command in: it refuses a body that is not the command's object, answers any other
    (ANSWER) and hands an ACCEPTED one to the Charge Point of its EVSE."""
    if entry.problems:
        _refuse(entry)
    decision = await party.behaviours(ANSWER)(party, peer, entry.command, entry.body)
    if decision.execute is not None:
        decision = _through_charge_point(party, peer, entry.command, entry.body, decision)
    return decision


def _point(name: str, conformant: T) -> Behaviour[T]:
    return Behaviour("OCPI", VERSION, MODULE, f"receiver.{name}", conformant)


HANDLE = _point("handle", _handle)
ANSWER = _point("answer", _answer)
TIMEOUT = _point("timeout", 30)  # the seconds the CPO announces in its CommandResponse
RESPONSE = _point("response", _response)
SILENCE = _point("silence", "TIMEOUT")  # the CommandResultType for a Charge Point that never answered
RESULT_DELAY = _point("result_delay", 0.0)  # the seconds the Charge Point takes before it answers
DELIVER = _point("deliver", _deliver)


def receiver_routes(party: Party) -> list[BaseRoute]:
    async def post(call: Call) -> Reply:
        behave = party.behaviours
        command = call.path("command")
        book = command_book(party)
        schema = COMMAND_OBJECTS.get(command)
        if schema is None:  # the URL segment is a CommandType; anything else is an invalid parameter
            raise OcpiError(2001, f"{command!r} is not a CommandType (one of {', '.join(COMMAND_OBJECTS)})", 404)
        body = call.body
        problems = schema_errors(VERSION, schema, body) if isinstance(body, dict) else \
            ["the body must be a JSON object"]
        entry = ReceivedCommand(command, body, problems, call.peer.token_out if call.peer else None,
                                callback_routing(call, MODULE, "CPO"))
        book.received.append(entry)
        if not book.scripted:
            decision = await behave(HANDLE)(party, sender_view(call), entry)
        elif problems:
            _refuse(entry)
        else:
            decision = Decision("ACCEPTED")  # roamcert's scenario posts the CommandResult it chooses
        entry.response, entry.status_code = behave(RESPONSE)(party, decision), decision.status_code
        if decision.execute is not None:
            book.spawn(_report(party, entry, decision.execute))
        return Reply(data=entry.response, status_code=decision.status_code)

    base = party.module_url(VERSION, MODULE, "RECEIVER").removeprefix(party.base_url)
    return [ocpi_route(party, f"{base}/{{command}}", post, module=MODULE, methods=["POST"])]


@admin_hook("cpo_cancels_reservation", "the CPO cancels a reservation itself (a broken Charge Point, roadworks): "
            "{reservation_id}; the eMSP hears CANCELED_RESERVATION on the RESERVE_NOW's response_url", roles=("CPO",))
async def _cpo_cancels_reservation(party: Party, payload: dict[str, Any]) -> dict[str, Any]:
    """Reservation canceled by the CPO (mod_commands_flow): the same URL the RESERVE_NOW gave is called."""
    wanted = str(payload.get("reservation_id") or "").upper()
    book = command_book(party)
    key = next((k for k in book.reservations if wanted and k.split(":", 1)[1] == wanted), None)
    if key is None:
        raise HookError(f"the CPO holds no reservation {payload.get('reservation_id')!r}", 404)
    url, token = book.reservations.pop(key)
    with contextlib.suppress(LifecycleError):  # it may have expired meanwhile; the eMSP is told all the same
        await lifecycle(party).cancel_reservation(key)
    if token is None:
        return {"canceled": payload["reservation_id"], "notified": False}
    result = {"result": "CANCELED_RESERVATION", "message": [{"language": "en", "text": "The Charge Point cannot "
                                                                                       "keep this reservation."}]}
    reserved = next((e for e in book.received if e.command == "RESERVE_NOW" and isinstance(e.body, dict)
                     and e.body.get("response_url") == url), None)
    try:
        exchange = await peer_client(party, token).request("POST", url, json_body=result,
                                                           headers=reserved.callback_headers if reserved else None)
    except SutUnreachable as exc:
        raise HookError(f"the eMSP's response_url did not answer: {exc}", 502) from None
    return {"canceled": payload["reservation_id"], "notified": True, "http_status": exchange.status}



def _seconds(value: Any, default: int) -> int:
    if value in (None, ""):
        return default
    try:
        seconds = int(str(value))
    except ValueError:
        raise HookError(f"'timeout' must be a whole number of seconds, not {value!r}") from None
    if seconds < 1:
        raise HookError("'timeout' must be at least 1 second")
    return seconds


@admin_hook("charge_point_answers", "the Charge Point of an EVSE answers the commands the CPO hands it otherwise: "
            "{location_id, evse_uid, answer}: NOTHING (it takes them and never answers; the CPO reports TIMEOUT), "
            "NOT_SUPPORTED, or NORMALLY again; optional timeout: the seconds the CPO then announces", roles=("CPO",))
async def _charge_point_answers(party: Party, payload: dict[str, Any]) -> dict[str, Any]:
    place = Place(party, payload)
    if place.location is None or place.evse is None:
        raise HookError(f"the CPO has no EVSE {payload.get('evse_uid')!r} at Location {payload.get('location_id')!r}",
                        404)
    answer = str(payload.get("answer") or "NOTHING").upper()
    if answer not in _CHARGE_POINT_ANSWERS:
        raise HookError(f"'answer' must be one of {', '.join(_CHARGE_POINT_ANSWERS)}")
    key = (str(place.location["id"]).upper(), str(place.evse["uid"]).upper())
    book = command_book(party)
    if answer == "NORMALLY":
        book.charge_points.pop(key, None)
        return {"location_id": place.location["id"], "evse_uid": place.evse["uid"], "answer": answer}
    default = SILENT_TIMEOUT if answer == "NOTHING" else party.behaviours(TIMEOUT)
    book.charge_points[key] = ChargePoint(answer, _seconds(payload.get("timeout"), default))
    return {"location_id": place.location["id"], "evse_uid": place.evse["uid"], "answer": answer,
            "timeout": book.charge_points[key].timeout}


MODULES.register(ModuleImpl("OCPI", VERSION, MODULE, "RECEIVER", frozenset({"CPO"}), receiver_routes))
