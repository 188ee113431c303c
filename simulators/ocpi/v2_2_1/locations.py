"""The Locations module: the CPO's Sender interface and the eMSP's Receiver interface (mod_locations)."""

from __future__ import annotations

import copy
from typing import Any, TypeVar

from starlette.routing import BaseRoute

from conformance.ocpi.schemas import errors as schema_errors
from conformance.ocpi.types import ci_equal, parse_datetime
from simulators.behaviours import Behaviour
from simulators.ocpi.endpoint import Call, OcpiError, Reply, ocpi_route
from simulators.ocpi.modules import MODULES, ModuleImpl
from simulators.ocpi.pagination import paginated_reply
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1 import VERSION
from simulators.ocpi.v2_2_1.addressing import addressed_objects
from simulators.ocpi.v2_2_1.receiving import KEPT, RULES, STORED

__all__ = ["OBJECT", "PARENT_LAST_UPDATED", "SERVED", "UNKNOWN", "receiver_routes", "sender_routes"]

T = TypeVar("T")

MODULE = "locations"


def _find(items: list[dict[str, Any]], key: str, value: str) -> dict[str, Any] | None:
    return next((item for item in items if ci_equal(item.get(key), value)), None)


def _served(obj: dict[str, Any]) -> dict[str, Any]:
    """A Location, EVSE or Connector as it leaves the platform: as stored."""
    return obj


def _unknown(what: str) -> Reply:
    raise OcpiError(2003, f"Unknown {what}", 404)


def _object(level: str, items: list[dict[str, Any]], key: str, value: str) -> dict[str, Any] | None:
    """The Location, EVSE or Connector (``level``) a GET of one object answers with: the one the URL names."""
    return _find(items, key, value)


def _touch_parents(location: dict[str, Any], evse: dict[str, Any] | None, stamp: str) -> None:
    """A pushed EVSE or Connector changes its parents: their last_updated is at least its own."""
    if evse is not None:
        evse["last_updated"] = _later(evse.get("last_updated"), stamp)
    location["last_updated"] = _later(location.get("last_updated"), stamp)


def _later(*stamps: Any) -> str:
    return max((s for s in stamps if isinstance(s, str)), key=parse_datetime)


def _point(name: str, conformant: T) -> Behaviour[T]:
    return Behaviour("OCPI", VERSION, MODULE, name, conformant)


SERVED = _point("sender.served", _served)  # what the Sender answers of a stored object
UNKNOWN = _point("sender.unknown", _unknown)  # the answer to a GET of an object the Sender does not have
OBJECT = _point("sender.object", _object)  # the object a GET of one object answers with
PARENT_LAST_UPDATED = _point("receiver.parent_last_updated", _touch_parents)  # a push's effect on its parents


def sender_routes(party: Party) -> list[BaseRoute]:
    def locations() -> list[dict[str, Any]]:
        return party.owned.setdefault(MODULE, [])

    async def get_list(call: Call) -> Reply:
        reply = paginated_reply(call, addressed_objects(call, locations()))
        reply.data = [party.behaviours(SERVED)(obj) for obj in reply.data]
        return reply

    async def get_object(call: Call) -> Reply:
        behave = party.behaviours
        location = behave(OBJECT)("Location", locations(), "id", call.path("location_id"))
        if location is None:
            return behave(UNKNOWN)(f"location {call.path('location_id')}")
        if "evse_uid" not in call.request.path_params:
            return Reply(data=behave(SERVED)(location))
        evse = behave(OBJECT)("EVSE", location.get("evses", []), "uid", call.path("evse_uid"))
        if evse is None:
            return behave(UNKNOWN)(f"EVSE {call.path('evse_uid')}")
        if "connector_id" not in call.request.path_params:
            return Reply(data=behave(SERVED)(evse))
        connector = behave(OBJECT)("Connector", evse.get("connectors", []), "id", call.path("connector_id"))
        if connector is None:
            return behave(UNKNOWN)(f"connector {call.path('connector_id')}")
        return Reply(data=behave(SERVED)(connector))

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


def receiver_routes(party: Party) -> list[BaseRoute]:
    store = _Store(party)

    def level(call: Call) -> str:
        params = call.request.path_params
        return "Connector" if "connector_id" in params else "EVSE" if "evse_uid" in params else "Location"

    def validate(call: Call, partial: bool) -> dict[str, Any]:
        body = call.body
        if not isinstance(body, dict):
            raise OcpiError(2001, "The request body must be a JSON object")
        name = level(call)
        rules = party.behaviours(RULES)(name)
        if rules.valid:
            problems = schema_errors(VERSION, name, body, partial=partial)
            if problems:
                raise OcpiError(2001, f"Invalid {name}: " + "; ".join(problems[:5]))
        if partial and rules.stamped and "last_updated" not in body:
            raise OcpiError(2001, "A PATCH must contain last_updated")
        if not rules.valid:
            return body
        ids = {"Location": ("id", "location_id"), "EVSE": ("uid", "evse_uid"), "Connector": ("id", "connector_id")}
        field, param = ids[name]
        if field in body and not ci_equal(body[field], call.path(param)):
            raise OcpiError(2001, f"{name} {field} {body[field]!r} differs from the URL's {call.path(param)!r}")
        if name == "Location":
            for field in ("country_code", "party_id"):
                if field in body and not ci_equal(body[field], call.path(field)):
                    raise OcpiError(2001, f"Location {field} differs from the URL")
        return body

    def stored(call: Call, obj: dict[str, Any]) -> dict[str, Any]:
        return party.behaviours(KEPT)(level(call), copy.deepcopy(obj))

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
        party.behaviours(PARENT_LAST_UPDATED)(location, evse, stamp)

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
        body = stored(call, validate(call, partial=False))
        location, evse = target(call, create=True)
        name = level(call)
        stamp = str(body.get("last_updated", party.now()))
        if name == "Location":
            created = location is None
            store.data[store.key(call)] = body
            return Reply(http_status=party.behaviours(STORED)(name, created), with_data=False)
        assert location is not None
        if name == "EVSE":
            evses = location.setdefault("evses", [])
            created = evse is None
            if evse is not None:
                evses[evses.index(evse)] = body
            else:
                evses.append(body)
            touch_parents(location, None, stamp)
            return Reply(http_status=party.behaviours(STORED)(name, created), with_data=False)
        assert evse is not None
        connectors = evse.setdefault("connectors", [])
        old = _child(evse, "connectors", "id", call.path("connector_id"))
        if old is not None:
            connectors[connectors.index(old)] = body
        else:
            connectors.append(body)
        touch_parents(location, evse, stamp)
        return Reply(http_status=party.behaviours(STORED)(name, old is None), with_data=False)

    async def patch(call: Call) -> Reply:
        body = stored(call, validate(call, partial=True))
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
MODULES.register(ModuleImpl("OCPI", VERSION, MODULE, "RECEIVER", frozenset({"EMSP", "NSP"}), receiver_routes))
