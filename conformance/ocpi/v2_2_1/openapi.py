"""OpenAPI 3.1 documents of the OCPI 2.2.1 interfaces, generated from the project's own JSON Schemas.

One document per (module, interface role). Each operation carries the OCPI request headers, the pagination
parameters and response headers on the paginated Sender list GETs, and the response envelope around the data
schema of the answer. The object schemas are the files of ``conformance/ocpi/v2_2_1/schemas`` (the one source of
truth), copied into ``components/schemas`` with their ``$ref``s rewritten; nothing here restates a field.

Which paths and methods each interface has is the interface tables of the spec's module chapters, encoded below as
``INTERFACES``.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["INTERFACES", "PORTABLE_DATETIME", "Interface", "Operation", "document", "interface"]

VERSION = "2.2.1"
SCHEMAS = Path(__file__).resolve().parent / "schemas"
_TYPES = "types.json"


@dataclass(frozen=True)
class Operation:
    method: str  # GET, PUT, PATCH, POST, DELETE
    path: str  # relative to the module's endpoint URL: "" or "/{location_id}"
    answer: str | None = None  # schema of the answer's data (None: no data)
    many: bool = False  # data is a list of ``answer``
    body: str | None = None  # schema of the request body
    partial: bool = False  # the body is a PATCH: any subset of ``body``'s fields
    paginated: bool = False  # a Sender list GET with date_from, date_to, offset, limit
    query: tuple[tuple[str, str, bool], ...] = ()  # other query parameters: (name, schema ref, required)
    summary: str = ""


@dataclass(frozen=True)
class Interface:
    module: str
    role: str  # SENDER or RECEIVER
    operations: tuple[Operation, ...] = field(default_factory=tuple)


_PARTY = "/{country_code}/{party_id}"
_LOC = "/{location_id}"
_EVSE = "/{location_id}/{evse_uid}"
_CONN = "/{location_id}/{evse_uid}/{connector_id}"


def _object_ops(path: str, schema: str, *, delete: bool = False, patch: bool = True,
                query: tuple[tuple[str, str, bool], ...] = ()) -> tuple[Operation, ...]:
    """GET, PUT (and PATCH, DELETE) of one object a Receiver holds."""
    ops = [Operation("GET", path, schema, query=query, summary=f"Read the {schema} the receiver holds"),
           Operation("PUT", path, None, body=schema, query=query, summary=f"Push a {schema}")]
    if patch:
        ops.append(Operation("PATCH", path, None, body=schema, partial=True, query=query,
                             summary=f"Update fields of a {schema}"))
    if delete:
        ops.append(Operation("DELETE", path, None, query=query, summary=f"Remove a {schema}"))
    return tuple(ops)


def _list(schema: str) -> Operation:
    return Operation("GET", "", schema, many=True, paginated=True, summary=f"The {schema} list, paginated")


_TOKEN_TYPE = (("type", "TokenType.json", False),)

INTERFACES: tuple[Interface, ...] = (
    Interface("credentials", "SENDER", (
        Operation("GET", "", "Credentials", summary="The credentials the client holds"),
        Operation("POST", "", "Credentials", body="Credentials", summary="Register"),
        Operation("PUT", "", "Credentials", body="Credentials", summary="Update the registration"),
        Operation("DELETE", "", None, summary="Unregister"),
    )),
    Interface("locations", "SENDER", (
        _list("Location"),
        Operation("GET", _LOC, "Location", summary="One Location"),
        Operation("GET", _EVSE, "EVSE", summary="One EVSE"),
        Operation("GET", _CONN, "Connector", summary="One Connector"),
    )),
    Interface("locations", "RECEIVER", (
        *_object_ops(_PARTY + _LOC, "Location"),
        *_object_ops(_PARTY + _EVSE, "EVSE"),
        *_object_ops(_PARTY + _CONN, "Connector"),
    )),
    Interface("sessions", "SENDER", (
        _list("Session"),
        Operation("PUT", "/{session_id}/charging_preferences", "ChargingPreferencesResponse",
                  body="ChargingPreferences", summary="Set charging preferences"),
    )),
    Interface("sessions", "RECEIVER", _object_ops(_PARTY + "/{session_id}", "Session")),
    Interface("cdrs", "SENDER", (_list("CDR"),)),
    # The receiver's GET is at the URL its Location header named for the pushed CDR: no fixed path to describe.
    Interface("cdrs", "RECEIVER", (Operation("POST", "", None, body="CDR", summary="Push a CDR"),)),
    Interface("tariffs", "SENDER", (_list("Tariff"),)),
    Interface("tariffs", "RECEIVER", _object_ops(_PARTY + "/{tariff_id}", "Tariff", patch=False, delete=True)),
    Interface("tokens", "SENDER", (
        _list("Token"),
        Operation("POST", "/{token_uid}/authorize", "AuthorizationInfo", body="LocationReferences",
                  query=_TOKEN_TYPE, summary="Real-time authorization"),
    )),
    Interface("tokens", "RECEIVER", _object_ops(_PARTY + "/{token_uid}", "Token", query=_TOKEN_TYPE)),
    Interface("commands", "RECEIVER", (
        Operation("POST", "/CANCEL_RESERVATION", "CommandResponse", body="CancelReservation"),
        Operation("POST", "/RESERVE_NOW", "CommandResponse", body="ReserveNow"),
        Operation("POST", "/START_SESSION", "CommandResponse", body="StartSession"),
        Operation("POST", "/STOP_SESSION", "CommandResponse", body="StopSession"),
        Operation("POST", "/UNLOCK_CONNECTOR", "CommandResponse", body="UnlockConnector"),
    )),
    Interface("commands", "SENDER", (
        Operation("POST", "/{command}/{uid}", None, body="CommandResult", summary="The asynchronous command result"),
    )),
    Interface("chargingprofiles", "RECEIVER", (
        Operation("GET", "/{session_id}", "ChargingProfileResponse",
                  query=(("duration", "types.json#/$defs/int", True), ("response_url", "types.json#/$defs/URL", True)),
                  summary="Ask for the active charging profile"),
        Operation("PUT", "/{session_id}", "ChargingProfileResponse", body="SetChargingProfile",
                  summary="Set a charging profile"),
        Operation("DELETE", "/{session_id}", "ChargingProfileResponse",
                  query=(("response_url", "types.json#/$defs/URL", True),), summary="Clear the charging profile"),
    )),
    Interface("chargingprofiles", "SENDER", (
        Operation("PUT", "/{session_id}", None, body="ActiveChargingProfile",
                  summary="The active charging profile changed"),
    )),
    Interface("hubclientinfo", "RECEIVER", (
        Operation("GET", _PARTY, "ClientInfo", summary="The ClientInfo the receiver holds"),
        Operation("PUT", _PARTY, None, body="ClientInfo", summary="Push a ClientInfo"),
    )),
    Interface("hubclientinfo", "SENDER", (_list("ClientInfo"),)),
)


def interface(module: str, role: str) -> Interface:
    for item in INTERFACES:
        if item.module == module and item.role == role.upper():
            return item
    raise KeyError(f"no OCPI {VERSION} interface {module} {role}")


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _component_name(ref: str, current: str) -> str:
    """``"EVSE.json"`` -> EVSE; ``"types.json#/$defs/DateTime"`` (or ``"#/$defs/DateTime"`` in types.json) ->
    DateTime."""
    target, _, pointer = ref.partition("#")
    target = target or current
    if pointer:
        prefix = "/$defs/"
        if target != _TYPES or not pointer.startswith(prefix):
            raise ValueError(f"unsupported $ref {ref!r} in {current}")
        return pointer.removeprefix(prefix)
    return target.removesuffix(".json")


def _rewrite(node: Any, current: str) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key in ("$schema", "$id"):
                continue
            if key == "$ref" and isinstance(value, str):
                out[key] = _ref(_component_name(value, current))["$ref"]
            else:
                out[key] = _rewrite(value, current)
        return out
    if isinstance(node, list):
        return [_rewrite(item, current) for item in node]
    return node


@cache
def _components() -> dict[str, Any]:
    """Every schema file (and each ``$defs`` entry of types.json) as an OpenAPI component."""
    components: dict[str, Any] = {}
    for path in sorted(SCHEMAS.glob("*.json")):
        loaded = json.loads(path.read_text(encoding="utf-8"))
        if path.name == _TYPES:
            for name, schema in loaded["$defs"].items():
                components[name] = _rewrite(schema, path.name)
            continue
        name = path.stem
        if name in components:
            raise ValueError(f"schema name {name} is both a file and a type of {_TYPES}")
        components[name] = _rewrite(loaded, path.name)
    return components


def _component_of(ref: str) -> str:
    return _component_name(ref if ref.endswith(".json") or "#" in ref else f"{ref}.json", "")


def _header(name: str, description: str, *, required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "header", "required": required, "description": description,
            "schema": {"type": "string", "maxLength": 255}}


_REQUEST_HEADERS = (
    _header("X-Request-ID", "Unique id of this request (transport_and_format_request_headers)", required=True),
    _header("X-Correlation-ID", "Id of the whole request chain", required=True),
    _header("OCPI-from-country-code", "Routing: country code of the sending party"),
    _header("OCPI-from-party-id", "Routing: party id of the sending party"),
    _header("OCPI-to-country-code", "Routing: country code of the receiving party"),
    _header("OCPI-to-party-id", "Routing: party id of the receiving party"),
)

# The pagination dates: an OCPI DateTime that every calendar holds (years 1000-9999, days up to 28, no leap
# second), so that a request generated from this document is valid whatever date library the server uses.
_QUERY_DATETIME = {"type": "string",
                   "pattern": "^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])T([01][0-9]|2[0-3]):[0-5][0-9]:"
                              "[0-5][0-9]Z$"}

PORTABLE_DATETIME = _QUERY_DATETIME  # also what the fuzzer generates in pushed objects (fuzz_receiver.py)

_PAGINATION = (
    {"name": "date_from", "in": "query", "required": False, "schema": _QUERY_DATETIME,
     "description": "Only objects with last_updated at or after this time"},
    {"name": "date_to", "in": "query", "required": False, "schema": _QUERY_DATETIME,
     "description": "Only objects with last_updated before this time"},
    {"name": "offset", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0},
     "description": "Index of the first object of the page"},
    {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0},
     "description": "Most objects the page may hold"},
)

_PAGE_HEADERS = {
    "Link": {"description": "The next page (rel=\"next\"), absent on the last page",
             "schema": {"type": "string"}},
    "X-Total-Count": {"description": "How many objects the whole list holds",
                      "schema": {"type": "string", "pattern": "^[0-9]+$"}},
    "X-Limit": {"description": "Most objects a page of this server holds",
                "schema": {"type": "string", "pattern": "^[0-9]+$"}},
}


def _envelope(data: dict[str, Any] | None) -> dict[str, Any]:
    properties: dict[str, Any] = {"data": data if data is not None else {},
                                  "status_code": _ref("StatusCode"), "status_message": _ref("string"),
                                  "timestamp": _ref("DateTime")}
    return {"type": "object", "properties": properties, "required": ["status_code", "timestamp"]}


def _data_schema(op: Operation) -> dict[str, Any] | None:
    if op.answer is None:
        return None
    one = _ref(_component_of(op.answer))
    return {"type": "array", "items": one} if op.many else one


def _operation(module: str, role: str, op: Operation, path_params: list[str]) -> dict[str, Any]:
    parameters: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True,
         "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7E]+$"}}
        for name in path_params
    ]
    parameters += [dict(p) for p in _REQUEST_HEADERS]
    if op.paginated:
        parameters += [dict(p) for p in _PAGINATION]
    for name, schema, required in op.query:
        parameters.append({"name": name, "in": "query", "required": required,
                           "schema": _ref(_component_of(schema))})
    ok: dict[str, Any] = {"description": "Answered (the OCPI status_code says how)",
                          "content": {"application/json": {"schema": _envelope(_data_schema(op))}}}
    if op.paginated:
        ok["headers"] = copy.deepcopy(_PAGE_HEADERS)
    responses: dict[str, Any] = {
        "200": ok,
        "default": {"description": "An error, still inside the OCPI envelope",
                    "content": {"application/json": {"schema": _envelope(None)}}},
    }
    if op.method in ("PUT", "POST"):
        responses["201"] = {"description": "Created", "content": {"application/json": {"schema": _envelope(None)}}}
    result: dict[str, Any] = {
        "operationId": f"{module}_{role.lower()}_{op.method.lower()}_{_slug(op.path)}",
        "summary": op.summary or f"{op.method} {module} {role.lower()}",
        "parameters": parameters,
        "responses": responses,
        "security": [{"ocpiToken": []}],
    }
    if op.body is not None:
        name = _component_of(op.body)
        body = {"$ref": f"#/components/schemas/{name}Patch"} if op.partial else _ref(name)
        result["requestBody"] = {"required": op.method != "POST" or op.body != "LocationReferences",
                                 "content": {"application/json": {"schema": body}}}
    return result


def _slug(path: str) -> str:
    parts = [p.strip("{}") for p in path.split("/") if p]
    return "_".join(parts) or "list"


def _patch_component(components: dict[str, Any], name: str) -> None:
    """``<Name>Patch``: the object's properties with only last_updated required."""
    full = components[name]
    components[f"{name}Patch"] = {"type": "object", "properties": copy.deepcopy(full.get("properties", {})),
                                  "required": ["last_updated"] if "last_updated" in full.get("properties", {}) else [],
                                  "minProperties": 1}


