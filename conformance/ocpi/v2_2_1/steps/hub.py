"""Steps for a Hub under test: roamcert's platforms register with it and talk through it."""

from __future__ import annotations

from pytest_bdd import given, then, when

from conformance.core.case import Case
from conformance.ocpi.context import Context
from conformance.ocpi.hub_side import HubSide
from conformance.ocpi.v2_2_1.flows import hub as flows
from conformance.ocpi.v2_2_1.steps.verify import verify

_FORWARDING = ("ocpi.hub.forwarded_routing_headers", "ocpi.hub.request_id_renewed", "ocpi.hub.correlation_id_kept")


@given("roamcert's platforms are registered with the Hub", target_fixture="hub_side")
def registered(ctx: Context) -> HubSide:
    return flows.ensure_hub_side(ctx)


when("each of roamcert's platforms reads the Hub's credentials")(flows.read_credentials)


@then("the Hub reports itself as role HUB only")
def hub_only(case: Case) -> None:
    verify(case, "ocpi.hub.credentials_role", "ocpi.routing.configuration_modules")


@when("EMSP-1 pushes a Token to CPO-1 through the Hub")
def emsp1_to_cpo1(ctx: Context) -> None:
    flows.directed_push(ctx, "emsp1", "EMSP", "cpo1", "CPO")


@when("EMSP-1 pushes a Token to CPO-2 on the platform holding two parties")
def emsp1_to_cpo2(ctx: Context) -> None:
    flows.directed_push(ctx, "emsp1", "EMSP", "dual", "CPO")


@when("CPO-1 pushes a Location to EMSP-2 on the platform holding two parties")
def cpo1_to_emsp2(ctx: Context) -> None:
    flows.directed_push(ctx, "cpo1", "CPO", "dual", "EMSP")


@when("CPO-2 pushes a Location to EMSP-1 through the Hub")
def cpo2_to_emsp1(ctx: Context) -> None:
    flows.directed_push(ctx, "dual", "CPO", "emsp1", "EMSP")


when("EMSP-1 GETs one Location of CPO-2 through the Hub")(flows.directed_get)
when("EMSP-1 GETs a Location CPO-1 does not have through the Hub")(flows.error_relayed)


@then("only the addressed party receives the request, unchanged, with its routing headers and ids")
def delivered(case: Case) -> None:
    verify(case, "ocpi.hub.delivered_to_addressee", *_FORWARDING)


@then("the sender gets the receiver's error as it was given")
def error_relayed(case: Case) -> None:
    verify(case, "ocpi.hub.answer_relayed", "ocpi.hub.delivered_to_addressee")


@then("the sender gets the receiver's answer as it was given")
def relayed(case: Case) -> None:
    verify(case, "ocpi.hub.answer_relayed")


when("CPO-1 pushes a Location with the Hub in the OCPI-to headers")(flows.broadcast_from_cpo)
when("EMSP-1 pushes a Token with the Hub in the OCPI-to headers")(flows.broadcast_from_emsp)


@then("every party of the opposite roles receives it from the Hub, and nobody else")
def broadcast(case: Case) -> None:
    verify(case, "ocpi.hub.broadcast_reach", *_FORWARDING)


when("CPO-1 posts a CDR for EMSP-2 without OCPI-to headers")(flows.open_routing_cdr)


@then("only the party the CDR's token names receives it")
def open_routed(case: Case) -> None:
    verify(case, "ocpi.hub.open_routing", "ocpi.hub.answer_relayed", *_FORWARDING)


when("EMSP-1 GETs all Locations with the Hub in the OCPI-to headers, following the Hub's Links")(flows.get_all)


@then("the Hub returns every Location of both CPOs once, paginated at the Hub")
def got_all(case: Case) -> None:
    verify(case, "ocpi.hub.get_all", "ocpi.hub.get_all_paginated")


when("EMSP-1 GETs CPO-1's Locations list through the Hub, following the Hub's Links")(flows.relayed_list)


@then("each next-page Link points at the Hub")
def link_at_hub(case: Case) -> None:
    verify(case, "ocpi.hub.link_rewritten")


when("EMSP-1 pushes a Token to a party no one registered")(flows.unknown_receiver)


@then("the Hub answers 4001 and forwards nothing")
def answered_4001(case: Case) -> None:
    verify(case, "ocpi.hub.unknown_receiver")


when("EMSP-1 pushes a Token to the NSP, whose platform has no Tokens Receiver")(flows.interface_not_offered)


@then("the Hub answers with a Hub error code and forwards nothing")
def answered_4xxx(case: Case) -> None:
    verify(case, "ocpi.hub.error_family")


when("the NSP stops answering and CPO-1 pushes a Location to it twice")(flows.not_connected)


@then("the Hub answers the second push 4003 and forwards nothing")
def answered_4003(case: Case) -> None:
    verify(case, "ocpi.hub.not_connected")


when("the NSP stops answering, is pushed a Location, and later calls the Hub again")(flows.client_info_on_offline)


@then("the Hub pushes the NSP's ClientInfo to roamcert's other platforms: OFFLINE, then CONNECTED")
def pushed(case: Case) -> None:
    verify(case, "ocpi.hub.client_info_pushed", "ocpi.routing.configuration_modules")


when("EMSP-1 GETs the Hub's ClientInfo list")(flows.client_info_list)


@then("every party of roamcert's other platforms is listed CONNECTED")
def listed(case: Case) -> None:
    verify(case, "ocpi.hub.client_info_list")


when("EMSP-1 calls the Hub with its own token but names EMSP-2 in its OCPI-from headers")(flows.foreign_sender)


@then("the Hub refuses the request and forwards nothing")
def refused(case: Case) -> None:
    verify(case, "ocpi.hub.sender_verified")


