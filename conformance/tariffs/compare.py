"""A CDR's stated totals against roamcert's recomputation: discrepancies and a side-by-side table.

Tolerance policy. roamcert's amounts are exact (no rounding) unless a rounding switch is on. A CDR amount
agrees when it is within ``tolerance`` of roamcert's, inclusive: by default 0.01 of the currency unit,
one cent for the euro. A CPO that rounds its totals to the currency's minor unit stays within half of that,
and OCPI numbers carry 4 decimals, so one cent leaves room for legitimate rounding while any difference a
driver could see on an invoice is reported. (For a currency without minor unit, such as JPY, pass
``tolerance=Decimal(1)``.) A CPO that rounds every line before summing can drift further; price with the
switch ``round_each_line`` to compare like with like. Quantities agree within ``energy_tolerance``
(0.001 kWh: 1 Wh, the unit step_size counts energy in) and ``time_tolerance`` (0.001 h: 3.6 s, a time
stated to 3 decimals of an hour).

Which fields: total_cost, total_energy and total_time are required in a CDR and reported when missing;
total_fixed_cost, total_energy_cost, total_time_cost, total_parking_cost, total_reservation_cost and
total_parking_time are compared when the CDR gives them. incl_vat is compared when both sides have it.
total_energy is compared only when the charging periods carry ENERGY (otherwise it cannot be recomputed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Any

from conformance.tariffs.decimals import CONTEXT, minor_unit, number
from conformance.tariffs.errors import TariffError
from conformance.tariffs.money import Money
from conformance.tariffs.render import TOTALS, amount, line_cells, money_cells, quantity, table
from conformance.tariffs.result import Pricing

__all__ = ["Discrepancy", "breakdown_table", "compare"]

_SPEC = "mod_cdrs#mod_cdrs_cdr_object"
_REQUIRED = frozenset({"total_cost", "total_energy", "total_time"})
_CATEGORY = {"total_fixed_cost": "fixed", "total_energy_cost": "energy", "total_time_cost": "time",
             "total_parking_cost": "parking", "total_reservation_cost": "reservation"}


@dataclass(frozen=True)
class Discrepancy:
    """A CDR value that differs from roamcert's recomputation beyond the tolerance (or is missing)."""

    field: str  # CDR field, e.g. "total_cost.incl_vat", "total_energy"
    expected: Decimal | None  # roamcert's value
    actual: Decimal | None  # the CDR's value; None: the required field is missing
    difference: Decimal | None  # actual - expected
    tolerance: Decimal
    lines: tuple[str, ...]  # labels of roamcert's period lines behind `expected` (see breakdown_table)
    spec: str = _SPEC

    @property
    def message(self) -> str:
        where = f"; from roamcert's lines {', '.join(self.lines)}" if self.lines else ""
        if self.actual is None:
            return f"{self.field} is required but missing from the CDR; roamcert computes {amount(self.expected)}"
        return (f"{self.field}: the CDR says {amount(self.actual)}, roamcert computes {amount(self.expected)} "
                f"(difference {'+' if self.difference and self.difference > 0 else ''}{amount(self.difference)}, "
                f"tolerance {amount(self.tolerance)}){where}")

    def __str__(self) -> str:
        return self.message


def _price(cdr: Mapping[str, Any], field: str) -> Money | None:
    value = cdr.get(field)
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise TariffError(f"cdr.{field}", f"expected a Price object, got {value!r}")
    if value.get("excl_vat") is None:
        raise TariffError(f"cdr.{field}.excl_vat", "required field is missing")
    incl = value.get("incl_vat")
    return Money(number(value["excl_vat"], f"cdr.{field}.excl_vat"),
                 None if incl is None else number(incl, f"cdr.{field}.incl_vat"))


def _lines(pricing: Pricing, field: str) -> tuple[str, ...]:
    category = _CATEGORY.get(field)
    if field == "total_cost":
        return tuple(dict.fromkeys(p.label for p, _ in pricing.lines))
    if category is not None:
        return tuple(dict.fromkeys(p.label for p, line in pricing.lines if line.category == category))
    attribute = {"total_energy": "energy", "total_parking_time": "parking_time"}.get(field)
    if attribute is None:
        return ()
    return tuple(p.label for p in pricing.periods if getattr(p, attribute))


