"""Plain-text rendering of a pricing: aligned tables a person can audit line by line."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from conformance.tariffs.decimals import CONTEXT, fmt, minor_unit
from conformance.tariffs.lines import hms
from conformance.tariffs.money import Money
from conformance.tariffs.result import ComponentLine, PeriodLine, Pricing

__all__ = ["TOTALS", "amount", "line_cells", "money_cells", "quantity", "table"]

_SHOWN = 6  # decimals shown; an amount with more is marked with "~"

# (CDR field, Pricing attribute, what it holds)
TOTALS = (
    ("total_cost", "total_cost", "money"),
    ("total_fixed_cost", "total_fixed_cost", "money"),
    ("total_energy_cost", "total_energy_cost", "money"),
    ("total_time_cost", "total_time_cost", "money"),
    ("total_parking_cost", "total_parking_time_cost", "money"),
    ("total_reservation_cost", "total_reservation_cost", "money"),
    ("total_energy", "total_energy", "kWh"),
    ("total_time", "total_time", "h"),
    ("total_parking_time", "total_parking_time", "h"),
)


def amount(value: Decimal | None, places: int = 0) -> str:
    """``value`` with at least ``places`` decimals and at most 6; "~" marks a value cut short."""
    if value is None:
        return "unknown"
    shown = value.quantize(Decimal(1).scaleb(-_SHOWN), context=CONTEXT)
    if shown != value:
        return fmt(shown) + "~"
    text = fmt(value)
    decimals = len(text.partition(".")[2])
    if decimals < places:
        text = fmt(value, places)
    return text


def quantity(value: Decimal, unit: str, *, hours: bool = False) -> str:
    if unit == "h":
        return f"{amount(value)} h ({hms(value * 3600)})" if hours else hms(value * 3600)
    if unit == "kWh":
        return f"{amount(value)} kWh"
    return amount(value)


def money_cells(money: Money, places: int = 2) -> list[str]:
    return [amount(money.excl_vat, places), amount(money.incl_vat, places)]


def _price(line: ComponentLine, places: int) -> str:
    per = {"kWh": "/kWh", "h": "/h", "fee": ""}[line.unit]
    return f"{amount(line.price, places)}{per}"


def line_cells(line: ComponentLine, places: int = 2) -> list[str]:
    vat = "-" if line.vat is None else f"{amount(line.vat)}%"
    return [line.dimension + (" (reservation)" if line.category == "reservation" else ""),
            f"{line.tariff_id}#{line.element_index}", line.restriction, quantity(line.quantity, line.unit),
            quantity(line.billed_quantity, line.unit), _price(line, places), vat, *money_cells(line.cost, places)]


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    out = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip(),
           "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(out)


def _period_cells(period: PeriodLine) -> list[str]:
    return [period.label, period.start, period.local_start, period.tariff_id or "(none)"]


def explain(pricing: Pricing) -> str:
    places = minor_unit(pricing.currency)
    switches = pricing.switches.names_on()
    out = [f"Pricing in {pricing.currency}, local time {pricing.time_zone}"
           + (" (credit CDR)" if pricing.credit else ""),
           "switches: " + (", ".join(switches) if switches else "none (the spec's reading)"), ""]
    headers = ["period", "start (UTC)", "local start", "tariff", "dimension", "tariff#element", "restriction",
               "quantity", "billed", "price", "VAT", "excl. VAT", "incl. VAT"]
    rows: list[list[str]] = []
    footnotes: list[str] = []
    for period in pricing.periods:
        head = _period_cells(period)
        if period.split_at:
            footnotes.append(f"period {period.label} starts here because of: {period.split_at}")
        if not period.components:
            why = "no tariff" if period.tariff_id is None else "nothing billed"
            rows.append([*head, f"({why})", "", "", "", "", "", "", "", ""])
        for i, line in enumerate(period.components):
            cells = line_cells(line, places)
            if line.step_note:
                footnotes.append(f"period {period.label} {line.dimension}: {line.step_note}")
            rows.append([*(head if i == 0 else ["", "", "", ""]), *cells])
    out.append(table(headers, rows))
    if footnotes:
        out += ["", *footnotes]
    out += ["", "quantities per period:"]
    out.append(table(["period", "end (UTC)", "energy", "charging", "parking", "reservation", "period cost excl.",
                      "incl."],
                     [[p.label, p.end, quantity(p.energy, "kWh"), quantity(p.charging_time, "h"),
                       quantity(p.parking_time, "h"), quantity(p.reservation_time, "h"), *money_cells(p.cost, places)]
                      for p in pricing.periods]))
    if pricing.adjustments:
        out += ["", "price limits:"]
        for adjustment in pricing.adjustments:
            out.append(f"  tariff {adjustment.tariff_id} {adjustment.kind}: {adjustment.before.text()} -> "
                       f"{adjustment.after.text()}")
    out += ["", "totals:"]
    total_rows: list[list[str]] = []
    for field, attribute, kind in TOTALS:
        value = getattr(pricing, attribute)
        if kind == "money":
            total_rows.append([field, *money_cells(value, places)])
        else:
            total_rows.append([field, quantity(value, kind, hours=True), ""])
    out.append(table(["total", "excl. VAT (or quantity)", "incl. VAT"], total_rows))
    if pricing.notes:
        out += ["", "notes:", *(f"  - {n}" for n in pricing.notes)]
    return "\n".join(out)
