"""Cost lines while they are built: quantity, step rounding, then price and VAT."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from conformance.tariffs.decimals import ZERO
from conformance.tariffs.model import Dimension, PriceComponent
from conformance.tariffs.money import Money
from conformance.tariffs.result import ComponentLine
from conformance.tariffs.switches import Switches

__all__ = ["Draft", "hms"]

_HUNDRED = Decimal(100)
_HOUR = Decimal(3600)
_MILLI = Decimal("0.001")
_CATEGORY = {Dimension.FLAT: "fixed", Dimension.ENERGY: "energy", Dimension.TIME: "time",
             Dimension.PARKING_TIME: "parking"}


def hms(seconds: Decimal) -> str:
    """Seconds as [-]h:mm:ss (fractions of a second shown when present)."""
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds).quantize(_MILLI)
    whole = int(seconds)
    fraction = seconds - whole
    text = f"{sign}{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
    if fraction:
        text += f"{fraction:f}"[1:].rstrip("0").rstrip(".")
    return text


@dataclass
class Draft:
    """A cost line in the making. Quantities in kWh (ENERGY), seconds (TIME, PARKING_TIME) or 1 (FLAT)."""

    period: int
    part: int
    reservation: bool
    tariff_id: str
    element_index: int
    component: PriceComponent
    restriction: str
    quantity: Decimal
    billed: Decimal
    step_note: str | None = None

    @property
    def dimension(self) -> Dimension:
        return self.component.type

    @property
    def category(self) -> str:
        return "reservation" if self.reservation else _CATEGORY[self.dimension]

    def describe_quantity(self, value: Decimal) -> str:
        if self.dimension is Dimension.ENERGY:
            return f"{value.normalize():f} kWh"
        if self.dimension is Dimension.FLAT:
            return "1 fee"
        return hms(value)

    def excl_vat(self) -> Decimal:
        """Price times billed quantity (multiplied before dividing seconds into hours, to stay exact)."""
        price = self.component.price
        if self.dimension is Dimension.FLAT:
            return price
        if self.dimension is Dimension.ENERGY:
            return price * self.billed
        return price * self.billed / _HOUR

    def cost(self, switches: Switches, places: int) -> Money:
        excl = self.excl_vat()
        vat = self.component.vat
        if vat is None and switches.absent_vat_is_zero:
            vat = ZERO
        incl = None if vat is None else excl * (_HUNDRED + vat) / _HUNDRED
        if excl == 0:
            incl = ZERO  # nothing to add VAT to, whatever the rate
        money = Money(excl, incl)
        return money.rounded(places) if switches.round_each_line else money

    def line(self, cost: Money) -> ComponentLine:
        time_based = self.dimension in (Dimension.TIME, Dimension.PARKING_TIME)
        return ComponentLine(
            dimension=self.dimension.value,
            category=self.category,
            tariff_id=self.tariff_id,
            element_index=self.element_index,
            component_index=self.component.index,
            restriction=self.restriction,
            quantity=self.quantity / 3600 if time_based else self.quantity,
            billed_quantity=self.billed / 3600 if time_based else self.billed,
            unit="h" if time_based else "kWh" if self.dimension is Dimension.ENERGY else "fee",
            step_size=self.component.step_size,
            step_note=self.step_note,
            price=self.component.price,
            vat=self.component.vat,
            cost=cost,
        )
