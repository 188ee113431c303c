"""Charging periods as a conformant CPO records them: a new period wherever the active price components change.

mod_cdrs_charging_period requires a new charging period at every moment that matters for the cost, e.g. when
energy gets dearer at 17:00 or once a session has lasted four hours. A meter gives readings at whatever moments
it is read; this module cuts each period at the changes the reference tariff engine finds inside it, sharing its
energy and durations out in proportion to time (the engine's own "uniform" reading of a period).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from conformance.ocpi.types import format_datetime, parse_datetime

__all__ = ["split_at_price_changes"]

_SHARED = {"ENERGY": 3, "TIME": 4, "PARKING_TIME": 4, "RESERVATION_TIME": 4}  # volumes shared out, and decimals
_PASSES = 4  # a cut can reveal no new change, but kWh thresholds are found again after rounding: bounded


def _cut(period: dict[str, Any], seconds: int, duration: Decimal) -> list[dict[str, Any]]:
    """``period`` as two periods, the second starting ``seconds`` after it."""
    first, second = copy.deepcopy(period), copy.deepcopy(period)
    start = parse_datetime(period["start_date_time"])
    second["start_date_time"] = format_datetime(start + timedelta(seconds=seconds))
    share = Decimal(seconds) / duration
    for dims_first, dims_second in zip(first["dimensions"], second["dimensions"], strict=True):
        places = _SHARED.get(dims_first["type"])
        if places is None:
            continue  # a level (power, current, state of charge) holds for both parts
        whole = Decimal(str(dims_first["volume"]))
        part = round(whole * share, places)
        dims_first["volume"] = float(part)
        dims_second["volume"] = float(whole - part)
    return [first, second]


def _cuts(periods: list[dict[str, Any]], end: datetime, tariffs: Sequence[dict[str, Any]], time_zone: str,
          currency: str) -> dict[int, list[int]]:
    from conformance.tariffs import price_cdr

    cdr = {"start_date_time": periods[0]["start_date_time"], "end_date_time": format_datetime(end),
           "currency": currency, "charging_periods": periods}
    found: dict[int, list[int]] = {}
    for change in price_cdr(cdr, list(tariffs), time_zone=time_zone).changes:
        seconds = int(change.offset)  # meters read in whole seconds: the cut is at or just before the change
        if 0 < seconds < change.duration:
            found.setdefault(change.period, []).append(seconds)
    return found


def split_at_price_changes(periods: Sequence[dict[str, Any]], end: datetime, tariffs: Sequence[dict[str, Any]],
                           *, time_zone: str, currency: str) -> list[dict[str, Any]]:
    """``periods`` (ending at ``end``) with each one cut wherever ``tariffs`` change price inside it."""
    out = [copy.deepcopy(p) for p in periods]
    if not out or not tariffs:
        return out
    for _ in range(_PASSES):
        cuts = _cuts(out, end, tariffs, time_zone, currency)
        if not cuts:
            break
        result: list[dict[str, Any]] = []
        for index, period in enumerate(out):
            following = parse_datetime(out[index + 1]["start_date_time"]) if index + 1 < len(out) else end
            duration = Decimal(int((following - parse_datetime(period["start_date_time"])).total_seconds()))
            done = 0
            for seconds in sorted(set(cuts.get(index, []))):
                head, period = _cut(period, seconds - done, duration - done)
                result.append(head)
                done = seconds
            result.append(period)
        out = result
    return out
