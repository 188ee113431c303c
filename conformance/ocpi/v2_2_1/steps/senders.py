"""Steps for a CPO as Sender of Sessions, CDRs and Tariffs, and the references between them."""

from __future__ import annotations

from typing import Any

from pytest_bdd import given, parsers, then, when

from conformance.core.case import Case
from conformance.ocpi.context import Context
from conformance.ocpi.v2_2_1.flows import senders as flows
from conformance.ocpi.v2_2_1.steps.verify import verify

# Locations have their own steps (steps/locations.py) with the same wording.
KIND = "(?P<kind>Sessions|CDRs|Tariffs)"


when(parsers.re(rf"roamcert pulls the CPO's {KIND} page by page"))(flows.pull_pages)


@then(parsers.re(rf"every page is a valid paginated list of {KIND}"))
def pages_valid(case: Case, kind: str) -> None:
    verify(case, "ocpi.pagination.headers", "ocpi.pagination.link_next", "ocpi.schema.data", "ocpi.envelope.shape")


@then(parsers.re(rf"the pages together hold X-Total-Count distinct {KIND}"))
def totals(case: Case, kind: str) -> None:
    verify(case, "ocpi.pagination.traversal")


given(parsers.re(rf"roamcert knows the CPO's full list of {KIND}"), target_fixture="full_list")(flows.known)


@when(parsers.re(rf"roamcert pulls (?P<limit>\d+) {KIND} from offset (?P<offset>\d+)"),
      converters={"limit": int, "offset": int})
def window(ctx: Context, full_list: flows.Pulled, kind: str, limit: int, offset: int) -> None:
    flows.windows(ctx, full_list, offset, limit)


@then(parsers.re(rf"the page holds the {KIND} at positions \d+ to \d+ of the full list"))
def window_ok(case: Case, kind: str) -> None:
    verify(case, "ocpi.pagination.offset", "ocpi.pagination.limit")


@when(parsers.re(rf"roamcert pulls {KIND} with date_from and date_to filters"))
def date_filters(ctx: Context, full_list: flows.Pulled, kind: str) -> None:
    flows.date_filters(ctx, full_list)


@then(parsers.re(rf"only {KIND} last updated inside each window are returned"))
def date_ok(case: Case, kind: str) -> None:
    verify(case, "ocpi.pagination.date_filter", "ocpi.pagination.link_filters")


# -- Sessions ---------------------------------------------------------------------------------------------

@then("every Session's status agrees with its end")
def session_status_ok(case: Case) -> None:
    verify(case, "ocpi.sessions.status_rules")


@then("every Session's charging periods are in time order and none starts after the Session ended")
def session_periods_ok(case: Case) -> None:
    verify(case, "ocpi.sessions.charging_periods")


@when("roamcert checks where each of the CPO's Sessions takes place")
def session_places(ctx: Context, full_locations: list[Any]) -> None:
    flows.session_locations(ctx, full_locations)


@then("every Session names a Location, EVSE and Connector the CPO serves")
def session_places_ok(case: Case) -> None:
    verify(case, "ocpi.sessions.location_refs")


# -- CDRs -------------------------------------------------------------------------------------------------

@then("every CDR's totals agree with its charging periods, its start and its end")
def cdr_totals_ok(case: Case) -> None:
    verify(case, "ocpi.cdrs.totals_consistent")


@then("no CDR's charging period carries a dimension only Sessions may use")
def cdr_dimensions_ok(case: Case) -> None:
    verify(case, "ocpi.cdrs.dimensions")


@then("no two of the CPO's CDRs share an id")
def cdr_ids_ok(ctx: Context) -> None:
    flows.cdr_ids(ctx)
    verify(ctx.case, "ocpi.cdrs.unique_ids")


@when("roamcert matches each of the CPO's CDRs to its Session")
def cdr_sessions(ctx: Context, full_list: flows.Pulled) -> None:
    flows.cdr_sessions(ctx, full_list)


@then("every CDR names a served Session, started with the same token at the same Connector")
def cdr_sessions_ok(case: Case) -> None:
    verify(case, "ocpi.cdrs.session_link")


@when("roamcert checks where each of the CPO's CDRs took place")
def cdr_places(ctx: Context, full_locations: list[Any]) -> None:
    flows.cdr_locations(ctx, full_locations)


@then("every CDR at a served Location names an EVSE and a Connector of that Location")
def cdr_places_ok(case: Case) -> None:
    verify(case, "ocpi.cdrs.location_refs")


when("roamcert pulls the CPO's CDRs and looks up the CDR each Credit CDR credits")(flows.credits)


@then("every Credit CDR credits a served CDR, repeating its data with the negative of its total cost")
def credits_ok(case: Case) -> None:
    verify(case, "ocpi.cdrs.credit")


# -- Tariffs ----------------------------------------------------------------------------------------------

@then("every Tariff's validity ends after it starts and its min_price is not above its max_price")
def tariffs_ok(case: Case) -> None:
    verify(case, "ocpi.tariffs.consistent")


@when("roamcert looks up every Tariff the CPO's Connectors name")
def tariff_references(ctx: Context, full_locations: list[Any]) -> None:
    flows.tariff_references(ctx, full_locations)


@then("each of those Tariffs is served by the CPO's Tariffs Sender")
def tariff_references_ok(case: Case) -> None:
    verify(case, "ocpi.tariffs.connector_refs")
