"""OCPI 2.2.1 fault profiles: the Locations module.
Each replaces behaviours of the reference platforms (simulators/behaviours.py)."""

from __future__ import annotations

from simulators.ocpi.faults import Faults
from simulators.ocpi.v2_2_1.profiles._register import profile

# OCPI 2.2.1 allows a DateTime without zone designator (it means UTC); an offset such as +01:00 is not allowed.
profile("timestamps_with_offset", "DateTime values carry a +01:00 offset instead of being UTC.",
        roles=("CPO",), trips=("ocpi.schema.data",), legacy=Faults(timestamp_with_offset=True))

profile("missing_required_field", "Served Locations lack the required `time_zone` field.", roles=("CPO",),
        trips=("ocpi.schema.data",), legacy=Faults(drop_field="time_zone"))

profile("unknown_id_success", "A GET of an unknown Location, EVSE or Connector answers 1000 with no data.",
        trips=("ocpi.status.unknown_object", "ocpi.status.not_found_http"), legacy=Faults(unknown_id_success=True))

profile("invalid_push_accepted", "Pushed Locations that break the schema are stored and acknowledged with 1000.",
        roles=("EMSP",), trips=("ocpi.status.expected", "ocpi.locations.receiver_invalid_not_stored"),
        legacy=Faults(accept_invalid_push=True))

profile("patch_without_last_updated_accepted", "A PATCH lacking last_updated is applied.", roles=("EMSP",),
        trips=("ocpi.status.expected",), legacy=Faults(patch_without_last_updated_ok=True))

profile("parent_last_updated_stale", "Pushing an EVSE or Connector leaves the parent's last_updated unchanged.",
        roles=("EMSP",), trips=("ocpi.locations.receiver_parent_last_updated",),
        legacy=Faults(no_parent_last_updated=True))

profile("pushed_field_lost", "The receiver drops `directions` from stored Locations.", roles=("EMSP",),
        trips=("ocpi.locations.receiver_stored",), legacy=Faults(lose_pushed_field="directions"))

profile("stale_location_last_updated", "A Location's last_updated is older than its newest EVSE's.",
        roles=("CPO",), trips=("ocpi.locations.last_updated_tree",), legacy=Faults(stale_location_last_updated=True))

profile("object_get_returns_first", "GET of one Location, EVSE or Connector returns the first one regardless "
        "of the id asked for.", roles=("CPO",), trips=("ocpi.locations.sender_object",),
        legacy=Faults(object_get_returns_first=True))
