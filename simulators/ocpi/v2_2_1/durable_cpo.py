"""What the OCPI 2.2.1 reference CPO keeps of its own, made durable (simulators/ocpi/store.py): its Sender lists
(Locations with their EVSE statuses, Tariffs, Sessions, CDRs), the charges under way and the reservations it holds,
the commands it received with their CommandResults, the ChargingProfiles Senders set and the charging preferences
it accepted. The Sender lists are kept whatever the platform's roles (an eMSP's Tokens too).

Put back in this order, each item relying on those before it: a charge refers to its Session, Location, EVSE and
Connector in the restored Sender lists, and a ChargingProfile Sender to a peer restored with the registration.

The simulated clock is wall-clock time plus an offset, so the offset and the charges' datetimes keep their meaning
in another process. ``time.monotonic()`` readings do not: a restored command counts as received at the restart,
and the request moments the TOO_OFTEN limit counts are not kept (a restart forgets the last minute's requests).

A CommandResult still due when the process ended is sent once the restarted server is up: the one the Charge Point
gave, when it had answered before the end; otherwise FAILED, since the CPO cannot tell what became of a command
its restart interrupted. The ChargingProfile results a restart interrupts (a moment's delay) are not sent again:
the Sender sees its timeout pass, as it would for a result lost on the way.
"""

from __future__ import annotations

import time
from typing import Any

from simulators.ocpi.party import Party
from simulators.ocpi.store import durable, keep
from simulators.ocpi.v2_2_1.chargingprofiles_receiver import ProfileState, profile_state
from simulators.ocpi.v2_2_1.commands import ChargePoint, CommandBook, ReceivedCommand, command_book
from simulators.ocpi.v2_2_1.commands_receiver import DELIVER
from simulators.ocpi.v2_2_1.lifecycle import Lifecycle, lifecycle

__all__: list[str] = []

PREFERENCES = "charging_preferences"  # where sessions_preferences.py keeps them, in party.state
RESTARTED = [{"language": "en", "text": "The CPO restarted before the Charge Point answered this command."}]


def _dump_owned(party: Party) -> dict[str, Any]:
    return party.owned


def _load_owned(party: Party, value: Any) -> None:
    for module, objects in (value or {}).items():
        party.owned.setdefault(module, [])[:] = objects  # in place: a route may hold the list


def _dump_lifecycle(party: Party) -> dict[str, Any]:
    life = party.state.get("lifecycle")  # as lifecycle() keeps it, without creating one
    return life.dump() if isinstance(life, Lifecycle) else {}


def _load_lifecycle(party: Party, value: Any) -> None:
    if value:
        lifecycle(party).load(value)


def _dump_commands(party: Party) -> dict[str, Any]:
    book = party.state.get("commands")  # as command_book keeps it, without creating one
    if not isinstance(book, CommandBook) or not (book.received or book.reservations or book.charge_points):
        return {}
    return {
        "received": [{"command": e.command, "body": e.body, "problems": e.problems,
                      "callback_token": e.callback_token, "callback_headers": e.callback_headers,
                      "response": e.response, "status_code": e.status_code,
                      "result": e.result, "result_status": e.result_status} for e in book.received],
        "reservations": {rid: list(held) for rid, held in book.reservations.items()},
        "charge_points": [[location, evse, cp.answer, cp.timeout]
                          for (location, evse), cp in book.charge_points.items()],
    }


def _load_commands(party: Party, value: Any) -> None:
    if not value:
        return
    book = command_book(party)
    now = time.monotonic()
    book.received.extend(
        ReceivedCommand(raw["command"], raw["body"], list(raw.get("problems") or []), raw.get("callback_token"),
                        callback_headers=dict(raw.get("callback_headers") or {}), received_at=now,
                        response=raw.get("response"), status_code=int(raw.get("status_code", 1000)),
                        result=raw.get("result"), result_status=raw.get("result_status"))
        for raw in value.get("received", []))
    book.reservations.update({rid: (str(url), token) for rid, (url, token) in value.get("reservations", {}).items()})
    book.charge_points.update({(location, evse): ChargePoint(answer, int(timeout))
                               for location, evse, answer, timeout in value.get("charge_points", [])})


def _due(book: CommandBook) -> list[ReceivedCommand]:
    """The commands the CPO accepted whose CommandResult was never sent."""
    if book.scripted:  # roamcert's own CPO: the scenario sends the results
        return []
    return [e for e in book.received if e.result_status is None and (e.response or {}).get("result") == "ACCEPTED"]


async def _send_due(party: Party, entry: ReceivedCommand) -> None:
    await party.behaviours(DELIVER)(party, entry)
    keep(party)


async def _resume_commands(party: Party) -> None:
    book = party.state.get("commands")
    if not isinstance(book, CommandBook):
        return
    for entry in _due(book):
        if entry.result is None:
            entry.result = {"result": "FAILED", "message": RESTARTED}
        entry.result_status = "sending after a restart"
        keep(party)  # sent at most once, even if the process ends again while it is under way
        book.spawn(_send_due(party, entry))  # in the background: a slow partner does not hold the server up


def _dump_profiles(party: Party) -> dict[str, Any]:
    state = party.state.get("chargingprofiles")  # as profile_state keeps it, without creating one
    if not isinstance(state, ProfileState) or not (state.profiles or state.local_share or state.senders):
        return {}
    return {"profiles": state.profiles, "local_share": state.local_share,
            "senders": {key: [peer.token_in for peer in peers] for key, peers in state.senders.items()}}


def _load_profiles(party: Party, value: Any) -> None:
    if not value:
        return
    state = profile_state(party)  # updated in place: the routes hold this object
    state.profiles.update(value.get("profiles", {}))
    state.local_share.update({key: float(share) for key, share in value.get("local_share", {}).items()})
    for key, tokens in value.get("senders", {}).items():
        peers = [party.peers[token] for token in tokens if token in party.peers]  # a peer gone is not told
        if peers:
            state.senders[key] = peers


def _dump_preferences(party: Party) -> dict[str, Any]:
    kept = party.state.get(PREFERENCES)
    return dict(kept) if isinstance(kept, dict) else {}


def _load_preferences(party: Party, value: Any) -> None:
    party.state.setdefault(PREFERENCES, {}).update(value or {})  # in place: the route holds this dict


durable("owned", _dump_owned, _load_owned)
durable("cpo.lifecycle", _dump_lifecycle, _load_lifecycle)
durable("commands.received", _dump_commands, _load_commands, _resume_commands)
durable("chargingprofiles.receiver", _dump_profiles, _load_profiles)
durable("sessions.preferences", _dump_preferences, _load_preferences)
