"""CDR flows: recompute every CDR a CPO serves from its own tariffs (mod_cdrs, mod_tariffs)."""

from __future__ import annotations

from conformance.core.case import Case
from conformance.ocpi.harness import Connection, Harness
from conformance.ocpi.v2_2_1.checks import cdrs as cd
from conformance.ocpi.v2_2_1.checks.cdrs import PriceBook
from conformance.ocpi.v2_2_1.flows.pull import SenderPull

__all__ = ["PriceBook", "check_prices", "price_book"]


def price_book(harness: Harness, case: Case, conn: Connection) -> PriceBook:
    book = PriceBook()
    tariffs = SenderPull(harness, case, conn, module="tariffs", schema="Tariff").traverse()[0]
    book.tariffs = {str(t.get("id", "")).casefold(): t for t in tariffs if isinstance(t, dict)}
    locations = SenderPull(harness, case, conn).traverse()[0]
    book.time_zones = {str(loc.get("id", "")).casefold(): str(loc["time_zone"]) for loc in locations
                       if isinstance(loc, dict) and isinstance(loc.get("time_zone"), str)}
    return book


def check_prices(harness: Harness, case: Case, conn: Connection, book: PriceBook) -> None:
    pull = SenderPull(harness, case, conn, module="cdrs", schema="CDR")
    cdrs, pages, complete = pull.traverse()
    pull.conclude_traversal(pages, complete)
    switches = harness.target.tariff_switches()
    prices = cd.CdrPrices(tuple(cdrs), book, switches, tuple(p.id for p in pages))
    case.evaluate(cd.price, prices)
    case.evaluate(cd.period_per_price_change, prices)
