"""Flows for an eMSP under test as Commands Sender (mod_commands): the eMSP sends commands to roamcert's CPO
(made to send them through the action send_command), which answers, POSTs CommandResults to the eMSP's response_url,
and for START_SESSION starts the Session and sends it to the eMSP, whose STOP_SESSION must name it."""

from __future__ import annotations

import contextlib
import copy
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from conformance.core.checks import Check
from conformance.core.errors import HarnessError, HeldBack, SetupFailed, SutUnreachable
from conformance.ocpi.context import Context
from conformance.ocpi.expect import Expect
from conformance.ocpi.v2_2_1.checks import commands as cc
from conformance.ocpi.v2_2_1.flows.actions import perform
from conformance.ocpi.v2_2_1.flows.commands import pause
from conformance.ocpi.v2_2_1.flows.http import forwarded_hop, status_code_of
from simulators.ocpi.v2_2_1.commands import COMMAND_OBJECTS, ReceivedCommand, command_book
from simulators.ocpi.v2_2_1.credentials import peer_client
from simulators.ocpi.v2_2_1.lifecycle import LifecycleError, lifecycle
from simulators.ocpi.v2_2_1.seed.locations import seed_locations

__all__ = ["CpoSession", "sender_reserve", "sender_start", "sender_start_pushed", "sender_stop", "sender_unlock"]

_OK = frozenset({1000})


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


def have_sent(ctx: Context, command: str, payload: dict[str, str]) -> Arrived:
    """Make the eMSP send ``command`` (action send_command), and have what reaches roamcert's CPO judged."""
    partner = ctx.partner
    book = command_book(partner)
    book.scripted = True  # roamcert's CPO answers ACCEPTED; this flow chooses the CommandResults
    before, mark = len(book.received), len(ctx.case.log.exchanges)
    if ctx.harness.via_hub(ctx.sut_role) is not None:  # behind a hub, several CPOs: name roamcert's
        cpo = ctx.partner_identity
        payload = {**payload, "to_country_code": cpo.country_code, "to_party_id": cpo.party_id}
    perform(ctx, "send_command", {"command": command, **payload})
    deadline = time.monotonic() + ctx.harness.target.timeout
    while len(book.received) == before and time.monotonic() < deadline:
        pause(ctx.harness)
    entry = next((e for e in book.received[before:]), None)
    evidence = tuple(x.id for x in ctx.case.log.exchanges[mark:] if x.direction == "inbound")
    arrival = _arrival(command, entry, evidence)
    ctx.case.evaluate(cc.sender_body, arrival)
    if entry is not None:
        ctx.case.evaluate(cc.sender_response_url, arrival)
    return Arrived(entry, evidence)


def _arrival(command: str, entry: ReceivedCommand | None, evidence: tuple[str, ...]) -> cc.CommandArrival:
    """What reached roamcert's CPO when the eMSP was made to send ``command``, for the checks."""
    if entry is None:
        return cc.CommandArrival(command, COMMAND_OBJECTS[command], None, None, (), evidence)
    return cc.CommandArrival(command, COMMAND_OBJECTS[command], entry.command, entry.body, tuple(entry.problems),
                             evidence)


def _own_token(ctx: Context, arrived: Arrived, check: Check) -> None:
    token = arrived.body.get("token")
    if not isinstance(token, dict):
        return  # a body without its Token is judged by ocpi.commands.sender_body
    roles = tuple(ctx.conn.peer.roles) if ctx.conn.peer is not None else ()
    ctx.case.evaluate(check, cc.TokenOfSender(token, roles, arrived.evidence))


