"""The result of pricing: totals, every period with every cost line, and how each was arrived at."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from conformance.tariffs.decimals import fmt
from conformance.tariffs.money import Money
from conformance.tariffs.switches import Switches

__all__ = ["Adjustment", "ComponentLine", "PeriodChange", "PeriodLine", "Pricing"]


@dataclass(frozen=True)
class ComponentLine:
    """One price component billed in one (part of a) charging period."""

    dimension: str  # TariffDimensionType: FLAT, ENERGY, TIME, PARKING_TIME
    category: str  # the CDR total it adds to: fixed, energy, time, parking, reservation
    tariff_id: str
    element_index: int  # index in the tariff's elements
    component_index: int  # index in the element's price_components
    restriction: str  # the element's restrictions with the values they held for
    quantity: Decimal  # measured: kWh, hours, or 1 for FLAT
    billed_quantity: Decimal  # after step_size rounding
    unit: str  # "kWh", "h" or "fee"
    step_size: int
    step_note: str | None  # what step rounding did here, if anything
    price: Decimal  # per unit, excl. VAT
    vat: Decimal | None  # percent; None: not given
    cost: Money

    def to_dict(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension, "category": self.category, "tariff_id": self.tariff_id,
            "element_index": self.element_index, "component_index": self.component_index,
            "restriction": self.restriction, "quantity": fmt(self.quantity),
            "billed_quantity": fmt(self.billed_quantity), "unit": self.unit, "step_size": self.step_size,
            "step_note": self.step_note, "price": fmt(self.price),
            "vat": None if self.vat is None else fmt(self.vat), "cost": self.cost.to_dict(),
        }


@dataclass(frozen=True)
class PeriodLine:
    """A charging period, or one part of it when a restriction boundary falls inside it."""

    period: int  # index in charging_periods
    part: int  # 0 for the first (or only) part
    label: str  # "2" for charging_periods[2], "2a", "2b" for its parts
    start: str  # UTC, RFC 3339
    end: str
    local_start: str  # local wall time at the start, with its UTC offset
    tariff_id: str | None  # None: no tariff prices this period
    energy: Decimal  # kWh
    charging_time: Decimal  # hours
    parking_time: Decimal
    reservation_time: Decimal
    split_at: str | None  # why this part starts inside the period
    components: tuple[ComponentLine, ...]

    @property
    def cost(self) -> Money:
        total = Money.zero()
        for line in self.components:
            total += line.cost
        return total

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": self.period, "part": self.part, "label": self.label, "start": self.start, "end": self.end,
            "local_start": self.local_start, "tariff_id": self.tariff_id, "energy": fmt(self.energy),
            "charging_time": fmt(self.charging_time), "parking_time": fmt(self.parking_time),
            "reservation_time": fmt(self.reservation_time), "split_at": self.split_at,
            "components": [c.to_dict() for c in self.components], "cost": self.cost.to_dict(),
        }


@dataclass(frozen=True)
class Adjustment:
    """A change of a tariff's subtotal by its min_price or max_price."""

    tariff_id: str
    kind: str  # "min_price", "max_price" or both, comma-separated
    before: Money
    after: Money

    @property
    def amount(self) -> Money:
        return self.after - self.before

    def to_dict(self) -> dict[str, Any]:
        return {"tariff_id": self.tariff_id, "kind": self.kind, "before": self.before.to_dict(),
                "after": self.after.to_dict(), "amount": self.amount.to_dict()}


@dataclass(frozen=True)
class PeriodChange:
    """A moment inside a charging period at which the active price components change: the CPO should have
    started a new charging period there (mod_cdrs_charging_period)."""

    period: int  # index of the charging period
    offset: Decimal  # seconds after the period's start
    duration: Decimal  # seconds: the period's length
    reason: str | None  # what changed (a time of day, a day, kWh charged, ...), when known
    exact: bool = True  # False when found from energy spread over the period (a kWh threshold): an estimate

    @property
    def margin(self) -> Decimal:
        """Seconds to the nearer end of the period."""
        return min(self.offset, self.duration - self.offset)


@dataclass(frozen=True)
class Pricing:
    currency: str
    total_cost: Money
    total_fixed_cost: Money
    total_energy_cost: Money
    total_time_cost: Money
    total_parking_time_cost: Money
    total_reservation_cost: Money
    total_energy: Decimal  # kWh
    total_time: Decimal  # hours
    total_parking_time: Decimal  # hours
    periods: tuple[PeriodLine, ...]
    notes: tuple[str, ...]
    adjustments: tuple[Adjustment, ...] = ()
    credit: bool = False
    time_zone: str = "UTC"
    switches: Switches = field(default_factory=Switches)
    dimensions_present: frozenset[str] = frozenset()  # CdrDimensionTypes the charging periods carry
    changes: tuple[PeriodChange, ...] = ()  # price changes inside a charging period

    @property
    def lines(self) -> tuple[tuple[PeriodLine, ComponentLine], ...]:
        return tuple((period, line) for period in self.periods for line in period.components)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: every Decimal as a string in plain notation."""
        return {
            "currency": self.currency,
            "time_zone": self.time_zone,
            "credit": self.credit,
            "total_cost": self.total_cost.to_dict(),
            "total_fixed_cost": self.total_fixed_cost.to_dict(),
            "total_energy_cost": self.total_energy_cost.to_dict(),
            "total_time_cost": self.total_time_cost.to_dict(),
            "total_parking_time_cost": self.total_parking_time_cost.to_dict(),
            "total_reservation_cost": self.total_reservation_cost.to_dict(),
            "total_energy": fmt(self.total_energy),
            "total_time": fmt(self.total_time),
            "total_parking_time": fmt(self.total_parking_time),
            "periods": [p.to_dict() for p in self.periods],
            "adjustments": [a.to_dict() for a in self.adjustments],
            "notes": list(self.notes),
            "switches": list(self.switches.names_on()),
        }

    def explain(self) -> str:
        """A readable account of every period, component and total."""
        from conformance.tariffs.render import explain

        return explain(self)
