"""A CPO's Sessions as the smart-charging interfaces see them: one by its id, and where it charges (the Location,
EVSE and Connector of the CPO's own Locations), with the capabilities and power of that place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from conformance.ocpi.types import ci_equal
from simulators.ocpi.party import Party

__all__ = ["ONGOING", "Place", "find_session", "place_of"]

ONGOING = frozenset({"PENDING", "ACTIVE"})  # a Session still under way at the charger


@dataclass(frozen=True)
class Place:
    """Where a Session charges; any part the CPO does not know of is None."""

    location: dict[str, Any] | None
    evse: dict[str, Any] | None
    connector: dict[str, Any] | None

    def capable(self, capability: str) -> bool:
        """Whether the EVSE lists ``capability``; an EVSE the CPO does not describe is taken to be capable."""
        return self.evse is None or capability in (self.evse.get("capabilities") or [])

    def capacity(self, unit: str) -> float:
        """The most the Connector can deliver, in W or in A (mod_charging_profiles_chargingrateunit)."""
        connector = self.connector or {}
        amperage = float(connector.get("max_amperage") or 16)
        if unit == "A":
            return amperage
        if connector.get("max_electric_power"):
            return float(connector["max_electric_power"])
        phases = 3 if connector.get("power_type") == "AC_3_PHASE" else 1
        return float(connector.get("max_voltage") or 230) * amperage * phases


def find_session(party: Party, session_id: str) -> dict[str, Any] | None:
    """The CPO's Session with this id (a CiString), if it has one."""
    return next((s for s in party.owned.get("sessions", []) if ci_equal(s.get("id"), session_id)), None)


def _member(items: Any, key: str, value: Any) -> dict[str, Any] | None:
    return next((i for i in items or [] if isinstance(i, dict) and ci_equal(i.get(key), value)), None)


def place_of(party: Party, session: dict[str, Any]) -> Place:
    location = _member(party.owned.get("locations"), "id", session.get("location_id"))
    evse = _member((location or {}).get("evses"), "uid", session.get("evse_uid"))
    connector = _member((evse or {}).get("connectors"), "id", session.get("connector_id"))
    return Place(location, evse, connector)