def post_result(ctx: Context, arrived: Arrived, result: str, check: Check = cc.sender_result_acknowledged) -> None:
    """roamcert's CPO POSTs a CommandResult to the command's response_url; the eMSP must answer 1000."""
    if arrived.entry is None or not cc.absolute_url(arrived.response_url) or arrived.entry.callback_token is None:
        return
    client = peer_client(ctx.partner, arrived.entry.callback_token)
    body = {"result": result, "message": [{"language": "en", "text": f"roamcert's Charge Point: {result}"}]}
    url = str(arrived.response_url)
    try:
        if ctx.harness.via_hub(ctx.sut_role) is None:
            exchange = ctx.harness.runtime.run(client.request("POST", url, json_body=body))
        else:  # to the eMSP that sent the command, from roamcert's CPO; the SUT's answer is the hub's hop to it
            correlation, mark = str(uuid.uuid4()), len(ctx.case.log.exchanges)
            link = ctx.harness.via_hub(ctx.sut_role)
            near = link.as_near(url) if link is not None else url  # across a network: at roamcert's CPO's node
            hop = ctx.harness.runtime.run(client.request("POST", near, json_body=body, correlation_id=correlation,
                                                         headers=arrived.entry.callback_headers))
            exchange = forwarded_hop(ctx, mark, correlation, "POST", url, hop)
    except HeldBack:  # a bound of roamcert or a host it may not call: no evidence
        raise
    except SutUnreachable as exc:
        ctx.case.evaluate(check, cc.ResultDelivery(result, ctx.case.log.exchanges[-1], str(exc)))
        return
    ctx.case.check_response(exchange, Expect(status_codes=_OK))
    ctx.case.evaluate(check, cc.ResultDelivery(result, exchange))


def _cpo_place(ctx: Context, capability: str) -> dict[str, str]:
    """An AVAILABLE EVSE of roamcert's CPO with ``capability`` that needs no connector_id to start, and its first
    Connector: where the eMSP's driver would charge. roamcert's CPO gets its seed Locations the first time."""
    partner = ctx.partner
    if not partner.owned.get("locations"):
        cpo = ctx.partner_identity
        partner.owned["locations"] = seed_locations(country_code=cpo.country_code, party_id=cpo.party_id)
    for location in partner.owned["locations"]:
        for evse in location.get("evses") or []:
            capabilities = evse.get("capabilities") or []
            if evse.get("status") == "AVAILABLE" and evse.get("connectors") and capability in capabilities \
                    and "START_SESSION_CONNECTOR_REQUIRED" not in capabilities:
                return {"location_id": str(location["id"]), "evse_uid": str(evse["uid"]),
                        "connector_id": str(evse["connectors"][0]["id"])}
    raise HarnessError(f"roamcert's CPO has no AVAILABLE EVSE with {capability} left")


def sender_start(ctx: Context) -> None:
    arrived = have_sent(ctx, "START_SESSION",
                        _cpo_place(ctx, "REMOTE_START_STOP_CAPABLE"))
    _own_token(ctx, arrived, cc.sender_start_own_token)
    post_result(ctx, arrived, "ACCEPTED")


@dataclass(frozen=True)
class CpoSession:
    """The Session roamcert's CPO started on the eMSP's START_SESSION, and sent to the eMSP."""

    session_id: str
    evidence: tuple[str, ...]  # the START_SESSION and the PUT of the Session


def _end_charge(ctx: Context, session_id: str) -> None:
    """The driver ends the charge at roamcert's Charge Point (the Session completes, its CDR follows)."""
    with contextlib.suppress(LifecycleError):
        ctx.harness.runtime.run(lifecycle(ctx.partner).stop(session_id))


