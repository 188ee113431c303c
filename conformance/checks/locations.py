"""Checks specific to the Locations module (mod_locations)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from conformance.checks._util import envelope, short
from conformance.checks.registry import Expect, Problem, check, declare
from conformance.exchange import Exchange
from conformance.protocols.ocpi.types import parse_datetime

LOC = "mod_locations"


def _stamp(obj: Any) -> Any:
    try:
        return parse_datetime(obj["last_updated"])
    except (KeyError, TypeError, ValueError):
        return None


def tree_problems(location: Any, where: str) -> Iterator[Problem]:
    if not isinstance(location, dict):
        return
    top = _stamp(location)
    for evse in location.get("evses") or []:
        if not isinstance(evse, dict):
            continue
        mid = _stamp(evse)
        if top is not None and mid is not None and mid > top:
            yield Problem(f"{where}: EVSE {short(evse.get('uid'))} is newer than its Location",
                          f"Location.last_updated >= {evse.get('last_updated')}", str(location.get("last_updated")))
        for connector in evse.get("connectors") or []:
            low = _stamp(connector) if isinstance(connector, dict) else None
            if mid is not None and low is not None and low > mid:
                yield Problem(f"{where}: Connector {short(connector.get('id'))} of EVSE {short(evse.get('uid'))} "
                              "is newer than its EVSE", f"EVSE.last_updated >= {connector.get('last_updated')}",
                              str(evse.get("last_updated")))


@check("ocpi.locations.last_updated_tree", requirements=["OCPI-2.2.1-LOC-01"],
       spec=f"{LOC}#mod_locations_get_list_request_parameters",
       title="A Location's last_updated is not older than any of its EVSEs', an EVSE's not older than its "
             "Connectors'", tags=["response"],
       applies=lambda x, e: e.schema == "Location" and x.status is not None and x.status < 400)
def last_updated_tree(x: Exchange, e: Expect) -> Iterator[Problem]:
    body = envelope(x)
    data = body.get("data") if body else None
    items = data if isinstance(data, list) else [data]
    for index, location in enumerate(items):
        yield from tree_problems(location, f"data[{index}]" if isinstance(data, list) else "data")


SENDER_OBJECT = declare("ocpi.locations.sender_object", requirements=["OCPI-2.2.1-LOC-02"],
                        spec=f"{LOC}#mod_locations_get_object_response_data",
                        title="GET of a Location, EVSE or Connector returns the object with the requested id")
RECEIVER_STORED = declare("ocpi.locations.receiver_stored", requirements=["OCPI-2.2.1-LOC-03"],
                          spec=f"{LOC}#mod_locations_put_method",
                          title="What the CPO pushed is what the Receiver's GET returns")
RECEIVER_PARENT = declare("ocpi.locations.receiver_parent_last_updated", requirements=["OCPI-2.2.1-LOC-04"],
                          spec=f"{LOC}#mod_locations_patch_method",
                          title="Pushing an EVSE or Connector moves the parents' last_updated forward")
RECEIVER_REJECTED = declare("ocpi.locations.receiver_invalid_not_stored", requirements=["OCPI-2.2.1-LOC-05"],
                            spec=f"{LOC}#mod_locations_put_method",
                            title="A rejected push leaves no object behind")
