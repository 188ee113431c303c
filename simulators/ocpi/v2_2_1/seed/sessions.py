"""Deterministic Sessions the reference CPO serves as Sessions Sender, consistent with its CDRs.

Every CDR that is not a credit comes from a COMPLETED Session: the same id as the CDR's session_id, the same
token, authorisation, connector, energy, charging periods, cost and times. A few ACTIVE Sessions, started
after the last CDR's session ended, are still charging: no end yet, no CDR, and charging periods that also use
the dimensions only Sessions may carry (mod_cdrs_cdrdimensiontype_enum).

(``seed/session_stages.py`` holds the Sessions a CPO pushes while they run, for testing an eMSP as Receiver.)
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

__all__ = ["seed_sessions"]


def _moment(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(UTC)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def session_fields(cdr: dict[str, Any]) -> dict[str, Any]:
    """What a Session shares with the CDR it leads to: owner, id, start, token, auth method, place, currency."""
    place = cdr["cdr_location"]
    return {
        "country_code": cdr["country_code"],
        "party_id": cdr["party_id"],
        "id": cdr["session_id"],
        "start_date_time": cdr["start_date_time"],
        "cdr_token": copy.deepcopy(cdr["cdr_token"]),
        "auth_method": cdr["auth_method"],
        "location_id": place["id"],
        "evse_uid": place["evse_uid"],
        "connector_id": place["connector_id"],
        "currency": cdr["currency"],
    }


def _completed(cdr: dict[str, Any]) -> dict[str, Any]:
    session: dict[str, Any] = {
        **session_fields(cdr),
        "end_date_time": cdr["end_date_time"],
        "kwh": cdr["total_energy"],
        "authorization_reference": cdr.get("authorization_reference"),
        "meter_id": cdr.get("meter_id"),
        "charging_periods": copy.deepcopy(cdr["charging_periods"]),
        "total_cost": copy.deepcopy(cdr["total_cost"]),
        "status": "COMPLETED",
        # the Session is final a minute after it ended; the CDR follows a few minutes later
        "last_updated": _stamp(_moment(cdr["end_date_time"]) + timedelta(minutes=1)),
    }
    return {k: v for k, v in session.items() if v is not None}


def _active(cdr: dict[str, Any], number: int, start: datetime) -> dict[str, Any]:
    """A Session charging at ``cdr``'s connector since ``start``: one finished period, one still running."""
    place = cdr["cdr_location"]
    dc = place.get("connector_power_type") == "DC"
    power = 100.0 if dc else 11.0
    first = timedelta(minutes=12 if dc else 40)
    running = timedelta(minutes=7 if dc else 25)
    tariff_id = next((p["tariff_id"] for p in cdr["charging_periods"] if p.get("tariff_id")), None)
    periods = []
    for index, (begin, length, soc) in enumerate([(start, first, 35.0), (start + first, running, 58.0)]):
        hours = round(length.total_seconds() / 3600, 4)
        period: dict[str, Any] = {
            "start_date_time": _stamp(begin),
            "dimensions": [
                {"type": "ENERGY", "volume": round(power * 0.9 * hours, 3)},
                {"type": "TIME", "volume": hours},
                {"type": "POWER", "volume": round(power * (0.9 if index else 0.95), 1)},  # Sessions only
                {"type": "STATE_OF_CHARGE", "volume": soc},  # Sessions only
            ],
        }
        if tariff_id:
            period["tariff_id"] = tariff_id
        periods.append(period)
    by_command = number % 2 == 0  # started remotely by the eMSP, which gave an authorization reference
    session: dict[str, Any] = {
        "country_code": cdr["country_code"],
        "party_id": cdr["party_id"],
        "id": f"SES{number:05d}",
        "start_date_time": _stamp(start),
        "kwh": round(sum(d["volume"] for p in periods for d in p["dimensions"] if d["type"] == "ENERGY"), 3),
        "cdr_token": {"country_code": "NL", "party_id": "REM", "uid": f"04A1B2C3{number:04X}", "type": "RFID",
                      "contract_id": f"NL-REM-C{number:08d}-X"},
        "auth_method": "COMMAND" if by_command else "WHITELIST",
        "location_id": place["id"],
        "evse_uid": place["evse_uid"],
        "connector_id": place["connector_id"],
        "currency": cdr["currency"],
        "charging_periods": periods,
        "status": "ACTIVE",
        "last_updated": _stamp(start + first + running),
    }
    if by_command:
        session["authorization_reference"] = f"RC-AUTH-{number:05d}"
    return session


def seed_sessions(cdrs: Sequence[dict[str, Any]], *, active: int = 3) -> list[dict[str, Any]]:
    """The COMPLETED Session of every CDR that is not a credit, then ``active`` ACTIVE Sessions at connectors
    those CDRs used (each at a different connector); ordered by last_updated."""
    originals = [c for c in cdrs if not c.get("credit") and c.get("session_id")]
    sessions = [_completed(cdr) for cdr in originals]
    latest = max((_moment(c["end_date_time"]) for c in originals), default=datetime(2026, 1, 1, tzinfo=UTC))
    places: dict[tuple[str, str, str], dict[str, Any]] = {}
    for cdr in reversed(originals):
        place = cdr["cdr_location"]
        places.setdefault((place["id"], place["evse_uid"], place["connector_id"]), cdr)
    number = len(originals)
    for index, cdr in enumerate(list(places.values())[:active]):
        number += 1
        start = latest + timedelta(hours=1 + index, minutes=13 * index)
        sessions.append(_active(cdr, number, start))
    return sorted(sessions, key=lambda s: s["last_updated"])
