"""Steps forcing pagination on any Sender list: small pages, one huge page, invalid pagination parameters, and the
bounds of the date filters."""

from __future__ import annotations

from pytest_bdd import parsers, then, when

from conformance.core.case import Case
from conformance.ocpi.context import Context
from conformance.ocpi.v2_2_1.flows import paging as flows
from conformance.ocpi.v2_2_1.steps.verify import verify

KIND = "(?P<kind>Locations|Sessions|CDRs|Tariffs|Tokens)"


@when(parsers.re(rf"roamcert follows the {KIND} in pages of one or two objects"))
def small_pages(ctx: Context, kind: str) -> None:
    flows.follow_small_pages(ctx, kind)


@then("every page but the last links to the next page on the published endpoint, and the last page gives no Link")
def small_pages_linked(case: Case) -> None:
    verify(case, "ocpi.pagination.link_next", "ocpi.pagination.link_followable", "ocpi.pagination.link_query",
           "ocpi.pagination.link_last", "ocpi.pagination.limit")


@then(parsers.re(rf"the small pages hold the {KIND} X-Total-Count counts from the offset they start at"))
def small_pages_counted(case: Case, kind: str) -> None:
    verify(case, "ocpi.pagination.traversal")


@when(parsers.re(rf"roamcert asks for 10000 {KIND} in one page"))
def huge_page(ctx: Context, kind: str) -> None:
    flows.ask_huge_page(ctx, kind)


@then("X-Limit states the most objects the SUT returns in one page")
def huge_page_ok(case: Case) -> None:
    verify(case, "ocpi.pagination.x_limit", "ocpi.pagination.limit")


@when(parsers.re(rf"roamcert asks for {KIND} with a negative limit, then with an offset that is not a number"))
def invalid_window(ctx: Context, kind: str) -> None:
    flows.invalid_window(ctx, kind)


@when(parsers.re(rf"roamcert asks for {KIND} with a date_from, then a date_to, that is not a DateTime"))
def invalid_dates(ctx: Context, kind: str) -> None:
    flows.invalid_dates(ctx, kind)


@then("each is answered in the OCPI format, without an HTTP error status")
def invalid_ok(case: Case) -> None:
    verify(case, "ocpi.pagination.invalid_params")


@then("the object last updated exactly at date_from is returned, and left out when that moment is date_to")
def bounds_ok(case: Case) -> None:
    verify(case, "ocpi.pagination.date_bounds")
