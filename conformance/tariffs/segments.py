"""How much energy, charging, parking and reservation time lies in (part of) a charging period.

A period's time comes from its timestamps (it ends where the next one starts) and is divided into
reservation, parking and charging time by its RESERVATION_TIME, PARKING_TIME and TIME volumes; a volume
that agrees with the timestamps within its own precision is taken as exact. Inside a period, every
quantity is spread evenly over the period's time (interpretation "uniform"), or, with the switch
``charging_before_parking``, reservation comes first, then charging with all the energy, then parking.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from conformance.tariffs.decimals import ONE, ZERO, fmt
from conformance.tariffs.errors import TariffError
from conformance.tariffs.model import ChargingPeriod
from conformance.tariffs.switches import Switches

__all__ = ["Amounts", "Profile", "period_amounts"]

_TIMES = ("RESERVATION_TIME", "PARKING_TIME", "TIME")
_MIN_TOLERANCE = Decimal(1)  # seconds
_MAX_TOLERANCE = Decimal(36)  # seconds: one unit of a volume given to 2 decimals of an hour


@dataclass(frozen=True)
class Amounts:
    energy: Decimal = ZERO  # kWh
    charging: Decimal = ZERO  # seconds
    parking: Decimal = ZERO  # seconds
    reservation: Decimal = ZERO  # seconds

    def __add__(self, other: Amounts) -> Amounts:
        return Amounts(self.energy + other.energy, self.charging + other.charging, self.parking + other.parking,
                       self.reservation + other.reservation)

    @property
    def reservation_only(self) -> bool:
        return self.reservation > 0 and self.charging == 0 and self.parking == 0 and self.energy == 0


def _tolerance(volume_hours: Decimal) -> Decimal:
    """Seconds within which a volume agrees with the timestamps: one unit of its last decimal, 1 s to 36 s."""
    exponent = volume_hours.as_tuple().exponent
    unit = Decimal(1).scaleb(exponent) * 3600 if isinstance(exponent, int) else ZERO
    return min(max(unit, _MIN_TOLERANCE), _MAX_TOLERANCE)


def period_amounts(period: ChargingPeriod, switches: Switches, notes: list[str]) -> Amounts:
    """The period's energy and its time divided into charging, parking and reservation (seconds)."""
    for kind in _TIMES:
        if period.volumes.get(kind, ZERO) < 0:
            raise TariffError(f"{period.path}.dimensions", f"{kind} volume {period.volumes[kind]} is negative")
    energy = period.volumes.get("ENERGY", ZERO)
    given = {kind: period.volumes[kind] * 3600 for kind in _TIMES if kind in period.volumes}
    if switches.time_from_dimensions:
        return Amounts(energy, given.get("TIME", ZERO), given.get("PARKING_TIME", ZERO),
                       given.get("RESERVATION_TIME", ZERO))
    duration = period.duration
    if not given:
        return Amounts(energy, charging=duration)
    total = sum(given.values(), ZERO)
    tolerance = sum((_tolerance(period.volumes[k]) for k in given), ZERO)
    stated = " + ".join(k for k in _TIMES if k in given)
    if abs(total - duration) <= tolerance:
        absorber = next(k for k in ("TIME", "PARKING_TIME", "RESERVATION_TIME") if k in given)
        given[absorber] = max(duration - (total - given[absorber]), ZERO)
    elif total < duration and "TIME" not in given:
        given["TIME"] = duration - total  # the time not declared as parking or reservation is charging
    elif total < duration:
        notes.append(f"{period.path}: {stated} = {fmt(total / 3600, 4)} h but the period lasts "
                     f"{fmt(duration / 3600, 4)} h by its timestamps; the other {fmt((duration - total) / 3600, 4)} h "
                     "is billed as neither charging nor parking")
    else:
        notes.append(f"{period.path}: {stated} = {fmt(total / 3600, 4)} h but the period lasts only "
                     f"{fmt(duration / 3600, 4)} h by its timestamps; the stated volumes are billed")
    return Amounts(energy, given.get("TIME", ZERO), given.get("PARKING_TIME", ZERO),
                   given.get("RESERVATION_TIME", ZERO))


@dataclass(frozen=True)
class _Block:
    start: Decimal  # seconds after the period's start
    length: Decimal
    amount: Decimal

    def within(self, x: Decimal, y: Decimal, last: bool) -> Decimal:
        if self.amount == 0:
            return ZERO
        if self.length == 0:
            inside = x <= self.start < y or (last and self.start == y)
            return self.amount if inside else ZERO
        overlap = min(y, self.start + self.length) - max(x, self.start)
        return self.amount * overlap / self.length if overlap > 0 else ZERO

    def until(self, u: Decimal) -> Decimal:
        if self.length == 0:
            return self.amount if u > self.start else ZERO
        share = min(max((u - self.start) / self.length, ZERO), ONE)
        return self.amount * share


class Profile:
    """Where each quantity of one charging period lies in time (offsets in seconds from its start)."""

    def __init__(self, duration: Decimal, amounts: Amounts, *, charging_before_parking: bool) -> None:
        self.duration = duration
        if charging_before_parking:
            total = amounts.reservation + amounts.charging + amounts.parking
            scale = duration / total if total > duration else ONE
            reservation = amounts.reservation * scale
            charging = amounts.charging * scale
            self.reservation = _Block(ZERO, reservation, amounts.reservation)
            self.charging = _Block(reservation, charging, amounts.charging)
            self.parking = _Block(reservation + charging, amounts.parking * scale, amounts.parking)
            self.energy = _Block(reservation, charging, amounts.energy) if charging > 0 else \
                _Block(ZERO, duration, amounts.energy)
        else:
            self.reservation = _Block(ZERO, duration, amounts.reservation)
            self.charging = _Block(ZERO, duration, amounts.charging)
            self.parking = _Block(ZERO, duration, amounts.parking)
            self.energy = _Block(ZERO, duration, amounts.energy)

    def amounts(self, x: Decimal, y: Decimal) -> Amounts:
        """What lies in [x, y); the last part of the period also takes what happens at its very end."""
        last = y >= self.duration
        return Amounts(self.energy.within(x, y, last), self.charging.within(x, y, last),
                       self.parking.within(x, y, last), self.reservation.within(x, y, last))

    def energy_until(self, u: Decimal) -> Decimal:
        return self.energy.until(u)

    def energy_crossing(self, needed: Decimal) -> Decimal | None:
        """The offset at which the period's energy reaches ``needed`` kWh, when it does so strictly inside."""
        block = self.energy
        if block.amount == 0 or block.length == 0:
            return None
        share = needed / block.amount
        if 0 < share < 1:
            return block.start + share * block.length
        return None
