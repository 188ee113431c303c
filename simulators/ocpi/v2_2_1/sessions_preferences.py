"""Charging preferences: the PUT of the CPO's Sessions Sender interface (mod_sessions_set_charging_preferences).

During an ongoing Session the eMSP sends the driver's ChargingPreferences to
``{sessions url}/{session_id}/charging_preferences``; the CPO answers with a ChargingPreferencesResponse value.

The reference CPO supports a ProfileType at a Connector when it offers a Tariff for it there (REGULAR always;
CHEAP, FAST and GREEN with a PROFILE_ Tariff among the Connector's tariff_ids: mod_sessions_charging_preferences_
object). Besides FAST it needs a departure time and an energy need, and refuses a demand the Connector cannot
meet before the departure. An EVSE without CHARGING_PREFERENCES_CAPABLE is answered HTTP 404 with 2001
(mod_sessions_charging_preferences_response_enum).
"""

from __future__ import annotations

import copy
from typing import Any

from starlette.routing import BaseRoute

from conformance.ocpi.schemas import errors as schema_errors
from conformance.ocpi.types import parse_datetime
from simulators.ocpi.endpoint import Call, OcpiError, Reply, ocpi_route
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1.ongoing import ONGOING, Place, find_session, place_of
from simulators.ocpi.v2_2_1.receiving import unknown

__all__ = ["preference_routes"]

VERSION = "2.2.1"


def _tariff_types(party: Party, place: Place) -> set[str]:
    ids = set((place.connector or {}).get("tariff_ids") or [])
    return {str(t.get("type") or "REGULAR") for t in party.owned.get("tariffs", []) if t.get("id") in ids}


def _answer(party: Party, session: dict[str, Any], place: Place, preferences: dict[str, Any]) -> str:
    """The ChargingPreferencesResponse (mod_sessions_charging_preferences_response_enum)."""
    if session.get("status") not in ONGOING:
        return "NOT_POSSIBLE"
    profile = preferences["profile_type"]
    if profile != "REGULAR" and not party.faults.preferences_any_profile \
            and f"PROFILE_{profile}" not in _tariff_types(party, place):
        return "PROFILE_TYPE_NOT_SUPPORTED"
    if profile == "FAST":  # as fast as it can: nothing more to know
        return "ACCEPTED"
    if "departure_time" not in preferences:
        return "DEPARTURE_REQUIRED"
    if "energy_need" not in preferences:
        return "ENERGY_NEED_REQUIRED"
    hours = (parse_datetime(preferences["departure_time"]) - party.clock()).total_seconds() / 3600
    if hours <= 0 or float(preferences["energy_need"]) > place.capacity("W") / 1000 * hours:
        return "NOT_POSSIBLE"
    return "ACCEPTED"


def preference_routes(party: Party) -> list[BaseRoute]:
    faults = party.faults
    kept: dict[str, dict[str, Any]] = party.state.setdefault("charging_preferences", {})

    async def put(call: Call) -> Reply:
        body = call.body
        problems = schema_errors(VERSION, "ChargingPreferences", body) if isinstance(body, dict) else ["not an object"]
        if problems and not faults.preferences_invalid_accepted:
            raise OcpiError(2001, "Invalid ChargingPreferences: " + "; ".join(problems[:5]), 400)
        session = find_session(party, call.path("session_id"))
        if session is None and not faults.preferences_unknown_session_accepted:
            raise unknown(f"session {call.path('session_id')}")
        answer = "ACCEPTED"
        if session is not None and not problems:
            place = place_of(party, session)
            if not place.capable("CHARGING_PREFERENCES_CAPABLE") and not faults.preferences_capability_ignored:
                raise OcpiError(2001, f"EVSE {session.get('evse_uid')} does not take charging preferences", 404)
            answer = _answer(party, session, place, body)
            if answer == "ACCEPTED":
                kept[str(session["id"]).upper()] = copy.deepcopy(body)
        return Reply(data={"response": answer} if faults.preferences_answer_wrapped else answer)

    base = party.module_url(VERSION, "sessions", "SENDER").removeprefix(party.base_url)
    return [ocpi_route(party, f"{base}/{{session_id}}/charging_preferences", put, module="sessions",
                       methods=["PUT"])]
