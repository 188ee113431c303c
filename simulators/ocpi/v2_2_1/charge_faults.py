"""How a fault profile bends what the reference CPO pushes to an eMSP while a charge runs (the Session, the
EVSE status, the CDR: simulators/ocpi/v2_2_1/lifecycle.py).

Only the pushed copy is bent: the CPO's own Sender lists keep the charge as it was, as a back-end whose push
code has a bug would.
"""

from __future__ import annotations

import copy
import math
from datetime import timedelta
from typing import Any

from conformance.ocpi.types import ci_equal, format_datetime, parse_datetime
from simulators.ocpi.party import Party

__all__ = ["bend_address", "bend_push"]

PLUG_IN = timedelta(minutes=1)  # how long before its charge a Session is created, for a fault profile


def _evse_id(party: Party, session: dict[str, Any]) -> str | None:
    for location in party.owned.get("locations", []):
        if ci_equal(location.get("id"), session.get("location_id")):
            for evse in location.get("evses") or []:
                if ci_equal(evse.get("uid"), session.get("evse_uid")):
                    found = evse.get("evse_id")
                    return found if isinstance(found, str) else None
    return None


def _less(amount: Any, part: Any) -> Any:
    if isinstance(amount, int | float) and isinstance(part, int | float):
        return round(amount - part, 4)
    return amount


def bend_push(party: Party, module: str, method: str, body: dict[str, Any]) -> dict[str, Any] | None:
    """The body to push as the platform's faults have it, or None when the push is not made at all."""
    faults = party.faults
    if module == "locations" and faults.charge_evse_status_silent:
        return None
    if module == "locations" and method == "PATCH":
        if faults.charge_evse_status_patch_silent:
            return None
        if faults.push_patch_without_last_updated:
            body = {k: v for k, v in body.items() if k != "last_updated"}
    if module == "sessions" and method == "PUT" and body.get("status") == "PENDING" \
            and faults.charge_session_start_at_plug_in and isinstance(body.get("start_date_time"), str):
        body = {**body, "start_date_time": format_datetime(parse_datetime(body["start_date_time"]) - PLUG_IN)}
    if module == "sessions":
        if method == "PATCH" and body.get("status") == "COMPLETED" and faults.charge_session_left_active:
            return None
        if method == "PUT" and faults.charge_session_evse_id:
            evse_id = _evse_id(party, body)
            if evse_id:
                body = {**body, "evse_uid": evse_id}
    if module == "cdrs" and method == "POST":
        body = copy.deepcopy(body)
        if faults.charge_cdr_session_unknown and isinstance(body.get("session_id"), str):
            body["session_id"] = f"{body['session_id']}-TX"
        if faults.charge_cdr_energy_rounded and isinstance(body.get("total_energy"), int | float):
            body["total_energy"] = float(math.floor(body["total_energy"]) + 1)
        energy_cost = body.get("total_energy_cost")
        if faults.charge_cdr_energy_cost_dropped and isinstance(energy_cost, dict) \
                and isinstance(body.get("total_cost"), dict):
            body["total_cost"] = {part: _less(amount, energy_cost.get(part))
                                  for part, amount in body["total_cost"].items()}
    return body


def _other_party(party_id: str) -> str:
    return party_id[:2] + ("X" if party_id[2:].upper() != "X" else "Y")


def bend_address(party: Party, module: str, method: str, segments: tuple[str, ...],
                 body: dict[str, Any]) -> tuple[str, tuple[str, ...], dict[str, Any]]:
    """The method, URL segments and body of a push as the platform's faults have them (after :func:`bend_push`)."""
    faults = party.faults
    if module == "locations":
        if faults.push_put_partial and method == "PATCH" and len(segments) == 4:
            method = "PUT"  # a PUT used as if it were a PATCH: only the changed fields
        if faults.push_owner_mismatch and len(segments) >= 2:
            segments = (segments[0], _other_party(segments[1]), *segments[2:])
    if module == "sessions" and method == "PATCH" and "charging_periods" in body \
            and faults.charge_session_patch_all_periods and segments:
        held = next((s for s in party.owned.get("sessions", []) if ci_equal(s.get("id"), segments[-1])), None)
        if held is not None:
            body = {**body, "charging_periods": copy.deepcopy(held.get("charging_periods") or [])}
    return method, segments, body
