"""OCPI 2.2.1 fault profiles: the Commands module, both sides.
Each replaces behaviours of the reference platforms (simulators/behaviours.py)."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Collection
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from conformance.core.errors import SutUnreachable
from conformance.ocpi.routing import Address
from conformance.ocpi.types import ci_equal
from conformance.ocpi.urls import join
from simulators.behaviours import replace, set_to
from simulators.ocpi.endpoint import OcpiError, Reply
from simulators.ocpi.party import Party, Peer
from simulators.ocpi.v2_2_1.addressing import reachable, request_routing
from simulators.ocpi.v2_2_1.commands import COMMAND_OBJECTS, ReceivedCommand, SentCommand
from simulators.ocpi.v2_2_1.commands_receiver import (
    ANSWER,
    DELIVER,
    HANDLE,
    RESPONSE,
    RESULT_DELAY,
    SILENCE,
    TIMEOUT,
    Answer,
    Decision,
    Execute,
    Handle,
    Place,
    outcome,
)
from simulators.ocpi.v2_2_1.commands_sender import ACKNOWLEDGE, COMMAND, COMMAND_ID, Acknowledge, Command
from simulators.ocpi.v2_2_1.credentials import peer_client
from simulators.ocpi.v2_2_1.lifecycle import lifecycle
from simulators.ocpi.v2_2_1.profiles._register import profile

# -- the CPO: how it takes a command in and answers it (commands_receiver.HANDLE, .ANSWER) ------------------------

Response = Callable[[Party, Decision], dict[str, Any]]
Carried = Callable[[Execute], Execute]
TokenCheck = Callable[[Party, Peer | None, dict[str, Any]], Awaitable[str | None]]


def _invalid_body_accepted(handle: Handle) -> Handle:
    async def accepted(party: Party, peer: Peer | None, entry: ReceivedCommand) -> Decision:
        if entry.problems:  # not refused: the Charge Point cannot make anything of it
            return Decision("ACCEPTED", execute=outcome("FAILED"))
        return await handle(party, peer, entry)

    return accepted


def _result_after_refusal(handle: Handle) -> Handle:
    async def reported(party: Party, peer: Peer | None, entry: ReceivedCommand) -> Decision:
        decision = await handle(party, peer, entry)
        if decision.execute is not None:
            return decision
        # a CommandResult for a command never carried out
        result = decision.result if decision.result in ("NOT_SUPPORTED", "REJECTED") else "REJECTED"
        return dataclasses.replace(decision, execute=outcome(result))

    return reported


def _unknown_location_accepted(answer: Answer) -> Answer:
    async def accepted(party: Party, peer: Peer | None, command: str, body: dict[str, Any]) -> Decision:
        decision = await answer(party, peer, command, body)
        if decision.status_code == 2003:  # Unknown Location (or EVSE): handed on all the same, and it fails
            return Decision("ACCEPTED", execute=outcome("FAILED"))
        return decision

    return accepted


def _unknown_session_accepted(answer: Answer) -> Answer:
    async def accepted(party: Party, peer: Peer | None, command: str, body: dict[str, Any]) -> Decision:
        if command == "STOP_SESSION" and lifecycle(party).session(str(body["session_id"])) is None:
            return Decision("ACCEPTED", execute=outcome("REJECTED"))  # the Charge Point knows no such charge
        return await answer(party, peer, command, body)

    return accepted


def _token_refused(why: TokenCheck) -> Callable[[Answer], Answer]:
    """A START_SESSION or RESERVE_NOW the CPO would ACCEPT is REJECTED when ``why`` finds fault with its Token,
    which the eMSP has authorized (mod_commands_startsession_object)."""

    def replacement(answer: Answer) -> Answer:
        async def checked(party: Party, peer: Peer | None, command: str, body: dict[str, Any]) -> Decision:
            decision = await answer(party, peer, command, body)
            if command not in ("START_SESSION", "RESERVE_NOW") or decision.result != "ACCEPTED":
                return decision
            refusal = await why(party, peer, body)
            return decision if refusal is None else Decision("REJECTED", message=refusal)

        return checked

    return replacement


async def _never_pushed(party: Party, peer: Peer | None, body: dict[str, Any]) -> str | None:
    token = body["token"]
    if any(ci_equal(key[2], token.get("uid")) and key[3] == token.get("type")
           for key in party.received.get("tokens", {})):
        return None
    return f"Token {token.get('uid')} is not known to this CPO"


async def _not_allowed(party: Party, peer: Peer | None, body: dict[str, Any]) -> str | None:
    """Ask the eMSP about the command's Token in real time, as the spec forbids; only ALLOWED lets it through."""
    token = body["token"]
    owner = token.get("country_code"), token.get("party_id")
    to = Address(owner[0], owner[1]) if isinstance(owner[0], str) and isinstance(owner[1], str) else None
    # Asked as the charger asks (charger.py): at the owner's platform or the hub it sits behind, addressed to it;
    # ``peer`` is the command's sender as its routing headers name it, not the platform it came through.
    found = reachable(party, "EMSP", to) if to is not None else []
    via = found[0].peer if found else peer
    url = via.endpoint("tokens", "SENDER") if via else None
    refusal = f"The eMSP did not authorize Token {token.get('uid')}"
    if via is None or url is None:
        return refusal
    place = Place(party, body)
    references = {"location_id": (place.location or {}).get("id", ""),
                  **({"evse_uids": [place.evse["uid"]]} if place.evse else {})}
    try:
        exchange = await peer_client(party, via.token_out).request(
            "POST", join(url, quote(str(token.get('uid')), safe=''), "authorize"),
            params={"type": str(token.get("type"))}, json_body=references,
            headers=request_routing(party, via, "CPO", to))
        answer = exchange.response_json()
    except (SutUnreachable, ValueError):
        return refusal
    data = answer.get("data") if isinstance(answer, dict) else None
    return None if isinstance(data, dict) and data.get("allowed") == "ALLOWED" else refusal


