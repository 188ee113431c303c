"""Steps for charging preferences (Sessions module): a CPO under test takes a driver's preferences from roamcert's
eMSP."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from conformance.core.case import Case
from conformance.ocpi.context import Context
from conformance.ocpi.v2_2_1.flows import preferences as flows
from conformance.ocpi.v2_2_1.flows.ongoing import Ongoing
from conformance.ocpi.v2_2_1.steps.verify import verify

given("an ongoing Session of one of roamcert's Tokens at an EVSE that takes charging preferences",
      target_fixture="preferring")(flows.capable_session)

given("an ongoing Session of one of roamcert's Tokens at an EVSE that does not take charging preferences",
      target_fixture="preferring")(flows.incapable_session)


@when("roamcert sends REGULAR charging preferences with a departure time and an energy need")
def regular(ctx: Context, preferring: Ongoing) -> None:
    flows.regular_preferences(ctx, preferring)


@then("the CPO answers with a ChargingPreferencesResponse")
def answered(case: Case) -> None:
    verify(case, "ocpi.sessions.preferences_answer", "ocpi.schema.data")


@when("roamcert sends charging preferences of every profile type")
def every_type(ctx: Context, preferring: Ongoing) -> None:
    flows.profile_types(ctx, preferring)


@then("the CPO accepts only profile types the Connector offers a Tariff for")
def tariff_backed(case: Case) -> None:
    verify(case, "ocpi.sessions.preferences_tariff", "ocpi.sessions.preferences_answer")


@when("roamcert sends charging preferences with an unknown profile type")
def invalid(ctx: Context, preferring: Ongoing) -> None:
    flows.invalid_preferences(ctx, preferring)


@then(parsers.parse("the CPO refuses the charging preferences with status code {code:d}"))
def invalid_refused(case: Case, code: int) -> None:
    verify(case, "ocpi.sessions.preferences_invalid", "ocpi.status.expected")


when("roamcert sends charging preferences for a Session the CPO does not know")(flows.unknown_session)


@then("the CPO does not take the charging preferences")
def unknown_refused(case: Case) -> None:
    verify(case, "ocpi.sessions.preferences_unknown_session", "ocpi.status.unknown_object")


@when("roamcert sends REGULAR charging preferences for that Session")
def not_capable(ctx: Context, preferring: Ongoing) -> None:
    flows.not_capable(ctx, preferring)


@then(parsers.parse("the CPO answers HTTP 404 with status code {code:d}"))
def not_capable_answered(case: Case, code: int) -> None:
    verify(case, "ocpi.sessions.preferences_not_capable")
