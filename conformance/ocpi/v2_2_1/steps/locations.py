"""Steps for the Locations module."""

from __future__ import annotations

from typing import Any

from pytest_bdd import given, parsers, then, when

from conformance.core.case import Case
from conformance.ocpi.context import Context
from conformance.ocpi.v2_2_1.flows import locations as flows
from conformance.ocpi.v2_2_1.steps.verify import verify

when("roamcert pulls all Locations, following every next Link")(flows.sender_traverse)


@then("every page is a valid paginated list of Locations")
def pages_valid(case: Case) -> None:
    verify(case, "ocpi.pagination.headers", "ocpi.pagination.link_next", "ocpi.schema.data",
           "ocpi.locations.last_updated_tree", "ocpi.envelope.shape")


@then("the pages together hold X-Total-Count distinct Locations")
def totals(case: Case) -> None:
    verify(case, "ocpi.pagination.traversal")


@given("roamcert knows the CPO's full list of Locations", target_fixture="full_locations")
def full_list(ctx: Context) -> list[Any]:
    return flows.SenderPull(ctx).traverse()[0]


@when(parsers.parse("roamcert pulls {limit:d} Locations from offset {offset:d}"))
def window(ctx: Context, full_locations: list[Any], limit: int, offset: int) -> None:
    flows.sender_window(ctx, full_locations, offset, limit)


@then(parsers.parse("the page holds the Locations at positions {first:d} to {last:d} of the full list"))
def window_ok(case: Case, first: int, last: int) -> None:
    verify(case, "ocpi.pagination.offset", "ocpi.pagination.limit")


@when("roamcert pulls Locations with date_from and date_to filters")
def date_filters(ctx: Context, full_locations: list[Any]) -> None:
    flows.sender_date_filters(ctx, full_locations)


@then("only Locations last updated inside each window are returned")
def date_ok(case: Case) -> None:
    verify(case, "ocpi.pagination.date_filter", "ocpi.pagination.link_filters")


@when("roamcert gets one Location, one of its EVSEs and one of its Connectors by id")
def objects(ctx: Context, full_locations: list[Any]) -> None:
    flows.sender_objects(ctx, full_locations)


@then("each answer is the object asked for")
def objects_ok(case: Case) -> None:
    verify(case, "ocpi.locations.sender_object", "ocpi.schema.data")


@when("roamcert gets a Location, an EVSE and a Connector that do not exist")
def unknown(ctx: Context, full_locations: list[Any]) -> None:
    flows.sender_unknown(ctx, full_locations)


@then("the CPO reports each as unknown")
@then(parsers.re("the (?:eMSP|NSP) reports it as unknown"))
def unknown_ok(case: Case) -> None:
    verify(case, "ocpi.status.unknown_object", "ocpi.status.not_found_http")


when("roamcert pushes a complete Location")(flows.push_location)

given("roamcert has pushed a complete Location", target_fixture="pushed_location")(flows.push_location)


@then(parsers.re("the (?:eMSP|NSP) returns the (?:Location|EVSE) as pushed"))
def stored_ok(case: Case) -> None:
    verify(case, "ocpi.locations.receiver_stored")


@when("roamcert pushes a new EVSE into it")
def push_evse(ctx: Context, pushed_location: dict[str, Any]) -> None:
    flows.receiver_put_children(ctx, pushed_location)


@then("the Location's last_updated has moved forward")
def parent_ok(case: Case) -> None:
    verify(case, "ocpi.locations.receiver_parent_last_updated")


@when("roamcert patches an EVSE's status and a Connector")
def patch(ctx: Context, pushed_location: dict[str, Any]) -> None:
    flows.receiver_patch(ctx, pushed_location)


@then("the patches are applied and the parents' last_updated moved forward")
def patch_ok(case: Case) -> None:
    verify(case, "ocpi.locations.receiver_stored", "ocpi.locations.receiver_parent_last_updated")


when("roamcert pushes a Location lacking required fields")(flows.receiver_invalid)


@then(parsers.re(r"the (?:eMSP|NSP) refuses it with status code (?P<code>\d+) and does not store it"),
      converters={"code": int})
def invalid_ok(case: Case, code: int) -> None:
    verify(case, "ocpi.status.expected", "ocpi.locations.receiver_invalid_not_stored")


when("roamcert gets a Location it never pushed")(flows.receiver_unknown)
