"""The Commands module: the eMSP's Sender interface (mod_commands_emsp_interface), and the eMSP sending commands.

The eMSP sends a command to a CPO it is registered with when its back-end is asked to (the ``send_command``
trigger hook: a driver's app, a help desk). Every command carries a response_url of its own,
``{commands_url}/{command}/{uid}``, where the CPO POSTs the CommandResult; the eMSP acknowledges each result
(also a later one on the same URL, such as CANCELED_RESERVATION) and keeps it with the command. Like a real
back-end, it stops only a Session it knows: one a CPO has pushed to it.

Each step a fault profile may replace is a behaviour (simulators/behaviours.py): how the response_url answers a
CommandResult (ACKNOWLEDGE), the body of a command the eMSP sends (COMMAND) and the id that makes its response_url
its own (COMMAND_ID).

Through a hub the command is addressed to the CPO the hook names (``to_country_code``/``to_party_id``, or
``country_code``/``party_id``), else to the owner of the Location (or Session) it names, as the eMSP pulled or was
pushed it. Its response_url is then at the hub's commands Sender endpoint (the same path below it): the CPO can
only call the hub, and the hub forwards by the path below its endpoint (docs/hub.md). mod_commands says nothing of
hubs; the response_url is the Sender's to choose (mod_commands_flow).
"""

from __future__ import annotations

import copy
import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from starlette.routing import BaseRoute

from conformance.ocpi.routing import Address
from conformance.ocpi.schemas import errors as schema_errors
from conformance.ocpi.types import ci_equal, format_datetime
from conformance.ocpi.urls import join
from simulators.behaviours import Behaviour
from simulators.ocpi.admin import HookError, admin_hook, payload_text
from simulators.ocpi.endpoint import Call, OcpiError, Reply, ocpi_route
from simulators.ocpi.modules import MODULES, ModuleImpl
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1 import VERSION
from simulators.ocpi.v2_2_1.addressing import Reachable, is_hub, payload_address, reachable, request_routing
from simulators.ocpi.v2_2_1.commands import COMMAND_OBJECTS, ArrivedResult, SentCommand, command_book, response_path
from simulators.ocpi.v2_2_1.credentials import ask_peer

__all__ = ["ACKNOWLEDGE", "COMMAND", "COMMAND_ID", "Acknowledge", "Command", "send_command", "sender_routes"]

MODULE = "commands"
T = TypeVar("T")

Acknowledge = Callable[[SentCommand, dict[str, Any]], Reply]


def _acknowledge(sent: SentCommand, result: dict[str, Any]) -> Reply:
    """The answer to a well-formed CommandResult on the response_url of ``sent``: every one is taken, also a later
    one (CANCELED_RESERVATION after the RESERVE_NOW's result), with no data (mod_commands_emsp_post_method)."""
    return Reply(with_data=False)


def sender_routes(party: Party) -> list[BaseRoute]:
    async def result(call: Call) -> Reply:
        sent = command_book(party).sent.get(response_path(call.path("command"), call.path("uid")))
        if sent is None:
            raise OcpiError(2000, "No command of this platform awaits a result at this URL", 404)
        body = call.body
        sent.results.append(ArrivedResult(copy.deepcopy(body)))
        problems = schema_errors(VERSION, "CommandResult", body) if isinstance(body, dict) else \
            ["the body must be a JSON object"]
        if problems:
            raise OcpiError(2001, "Invalid CommandResult: " + "; ".join(problems[:5]))
        return party.behaviours(ACKNOWLEDGE)(sent, body)

    base = party.module_url(VERSION, MODULE, "SENDER").removeprefix(party.base_url)
    return [ocpi_route(party, f"{base}/{{command}}/{{uid}}", result, module=MODULE, methods=["POST"])]


# -- sending ----------------------------------------------------------------------------------------------------

def _owner(party: Party, command: str, payload: dict[str, Any]) -> Address | None:
    """The CPO that owns what the command names: the Location (or the Session) the eMSP holds of it."""
    module, key, wanted = ("sessions", "id", payload.get("session_id")) if command == "STOP_SESSION" else \
        ("locations", "id", payload.get("location_id"))
    if not wanted:
        return None
    held = party.received.get(module, {}).values()
    owner = next((o for o in held if ci_equal(o.get(key), wanted)), None)
    if owner is None or not isinstance(owner.get("country_code"), str) or not isinstance(owner.get("party_id"), str):
        return None
    return Address(owner["country_code"], owner["party_id"])


def _cpo(party: Party, command: str, payload: dict[str, Any]) -> tuple[Reachable, str]:
    """The CPO to send to: the one the hook names, else the owner of the Location or Session the command names,
    else the latest registered (directly, or behind a hub); and its commands URL."""
    named = payload_address(payload) or payload_address(payload, prefix="")
    found = reachable(party, "CPO", named or _owner(party, command, payload), module=MODULE, interface="RECEIVER")
    if not found and named is None:
        found = reachable(party, "CPO", module=MODULE, interface="RECEIVER")
    if not found:
        raise HookError("no registered CPO offers a commands RECEIVER endpoint" + (f" as {named}" if named else ""),
                        409)
    chosen = found[0] if named else found[-1]
    url = chosen.peer.endpoint(MODULE, "RECEIVER")
    assert url is not None  # reachable() kept only peers offering it
    return chosen, url


