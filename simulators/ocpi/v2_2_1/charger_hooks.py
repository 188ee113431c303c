"""Trigger hooks of the reference CPO's chargers: a driver presents a Token, a charge stops, time passes.

They stand for what a real back-end's own charger simulator does when roamcert drives it (see
simulators/ocpi/admin.py and the [actions.*] of a target file).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from simulators.ocpi.admin import HookError, admin_hook, payload_text
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1.charger import present_token
from simulators.ocpi.v2_2_1.lifecycle import LifecycleError, lifecycle

__all__: list[str] = []


@admin_hook("present_token", "a driver presents a Token at an EVSE: {uid, type, location_id, evse_uid}",
            roles=("CPO",))
async def _present(party: Party, payload: dict[str, Any]) -> dict[str, Any]:
    presented = await present_token(party, uid=payload_text(payload, "uid"),
                                    token_type=payload_text(payload, "type", "RFID"),
                                    location_id=payload_text(payload, "location_id"),
                                    evse_uid=payload_text(payload, "evse_uid"),
                                    country_code=payload.get("country_code"), party_id=payload.get("party_id"))
    if presented.session is None:
        return {"refused": presented.refused, "asked": presented.asked}
    return {"session_id": presented.session["id"], "asked": presented.asked}


@admin_hook("stop_charging", "the driver ends the charge: {session_id}", roles=("CPO",))
async def _stop(party: Party, payload: dict[str, Any]) -> dict[str, Any]:
    try:
        cdr = await lifecycle(party).stop(payload_text(payload, "session_id"))
    except LifecycleError as exc:
        raise HookError(exc.message, 404 if exc.reason == "UNKNOWN_SESSION" else 409) from None
    return {"cdr_id": cdr["id"]}


@admin_hook("advance_clock", "time passes at the chargers: {minutes}", roles=("CPO",))
async def _advance(party: Party, payload: dict[str, Any]) -> dict[str, Any]:
    try:
        minutes = float(payload.get("minutes", ""))
    except (TypeError, ValueError):
        raise HookError("the payload needs 'minutes' (a number)") from None
    if not 0 < minutes <= 24 * 60:
        raise HookError("'minutes' must be more than 0 and at most a day")
    life = lifecycle(party)
    await life.advance(minutes)
    now: datetime = life.clock()
    return {"now": now.isoformat()}
