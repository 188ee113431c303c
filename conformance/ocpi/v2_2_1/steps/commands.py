"""Steps for the Commands module: a CPO as Receiver, an eMSP as Sender."""

from __future__ import annotations

from pytest_bdd import parsers, then, when

from conformance.core.case import Case
from conformance.ocpi.context import Context
from conformance.ocpi.v2_2_1.flows import commands as flows
from conformance.ocpi.v2_2_1.flows import commands_sender as sender_flows
from conformance.ocpi.v2_2_1.steps.verify import verify

# -- a CPO as Receiver


when(parsers.parse("roamcert starts a session remotely with an {token_type} Token it never pushed"),
     target_fixture="started")(flows.start_session)

when("roamcert stops that session remotely")(flows.stop_session)

when(
    "roamcert reserves an EVSE with an RFID Token it never pushed, cancels the reservation and cancels it again",
)(flows.reserve_and_cancel)

when("roamcert cancels a reservation it never made")(flows.cancel_unknown_reservation)

when("roamcert asks the CPO to unlock a connector")(flows.unlock_connector)

when("roamcert stops a session that does not exist")(flows.stop_unknown_session)

when("roamcert sends START_SESSION and UNLOCK_CONNECTOR for a Location the CPO does not have")(flows.unknown_location)

when("roamcert sends a START_SESSION without a Token")(flows.invalid_body)

when(
    "roamcert starts a session remotely at an EVSE whose Charge Point takes commands but never answers them",
)(flows.silent_charge_point)


@then("each command is answered with a CommandResponse and its CommandResult reaches roamcert in time")
def answered(case: Case) -> None:
    verify(case, "ocpi.commands.response", "ocpi.commands.result_posted", "ocpi.commands.result_in_time",
           "ocpi.schema.data")


@then("a Session for that Token starts at the EVSE asked for, carrying the Token")
def session_started(case: Case) -> None:
    verify(case, "ocpi.commands.start_session", "ocpi.commands.session_token")


@then("the CPO neither refuses the Token nor asks roamcert about it in real time")
def start_token(case: Case) -> None:
    verify(case, "ocpi.commands.start_token_not_checked", "ocpi.commands.start_no_realtime_authorization")


@then("the Session is completed, and its CDR, once sent, carries the Token")
def session_stopped(case: Case) -> None:
    verify(case, "ocpi.commands.stop_session", "ocpi.commands.session_token")


@then("the reservation is made and canceled, and the second cancel finds it no more")
def reservation_canceled(case: Case) -> None:
    verify(case, "ocpi.commands.reservation_canceled")


@then("the reservation gives a Session with status RESERVATION, COMPLETED once the reservation is canceled")
def reservation_session(case: Case) -> None:
    verify(case, "ocpi.sessions.reservation_session")


@then("the CPO neither refuses the reservation's Token nor asks roamcert about it in real time")
def reserve_token(case: Case) -> None:
    verify(case, "ocpi.commands.reserve_token_not_checked", "ocpi.commands.reserve_no_realtime_authorization")


@then("while the reservation holds, the EVSE's status is RESERVED")
def reserved_status(case: Case) -> None:
    verify(case, "ocpi.commands.reserved_evse_status")


@then("no CommandResult follows a command the CPO did not accept")
def no_result(case: Case) -> None:
    verify(case, "ocpi.commands.no_result_unless_accepted")


@then("the CPO reports TIMEOUT within the timeout it announced")
def charge_point_timeout(case: Case) -> None:
    verify(case, "ocpi.commands.charge_point_timeout")


@then("the CPO reports the reservation unknown")
def reservation_unknown(case: Case) -> None:
    verify(case, "ocpi.commands.unknown_reservation")


@then("the CPO answers UNKNOWN_SESSION")
def session_unknown(case: Case) -> None:
    verify(case, "ocpi.commands.unknown_session", "ocpi.commands.response")


@then(parsers.parse("the CPO answers status code {code:d} and accepts neither"))
def location_unknown(case: Case, code: int) -> None:
    verify(case, "ocpi.commands.unknown_location", "ocpi.status.expected")


@then(parsers.parse("the CPO refuses it with status code {code:d} and carries nothing out"))
def body_refused(case: Case, code: int) -> None:
    verify(case, "ocpi.commands.invalid_body", "ocpi.status.expected")


# -- an eMSP as Sender


when(
    "the eMSP sends START_SESSION and roamcert's CPO answers with the CommandResult ACCEPTED",
)(sender_flows.sender_start)

when("the eMSP sends START_SESSION, and roamcert's CPO answers ACCEPTED and sends the eMSP the Session it started",
     target_fixture="cpo_session")(sender_flows.sender_start_pushed)


@when("the eMSP sends STOP_SESSION for that Session and roamcert's CPO answers with the CommandResult TIMEOUT")
def sender_stop(ctx: Context, cpo_session: sender_flows.CpoSession) -> None:
    sender_flows.sender_stop(ctx, cpo_session)


when("the eMSP sends RESERVE_NOW, roamcert's CPO answers ACCEPTED and later CANCELED_RESERVATION, and the eMSP "
     "sends CANCEL_RESERVATION")(sender_flows.sender_reserve)

when(
    "the eMSP sends UNLOCK_CONNECTOR twice and roamcert's CPO answers FAILED, then REJECTED",
)(sender_flows.sender_unlock)


@then("each command reaches roamcert's CPO as its command's object with an absolute response_url")
def command_body(case: Case) -> None:
    verify(case, "ocpi.commands.sender_body", "ocpi.commands.sender_response_url")


@then("the STOP_SESSION names the Session roamcert's CPO started")
def stop_names_session(case: Case) -> None:
    verify(case, "ocpi.commands.sender_stop_session")


@then("the command's Token is one of the eMSP's own")
def own_token(case: Case) -> None:
    verify(case, "ocpi.commands.sender_start_own_token", "ocpi.commands.sender_reserve_own_token")


@then("the eMSP acknowledges each CommandResult with status code 1000")
def acknowledged(case: Case) -> None:
    verify(case, "ocpi.commands.sender_result_acknowledged", "ocpi.status.expected")


@then("the eMSP acknowledges the CANCELED_RESERVATION on the reservation's response_url")
def canceled_acknowledged(case: Case) -> None:
    verify(case, "ocpi.commands.sender_canceled_reservation")


@then("each command has a response_url of its own")
def unique_urls(case: Case) -> None:
    verify(case, "ocpi.commands.sender_unique_response_url")
