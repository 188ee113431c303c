"""CDR flows: recompute every CDR a CPO serves from its own tariffs (mod_cdrs, mod_tariffs)."""

from __future__ import annotations

from conformance.ocpi.context import Context
from conformance.ocpi.v2_2_1.checks import cdrs as cd
from conformance.ocpi.v2_2_1.checks.cdrs import PriceBook
from conformance.ocpi.v2_2_1.flows.pull import SenderPull

__all__ = ["PriceBook", "check_prices", "price_book"]


def price_book(ctx: Context) -> PriceBook:
    book = PriceBook()
    tariffs = SenderPull(ctx, module="tariffs", schema="Tariff").traverse()[0]
    book.tariffs = {str(t.get("id", "")).casefold(): t for t in tariffs if isinstance(t, dict)}
    locations = SenderPull(ctx).traverse()[0]
    book.time_zones = {str(loc.get("id", "")).casefold(): str(loc["time_zone"]) for loc in locations
                       if isinstance(loc, dict) and isinstance(loc.get("time_zone"), str)}
    return book


def check_prices(ctx: Context, book: PriceBook) -> None:
    pull = SenderPull(ctx, module="cdrs", schema="CDR")
    cdrs, pages, complete = pull.traverse()
    pull.conclude_traversal(pages, complete)
    switches = ctx.harness.target.tariff_switches()
    prices = cd.CdrPrices(tuple(cdrs), book, switches, tuple(p.id for p in pages))
    ctx.case.evaluate(cd.price, prices)
    ctx.case.evaluate(cd.period_per_price_change, prices)
