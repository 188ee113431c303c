"""Steps for the ChargingProfiles module: a CPO under test as Receiver, a Sender (SCSP or eMSP) under test."""

from __future__ import annotations

from typing import Any

from pytest_bdd import given, parsers, then, when

from conformance.core.case import Case
from conformance.core.errors import SetupFailed
from conformance.ocpi.context import Context
from conformance.ocpi.v2_2_1.flows import chargingprofiles as flows
from conformance.ocpi.v2_2_1.flows import chargingprofiles_sender as sender
from conformance.ocpi.v2_2_1.flows.ongoing import Ongoing
from conformance.ocpi.v2_2_1.steps.verify import verify

# -- a CPO as Receiver


@given("an ongoing Session of one of roamcert's Tokens at an EVSE that takes charging profiles",
       target_fixture="steered")
def steered(ctx: Context) -> Ongoing:
    return flows.steered_session(ctx)


given("an ongoing Session of one of roamcert's Tokens whose ActiveChargingProfile roamcert never had changed",
      target_fixture="steered")(flows.untouched_session)


@when("roamcert asks for the Session's ActiveChargingProfile with a response URL")
def get_active(ctx: Context, steered: Ongoing) -> None:
    flows.get_active_profile(ctx, steered)


@then("the CPO accepts and POSTs an ActiveChargingProfileResult with the profile to that URL")
def active_result(case: Case) -> None:
    verify(case, "ocpi.chargingprofiles.active_profile_result", "ocpi.schema.data")


@when("roamcert sets a charging profile on the Session")
def set_profile(ctx: Context, steered: Ongoing) -> None:
    flows.set_profile(ctx, steered)


@given("roamcert has set a charging profile on the Session")
def profile_set(ctx: Context, steered: Ongoing) -> None:
    if not flows.set_profile(ctx, steered):
        raise SetupFailed("roamcert's profile was not accepted, so the CPO owes it no updates")


@then("the CPO accepts and POSTs a ChargingProfileResult to the response URL")
def set_result(case: Case) -> None:
    verify(case, "ocpi.chargingprofiles.set_result", "ocpi.schema.data")


@when("roamcert sets a charging profile on the Session and clears it again")
def clear_profile(ctx: Context, steered: Ongoing) -> None:
    flows.clear_profile(ctx, steered)


@then("the CPO accepts the clearing and POSTs a ClearProfileResult to the response URL")
def clear_result(case: Case) -> None:
    verify(case, "ocpi.chargingprofiles.clear_result")


@then("the ActiveChargingProfile shows the EVSE's maximum capacity again")
def cleared(case: Case) -> None:
    verify(case, "ocpi.chargingprofiles.cleared_max_capacity", "ocpi.chargingprofiles.active_profile_result")


when("roamcert sets a charging profile on a Session the CPO does not know")(flows.unknown_session)


@then("the CPO answers UNKNOWN_SESSION and sends no result")
def unknown_answered(case: Case) -> None:
    verify(case, "ocpi.chargingprofiles.unknown_session", "ocpi.schema.data")


@when("roamcert sends a charging profile without charging_rate_unit for the Session")
def invalid_profile(ctx: Context, steered: Ongoing) -> None:
    flows.invalid_profile(ctx, steered)


@then(parsers.parse("the CPO refuses the charging profile with status code {code:d} and sends no result"))
def invalid_refused(case: Case, code: int) -> None:
    verify(case, "ocpi.chargingprofiles.invalid_refused", "ocpi.status.expected")


@when("the operator makes the CPO change the Session's ActiveChargingProfile, as a local limit would")
def change(ctx: Context, steered: Ongoing) -> None:
    flows.push_on_change(ctx, steered)


@then("the CPO PUTs the new ActiveChargingProfile to roamcert's Sender interface")
def pushed(case: Case) -> None:
    verify(case, "ocpi.chargingprofiles.push_on_change")


@then("the ActiveChargingProfile it PUTs covers at least 5 minutes")
def push_duration(case: Case) -> None:
    verify(case, "ocpi.chargingprofiles.push_duration")


when(
    "the operator makes the CPO change the ActiveChargingProfile of a Session roamcert never set a profile on",
)(flows.no_push_without_profile)


@then("the CPO sends roamcert no ActiveChargingProfile for that Session")
def not_pushed(case: Case) -> None:
    verify(case, "ocpi.chargingprofiles.no_push_without_profile")


# -- a Sender (SCSP or eMSP)


given(
    "roamcert's CPO has an ongoing Session the SUT may steer", target_fixture="partner_session",
)(sender.partner_session)


@when("the operator makes the SUT set a charging profile on that Session")
def sut_sets(ctx: Context, partner_session: dict[str, Any]) -> None:
    sender.set_profile(ctx, partner_session)


@given("the SUT has set a charging profile on that Session")
def sut_has_set(ctx: Context, partner_session: dict[str, Any]) -> None:
    sender.set_profile(ctx, partner_session)


@then("roamcert's CPO received a valid SetChargingProfile with an absolute response URL")
def set_request(case: Case) -> None:
    verify(case, "ocpi.chargingprofiles.sender_set_request")


@when("the operator makes the SUT ask for the ActiveChargingProfile of that Session")
def sut_gets(ctx: Context, partner_session: dict[str, Any]) -> None:
    sender.get_active_profile(ctx, partner_session)


@then("roamcert's CPO received a GET with a duration and an absolute response URL")
def get_request(case: Case) -> None:
    verify(case, "ocpi.chargingprofiles.sender_get_request")


@when("the operator makes the SUT clear the charging profile of that Session")
def sut_clears(ctx: Context, partner_session: dict[str, Any]) -> None:
    sender.clear_profile(ctx, partner_session)


@then("roamcert's CPO received a DELETE with an absolute response URL")
def clear_request(case: Case) -> None:
    verify(case, "ocpi.chargingprofiles.sender_clear_request")


@then("the SUT takes the result POSTed to that URL with status code 1000 and no data")
def result_taken(case: Case) -> None:
    verify(case, "ocpi.chargingprofiles.sender_result_ack", "ocpi.status.expected")


@when("roamcert's CPO PUTs a changed ActiveChargingProfile of that Session to the SUT")
def cpo_pushes(ctx: Context, partner_session: dict[str, Any]) -> None:
    sender.push_active_profile(ctx, partner_session)


@then("the SUT takes the ActiveChargingProfile with status code 1000 and no data")
def active_taken(case: Case) -> None:
    verify(case, "ocpi.chargingprofiles.sender_active_profile_ack", "ocpi.status.expected")