def _token(party: Party, payload: dict[str, Any]) -> dict[str, Any]:
    """One of the eMSP's own valid Tokens: the one named by token_uid, else one of token_type (APP_USER)."""
    tokens = [t for t in party.owned.get("tokens", []) if t.get("valid")]
    uid = payload.get("token_uid")
    wanted = str(payload.get("token_type") or "APP_USER")
    chosen = next((t for t in tokens if ci_equal(t.get("uid"), uid)), None) if uid else \
        next((t for t in tokens if t.get("type") == wanted), tokens[0] if tokens else None)
    if chosen is None:
        raise HookError(f"the eMSP holds no valid Token {uid or 'to send'}", 409)
    return copy.deepcopy(chosen)


def _known_session(party: Party, session_id: str) -> str:
    """``session_id``, to stop by, once it names a Session a CPO pushed to the eMSP (else the hook refuses)."""
    session = next((s for s in party.received.get("sessions", {}).values() if ci_equal(s.get("id"), session_id)),
                   None)
    if session is None:
        raise HookError(f"the eMSP knows no Session {session_id!r}: no CPO has sent it", 409)
    return session_id


def _body(party: Party, command: str, payload: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any]
    if command == "START_SESSION":
        body = {"token": _token(party, payload), "location_id": payload_text(payload, "location_id")}
        body.update({k: payload[k] for k in ("evse_uid", "connector_id", "authorization_reference")
                     if payload.get(k)})
    elif command == "STOP_SESSION":
        body = {"session_id": _known_session(party, payload_text(payload, "session_id"))}
    elif command == "RESERVE_NOW":
        expiry = payload.get("expiry_date") or format_datetime(datetime.now(UTC).replace(microsecond=0)
                                                               + timedelta(minutes=30))
        body = {"token": _token(party, payload), "expiry_date": expiry,
                "reservation_id": payload.get("reservation_id") or f"R{secrets.token_hex(6).upper()}",
                "location_id": payload_text(payload, "location_id")}
        body.update({k: payload[k] for k in ("evse_uid", "authorization_reference") if payload.get(k)})
    elif command == "CANCEL_RESERVATION":
        body = {"reservation_id": payload_text(payload, "reservation_id")}
    else:
        body = {k: payload_text(payload, k) for k in ("location_id", "evse_uid", "connector_id")}
    return body


Command = Callable[[Party, str, dict[str, Any], str], dict[str, Any]]


def _command(party: Party, command: str, payload: dict[str, Any], response_url: str) -> dict[str, Any]:
    """The body of the ``command`` the eMSP sends, as its back-end was asked in ``payload``: the command's object
    with the response_url the CommandResult is to be POSTed to (mod_commands_cpo_post_request_body)."""
    return {"response_url": response_url, **_body(party, command, payload)}


def _command_id() -> str:
    """A new id for a command, making its response_url its own (one per command: mod_commands_flow)."""
    return secrets.token_hex(8)


def _point(name: str, conformant: T) -> Behaviour[T]:
    return Behaviour("OCPI", VERSION, MODULE, f"sender.{name}", conformant)


ACKNOWLEDGE = _point("acknowledge", _acknowledge)
COMMAND = _point("command", _command)
COMMAND_ID = _point("command_id", _command_id)


async def send_command(party: Party, payload: dict[str, Any]) -> dict[str, Any]:
    """Send ``payload["command"]`` to a CPO; returns the command's id, its response_url and the CPO's answer."""
    command = str(payload.get("command", "")).upper()
    if command not in COMMAND_OBJECTS:
        raise HookError(f"'command' must be one of {', '.join(COMMAND_OBJECTS)}")
    cpo, url = _cpo(party, command, payload)
    peer = cpo.peer
    uid = party.behaviours(COMMAND_ID)()
    path = response_path(command, uid)
    hub_url = peer.endpoint(MODULE, "SENDER") if is_hub(peer) else None
    response_url = join(hub_url, path) if hub_url else f"{party.module_url(VERSION, MODULE, 'SENDER')}/{path}"
    body = party.behaviours(COMMAND)(party, command, payload, response_url)
    sent = SentCommand(command, response_url, body)
    command_book(party).sent[path] = sent  # before the POST: the result may come before the answer
    exchange, answer = await ask_peer(party, peer, "POST", join(url, command), json_body=body,
                                      who="the CPO", what=command,
                                      headers=request_routing(party, peer, "EMSP", cpo.address))
    if isinstance(answer, dict):
        sent.response, sent.status_code = answer.get("data"), answer.get("status_code")
    sent.answered_at = time.monotonic()
    result = sent.response.get("result") if isinstance(sent.response, dict) else None
    return {"command_id": uid, "response_url": response_url, "http_status": exchange.status,
            "status_code": sent.status_code, "result": result}


@admin_hook("send_command", "the eMSP sends a command to its CPO: {command, location_id, evse_uid, connector_id, "
            "session_id, reservation_id, token_uid, token_type, to_country_code, to_party_id (the CPO)}",
            roles=("EMSP",))
async def _send_command(party: Party, payload: dict[str, Any]) -> dict[str, Any]:
    return await send_command(party, payload)


MODULES.register(ModuleImpl("OCPI", VERSION, MODULE, "SENDER", frozenset({"EMSP"}), sender_routes))
