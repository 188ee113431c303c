"""The OpenAPI 3.1 documents of the OCPI 2.2.1 interfaces (conformance/ocpi/v2_2_1/openapi.py): valid OpenAPI,
generated from the project's JSON Schemas, carrying the OCPI headers, pagination and envelope, served by the
reference platforms, and describing only paths those platforms really serve."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from openapi_spec_validator import validate
from starlette.routing import Match

from conformance.ocpi.v2_2_1.openapi import INTERFACES, SCHEMAS, document, interface
from simulators.ocpi.app import build_app
from simulators.ocpi.modules import MODULES
from simulators.ocpi.references import reference_party

BASE = "http://platform.test"


@pytest.mark.parametrize("item", INTERFACES, ids=lambda i: f"{i.module}-{i.role.lower()}")
def test_every_document_is_valid_openapi_3_1(item: Any) -> None:
    doc = document(item.module, item.role, f"{BASE}/ocpi/2.2.1/{item.module}")
    validate(doc)
    assert doc["openapi"] == "3.1.0"
    assert len(doc["paths"]) >= 1


def test_components_are_the_schema_files_one_source_of_truth() -> None:
    components = document("locations", "SENDER")["components"]["schemas"]
    for path in sorted(SCHEMAS.glob("*.json")):
        loaded = json.loads(path.read_text(encoding="utf-8"))
        if path.name == "types.json":
            assert set(loaded["$defs"]) <= set(components)
            continue
        component = components[path.stem]
        assert component.get("required") == loaded.get("required"), path.name
        assert set(component.get("properties", {})) == set(loaded.get("properties", {})), path.name
        assert component.get("enum") == loaded.get("enum"), path.name
    # $refs point into the document, never to the schema files
    text = json.dumps(components)
    assert ".json" not in text.replace("draft/2020-12/schema", "")


def _operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, ops in doc["paths"].items() for method, op in ops.items()]


def test_sender_list_gets_carry_pagination_headers_and_the_envelope() -> None:
    doc = document("locations", "SENDER", f"{BASE}/ocpi/cpo/2.2.1/sender/locations")
    op = doc["paths"]["/ocpi/cpo/2.2.1/sender/locations"]["get"]
    names = {(p["in"], p["name"]) for p in op["parameters"]}
    assert {("query", q) for q in ("date_from", "date_to", "offset", "limit")} <= names
    assert {("header", "X-Request-ID"), ("header", "X-Correlation-ID"), ("header", "OCPI-to-party-id")} <= names
    ok = op["responses"]["200"]
    assert set(ok["headers"]) == {"Link", "X-Total-Count", "X-Limit"}
    envelope = ok["content"]["application/json"]["schema"]
    assert set(envelope["properties"]) == {"data", "status_code", "status_message", "timestamp"}
    assert envelope["required"] == ["status_code", "timestamp"]
    assert envelope["properties"]["data"] == {"type": "array", "items": {"$ref": "#/components/schemas/Location"}}
    assert op["security"] == [{"ocpiToken": []}]
    assert doc["components"]["securitySchemes"]["ocpiToken"]["name"] == "Authorization"
    # an object GET has no pagination, and its data is one object
    one = doc["paths"]["/ocpi/cpo/2.2.1/sender/locations/{location_id}"]["get"]
    assert not {p["name"] for p in one["parameters"]} & {"offset", "limit"}
    assert one["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["data"] == {
        "$ref": "#/components/schemas/Location"}


def test_patch_bodies_need_only_last_updated() -> None:
    doc = document("sessions", "RECEIVER")
    patch = next(op for _, method, op in _operations(doc) if method == "patch")
    ref = patch["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/SessionPatch"
    assert doc["components"]["schemas"]["SessionPatch"]["required"] == ["last_updated"]


def test_unknown_interface_is_refused() -> None:
    with pytest.raises(KeyError):
        interface("locations", "HUB")


@pytest.mark.parametrize("roles", ["cpo", "emsp", "scsp"])
def test_every_interface_the_reference_offers_is_documented_and_served(roles: str) -> None:
    """Each module side the reference implements has a document, and each documented operation is a route the
    reference really serves (so the table in openapi.py and the actors agree)."""
    party = reference_party(roles, base_url=BASE)
    app = build_app(party)
    for impl in MODULES.for_party("OCPI", "2.2.1", party.roles):
        doc = document(impl.module, impl.role, party.module_url("2.2.1", impl.module, impl.role))
        for path, method, _ in _operations(doc):
            concrete = path.replace("{", "").replace("}", "")  # every parameter filled with its own name
            scope = {"type": "http", "method": method.upper(), "path": concrete, "root_path": "",
                     "query_string": b"", "headers": []}
            assert any(route.matches(scope)[0] is Match.FULL for route in app.routes), \
                f"{impl.module} {impl.role}: {method.upper()} {path} is documented but not served"


def test_the_reference_serves_its_documents() -> None:
    party = reference_party("cpo", base_url=BASE)

    async def fetch() -> tuple[httpx.Response, httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=build_app(party))
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
            return (await client.get("/ocpi/cpo/2.2.1/openapi/"),
                    await client.get("/ocpi/cpo/2.2.1/openapi/locations-sender.json"),
                    await client.get("/ocpi/cpo/2.2.1/openapi/locations-receiver.json"))

    index, one, absent = asyncio.run(fetch())
    assert index.status_code == 200
    listed = {(d["module"], d["role"]) for d in index.json()}
    assert ("locations", "SENDER") in listed and ("locations", "RECEIVER") not in listed
    assert one.status_code == 200
    doc = one.json()
    validate(doc)
    assert doc["servers"] == [{"url": BASE}]
    assert "/ocpi/cpo/2.2.1/sender/locations" in doc["paths"]
    assert absent.status_code == 404
