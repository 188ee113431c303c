"""What the OCPI 2.2.1 reference keeps besides received objects, made durable (simulators/ocpi/store.py): the
commands an eMSP sent with the CommandResults that came back, and the charging profile requests a Sender made
with their results and the ActiveChargingProfiles pushed to it.

Times (``time.monotonic()`` readings) mean nothing to another process: a restored result counts as arrived at
the restart.
"""

from __future__ import annotations

import time
from typing import Any

from simulators.ocpi.party import Party
from simulators.ocpi.store import durable
from simulators.ocpi.v2_2_1.chargingprofiles_sender import Request, SenderState, sender_state
from simulators.ocpi.v2_2_1.commands import ArrivedResult, CommandBook, SentCommand, command_book

__all__: list[str] = []


def _dump_commands(party: Party) -> dict[str, Any]:
    book = party.state.get("commands")  # as command_book keeps it, without creating one
    if not isinstance(book, CommandBook):
        return {}
    return {path: {"command": sent.command, "response_url": sent.response_url, "body": sent.body,
                   "response": sent.response, "status_code": sent.status_code,
                   "answered": sent.answered_at is not None, "results": [r.body for r in sent.results]}
            for path, sent in book.sent.items()}


def _load_commands(party: Party, value: Any) -> None:
    if not value:
        return
    now = time.monotonic()
    for path, raw in value.items():
        command_book(party).sent[path] = SentCommand(
            raw["command"], raw["response_url"], raw.get("body") or {}, response=raw.get("response"),
            status_code=raw.get("status_code"), answered_at=now if raw.get("answered") else None,
            results=[ArrivedResult(body, now) for body in raw.get("results", [])])


def _dump_charging_profiles(party: Party) -> dict[str, Any]:
    state = party.state.get("chargingprofiles_sender")  # as sender_state keeps it, without creating one
    if not isinstance(state, SenderState):
        return {}
    return {"requests": {rid: {"kind": r.kind, "session_id": r.session_id, "result": r.result}
                         for rid, r in state.requests.items()},
            "active": state.active}


def _load_charging_profiles(party: Party, value: Any) -> None:
    if not value:
        return
    state = sender_state(party)  # updated in place: the routes hold this object
    state.requests.update({rid: Request(raw["kind"], raw["session_id"], raw.get("result"))
                           for rid, raw in value.get("requests", {}).items()})
    state.active.update(value.get("active", {}))


durable("commands.sent", _dump_commands, _load_commands)
durable("chargingprofiles.sender", _dump_charging_profiles, _load_charging_profiles)
