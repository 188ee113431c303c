"""What a platform keeps of OCPI commands (mod_commands): those it received as CPO (Receiver interface) and
those it sent as eMSP, with the CommandResults that came back to their response_url (Sender interface).

Kept in ``party.state["commands"]``. Times are ``time.monotonic()`` readings, so a scenario running in another
thread can tell how long after the CommandResponse a result arrived.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any

from simulators.ocpi.party import Party

__all__ = ["COMMAND_OBJECTS", "VERSION", "ArrivedResult", "ChargePoint", "CommandBook", "ReceivedCommand",
           "SentCommand", "command_book", "response_path"]

VERSION = "2.2.1"
MODULE = "commands"

# CommandType -> the object its request body carries (mod_commands_cpo_post_request_body).
COMMAND_OBJECTS = {
    "CANCEL_RESERVATION": "CancelReservation",
    "RESERVE_NOW": "ReserveNow",
    "START_SESSION": "StartSession",
    "STOP_SESSION": "StopSession",
    "UNLOCK_CONNECTOR": "UnlockConnector",
}


@dataclass
class ReceivedCommand:
    """A command that reached the CPO: the body, how it was answered, and what the Charge Point did."""

    command: str
    body: Any
    problems: list[str]  # why the body is not the command's object (empty: it is)
    callback_token: str | None  # the token the CPO calls the Sender back with
    # The routing headers of that call: to the party that sent the command, from the CPO it was addressed to.
    callback_headers: dict[str, str] = field(default_factory=dict)
    received_at: float = field(default_factory=time.monotonic)
    response: dict[str, Any] | None = None  # the CommandResponse answered
    status_code: int = 1000
    result: dict[str, Any] | None = None  # the CommandResult, once the Charge Point has answered
    result_status: str | None = None  # how the POST of the CommandResult went


@dataclass
class ArrivedResult:
    body: Any
    at: float = field(default_factory=time.monotonic)


@dataclass
class SentCommand:
    """A command the eMSP sent, and the CommandResults POSTed to its response_url."""

    command: str
    response_url: str
    body: dict[str, Any] = field(default_factory=dict)
    response: Any = None  # the data of the CPO's answer (a CommandResponse)
    status_code: Any = None
    answered_at: float | None = None
    results: list[ArrivedResult] = field(default_factory=list)


@dataclass(frozen=True)
class ChargePoint:
    """How the Charge Point behind an EVSE answers the commands its CPO hands it, when not as it should
    (the ``charge_point_answers`` trigger hook)."""

    answer: str  # "NOTHING": it takes commands and never answers; "NOT_SUPPORTED": it supports none of them
    timeout: int  # the seconds the CPO announces for a command to this Charge Point


@dataclass
class CommandBook:
    received: list[ReceivedCommand] = field(default_factory=list)
    sent: dict[str, SentCommand] = field(default_factory=dict)  # by response path "{command}/{uid}"
    # The reservations the CPO holds: the Charge Point's reservation id -> (response_url, callback token).
    reservations: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    # roamcert's own CPO: it answers every well-formed command ACCEPTED and leaves the CommandResults to the
    # scenario, which chooses them (TIMEOUT, REJECTED, ...).
    scripted: bool = False
    # The reference CPO's Charge Points that do not answer as they should, by (location id, EVSE uid) upper-cased.
    charge_points: dict[tuple[str, str], ChargePoint] = field(default_factory=dict)
    tasks: set[asyncio.Task[None]] = field(default_factory=set)

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Run ``work`` in the background on the server's loop (kept referenced until it ends)."""
        task = asyncio.get_running_loop().create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)


def command_book(party: Party) -> CommandBook:
    book = party.state.get(MODULE)
    if not isinstance(book, CommandBook):
        book = CommandBook()
        party.state[MODULE] = book
    return book


def response_path(command: str, uid: str) -> str:
    return f"{command}/{uid}"