def compare(cdr: Mapping[str, Any], pricing: Pricing, *, tolerance: Decimal = Decimal("0.01"),
            energy_tolerance: Decimal = Decimal("0.001"), time_tolerance: Decimal = Decimal("0.001")
            ) -> list[Discrepancy]:
    """Where the CDR's totals differ from ``pricing`` (see the module's tolerance policy)."""
    if not isinstance(cdr, Mapping):
        raise TariffError("cdr", f"expected an object, got {type(cdr).__name__}")
    found: list[Discrepancy] = []
    with localcontext(CONTEXT):
        for field, attribute, kind in TOTALS:
            expected = getattr(pricing, attribute)
            lines = _lines(pricing, field)
            if kind == "money":
                actual = _price(cdr, field)
                if actual is None:
                    if field in _REQUIRED:
                        found.append(Discrepancy(f"{field}.excl_vat", expected.excl_vat, None, None, tolerance,
                                                 lines))
                    continue
                pairs = [("excl_vat", expected.excl_vat, actual.excl_vat),
                         ("incl_vat", expected.incl_vat, actual.incl_vat)]
                for part, mine, theirs in pairs:
                    if mine is None or theirs is None:
                        continue
                    if abs(theirs - mine) > tolerance:
                        found.append(Discrepancy(f"{field}.{part}", mine, theirs, theirs - mine, tolerance, lines))
                continue
            if field == "total_energy" and "ENERGY" not in pricing.dimensions_present:
                continue
            limit = energy_tolerance if kind == "kWh" else time_tolerance
            raw = cdr.get(field)
            if raw is None:
                if field in _REQUIRED:
                    found.append(Discrepancy(field, expected, None, None, limit, lines))
                continue
            stated = number(raw, f"cdr.{field}")
            if abs(stated - expected) > limit:
                found.append(Discrepancy(field, expected, stated, stated - expected, limit, lines))
    return found


def _cdr_periods(cdr: Mapping[str, Any] | None) -> list[Any]:
    periods = cdr.get("charging_periods") if isinstance(cdr, Mapping) else None
    return list(periods) if isinstance(periods, list) else []


def _dimensions(period: Any) -> str:
    if not isinstance(period, Mapping):
        return "?"
    parts = [f"{d.get('type')} {d.get('volume')}" for d in period.get("dimensions") or [] if isinstance(d, Mapping)]
    tariff = period.get("tariff_id")
    return ", ".join(parts) + (f" (tariff {tariff})" if tariff is not None else "")


def _stated(cdr: Mapping[str, Any], field: str, kind: str) -> list[str]:
    value = cdr.get(field)
    if value is None:
        return ["(absent)", ""]
    if kind == "money":
        if isinstance(value, Mapping):
            return [str(value.get("excl_vat")), "" if value.get("incl_vat") is None else str(value.get("incl_vat"))]
        return [repr(value), ""]
    return [str(value), ""]


def breakdown_table(pricing: Pricing, cdr: Mapping[str, Any] | None = None) -> str:
    """roamcert's per-period lines, beside what the CDR says for each period and its totals."""
    cdr_periods = _cdr_periods(cdr)
    places = minor_unit(pricing.currency)
    headers = ["period", "start (UTC)", "dimension", "tariff#element", "restriction", "quantity", "billed", "price",
               "VAT", "excl. VAT", "incl. VAT"]
    if cdr is not None:
        headers.append("CDR says for this period")
    rows: list[list[str]] = []
    shown: set[int] = set()
    for period in pricing.periods:
        said = ""
        if cdr is not None and period.period not in shown:
            shown.add(period.period)
            said = _dimensions(cdr_periods[period.period]) if period.period < len(cdr_periods) else "(no such period)"
        lines = period.components or ()
        if not lines:
            row = [period.label, period.start, "(nothing billed)", "", "", "", "", "", "", "", ""]
            rows.append([*row, said] if cdr is not None else row)
        for i, line in enumerate(lines):
            row = [period.label if i == 0 else "", period.start if i == 0 else "", *line_cells(line, places)]
            rows.append([*row, said if i == 0 else ""] if cdr is not None else row)
    out = [table(headers, rows), ""]
    total_headers = ["total", "roamcert excl. VAT", "roamcert incl. VAT"]
    if cdr is not None:
        total_headers += ["CDR excl. VAT", "CDR incl. VAT"]
    total_rows = []
    with localcontext(CONTEXT):
        for field, attribute, kind in TOTALS:
            value = getattr(pricing, attribute)
            mine = money_cells(value, places) if kind == "money" else [quantity(value, kind, hours=True), ""]
            total_rows.append([field, *mine, *(_stated(cdr, field, kind) if cdr is not None else [])])
    out.append(table(total_headers, total_rows))
    return "\n".join(out)
