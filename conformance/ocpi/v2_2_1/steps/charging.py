"""Steps for a whole charge: a Token at a CPO's charger, the Session, EVSE status and CDR it leads to; and a charge
by roamcert's CPO as an eMSP under test sees it."""

from __future__ import annotations

import dataclasses
from typing import Any

from pytest_bdd import given, parsers, then, when

from conformance.core.case import Case
from conformance.ocpi.context import Context
from conformance.ocpi.v2_2_1.flows import charging as flows
from conformance.ocpi.v2_2_1.steps.verify import verify

# -- a CPO under test: the Token


@given(parsers.re(r"roamcert has pushed a valid Token with whitelist (?P<whitelist>ALWAYS|NEVER|ALLOWED_OFFLINE)$"),
       target_fixture="charge_token")
def valid_token(ctx: Context, whitelist: str) -> flows.ChargeToken:
    return flows.push_token(ctx, whitelist)


@given("roamcert has pushed a Token that is not valid, with whitelist ALLOWED", target_fixture="charge_token")
def invalid_token(ctx: Context) -> flows.ChargeToken:
    return flows.push_token(ctx, "INVALID")


@given("roamcert has pushed a valid Token with whitelist NEVER, which roamcert's eMSP has since blocked",
       target_fixture="charge_token")
def blocked_token(ctx: Context) -> flows.ChargeToken:
    return flows.push_token(ctx, "BLOCKED")


@given("roamcert has pushed a Token that is not valid, with whitelist NEVER, which roamcert's eMSP has since "
       "allowed again", target_fixture="charge_token")
def invalid_never_token(ctx: Context) -> flows.ChargeToken:
    return flows.push_token(ctx, "INVALID_NEVER")


@given("roamcert's eMSP gives no response to real-time authorization requests while the driver presents it",
       target_fixture="charge_token")
def emsp_offline(charge_token: flows.ChargeToken) -> flows.ChargeToken:
    return dataclasses.replace(charge_token, offline=True)


@when("the driver presents the Token at a free EVSE of the CPO", target_fixture="charge")
def present(ctx: Context, charge_token: flows.ChargeToken) -> flows.Charge:
    return flows.present(ctx, charge_token, "token")


@then("the charge starts on the whitelist, without a real-time authorization request")
def whitelisted(case: Case) -> None:
    verify(case, "ocpi.tokens.charge_whitelisted")


@then("the CPO asks roamcert's eMSP in real time about the Token before the charge starts")
def asked(case: Case) -> None:
    verify(case, "ocpi.tokens.charge_real_time")


@then("the request names the Location and the EVSE where the Token is presented")
def location_named(case: Case) -> None:
    verify(case, "ocpi.tokens.charge_location_named")


@then("the Session carries auth_method AUTH_REQUEST and the authorization reference roamcert's eMSP gave")
def session_reference(case: Case) -> None:
    verify(case, "ocpi.tokens.charge_reference")


@then("no charging session starts for the Token")
def not_charged(case: Case) -> None:
    verify(case, "ocpi.tokens.charge_invalid_refused")


@then("the CPO asks roamcert's eMSP in real time and, answered BLOCKED, starts no charging session")
def refused_in_real_time(case: Case) -> None:
    verify(case, "ocpi.tokens.charge_refused_in_real_time")


@then("the CPO still asks roamcert's eMSP in real time about the Token and, answered ALLOWED, lets it charge")
def invalid_asked(case: Case) -> None:
    verify(case, "ocpi.tokens.charge_invalid_asked")


@then("the CPO asks roamcert's eMSP in real time about the Token before the charge starts, as roamcert's eMSP answers")
def allowed_offline_asked(case: Case) -> None:
    verify(case, "ocpi.tokens.charge_allowed_offline_asked")


@then("the charge starts on the whitelist, its Session with auth_method WHITELIST, though roamcert's eMSP gave no "
      "response")
def allowed_offline_charged(case: Case) -> None:
    verify(case, "ocpi.tokens.charge_allowed_offline_unanswered")


# -- a CPO under test: the charge as it runs


@when("the driver starts charging with the Token at a free EVSE of the CPO", target_fixture="charge")
def start(ctx: Context, charge_token: flows.ChargeToken) -> flows.Charge:
    return flows.present(ctx, charge_token, "session")


@given("the driver has charged with the Token for a while at a free EVSE of the CPO", target_fixture="charge")
def charged(ctx: Context, charge_token: flows.ChargeToken) -> flows.Charge:
    charge = flows.present(ctx, charge_token, "cdr")
    flows.time_passes(ctx, charge)
    return charge


when("time passes at the charger")(flows.time_passes)

when("the driver ends the charge")(flows.end)


@then("the CPO pushes the new Session to roamcert by PUT, for that Token at that EVSE")
def session_pushed(case: Case) -> None:
    verify(case, "ocpi.sessions.charge_pushed")


@then("the CPO updates the Session as it runs and PATCHes it COMPLETED when it ends")
def session_updated(case: Case) -> None:
    verify(case, "ocpi.sessions.charge_updated")


@then("the CPO pushes the EVSE's status as the charge starts and as it ends")
def evse_status(case: Case) -> None:
    # the must (a CPO that pushes its Locations) is judged only when the CPO pushes Locations to roamcert
    verify(case, "ocpi.locations.charge_evse_status", "ocpi.locations.evse_status_pushed")


@then("the Session's start_date_time is the moment it went ACTIVE")
def start_time(case: Case) -> None:
    verify(case, "ocpi.sessions.charge_start_time")


@then("its PATCHes only add charging periods after those pushed before")
def periods_appended(case: Case) -> None:
    verify(case, "ocpi.sessions.charge_periods_appended")


@then("the CPO posts a CDR with the Session's energy and authorization")
def cdr_posted(case: Case) -> None:
    verify(case, "ocpi.cdrs.charge_cdr")


@then("the CDR names its Session, with the same Token and Connector")
def cdr_linked(case: Case) -> None:
    verify(case, "ocpi.cdrs.session_link")


@then("the CDR and the Session carry the authorization reference roamcert's eMSP gave")
def cdr_reference(case: Case) -> None:
    verify(case, "ocpi.tokens.charge_reference")


@then("the CDR's costs are those the CPO's Tariffs give")
def cdr_priced(case: Case) -> None:
    verify(case, "ocpi.cdrs.price")


# -- an eMSP under test


@when("a driver charges at roamcert's charger with one of the eMSP's valid Tokens, authorized in real time")
def live_charge(ctx: Context, known_tokens: list[dict[str, Any]]) -> None:
    flows.live_charge(ctx, known_tokens)


@then("the eMSP acknowledged every push of the charge with status code 1000")
def acknowledged(case: Case) -> None:
    verify(case, "ocpi.status.expected")


@then("the eMSP returns the Session and the CDR as roamcert's CPO last pushed them")
def kept(case: Case) -> None:
    verify(case, "ocpi.sessions.emsp_charge_kept")


@then("both carry the authorization reference the eMSP gave")
def linked(case: Case) -> None:
    verify(case, "ocpi.tokens.emsp_reference_linked")
