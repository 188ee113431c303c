"""The engine's own view of the OCPI objects it prices, parsed once and validated (see parse.py)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from conformance.tariffs.money import Money

__all__ = ["DAYS", "ChargingPeriod", "Dimension", "PriceComponent", "Tariff", "TariffElement",
           "TariffRestrictions", "Usage"]

DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")  # index = date.weekday()


class Dimension(enum.StrEnum):
    """TariffDimensionType."""

    ENERGY = "ENERGY"
    FLAT = "FLAT"
    PARKING_TIME = "PARKING_TIME"
    TIME = "TIME"


@dataclass(frozen=True)
class PriceComponent:
    index: int
    type: Dimension
    price: Decimal  # per kWh, per hour, or per fee; excl. VAT
    vat: Decimal | None  # percentage; None: no VAT given
    step_size: int  # Wh for ENERGY, seconds for TIME and PARKING_TIME, ignored for FLAT


@dataclass(frozen=True)
class TariffRestrictions:
    """TariffRestrictions with times of day in seconds after local midnight.

    ``window`` is (start, end) with end in (0, 86400]; end < start means it wraps past midnight.
    None means no time-of-day restriction (also for start_time equal to end_time: a whole day).
    """

    window: tuple[int, int] | None = None
    start_date: date | None = None
    end_date: date | None = None
    min_kwh: Decimal | None = None
    max_kwh: Decimal | None = None
    min_current: Decimal | None = None
    max_current: Decimal | None = None
    min_power: Decimal | None = None
    max_power: Decimal | None = None
    min_duration: Decimal | None = None
    max_duration: Decimal | None = None
    day_of_week: frozenset[int] = frozenset()
    reservation: str | None = None  # RESERVATION or RESERVATION_EXPIRES
    boundaries: tuple[int, ...] = ()  # the times of day it names, for splitting periods

    @property
    def wraps(self) -> bool:
        return self.window is not None and self.window[1] < self.window[0]


@dataclass(frozen=True)
class TariffElement:
    index: int
    price_components: tuple[PriceComponent, ...]
    restrictions: TariffRestrictions | None

    def component(self, dimension: Dimension) -> PriceComponent | None:
        """The element's (first) price component of ``dimension``."""
        for component in self.price_components:
            if component.type is dimension:
                return component
        return None


@dataclass(frozen=True)
class Tariff:
    id: str
    currency: str
    elements: tuple[TariffElement, ...]
    min_price: Money | None = None
    max_price: Money | None = None
    start_date_time: Decimal | None = None
    end_date_time: Decimal | None = None
    path: str = "tariffs[0]"

    @property
    def restrictions(self) -> list[TariffRestrictions]:
        return [e.restrictions for e in self.elements if e.restrictions is not None]


@dataclass(frozen=True)
class ChargingPeriod:
    index: int
    start: Decimal
    end: Decimal
    tariff_id: str | None
    volumes: Mapping[str, Decimal]  # CdrDimensionType -> volume, as given
    path: str

    @property
    def duration(self) -> Decimal:
        return self.end - self.start


@dataclass(frozen=True)
class Usage:
    """What is priced: a CDR, or a Session (in progress or finished)."""

    kind: str  # "cdr" or "session"
    start: Decimal
    end: Decimal
    currency: str
    periods: tuple[ChargingPeriod, ...]
    tariffs: tuple[Tariff, ...] = ()  # the CDR's own `tariffs`
    credit: bool = False
    notes: tuple[str, ...] = field(default=())