def _session_token_altered(answer: Answer) -> Answer:
    async def altered(party: Party, peer: Peer | None, command: str, body: dict[str, Any]) -> Decision:
        if command == "START_SESSION":  # the charge starts with another contract_id than the command's Token
            token = body["token"]
            body = {**body, "token": {**token, "contract_id": f"{token.get('contract_id', '')}X"[-36:]}}
        return await answer(party, peer, command, body)

    return altered


def _carried_out(command: str, instead: Carried) -> Callable[[Answer], Answer]:
    """The Charge Point carries an ACCEPTED ``command`` out ``instead`` of as it should."""

    def replacement(answer: Answer) -> Answer:
        async def answered(party: Party, peer: Peer | None, name: str, body: dict[str, Any]) -> Decision:
            decision = await answer(party, peer, name, body)
            if name != command or decision.execute is None:
                return decision
            return dataclasses.replace(decision, execute=instead(decision.execute))

        return answered

    return replacement


def _nothing_done(execute: Execute) -> Execute:
    return outcome("ACCEPTED")


def _unknown_reservation_accepted(execute: Execute) -> Execute:
    async def accepted() -> str:
        result = await execute()
        return "ACCEPTED" if result == "UNKNOWN_RESERVATION" else result

    return accepted


def _without_timeout(response: Response) -> Response:
    return lambda party, decision: {k: v for k, v in response(party, decision).items() if k != "timeout"}


async def _kept_back(party: Party, entry: ReceivedCommand) -> None:
    entry.result_status = "not sent"


# -- the eMSP: the commands it sends and how its response_url answers (commands_sender.COMMAND, .ACKNOWLEDGE) -------

def _sent(commands: Collection[str], change: Callable[[Party, dict[str, Any]], dict[str, Any]],
          ) -> Callable[[Command], Command]:
    """The body of each of ``commands`` the eMSP sends is ``change``d."""

    def replacement(command_body: Command) -> Command:
        def changed(party: Party, command: str, payload: dict[str, Any], response_url: str) -> dict[str, Any]:
            body = command_body(party, command, payload, response_url)
            return change(party, body) if command in commands else body

        return changed

    return replacement


