"""The Locations module: the CPO's Sender interface and the eMSP's Receiver interface (mod_locations)."""

from __future__ import annotations

import copy
from typing import Any

from starlette.routing import BaseRoute

from conformance.ocpi.schemas import errors as schema_errors
from conformance.ocpi.types import ci_equal, parse_datetime
from simulators.ocpi.endpoint import Call, OcpiError, Reply, ocpi_route
from simulators.ocpi.modules import MODULES, ModuleImpl
from simulators.ocpi.pagination import paginated_reply
from simulators.ocpi.party import Party

__all__ = ["receiver_routes", "sender_routes"]

VERSION = "2.2.1"
MODULE = "locations"


def _find(items: list[dict[str, Any]], key: str, value: str) -> dict[str, Any] | None:
    return next((item for item in items if ci_equal(item.get(key), value)), None)


def _served(party: Party, obj: dict[str, Any]) -> dict[str, Any]:
    """Apply the fault profile to an object as it leaves the platform."""
    faults = party.faults
    if not (faults.drop_field or faults.timestamp_with_offset or faults.stale_location_last_updated):
        return obj
    out = copy.deepcopy(obj)
    if faults.stale_location_last_updated and out.get("evses"):
        out["last_updated"] = "2020-01-01T00:00:00Z"  # older than every EVSE it holds
    if faults.drop_field:
        out.pop(faults.drop_field, None)
    if faults.timestamp_with_offset:
        _offset_timestamps(out)
    return out


def _offset_timestamps(node: Any) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "last_updated" and isinstance(value, str):
                node[key] = value.rstrip("Z") + "+00:00"
            else:
                _offset_timestamps(value)
    elif isinstance(node, list):
        for item in node:
            _offset_timestamps(item)


def _unknown(party: Party, what: str) -> Reply:
    if party.faults.unknown_id_success:
        return Reply(data=None)
    raise OcpiError(2003, f"Unknown {what}", 404)


def sender_routes(party: Party) -> list[BaseRoute]:
    def locations() -> list[dict[str, Any]]:
        return party.owned.setdefault(MODULE, [])

    async def get_list(call: Call) -> Reply:
        reply = paginated_reply(call, locations())
        reply.data = [_served(party, obj) for obj in reply.data]
        return reply

    async def get_object(call: Call) -> Reply:
        location = _find(locations(), "id", call.path("location_id"))
        if party.faults.object_get_returns_first and locations():
            location = locations()[0]
        if location is None:
            return _unknown(party, f"location {call.path('location_id')}")
        if "evse_uid" not in call.request.path_params:
            return Reply(data=_served(party, location))
        evse = _find(location.get("evses", []), "uid", call.path("evse_uid"))
        if party.faults.object_get_returns_first and location.get("evses"):
            evse = location["evses"][0]
        if evse is None:
            return _unknown(party, f"EVSE {call.path('evse_uid')}")
        if "connector_id" not in call.request.path_params:
            return Reply(data=_served(party, evse))
        connector = _find(evse.get("connectors", []), "id", call.path("connector_id"))
        if connector is None:
            return _unknown(party, f"connector {call.path('connector_id')}")
        return Reply(data=_served(party, connector))

    base = party.module_url(VERSION, MODULE, "SENDER").removeprefix(party.base_url)
    return [
        ocpi_route(party, base, get_list, module=MODULE, methods=["GET"]),
        ocpi_route(party, f"{base}/{{location_id}}", get_object, module=MODULE, methods=["GET"]),
        ocpi_route(party, f"{base}/{{location_id}}/{{evse_uid}}", get_object, module=MODULE, methods=["GET"]),
        ocpi_route(party, f"{base}/{{location_id}}/{{evse_uid}}/{{connector_id}}", get_object, module=MODULE,
                   methods=["GET"]),
    ]


class _Store:
    """Locations pushed to an eMSP, keyed case-insensitively by (country_code, party_id, location id)."""

    def __init__(self, party: Party) -> None:
        self.data = party.received.setdefault(MODULE, {})

    def key(self, call: Call) -> tuple[str, str, str]:
        return (call.path("country_code").upper(), call.path("party_id").upper(), call.path("location_id").upper())

    def get(self, call: Call) -> dict[str, Any] | None:
        return self.data.get(self.key(call))


def _child(parent: dict[str, Any], collection: str, key: str, value: str) -> dict[str, Any] | None:
    return _find(parent.get(collection, []), key, value)


def _later(*stamps: Any) -> str:
    return max((s for s in stamps if isinstance(s, str)), key=parse_datetime)