def sender_start_pushed(ctx: Context) -> CpoSession:
    """The eMSP sends START_SESSION; roamcert's CPO answers ACCEPTED, POSTs the CommandResult ACCEPTED and starts
    the Session at the EVSE asked for, which it PUTs to the eMSP's Sessions Receiver as a real CPO would."""
    arrived = have_sent(ctx, "START_SESSION",
                        _cpo_place(ctx, "REMOTE_START_STOP_CAPABLE"))
    post_result(ctx, arrived, "ACCEPTED")
    body, token = arrived.body, arrived.body.get("token")
    if not isinstance(token, dict) or not isinstance(token.get("uid"), str):
        raise SetupFailed("the START_SESSION carried no Token to start a Session with")
    mark = len(ctx.case.log.exchanges)
    try:
        session = ctx.harness.runtime.run(lifecycle(ctx.partner).start(
            token=copy.deepcopy(token), location_id=str(body.get("location_id")), evse_uid=body.get("evse_uid"),
            connector_id=body.get("connector_id"), auth_method="COMMAND",
            authorization_reference=body.get("authorization_reference")))
    except LifecycleError as exc:
        raise SetupFailed(f"roamcert's CPO could not start a Session where the START_SESSION asked: {exc}") from None
    session_id = str(session["id"])
    puts = [x for x in ctx.case.log.exchanges[mark:] if x.direction == "callback" and x.method == "PUT"
            and urlsplit(x.url).path.rstrip("/").endswith(f"/{quote(session_id, safe='')}")]
    for x in puts:
        ctx.case.check_response(x, Expect(status_codes=_OK))
    if not any(status_code_of(x) == 1000 for x in puts):
        _end_charge(ctx, session_id)
        why = "the eMSP did not take it" if puts else \
            "the eMSP has no sessions RECEIVER, or the command's Token is not the eMSP's own"
        raise SetupFailed(f"roamcert's CPO could not send the eMSP the Session it started ({why}), so the eMSP "
                          "cannot know the Session to stop")
    return CpoSession(session_id, arrived.evidence + tuple(x.id for x in puts))


def sender_stop(ctx: Context, started: CpoSession) -> None:
    """The eMSP sends STOP_SESSION for the Session roamcert's CPO started (the action names its id); roamcert's
    Charge Point does not answer, so the CommandResult is TIMEOUT. The driver then ends the charge at the Charge
    Point."""
    try:
        arrived = have_sent(ctx, "STOP_SESSION", {"session_id": started.session_id})
        if arrived.entry is not None:
            ctx.case.evaluate(cc.sender_stop_session, cc.SessionNamed(started.session_id,
            arrived.body.get("session_id"),
                                                                  started.evidence + arrived.evidence))
        post_result(ctx, arrived, "TIMEOUT")
    finally:
        _end_charge(ctx, started.session_id)


def sender_reserve(ctx: Context) -> None:
    """RESERVE_NOW (result ACCEPTED, later CANCELED_RESERVATION by the CPO), then CANCEL_RESERVATION."""
    place = _cpo_place(ctx, "RESERVABLE")
    reservation_id = f"RC-RES-{secrets.token_hex(5).upper()}"
    arrived = have_sent(ctx, "RESERVE_NOW",
                        {"location_id": place["location_id"], "evse_uid": place["evse_uid"],
                         "reservation_id": reservation_id})
    _own_token(ctx, arrived, cc.sender_reserve_own_token)
    post_result(ctx, arrived, "ACCEPTED")
    post_result(ctx, arrived, "CANCELED_RESERVATION", cc.sender_canceled_reservation)
    reserved = str(arrived.body.get("reservation_id") or reservation_id)
    cancel = have_sent(ctx, "CANCEL_RESERVATION", {"reservation_id": reserved})
    post_result(ctx, cancel, "UNKNOWN_RESERVATION")


def sender_unlock(ctx: Context) -> None:
    """UNLOCK_CONNECTOR twice: results FAILED and REJECTED; the two response_urls differ."""
    place = _cpo_place(ctx, "UNLOCK_CAPABLE")
    first = have_sent(ctx, "UNLOCK_CONNECTOR", place)
    post_result(ctx, first, "FAILED")
    second = have_sent(ctx, "UNLOCK_CONNECTOR", place)
    post_result(ctx, second, "REJECTED")
    if first.entry is not None and second.entry is not None:
        ctx.case.evaluate(cc.sender_unique_response_url, cc.ResponseUrls(first.response_url, second.response_url,
                                                                     first.evidence + second.evidence))
