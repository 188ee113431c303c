"""Building CDRs from local wall times: for hand-worked cases, properties and benchmarks.

>>> build_cdr("2024-01-15T09:30", "Europe/Berlin", [span(165, TIME="2.75"), span(42, PARKING_TIME="0.7")])

gives a CDR whose charging periods start at 09:30 and 12:15 local time (08:30Z and 11:15Z), ending at 12:57.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

__all__ = ["Span", "build_cdr", "span", "stamp"]

Volume = Decimal | int | float | str


@dataclass(frozen=True)
class Span:
    """One charging period: how long it lasts, its dimensions, its tariff_id (None: not given)."""

    seconds: Decimal
    dimensions: Mapping[str, Decimal] = field(default_factory=dict)
    tariff_id: str | None = None


def span(minutes: Volume, tariff_id: str | None = None, **dimensions: Volume) -> Span:
    return Span(Decimal(str(minutes)) * 60, {k: Decimal(str(v)) for k, v in dimensions.items()}, tariff_id)


def stamp(moment: datetime) -> str:
    """RFC 3339 UTC, with a fraction only when there is one."""
    moment = moment.astimezone(UTC)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond:06d}".rstrip("0")
    return text + "Z"


def build_cdr(local_start: str, time_zone: str, spans: Sequence[Span], *, tariffs: Sequence[Mapping[str, Any]] = (),
              currency: str = "EUR", **fields: Any) -> dict[str, Any]:
    """A CDR with the given charging periods back to back from ``local_start`` (local wall time, ISO)."""
    start = datetime.fromisoformat(local_start).replace(tzinfo=ZoneInfo(time_zone)).astimezone(UTC)
    moment = start
    periods = []
    for item in spans:
        period: dict[str, Any] = {"start_date_time": stamp(moment),
                                  "dimensions": [{"type": k, "volume": v} for k, v in item.dimensions.items()]}
        if item.tariff_id is not None:
            period["tariff_id"] = item.tariff_id
        periods.append(period)
        moment += timedelta(seconds=float(item.seconds))
    cdr: dict[str, Any] = {
        "country_code": "NL", "party_id": "RCT", "id": "CDR-CASE", "start_date_time": stamp(start),
        "end_date_time": stamp(moment), "currency": currency, "charging_periods": periods,
        "tariffs": list(tariffs), "last_updated": stamp(moment),
    }
    cdr.update(fields)
    return cdr
