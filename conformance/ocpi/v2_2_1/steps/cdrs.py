"""Steps for CDRs and their prices."""

from __future__ import annotations

from pytest_bdd import given, then, when

from conformance.core.case import Case
from conformance.ocpi.context import Context
from conformance.ocpi.v2_2_1.flows import cdrs as flows
from conformance.ocpi.v2_2_1.steps.verify import verify

given(
    "roamcert knows the CPO's Tariffs and the time zones of its Locations", target_fixture="price_book",
)(flows.price_book)


@when("roamcert pulls all CDRs, following every next Link")
def pull_cdrs(ctx: Context, price_book: flows.PriceBook) -> None:
    flows.check_prices(ctx, price_book)


@then("every CDR's costs equal roamcert's recomputation from those Tariffs")
def prices_ok(case: Case) -> None:
    verify(case, "ocpi.cdrs.price")


@then("every CDR starts a new charging period wherever its price changes by the clock")
def periods_ok(case: Case) -> None:
    verify(case, "ocpi.cdrs.period_per_price_change")
