"""Reading CDRs, Sessions and Tariffs into the engine's model, with a path in every error."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from conformance.tariffs.clock import format_instant, parse_datetime
from conformance.tariffs.decimals import ZERO, number
from conformance.tariffs.errors import TariffError
from conformance.tariffs.model import (
    DAYS,
    ChargingPeriod,
    Dimension,
    PriceComponent,
    Tariff,
    TariffElement,
    TariffRestrictions,
    Usage,
)
from conformance.tariffs.money import Money

__all__ = ["CDR_DIMENSIONS", "parse_cdr", "parse_session", "parse_tariff"]

CDR_DIMENSIONS = frozenset({
    "CURRENT", "ENERGY", "ENERGY_EXPORT", "ENERGY_IMPORT", "MAX_CURRENT", "MIN_CURRENT", "MAX_POWER", "MIN_POWER",
    "PARKING_TIME", "POWER", "RESERVATION_TIME", "STATE_OF_CHARGE", "TIME",
})
_TIME = re.compile(r"^([0-1][0-9]|2[0-3]):([0-5][0-9])$")
_DATE = re.compile(r"^([12][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
_RESERVATIONS = ("RESERVATION", "RESERVATION_EXPIRES")


# ----------------------------------------------------------------------------------------------- primitives

def _object(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise TariffError(path, f"expected an object, got {type(value).__name__}")
    return value


def _list(value: Any, path: str, *, required: bool = True, nonempty: bool = False) -> Sequence[Any]:
    if value is None and not required:
        return ()
    if value is None:
        raise TariffError(path, "required field is missing")
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise TariffError(path, f"expected a list, got {type(value).__name__}")
    if nonempty and not value:
        raise TariffError(path, "expected at least one entry, got an empty list")
    return value


def _string(data: Mapping[str, Any], key: str, path: str, *, required: bool = True) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            raise TariffError(f"{path}.{key}", "required field is missing")
        return None
    if not isinstance(value, str):
        raise TariffError(f"{path}.{key}", f"expected a string, got {value!r}")
    return value


def _number(data: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> Decimal | None:
    value = data.get(key)
    if value is None:
        if required:
            raise TariffError(f"{path}.{key}", "required field is missing")
        return None
    return number(value, f"{path}.{key}")


def _stamp(data: Mapping[str, Any], key: str, path: str, *, required: bool = True) -> Decimal | None:
    value = data.get(key)
    if value is None:
        if required:
            raise TariffError(f"{path}.{key}", "required field is missing")
        return None
    return parse_datetime(value, f"{path}.{key}")


def price(value: Any, path: str) -> Money:
    """A Price object: excl_vat required, incl_vat optional."""
    data = _object(value, path)
    excl = _number(data, "excl_vat", path, required=True)
    assert excl is not None
    return Money(excl, _number(data, "incl_vat", path))


# ----------------------------------------------------------------------------------------------- tariffs

def parse_tariff(value: Any, path: str) -> Tariff:
    data = _object(value, path)
    tariff_id = _string(data, "id", path)
    currency = _string(data, "currency", path)
    assert tariff_id is not None and currency is not None
    elements = _list(data.get("elements"), f"{path}.elements", nonempty=True)
    return Tariff(
        id=tariff_id,
        currency=currency,
        elements=tuple(_element(e, i, f"{path}.elements[{i}]") for i, e in enumerate(elements)),
        min_price=price(data["min_price"], f"{path}.min_price") if data.get("min_price") is not None else None,
        max_price=price(data["max_price"], f"{path}.max_price") if data.get("max_price") is not None else None,
        start_date_time=_stamp(data, "start_date_time", path, required=False),
        end_date_time=_stamp(data, "end_date_time", path, required=False),
        path=path,
    )


def _element(value: Any, index: int, path: str) -> TariffElement:
    data = _object(value, path)
    components = _list(data.get("price_components"), f"{path}.price_components", nonempty=True)
    restrictions = data.get("restrictions")
    return TariffElement(
        index=index,
        price_components=tuple(_component(c, i, f"{path}.price_components[{i}]") for i, c in enumerate(components)),
        restrictions=None if restrictions is None else _restrictions(restrictions, f"{path}.restrictions"),
    )


def _component(value: Any, index: int, path: str) -> PriceComponent:
    data = _object(value, path)
    kind = _string(data, "type", path)
    if kind is None or kind not in Dimension.__members__:
        raise TariffError(f"{path}.type", f"expected one of {', '.join(Dimension)}, got {kind!r}")
    amount = _number(data, "price", path, required=True)
    assert amount is not None
    step = _number(data, "step_size", path, required=True)
    assert step is not None
    if step != step.to_integral_value() or step < 0:
        raise TariffError(f"{path}.step_size", f"expected a non-negative integer, got {data['step_size']!r}")
    return PriceComponent(index=index, type=Dimension(kind), price=amount, vat=_number(data, "vat", path),
                          step_size=int(step))


def _time_of_day(data: Mapping[str, Any], key: str, path: str) -> int | None:
    value = _string(data, key, path, required=False)
    if value is None:
        return None
    match = _TIME.match(value)
    if not match:
        raise TariffError(f"{path}.{key}", f"expected HH:MM from 00:00 to 23:59, got {value!r}")
    return int(match.group(1)) * 3600 + int(match.group(2)) * 60


def _date(data: Mapping[str, Any], key: str, path: str) -> date | None:
    value = _string(data, key, path, required=False)
    if value is None:
        return None
    if not _DATE.match(value):
        raise TariffError(f"{path}.{key}", f"expected YYYY-MM-DD, got {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise TariffError(f"{path}.{key}", f"not a calendar date: {value!r}") from None


def _restrictions(value: Any, path: str) -> TariffRestrictions:
    data = _object(value, path)
    start = _time_of_day(data, "start_time", path)
    end = _time_of_day(data, "end_time", path)
    window: tuple[int, int] | None = None
    if start is not None or end is not None:
        low = start or 0
        high = end if end else 86400  # "00:00" as end_time: the end of the day
        window = None if low == high % 86400 or (low, high) == (0, 86400) else (low, high)
    days = _list(data.get("day_of_week"), f"{path}.day_of_week", required=False)
    for i, day in enumerate(days):
        if day not in DAYS:
            raise TariffError(f"{path}.day_of_week[{i}]", f"expected a DayOfWeek, got {day!r}")
    reservation = _string(data, "reservation", path, required=False)
    if reservation is not None and reservation not in _RESERVATIONS:
        raise TariffError(f"{path}.reservation", f"expected one of {', '.join(_RESERVATIONS)}, got {reservation!r}")
    return TariffRestrictions(
        window=window,
        start_date=_date(data, "start_date", path),
        end_date=_date(data, "end_date", path),
        min_kwh=_number(data, "min_kwh", path),
        max_kwh=_number(data, "max_kwh", path),
        min_current=_number(data, "min_current", path),
        max_current=_number(data, "max_current", path),
        min_power=_number(data, "min_power", path),
        max_power=_number(data, "max_power", path),
        min_duration=_number(data, "min_duration", path),
        max_duration=_number(data, "max_duration", path),
        day_of_week=frozenset(DAYS.index(d) for d in days),
        reservation=reservation,
        boundaries=tuple(sorted({t for t in (start, end) if t is not None})),
    )


# ----------------------------------------------------------------------------------------------- CDR, Session

def _periods(values: Sequence[Any], path: str, start: Decimal, end: Decimal, notes: list[str],
             *, dimensions_required: bool) -> tuple[ChargingPeriod, ...]:
    starts: list[Decimal] = []
    parsed: list[tuple[Decimal, str | None, dict[str, Decimal], str]] = []
    for i, value in enumerate(values):
        where = f"{path}[{i}]"
        data = _object(value, where)
        begin = _stamp(data, "start_date_time", where)
        assert begin is not None
        if starts and begin < starts[-1]:
            raise TariffError(f"{where}.start_date_time", f"{format_instant(begin)} is before the start of "
                              f"{path}[{i - 1}] ({format_instant(starts[-1])}); periods must be in time order")
        if begin > end:
            raise TariffError(f"{where}.start_date_time", f"{format_instant(begin)} is after the end of the "
                              f"session ({format_instant(end)})")
        if begin < start:
            notes.append(f"{where} starts at {format_instant(begin)}, before the session's start_date_time "
                         f"{format_instant(start)}")
        volumes: dict[str, Decimal] = {}
        dimensions = _list(data.get("dimensions"), f"{where}.dimensions", required=dimensions_required)
        for j, dim in enumerate(dimensions):
            dim_path = f"{where}.dimensions[{j}]"
            dim_data = _object(dim, dim_path)
            kind = _string(dim_data, "type", dim_path)
            assert kind is not None
            volume = _number(dim_data, "volume", dim_path, required=True)
            assert volume is not None
            if kind not in CDR_DIMENSIONS:
                notes.append(f"{dim_path}.type {kind!r} is not a CdrDimensionType; ignored")
                continue
            if kind in volumes:
                raise TariffError(f"{dim_path}.type", f"{kind} is given twice in one charging period")
            volumes[kind] = volume
        tariff_id = _string(data, "tariff_id", where, required=False)
        starts.append(begin)
        parsed.append((begin, tariff_id, volumes, where))
    if starts and starts[0] > start:
        notes.append(f"{path}[0] starts at {format_instant(starts[0])}, after the session's start "
                     f"{format_instant(start)}; the time between is in no charging period and is not priced")
    ends = [*starts[1:], end]
    return tuple(ChargingPeriod(index=i, start=b, end=e, tariff_id=t, volumes=v, path=w)
                 for i, ((b, t, v, w), e) in enumerate(zip(parsed, ends, strict=True)))


def parse_cdr(value: Any) -> Usage:
    data = _object(value, "cdr")
    start = _stamp(data, "start_date_time", "cdr")
    end = _stamp(data, "end_date_time", "cdr")
    assert start is not None and end is not None
    if end < start:
        raise TariffError("cdr.end_date_time", f"{format_instant(end)} is before start_date_time "
                          f"{format_instant(start)}")
    currency = _string(data, "currency", "cdr")
    assert currency is not None
    notes: list[str] = []
    periods = _periods(_list(data.get("charging_periods"), "cdr.charging_periods", nonempty=True),
                       "cdr.charging_periods", start, end, notes, dimensions_required=True)
    credit = data.get("credit")
    if credit is not None and not isinstance(credit, bool):
        raise TariffError("cdr.credit", f"expected true or false, got {credit!r}")
    if credit and not data.get("credit_reference_id"):
        notes.append("cdr.credit is true but credit_reference_id is missing (mod_cdrs_credit_cdrs requires it)")
    tariffs = _list(data.get("tariffs"), "cdr.tariffs", required=False)
    return Usage(kind="cdr", start=start, end=end, currency=currency, periods=periods,
                 tariffs=tuple(parse_tariff(t, f"cdr.tariffs[{i}]") for i, t in enumerate(tariffs)),
                 credit=bool(credit), notes=tuple(notes))


def parse_session(value: Any) -> Usage:
    data = _object(value, "session")
    start = _stamp(data, "start_date_time", "session")
    assert start is not None
    notes: list[str] = []
    end = _stamp(data, "end_date_time", "session", required=False)
    if end is None:
        end = _stamp(data, "last_updated", "session")
        assert end is not None
        notes.append(f"session in progress: priced as if it ended at its last_updated, {format_instant(end)}")
        if end < start:
            raise TariffError("session.last_updated", f"{format_instant(end)} is before start_date_time")
    elif end < start:
        raise TariffError("session.end_date_time", f"{format_instant(end)} is before start_date_time "
                          f"{format_instant(start)}")
    currency = _string(data, "currency", "session")
    assert currency is not None
    kwh = _number(data, "kwh", "session")
    values = _list(data.get("charging_periods"), "session.charging_periods", required=False)
    if values:
        periods = _periods(values, "session.charging_periods", start, end, notes, dimensions_required=True)
        measured = [p.volumes["ENERGY"] for p in periods if "ENERGY" in p.volumes]
        if kwh is not None and measured and abs(sum(measured, ZERO) - kwh) > Decimal("0.001"):
            notes.append(f"session.kwh {kwh} differs from the sum of the ENERGY dimensions, {sum(measured, ZERO)}")
    else:
        volumes = {"ENERGY": kwh} if kwh is not None else {}
        periods = (ChargingPeriod(index=0, start=start, end=end, tariff_id=None, volumes=volumes,
                                  path="session"),)
        notes.append("session has no charging_periods: priced as one period over the whole session with "
                     "its kwh as ENERGY")
    return Usage(kind="session", start=start, end=end, currency=currency, periods=periods, notes=tuple(notes))