def _relative_response_url(party: Party, body: dict[str, Any]) -> dict[str, Any]:
    # Scheme and host dropped whatever the host: behind a hub the response_url is at the hub, not at party.base_url.
    parts = urlsplit(str(body["response_url"]))
    return {**body, "response_url": urlunsplit(("", "", parts.path, parts.query, ""))}


def _without_token(party: Party, body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "token"}


def _foreign_token(party: Party, body: dict[str, Any]) -> dict[str, Any]:
    return {**body, "token": {**body["token"], "country_code": "DE", "party_id": "OTH"}}


def _own_session_key(party: Party, body: dict[str, Any]) -> dict[str, Any]:
    """The Session named by the CPO's country_code and party_id and the Session's id: a key of the eMSP's own."""
    session_id = str(body["session_id"])
    session = next(s for s in party.received.get("sessions", {}).values() if ci_equal(s.get("id"), session_id))
    return {**body, "session_id": f"{session.get('country_code')}{session.get('party_id')}-{session_id}"[:36]}


def _shared_id() -> str:
    return "shared"


def _refused(result: str) -> Callable[[Acknowledge], Acknowledge]:
    def replacement(acknowledge: Acknowledge) -> Acknowledge:
        def refusing(sent: SentCommand, body: dict[str, Any]) -> Reply:
            if body["result"] == result:
                raise OcpiError(2001, f"CommandResult {result} not understood", 400)
            return acknowledge(sent, body)

        return refusing

    return replacement


def _single_use(acknowledge: Acknowledge) -> Acknowledge:
    def once(sent: SentCommand, body: dict[str, Any]) -> Reply:
        if len(sent.results) > 1:
            raise OcpiError(2000, "A result was already received for this command", 404)
        return acknowledge(sent, body)

    return once


profile("command_response_without_timeout", "The CommandResponse carries no timeout.", roles=("CPO",),
        trips=("ocpi.commands.response",), replaces=[replace(RESPONSE, _without_timeout)])

profile("command_result_never_sent", "Commands are ACCEPTED, but no CommandResult is ever POSTed to the "
        "response_url (timeout announced: 1 s).", roles=("CPO",), trips=("ocpi.commands.result_posted",),
        replaces=[set_to(TIMEOUT, 1), set_to(DELIVER, _kept_back)])

profile("command_result_late", "The CommandResult comes 1.5 s after a CommandResponse that announced 1 s.",
        roles=("CPO",), trips=("ocpi.commands.result_in_time",),
        replaces=[set_to(TIMEOUT, 1), set_to(RESULT_DELAY, 1.5)])

profile("command_start_without_session", "START_SESSION results in ACCEPTED, but no Session starts.",
        roles=("CPO",), trips=("ocpi.commands.start_session",),
        replaces=[replace(ANSWER, _carried_out("START_SESSION", _nothing_done))])

profile("command_token_checked", "START_SESSION and RESERVE_NOW with a Token the eMSP never pushed are REJECTED.",
        roles=("CPO",), trips=("ocpi.commands.start_token_not_checked", "ocpi.commands.reserve_token_not_checked"),
        replaces=[replace(ANSWER, _token_refused(_never_pushed))])

profile("command_token_authorized", "The CPO asks the eMSP in real time about the Token of START_SESSION and "
        "RESERVE_NOW, and refuses the command unless it is ALLOWED.", roles=("CPO",),
        trips=("ocpi.commands.start_no_realtime_authorization", "ocpi.commands.reserve_no_realtime_authorization"),
        replaces=[replace(ANSWER, _token_refused(_not_allowed))])

profile("command_session_token_altered", "The Session (and CDR) of a START_SESSION carry another contract_id than "
        "the command's Token.", roles=("CPO",), trips=("ocpi.commands.session_token",),
        replaces=[replace(ANSWER, _session_token_altered)])

profile("command_stop_ignored", "STOP_SESSION results in ACCEPTED, but the Session goes on.", roles=("CPO",),
        trips=("ocpi.commands.stop_session",), replaces=[replace(ANSWER, _carried_out("STOP_SESSION", _nothing_done))])

