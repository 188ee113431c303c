"""The Session behind a CDR, as its CPO pushes it while it runs: ACTIVE with its first charging period,
one more period at every update, COMPLETED with all of them; and the PATCH that takes one stage to the next.

While the session runs, its kWh are the sum of its periods' ENERGY and its total_cost is what the tariffs give
so far (the reference tariff engine, as if the session ended at its last_updated); completed, it carries the
CDR's totals.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from simulators.ocpi.v2_2_1.seed.sessions import session_fields

__all__ = ["session_patch", "session_stages"]

_FOUR = Decimal("0.0001")  # "numbers use 4 decimals" (types#types_number_type)


def _energy(periods: Sequence[dict[str, Any]]) -> float:
    return float(sum((Decimal(str(d["volume"])) for p in periods for d in p["dimensions"] if d["type"] == "ENERGY"),
                     Decimal(0)))


def _cost(session: dict[str, Any], tariffs: Sequence[dict[str, Any]], time_zone: str) -> dict[str, float]:
    from conformance.tariffs import price_session

    money = price_session(session, tariffs, time_zone=time_zone).total_cost
    out = {"excl_vat": float(money.excl_vat.quantize(_FOUR))}
    if money.incl_vat is not None:
        out["incl_vat"] = float(money.incl_vat.quantize(_FOUR))
    return out


def session_stages(cdr: dict[str, Any], tariffs: Sequence[dict[str, Any]], *, time_zone: str) -> list[dict[str, Any]]:
    """Every state of the CDR's Session: one ACTIVE Session per charging period so far, then the COMPLETED one."""
    location = cdr["cdr_location"]
    periods = cdr["charging_periods"]
    base: dict[str, Any] = {
        **session_fields(cdr),
        "kwh": 0.0,
        "meter_id": f"MTR-{location['evse_uid']}",
        "charging_periods": [],
        "status": "ACTIVE",
        "last_updated": cdr["start_date_time"],
    }
    if cdr["auth_method"] == "AUTH_REQUEST":
        base["authorization_reference"] = f"AUTH-{cdr['session_id']}"
    stages = []
    for count in range(1, len(periods)):
        stage = {**base, "charging_periods": periods[:count], "kwh": _energy(periods[:count]),
                 "last_updated": periods[count]["start_date_time"]}  # the moment the next period begins
        stage["total_cost"] = _cost(stage, tariffs, time_zone)
        stages.append(stage)
    stages.append({**base, "end_date_time": cdr["end_date_time"], "kwh": cdr["total_energy"],
                   "charging_periods": periods, "total_cost": cdr["total_cost"], "status": "COMPLETED",
                   "last_updated": cdr["end_date_time"]})
    return stages


def session_patch(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The PATCH taking ``before`` to ``after``: the fields that changed, the charging periods to add (a PATCH's
    periods are added to the stored ones, mod_sessions_patch_method) and last_updated."""
    patch = {k: v for k, v in after.items() if k != "charging_periods" and before.get(k) != v}
    added = after.get("charging_periods", [])[len(before.get("charging_periods", [])):]
    if added:
        patch["charging_periods"] = added
    patch["last_updated"] = after["last_updated"]
    return patch
