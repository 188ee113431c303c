"""step_size rounding (mod_cdrs_step_size, mod_tariffs_pricecomponent_class).

The spec's reading: step_size applies once per session to the total of ENERGY, and once to TIME and
PARKING_TIME combined: to the total parking time when parking is billed, else to the total charging
time. The step_size is that of the last price component billed in that total, and the amount rounding
adds is billed in the last line. Reservation time is rounded on its own. Switches select per-dimension,
per-period or no rounding.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from conformance.tariffs.decimals import ZERO, ceil_to_step
from conformance.tariffs.lines import Draft
from conformance.tariffs.model import Dimension
from conformance.tariffs.switches import Switches

__all__ = ["apply_steps"]

_THOUSAND = Decimal(1000)


def _step(draft: Draft) -> Decimal:
    """The step in the draft's own unit: kWh for ENERGY (step_size in Wh), seconds for time."""
    size = Decimal(draft.component.step_size)
    return size / _THOUSAND if draft.dimension is Dimension.ENERGY else size


def _round(group: Sequence[Draft], what: str, notes: list[str]) -> None:
    if not group:
        return
    last = group[-1]
    if last.component.step_size == 0:
        notes.append(f"tariff {last.tariff_id} element {last.element_index}: {last.dimension} step_size 0; "
                     "billed as measured")
        return
    total = sum((d.quantity for d in group), ZERO)
    billed = ceil_to_step(total, _step(last))
    extra = billed - total
    if extra == 0:
        return
    last.billed += extra
    unit = "Wh" if last.dimension is Dimension.ENERGY else "s"
    last.step_note = (f"{what} {last.describe_quantity(total)} rounded up to {last.describe_quantity(billed)} by "
                      f"step_size {last.component.step_size} {unit} of this component; "
                      f"+{last.describe_quantity(extra)} billed here")


def apply_steps(drafts: Sequence[Draft], switches: Switches, notes: list[str]) -> None:
    """Round the drafts' billed quantities in place."""
    if switches.step_size_ignored:
        return
    if switches.step_size_per_period:
        for draft in drafts:
            if draft.dimension is not Dimension.FLAT:
                _round([draft], "quantity", notes)
        return

    def of(dimension: Dimension, reservation: bool = False) -> list[Draft]:
        return [d for d in drafts if d.dimension is dimension and d.reservation is reservation]

    energy, time, parking = of(Dimension.ENERGY), of(Dimension.TIME), of(Dimension.PARKING_TIME)
    reserved = of(Dimension.TIME, reservation=True)
    _round(energy, "session ENERGY total", notes)
    if switches.step_size_per_dimension:
        _round(time, "session TIME total", notes)
        _round(parking, "session PARKING_TIME total", notes)
    elif parking:
        _round(parking, "session PARKING_TIME total (TIME is not rounded when parking is billed)", notes)
    else:
        _round(time, "session TIME total", notes)
    _round(reserved, "reservation TIME total", notes)