profile("command_unknown_session_accepted", "STOP_SESSION of an unknown Session is ACCEPTED (then REJECTED by the "
        "Charge Point) instead of UNKNOWN_SESSION.", roles=("CPO",), trips=("ocpi.commands.unknown_session",),
        replaces=[replace(ANSWER, _unknown_session_accepted)])

profile("command_cancel_ignored", "CANCEL_RESERVATION results in ACCEPTED, but the reservation stays.",
        roles=("CPO",), trips=("ocpi.commands.reservation_canceled",),
        replaces=[replace(ANSWER, _carried_out("CANCEL_RESERVATION", _nothing_done))])

profile("command_unknown_reservation_accepted", "Canceling a reservation the CPO does not hold results in "
        "ACCEPTED.", roles=("CPO",), trips=("ocpi.commands.unknown_reservation",),
        replaces=[replace(ANSWER, _carried_out("CANCEL_RESERVATION", _unknown_reservation_accepted))])

profile("command_unknown_location_accepted", "A command at an unknown Location is ACCEPTED (then FAILED) instead "
        "of 2003.", roles=("CPO",), trips=("ocpi.commands.unknown_location",),
        replaces=[replace(ANSWER, _unknown_location_accepted)])

profile("command_invalid_body_accepted", "A command body that is not the command's object is ACCEPTED.",
        roles=("CPO",), trips=("ocpi.commands.invalid_body",), replaces=[replace(HANDLE, _invalid_body_accepted)])

profile("command_response_url_relative", "The eMSP's commands carry only the path of their response_url.",
        roles=("EMSP",), trips=("ocpi.commands.sender_response_url",),
        replaces=[replace(COMMAND, _sent(COMMAND_OBJECTS, _relative_response_url))])

profile("command_timeout_result_refused", "The eMSP's response_url answers 2001 to a CommandResult TIMEOUT.",
        roles=("EMSP",), trips=("ocpi.commands.sender_result_acknowledged",),
        replaces=[replace(ACKNOWLEDGE, _refused("TIMEOUT"))])

profile("command_start_without_token", "The eMSP's StartSession carries no token.", roles=("EMSP",),
        trips=("ocpi.commands.sender_body",), replaces=[replace(COMMAND, _sent(("START_SESSION",), _without_token))])

profile("command_foreign_token", "The eMSP's StartSession and ReserveNow carry a Token of another eMSP.",
        roles=("EMSP",), trips=("ocpi.commands.sender_start_own_token", "ocpi.commands.sender_reserve_own_token"),
        replaces=[replace(COMMAND, _sent(("START_SESSION", "RESERVE_NOW"), _foreign_token))])

profile("command_response_url_shared", "The eMSP gives every command of a type the same response_url.",
        roles=("EMSP",), trips=("ocpi.commands.sender_unique_response_url",),
        replaces=[set_to(COMMAND_ID, _shared_id)])

profile("command_response_url_single_use", "The eMSP's response_url refuses a second CommandResult (so a "
        "CANCELED_RESERVATION after the reservation's result).", roles=("EMSP",),
        trips=("ocpi.commands.sender_canceled_reservation",), replaces=[replace(ACKNOWLEDGE, _single_use)])

profile("command_result_after_refusal", "A CommandResult (REJECTED, NOT_SUPPORTED) is POSTed also to the response_url "
        "of a command answered otherwise than ACCEPTED.", roles=("CPO",),
        trips=("ocpi.commands.no_result_unless_accepted",), replaces=[replace(HANDLE, _result_after_refusal)])

profile("command_silence_reported_failed", "A command to a Charge Point that never answers results in FAILED instead "
        "of TIMEOUT.", roles=("CPO",), trips=("ocpi.commands.charge_point_timeout",),
        replaces=[set_to(SILENCE, "FAILED")])

profile("command_stop_session_own_key", "The eMSP's StopSession names the Session by a key of its own (the CPO's "
        "party and the Session id) instead of the Session's id.", roles=("EMSP",),
        trips=("ocpi.commands.sender_stop_session",),
        replaces=[replace(COMMAND, _sent(("STOP_SESSION",), _own_session_key))])