def document(module: str, role: str, endpoint_url: str | None = None) -> dict[str, Any]:
    """The OpenAPI 3.1 document of one interface, served from ``endpoint_url`` (the module's URL as the version
    details publish it; a placeholder when None)."""
    found = interface(module, role)
    url = (endpoint_url or f"https://ocpi.example.com/ocpi/{VERSION}/{module}").rstrip("/")
    scheme, _, rest = url.partition("://")
    host, _, base_path = rest.partition("/")
    base_path = "/" + base_path if base_path else ""
    components = copy.deepcopy(_components())
    paths: dict[str, Any] = {}
    for op in found.operations:
        if op.partial and op.body is not None:
            _patch_component(components, _component_of(op.body))
        full_path = (base_path + op.path) or "/"
        path_params = [p.strip("{}") for p in op.path.split("/") if p.startswith("{")]
        paths.setdefault(full_path, {})[op.method.lower()] = _operation(module, found.role, op, path_params)
    return {
        "openapi": "3.1.0",
        "info": {"title": f"OCPI {VERSION} {module} {found.role.lower()} interface", "version": VERSION,
                 "description": "Generated by roamcert from its own JSON Schemas of OCPI "
                                f"{VERSION}; every answer is the OCPI response envelope."},
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "servers": [{"url": f"{scheme}://{host}"}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"ocpiToken": {
                "type": "apiKey", "in": "header", "name": "Authorization",
                "description": "\"Token \" followed by the Base64 encoding of the credentials token"}},
        },
    }
