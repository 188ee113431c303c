"""Instants and local time.

An instant is a Decimal number of seconds since 1970-01-01T00:00:00Z, exact to any fraction, so a
charging period can be split at the very moment a kWh threshold is crossed. Restrictions are read in the
location's local time, which this module finds, DST transitions included.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import ROUND_FLOOR, Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from conformance.tariffs.errors import TariffError

__all__ = ["format_instant", "local", "offset_changes", "parse_datetime", "to_datetime", "wall_instants", "zone"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_STAMP = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
_SAMPLE = 3 * 3600  # DST transitions are months apart; sampling every 3 hours cannot miss one


def parse_datetime(value: Any, path: str) -> Decimal:
    """An OCPI DateTime (RFC 3339, UTC when no offset is given) as an instant."""
    if not isinstance(value, str):
        raise TariffError(path, f"expected an RFC 3339 timestamp string, got {value!r}")
    match = _STAMP.match(value.strip())
    if not match:
        raise TariffError(path, f"not an RFC 3339 timestamp: {value!r}")
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    offset = match.group(8)
    try:
        moment = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError as exc:
        raise TariffError(path, f"not a valid date and time: {value!r} ({exc})") from None
    if offset and offset != "Z":
        sign = -1 if offset[0] == "-" else 1
        moment -= sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6]))
    fraction = Decimal(match.group(7)) if match.group(7) else Decimal(0)
    return Decimal(int((moment - _EPOCH).total_seconds())) + fraction


def to_datetime(instant: Decimal) -> datetime:
    """The instant as an aware UTC datetime, floored to the microsecond."""
    seconds = int(instant.to_integral_value(rounding=ROUND_FLOOR))
    micros = int(((instant - seconds) * 1_000_000).to_integral_value(rounding=ROUND_FLOOR))
    return _EPOCH + timedelta(seconds=seconds, microseconds=micros)


def format_instant(instant: Decimal) -> str:
    moment = to_datetime(instant)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond:06d}".rstrip("0")
    return text + "Z"


def zone(name: str) -> tzinfo:
    """The IANA time zone ``name`` (TariffError naming ``time_zone`` when unknown)."""
    if not isinstance(name, str) or not name:
        raise TariffError("time_zone", f"expected an IANA time zone name, got {name!r}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        if name.upper() in ("UTC", "Z", "ETC/UTC"):
            return UTC
        raise TariffError("time_zone", f"unknown IANA time zone {name!r}") from None


def local(instant: Decimal, tz: tzinfo) -> datetime:
    return to_datetime(instant).astimezone(tz)


def _from_datetime(moment: datetime) -> Decimal:
    delta = moment.astimezone(UTC) - _EPOCH
    return Decimal(delta.days * 86400 + delta.seconds) + Decimal(delta.microseconds) / 1_000_000


def offset_changes(tz: tzinfo, start: Decimal, end: Decimal) -> list[Decimal]:
    """Instants in (start, end) at which the zone's UTC offset changes (DST transitions)."""
    found: list[Decimal] = []
    first = int(start.to_integral_value(rounding=ROUND_FLOOR))
    last = int(end.to_integral_value(rounding=ROUND_FLOOR)) + 1
    previous = first
    previous_offset = _offset(tz, previous)
    probe = first
    while probe < last:
        probe = min(probe + _SAMPLE, last)
        offset = _offset(tz, probe)
        if offset != previous_offset:
            low, high = previous, probe  # offset(low) is the old one, offset(high) the new one
            while high - low > 1:
                middle = (low + high) // 2
                if _offset(tz, middle) == previous_offset:
                    low = middle
                else:
                    high = middle
            if start < high < end:
                found.append(Decimal(high))
            previous_offset = offset
        previous = probe
    return found


def _offset(tz: tzinfo, seconds: int) -> timedelta | None:
    return (_EPOCH + timedelta(seconds=seconds)).astimezone(tz).utcoffset()


def wall_instants(tz: tzinfo, start: Decimal, end: Decimal, times_of_day: Iterable[int]) -> dict[Decimal, str]:
    """Every instant in (start, end) at which the local wall clock shows one of ``times_of_day``
    (seconds after local midnight), both times when a DST fold repeats it."""
    times = sorted(set(times_of_day))
    found: dict[Decimal, str] = {}
    if not times:
        return found
    day = local(start, tz).date() - timedelta(days=1)
    last_day = local(end, tz).date() + timedelta(days=1)
    while day <= last_day:
        for seconds in times:
            wall = datetime.combine(day, time(seconds // 3600, seconds % 3600 // 60, seconds % 60))
            for fold in (0, 1):
                instant = _from_datetime(wall.replace(tzinfo=tz, fold=fold))
                if start < instant < end:
                    found.setdefault(instant, f"local time {_hhmm(seconds)} on {_day(day)}")
        day += timedelta(days=1)
    return found


def _hhmm(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def _day(day: date) -> str:
    return f"{day.isoformat()} ({day.strftime('%a')})"