def receiver_routes(party: Party) -> list[BaseRoute]:
    store = _Store(party)
    faults = party.faults

    def level(call: Call) -> str:
        params = call.request.path_params
        return "Connector" if "connector_id" in params else "EVSE" if "evse_uid" in params else "Location"

    def validate(call: Call, partial: bool) -> dict[str, Any]:
        body = call.body
        if not isinstance(body, dict):
            raise OcpiError(2001, "The request body must be a JSON object", 400)
        if faults.accept_invalid_push:
            return body
        name = level(call)
        problems = schema_errors(VERSION, name, body, partial=partial)
        if problems:
            raise OcpiError(2001, f"Invalid {name}: " + "; ".join(problems[:5]), 400)
        if partial and "last_updated" not in body and not faults.patch_without_last_updated_ok:
            raise OcpiError(2001, "A PATCH must contain last_updated", 400)
        ids = {"Location": ("id", "location_id"), "EVSE": ("uid", "evse_uid"), "Connector": ("id", "connector_id")}
        field, param = ids[name]
        if field in body and not ci_equal(body[field], call.path(param)):
            raise OcpiError(2001, f"{name} {field} {body[field]!r} differs from the URL's {call.path(param)!r}", 400)
        if name == "Location":
            for field in ("country_code", "party_id"):
                if field in body and not ci_equal(body[field], call.path(field)):
                    raise OcpiError(2001, f"Location {field} differs from the URL", 400)
        return body

    def stored(obj: dict[str, Any]) -> dict[str, Any]:
        out = copy.deepcopy(obj)
        if faults.lose_pushed_field:
            out.pop(faults.lose_pushed_field, None)
        return out

    def target(call: Call, *, create: bool) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """Resolve (location, evse) for the URL; raises 2003 when the parent is unknown."""
        location = store.get(call)
        name = level(call)
        if name == "Location":
            return location, None
        if location is None:
            raise OcpiError(2003, f"Unknown location {call.path('location_id')}", 404)
        evse = _child(location, "evses", "uid", call.path("evse_uid"))
        if name == "Connector" and evse is None:
            raise OcpiError(2003, f"Unknown EVSE {call.path('evse_uid')}", 404)
        return location, evse

    def touch_parents(location: dict[str, Any], evse: dict[str, Any] | None, stamp: str) -> None:
        if faults.no_parent_last_updated:
            return
        if evse is not None:
            evse["last_updated"] = _later(evse.get("last_updated"), stamp)
        location["last_updated"] = _later(location.get("last_updated"), stamp)

    async def get(call: Call) -> Reply:
        location, evse = target(call, create=False)
        name = level(call)
        if location is None:
            raise OcpiError(2003, f"Unknown location {call.path('location_id')}", 404)
        if name == "Location":
            return Reply(data=location)
        if name == "EVSE":
            if evse is None:
                raise OcpiError(2003, f"Unknown EVSE {call.path('evse_uid')}", 404)
            return Reply(data=evse)
        assert evse is not None
        connector = _child(evse, "connectors", "id", call.path("connector_id"))
        if connector is None:
            raise OcpiError(2003, f"Unknown connector {call.path('connector_id')}", 404)
        return Reply(data=connector)

    async def put(call: Call) -> Reply:
        body = stored(validate(call, partial=False))
        location, evse = target(call, create=True)
        name = level(call)
        stamp = str(body.get("last_updated", party.now()))
        if name == "Location":
            created = location is None
            store.data[store.key(call)] = body
            return Reply(http_status=201 if created else 200, with_data=False)
        assert location is not None
        if name == "EVSE":
            evses = location.setdefault("evses", [])
            created = evse is None
            if evse is not None:
                evses[evses.index(evse)] = body
            else:
                evses.append(body)
            touch_parents(location, None, stamp)
            return Reply(http_status=201 if created else 200, with_data=False)
        assert evse is not None
        connectors = evse.setdefault("connectors", [])
        old = _child(evse, "connectors", "id", call.path("connector_id"))
        if old is not None:
            connectors[connectors.index(old)] = body
        else:
            connectors.append(body)
        touch_parents(location, evse, stamp)
        return Reply(http_status=201 if old is None else 200, with_data=False)

    async def patch(call: Call) -> Reply:
        body = stored(validate(call, partial=True))
        location, evse = target(call, create=False)
        name = level(call)
        if location is None:
            raise OcpiError(2003, f"Unknown location {call.path('location_id')}", 404)
        stamp = str(body.get("last_updated", party.now()))
        if name == "Location":
            location.update(body)
            return Reply(with_data=False)
        if evse is None:
            raise OcpiError(2003, f"Unknown EVSE {call.path('evse_uid')}", 404)
        if name == "EVSE":
            evse.update(body)
            touch_parents(location, None, stamp)
            return Reply(with_data=False)
        connector = _child(evse, "connectors", "id", call.path("connector_id"))
        if connector is None:
            raise OcpiError(2003, f"Unknown connector {call.path('connector_id')}", 404)
        connector.update(body)
        touch_parents(location, evse, stamp)
        return Reply(with_data=False)

    base = party.module_url(VERSION, MODULE, "RECEIVER").removeprefix(party.base_url) + "/{country_code}/{party_id}"
    paths = [f"{base}/{{location_id}}", f"{base}/{{location_id}}/{{evse_uid}}",
             f"{base}/{{location_id}}/{{evse_uid}}/{{connector_id}}"]
    routes: list[BaseRoute] = []
    for path in paths:
        routes += [
            ocpi_route(party, path, get, module=MODULE, methods=["GET"]),
            ocpi_route(party, path, put, module=MODULE, methods=["PUT"]),
            ocpi_route(party, path, patch, module=MODULE, methods=["PATCH"]),
        ]
    return routes


MODULES.register(ModuleImpl("OCPI", VERSION, MODULE, "SENDER", frozenset({"CPO"}), sender_routes))
MODULES.register(ModuleImpl("OCPI", VERSION, MODULE, "RECEIVER", frozenset({"EMSP"}), receiver_routes))
