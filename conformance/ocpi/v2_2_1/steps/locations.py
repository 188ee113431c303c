"""Steps for the Locations module."""

from __future__ import annotations

from typing import Any

from pytest_bdd import given, parsers, then, when

from conformance.core.case import Case
from conformance.ocpi.harness import Connection, Harness
from conformance.ocpi.v2_2_1.flows import locations as flows
from conformance.ocpi.v2_2_1.steps.verify import verify


@when("roamcert pulls all Locations, following every next Link")
def pull_all(harness: Harness, case: Case, conn: Connection) -> None:
    flows.sender_traverse(harness, case, conn)


@then("every page is a valid paginated list of Locations")
def pages_valid(case: Case) -> None:
    verify(case, "ocpi.pagination.headers", "ocpi.pagination.link_next", "ocpi.schema.data",
           "ocpi.locations.last_updated_tree", "ocpi.envelope.shape")


@then("the pages together hold X-Total-Count distinct Locations")
def totals(case: Case) -> None:
    verify(case, "ocpi.pagination.traversal")


@given("roamcert knows the CPO's full list of Locations", target_fixture="full_locations")
def full_list(harness: Harness, case: Case, conn: Connection) -> list[Any]:
    return flows.SenderPull(harness, case, conn).traverse()[0]


@when(parsers.parse("roamcert pulls {limit:d} Locations from offset {offset:d}"))
def window(harness: Harness, case: Case, conn: Connection, full_locations: list[Any], limit: int,
           offset: int) -> None:
    flows.sender_window(harness, case, conn, full_locations, offset, limit)


@then(parsers.parse("the page holds the Locations at positions {first:d} to {last:d} of the full list"))
def window_ok(case: Case, first: int, last: int) -> None:
    verify(case, "ocpi.pagination.offset", "ocpi.pagination.limit")


@when("roamcert pulls Locations with date_from and date_to filters")
def date_filters(harness: Harness, case: Case, conn: Connection, full_locations: list[Any]) -> None:
    flows.sender_date_filters(harness, case, conn, full_locations)


@then("only Locations last updated inside each window are returned")
def date_ok(case: Case) -> None:
    verify(case, "ocpi.pagination.date_filter", "ocpi.pagination.link_filters")


@when("roamcert gets one Location, one of its EVSEs and one of its Connectors by id")
def objects(harness: Harness, case: Case, conn: Connection, full_locations: list[Any]) -> None:
    flows.sender_objects(harness, case, conn, full_locations)


@then("each answer is the object asked for")
def objects_ok(case: Case) -> None:
    verify(case, "ocpi.locations.sender_object", "ocpi.schema.data")


@when("roamcert gets a Location, an EVSE and a Connector that do not exist")
def unknown(harness: Harness, case: Case, conn: Connection, full_locations: list[Any]) -> None:
    flows.sender_unknown(harness, case, conn, full_locations)


@then("the CPO reports each as unknown")
@then("the eMSP reports it as unknown")
def unknown_ok(case: Case) -> None:
    verify(case, "ocpi.status.unknown_object", "ocpi.status.not_found_http")


@when("roamcert pushes a complete Location")
def push(harness: Harness, case: Case, conn: Connection, sut_role: str) -> None:
    flows.push_location(harness, case, conn, sut_role)


@given("roamcert has pushed a complete Location", target_fixture="pushed_location")
def pushed(harness: Harness, case: Case, conn: Connection, sut_role: str) -> dict[str, Any]:
    return flows.push_location(harness, case, conn, sut_role)


@then("the eMSP returns the Location as pushed")
@then("the eMSP returns the EVSE as pushed")
def stored_ok(case: Case) -> None:
    verify(case, "ocpi.locations.receiver_stored")


@when("roamcert pushes a new EVSE into it")
def push_evse(harness: Harness, case: Case, conn: Connection, sut_role: str, pushed_location: dict[str, Any]) -> None:
    flows.receiver_put_children(harness, case, conn, sut_role, pushed_location)


@then("the Location's last_updated has moved forward")
def parent_ok(case: Case) -> None:
    verify(case, "ocpi.locations.receiver_parent_last_updated")


@when("roamcert patches an EVSE's status and a Connector")
def patch(harness: Harness, case: Case, conn: Connection, sut_role: str, pushed_location: dict[str, Any]) -> None:
    flows.receiver_patch(harness, case, conn, sut_role, pushed_location)


@then("the patches are applied and the parents' last_updated moved forward")
def patch_ok(case: Case) -> None:
    verify(case, "ocpi.locations.receiver_stored", "ocpi.locations.receiver_parent_last_updated")


@then(parsers.parse("a PATCH without last_updated is refused with status code {code:d}"))
def patch_refused(case: Case, code: int) -> None:
    verify(case, "ocpi.status.expected")


@when("roamcert pushes a Location lacking required fields")
def push_invalid(harness: Harness, case: Case, conn: Connection, sut_role: str) -> None:
    flows.receiver_invalid(harness, case, conn, sut_role)


@then(parsers.parse("the eMSP refuses it with status code {code:d} and does not store it"))
def invalid_ok(case: Case, code: int) -> None:
    verify(case, "ocpi.status.expected", "ocpi.locations.receiver_invalid_not_stored")


@when("roamcert gets a Location it never pushed")
def unknown_pushed(harness: Harness, case: Case, conn: Connection, sut_role: str) -> None:
    flows.receiver_unknown(harness, case, conn, sut_role)
