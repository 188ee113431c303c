"""Checks specific to the Locations module (mod_locations)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from conformance.core.checks import Problem
from conformance.core.exchange import Exchange
from conformance.ocpi.expect import Expect
from conformance.ocpi.types import parse_datetime
from conformance.ocpi.v2_2_1.checks._registrar import check, declare
from conformance.ocpi.v2_2_1.checks._util import envelope, short

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


@check("ocpi.locations.last_updated_tree", tags=["response"], applies=lambda x,
       e: e.schema == "Location" and x.status is not None and x.status < 400)
def last_updated_tree(x: Exchange, e: Expect) -> Iterator[Problem]:
    body = envelope(x)
    data = body.get("data") if body else None
    items = data if isinstance(data, list) else [data]
    for index, location in enumerate(items):
        yield from tree_problems(location, f"data[{index}]" if isinstance(data, list) else "data")


SENDER_OBJECT = declare("ocpi.locations.sender_object")
RECEIVER_STORED = declare("ocpi.locations.receiver_stored")
RECEIVER_PARENT = declare("ocpi.locations.receiver_parent_last_updated")
RECEIVER_REJECTED = declare("ocpi.locations.receiver_invalid_not_stored")
