"""Charging preferences: the PUT of the CPO's Sessions Sender interface (mod_sessions_set_charging_preferences).

During an ongoing Session the eMSP sends the driver's ChargingPreferences to
``{sessions url}/{session_id}/charging_preferences``; the CPO answers with a ChargingPreferencesResponse value.

The reference CPO supports a ProfileType at a Connector when it offers a Tariff for it there (REGULAR always;
CHEAP, FAST and GREEN with a PROFILE_ Tariff among the Connector's tariff_ids: mod_sessions_charging_preferences_
object). Besides FAST it needs a departure time and an energy need, and refuses a demand the Connector cannot
meet before the departure. An EVSE without CHARGING_PREFERENCES_CAPABLE is answered HTTP 404 with 2001
(mod_sessions_charging_preferences_response_enum).

Each step a fault profile may replace is a behaviour (simulators/behaviours.py): the refusals that come before any
answer (REFUSALS), whether a ProfileType is supported at a Connector (SUPPORTED), and the data answered (REPLY).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, TypeVar

from starlette.routing import BaseRoute

from conformance.ocpi.schemas import errors as schema_errors
from conformance.ocpi.types import parse_datetime
from simulators.behaviours import Behaviour
from simulators.ocpi.endpoint import Call, OcpiError, Reply, ocpi_route
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1 import VERSION
from simulators.ocpi.v2_2_1.ongoing import ONGOING, Place, find_session, place_of
from simulators.ocpi.v2_2_1.receiving import unknown

__all__ = ["REFUSALS", "REPLY", "SUPPORTED", "Refusal", "preference_routes", "refuse_invalid", "refuse_not_capable",
           "refuse_unknown_session"]

MODULE = "sessions"
T = TypeVar("T")


def _tariff_types(party: Party, place: Place) -> set[str]:
    ids = set((place.connector or {}).get("tariff_ids") or [])
    return {str(t.get("type") or "REGULAR") for t in party.owned.get("tariffs", []) if t.get("id") in ids}


def _supported(party: Party, place: Place, profile: str) -> bool:
    """Whether the CPO supports ``profile`` (a ProfileType) at the Connector: REGULAR always, another with a Tariff
    of its type there (mod_sessions_charging_preferences_object)."""
    return profile == "REGULAR" or f"PROFILE_{profile}" in _tariff_types(party, place)


def _answer(party: Party, session: dict[str, Any], place: Place, preferences: dict[str, Any]) -> str:
    """The ChargingPreferencesResponse (mod_sessions_charging_preferences_response_enum)."""
    if session.get("status") not in ONGOING:
        return "NOT_POSSIBLE"
    profile = preferences["profile_type"]
    if not party.behaviours(SUPPORTED)(party, place, profile):
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


# Why the CPO refuses charging preferences outright, given the schema's ``problems`` with them and the Session they
# are for (None: it has none), in the order it checks; None when it does not.
Refusal = Callable[[Call, list[str], dict[str, Any] | None], OcpiError | None]


def refuse_invalid(call: Call, problems: list[str], session: dict[str, Any] | None) -> OcpiError | None:
    """2001 for charging preferences breaking the schema."""
    return OcpiError(2001, "Invalid ChargingPreferences: " + "; ".join(problems[:5])) if problems else None


def refuse_unknown_session(call: Call, problems: list[str], session: dict[str, Any] | None) -> OcpiError | None:
    """2003 for a Session the CPO does not have."""
    return unknown(f"session {call.path('session_id')}") if session is None else None


def refuse_not_capable(call: Call, problems: list[str], session: dict[str, Any] | None) -> OcpiError | None:
    """2001 (HTTP 404) at an EVSE without CHARGING_PREFERENCES_CAPABLE; only valid preferences get this far."""
    if session is None or problems or place_of(call.party, session).capable("CHARGING_PREFERENCES_CAPABLE"):
        return None
    return OcpiError(2001, f"EVSE {session.get('evse_uid')} does not take charging preferences", 404)


def _reply(answer: str) -> Any:
    """The data of the answer: the ChargingPreferencesResponse value itself."""
    return answer


def _point(name: str, conformant: T) -> Behaviour[T]:
    return Behaviour("OCPI", VERSION, MODULE, f"preferences.{name}", conformant)


REFUSALS: Behaviour[tuple[Refusal, ...]] = _point("refusals", (refuse_invalid, refuse_unknown_session,
                                                                refuse_not_capable))
SUPPORTED: Behaviour[Callable[[Party, Place, str], bool]] = _point("supported", _supported)
REPLY: Behaviour[Callable[[str], Any]] = _point("reply", _reply)


def preference_routes(party: Party) -> list[BaseRoute]:
    kept: dict[str, dict[str, Any]] = party.state.setdefault("charging_preferences", {})

    async def put(call: Call) -> Reply:
        body = call.body
        problems = schema_errors(VERSION, "ChargingPreferences", body) if isinstance(body, dict) else ["not an object"]
        session = find_session(party, call.path("session_id"))
        for refusal in party.behaviours(REFUSALS):
            error = refusal(call, problems, session)
            if error is not None:
                raise error
        answer = "ACCEPTED"
        if session is not None and not problems:
            answer = _answer(party, session, place_of(party, session), body)
            if answer == "ACCEPTED":
                kept[str(session["id"]).upper()] = copy.deepcopy(body)
        return Reply(data=party.behaviours(REPLY)(answer))

    base = party.module_url(VERSION, "sessions", "SENDER").removeprefix(party.base_url)
    return [ocpi_route(party, f"{base}/{{session_id}}/charging_preferences", put, module="sessions",
                       methods=["PUT"])]
