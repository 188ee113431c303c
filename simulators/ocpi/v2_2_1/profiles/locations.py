"""OCPI 2.2.1 fault profiles: the Locations module.
Each replaces behaviours of the reference platforms (simulators/behaviours.py): the CPO's Sender
(simulators/ocpi/v2_2_1/locations.py) and the eMSP's Receiver, partly through the steps every Receiver shares
(simulators/ocpi/v2_2_1/receiving.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from simulators.behaviours import replace, set_to
from simulators.ocpi.endpoint import Reply
from simulators.ocpi.v2_2_1 import locations
from simulators.ocpi.v2_2_1.profiles._register import profile
from simulators.ocpi.v2_2_1.profiles.receivers import dropping, invalid_accepted
from simulators.ocpi.v2_2_1.receiving import KEPT, RULES, for_kinds

Served = Callable[[dict[str, Any]], dict[str, Any]]
Found = Callable[[str, list[dict[str, Any]], str, str], dict[str, Any] | None]

LEVELS = ("Location", "EVSE", "Connector")  # the kinds of object the Locations Receiver is pushed

# -- Sender (CPO) -----------------------------------------------------------------------------------------------


def _with_offset(node: Any) -> Any:
    """Every last_updated written with a zone offset instead of the Z of UTC."""
    if isinstance(node, dict):
        return {key: value.rstrip("Z") + "+00:00" if key == "last_updated" and isinstance(value, str)
                else _with_offset(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_with_offset(item) for item in node]
    return node


def _timestamps_with_offset(served: Served) -> Served:
    return lambda obj: cast(dict[str, Any], _with_offset(served(obj)))


def _without_time_zone(served: Served) -> Served:
    return lambda obj: {k: v for k, v in served(obj).items() if k != "time_zone"}


def _stale(served: Served) -> Served:
    def stale(obj: dict[str, Any]) -> dict[str, Any]:
        out = served(obj)
        # older than every EVSE it holds
        return {**out, "last_updated": "2020-01-01T00:00:00Z"} if out.get("evses") else out

    return stale


def _first(found: Found) -> Found:
    return lambda level, items, key, value: items[0] if items else found(level, items, key, value)


def _found_empty(what: str) -> Reply:
    return Reply(data=None)


# -- Receiver (eMSP) --------------------------------------------------------------------------------------------


def _parents_untouched(location: dict[str, Any], evse: dict[str, Any] | None, stamp: str) -> None:
    return None


# OCPI 2.2.1 allows a DateTime without zone designator (it means UTC); an offset such as +01:00 is not allowed.
profile("timestamps_with_offset", "last_updated carries a +00:00 offset: OCPI allows only the Z designator or none.",
        roles=("CPO",), trips=("ocpi.schema.data",), replaces=[replace(locations.SERVED, _timestamps_with_offset)])

profile("missing_required_field", "Served Locations lack the required `time_zone` field.", roles=("CPO",),
        trips=("ocpi.schema.data",), replaces=[replace(locations.SERVED, _without_time_zone)])

profile("unknown_id_success", "A GET of an unknown Location, EVSE or Connector answers 1000 with no data.",
        trips=("ocpi.status.unknown_object", "ocpi.status.not_found_http"),
        replaces=[set_to(locations.UNKNOWN, _found_empty)])

profile("invalid_push_accepted", "Pushed Locations that break the schema are stored and acknowledged with 1000.",
        roles=("EMSP",), trips=("ocpi.locations.receiver_invalid_not_stored",),
        replaces=[replace(RULES, for_kinds(invalid_accepted, *LEVELS))])

profile("parent_last_updated_stale", "Pushing an EVSE or Connector leaves the parent's last_updated unchanged.",
        roles=("EMSP",), trips=("ocpi.locations.receiver_parent_last_updated",),
        replaces=[set_to(locations.PARENT_LAST_UPDATED, _parents_untouched)])

profile("pushed_field_lost", "The receiver drops `directions` from stored Locations.", roles=("EMSP",),
        trips=("ocpi.locations.receiver_stored",), replaces=[replace(KEPT, for_kinds(dropping("directions"), *LEVELS))])

profile("stale_location_last_updated", "A Location's last_updated is older than its newest EVSE's.",
        roles=("CPO",), trips=("ocpi.locations.last_updated_tree",), replaces=[replace(locations.SERVED, _stale)])

profile("object_get_returns_first", "GET of one Location, EVSE or Connector returns the first one regardless "
        "of the id asked for.", roles=("CPO",), trips=("ocpi.locations.sender_object",),
        replaces=[replace(locations.OBJECT, for_kinds(_first, "Location", "EVSE"))])
