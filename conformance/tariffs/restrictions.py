"""Whether a Tariff Element's restrictions hold at one moment of a session, and why.

All restrictions of an element must hold (logical AND). Times and dates are the location's local ones.
Current and power are those the charging period reports; energy and duration are the session's so far.
The reservation restriction is the business of selection.py, which decides which elements may price
reservation time at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from conformance.tariffs.decimals import fmt
from conformance.tariffs.model import DAYS, TariffRestrictions
from conformance.tariffs.switches import Switches

__all__ = ["Moment", "Readings", "describe", "holds"]


@dataclass(frozen=True)
class Readings:
    """What a charging period reports about current (A) and power (kW); None when it does not."""

    min_current: Decimal | None = None
    max_current: Decimal | None = None
    current: Decimal | None = None
    min_power: Decimal | None = None
    max_power: Decimal | None = None
    power: Decimal | None = None
    average_power: Decimal | None = None  # the period's energy over its charging time


@dataclass(frozen=True)
class Moment:
    """The state of the session at the moment a restriction is evaluated."""

    local: datetime  # local wall time
    elapsed: Decimal  # seconds since the session started
    energy: Decimal  # kWh charged since the session started
    readings: Readings


def _time_of_day(moment: datetime) -> int:
    """Microseconds after local midnight."""
    return ((moment.hour * 60 + moment.minute) * 60 + moment.second) * 1_000_000 + moment.microsecond


def _in_window(window: tuple[int, int], tod: int) -> bool:
    start, end = window[0] * 1_000_000, window[1] * 1_000_000
    if start < end:
        return start <= tod < end
    return tod >= start or tod < end  # wraps past midnight


def _day(restrictions: TariffRestrictions, moment: datetime, switches: Switches) -> date:
    """The local date the day_of_week and date restrictions are read for."""
    day = moment.date()
    window = restrictions.window
    if switches.day_of_window_start and window is not None and restrictions.wraps \
            and _time_of_day(moment) < window[1] * 1_000_000:
        return day - timedelta(days=1)
    return day


def _reading(readings: Readings, kind: str, switches: Switches) -> tuple[Decimal | None, str]:
    """The value a current/power restriction (``kind`` = min_current, ...) is checked against, and its source."""
    quantity = kind.split("_")[1]  # current or power
    if switches.average_current_power:
        if quantity == "current":
            if readings.current is not None:
                return readings.current, "CURRENT"
            if readings.min_current is not None and readings.max_current is not None:
                return (readings.min_current + readings.max_current) / 2, "mean of MIN_CURRENT and MAX_CURRENT"
            return None, "CURRENT"
        if readings.power is not None:
            return readings.power, "POWER"
        return readings.average_power, "energy / charging time"
    extreme = kind.split("_")[0].upper()  # MIN or MAX
    own = getattr(readings, f"{extreme.lower()}_{quantity}")
    if own is not None:
        return own, f"{extreme}_{quantity.upper()}"
    average = getattr(readings, quantity)
    if average is not None:
        return average, quantity.upper()
    if quantity == "power" and readings.average_power is not None:
        return readings.average_power, "energy / charging time"
    return None, f"{extreme}_{quantity.upper()}"


_LIMITS = ("min_current", "max_current", "min_power", "max_power")


def holds(restrictions: TariffRestrictions, moment: Moment, switches: Switches,
          missing: list[str] | None = None) -> bool:
    """True when every restriction holds at ``moment``; names of unreported readings go to ``missing``."""
    r = restrictions
    if r.window is not None and not _in_window(r.window, _time_of_day(moment.local)):
        return False
    if r.day_of_week or r.start_date or r.end_date:
        day = _day(r, moment.local, switches)
        if r.day_of_week and day.weekday() not in r.day_of_week:
            return False
        if r.start_date is not None and day < r.start_date:
            return False
        if r.end_date is not None and day >= r.end_date:
            return False
    if r.min_kwh is not None and moment.energy < r.min_kwh:
        return False
    if r.max_kwh is not None and moment.energy >= r.max_kwh:
        return False
    if r.min_duration is not None and moment.elapsed < r.min_duration:
        return False
    if r.max_duration is not None and moment.elapsed >= r.max_duration:
        return False
    for kind in _LIMITS:
        limit = getattr(r, kind)
        if limit is None:
            continue
        value, source = _reading(moment.readings, kind, switches)
        if value is None:
            if missing is not None:
                missing.append(f"{kind} needs {source}")
            if not switches.missing_dimension_matches:
                return False
            continue
        if kind.startswith("min") and value < limit:
            return False
        if kind.startswith("max") and value >= limit:
            return False
    return True


def _num(value: Decimal) -> str:
    """A reading for people: at most 3 decimals, no trailing zeros."""
    return fmt(value.quantize(Decimal("0.001")))


def _hhmm(seconds: int) -> str:
    return f"{seconds // 3600 % 24:02d}:{seconds % 3600 // 60:02d}"


def describe(restrictions: TariffRestrictions | None, moment: Moment, switches: Switches) -> str:
    """The element's restrictions with the values they were checked against, for the explanation."""
    if restrictions is None:
        return "no restrictions"
    r = restrictions
    parts: list[str] = []
    if r.reservation:
        parts.append(f"reservation {r.reservation}")
    if r.window is not None:
        parts.append(f"{_hhmm(r.window[0])}-{_hhmm(r.window[1])} (local {moment.local.strftime('%H:%M:%S')})")
    if r.day_of_week or r.start_date or r.end_date:
        day = _day(r, moment.local, switches)
        if r.day_of_week:
            names = ",".join(DAYS[d][:3] for d in sorted(r.day_of_week))
            parts.append(f"day_of_week {names} ({DAYS[day.weekday()][:3]})")
        if r.start_date or r.end_date:
            parts.append(f"dates {r.start_date or '...'} to {r.end_date or '...'} ({day.isoformat()})")
    if r.min_kwh is not None or r.max_kwh is not None:
        parts.append(f"kWh [{fmt(r.min_kwh) if r.min_kwh is not None else '0'}, "
                     f"{fmt(r.max_kwh) if r.max_kwh is not None else 'inf'}) (at {_num(moment.energy)} kWh)")
    if r.min_duration is not None or r.max_duration is not None:
        parts.append(f"duration [{fmt(r.min_duration) if r.min_duration is not None else '0'}, "
                     f"{fmt(r.max_duration) if r.max_duration is not None else 'inf'}) s "
                     f"(at {fmt(moment.elapsed, 0)} s)")
    for kind in _LIMITS:
        limit = getattr(r, kind)
        if limit is not None:
            value, source = _reading(moment.readings, kind, switches)
            seen = "not reported" if value is None else _num(value)
            parts.append(f"{kind} {fmt(limit)} ({source} {seen})")
    return "; ".join(parts) if parts else "no restrictions"
