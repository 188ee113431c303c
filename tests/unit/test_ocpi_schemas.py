"""roamcert's own OCPI 2.2.1 JSON Schemas: loader API, negative cases, and agreement with the spec.

Tests marked ``spec`` read the unmodified specification from ``../shared/spec``
and skip (with a reason) when it is absent.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from conformance.ocpi import schemas
from conformance.ocpi.schemas import SchemaError
from tests.spec_paths import OCPI_2_2_1_DIR, Section, iter_sections, requires_spec

V = "2.2.1"
PACKAGE_DIR = Path(schemas.__file__).resolve().parent / "v2_2_1"
SCHEMA_DIR = PACKAGE_DIR / "schemas"
EXAMPLES_DIR = OCPI_2_2_1_DIR / "examples"
EXAMPLE_MAP: list[dict[str, Any]] = tomllib.loads((PACKAGE_DIR / "examples_map.toml").read_text("utf-8"))[
    "example"
]
ERRATA: dict[str, Any] = tomllib.loads((PACKAGE_DIR / "examples_errata.toml").read_text("utf-8"))

spec = pytest.mark.spec


def _docs() -> dict[str, dict[str, Any]]:
    return {p.stem: json.loads(p.read_text("utf-8")) for p in sorted(SCHEMA_DIR.glob("*.json"))}


DOCS = _docs()
ENUM_NAMES = sorted(n for n, d in DOCS.items() if "enum" in d)
OBJECT_NAMES = sorted(n for n, d in DOCS.items() if d.get("type") == "object")


# --------------------------------------------------------------------------- valid fixtures


def _connector(**over: Any) -> dict[str, Any]:
    c = {
        "id": "1",
        "standard": "IEC_62196_T2",
        "format": "SOCKET",
        "power_type": "AC_3_PHASE",
        "max_voltage": 230,
        "max_amperage": 16,
        "last_updated": "2024-01-01T00:00:00Z",
    }
    c.update(over)
    return c


def _location(**over: Any) -> dict[str, Any]:
    loc = {
        "country_code": "NL",
        "party_id": "RCT",
        "id": "LOC1",
        "publish": True,
        "address": "Main street 1",
        "city": "Utrecht",
        "country": "NLD",
        "coordinates": {"latitude": "52.090737", "longitude": "5.121420"},
        "evses": [
            {
                "uid": "E1",
                "status": "AVAILABLE",
                "connectors": [_connector(), _connector(id="2")],
                "last_updated": "2024-01-01T00:00:00Z",
            }
        ],
        "time_zone": "Europe/Amsterdam",
        "last_updated": "2024-01-01T00:00:00Z",
    }
    loc.update(over)
    return loc


TOKEN = {
    "country_code": "NL",
    "party_id": "RCT",
    "uid": "0102030405",
    "type": "RFID",
    "contract_id": "NL-RCT-C12345678-X",
    "issuer": "roamcert",
    "valid": True,
    "whitelist": "ALLOWED",
    "last_updated": "2024-01-01T00:00:00Z",
}
PROFILE = {"charging_rate_unit": "W", "charging_profile_period": [{"start_period": 0, "limit": 11000.0}]}

# One valid instance for objects that no spec example covers, so every $ref chain is exercised.
VALID: dict[str, Any] = {
    "Location": _location(),
    "Token": TOKEN,
    "AuthorizationInfo": {
        "allowed": "ALLOWED",
        "token": TOKEN,
        "location": {"location_id": "LOC1", "evse_uids": ["E1"]},
        "info": {"language": "en", "text": "Welcome"},
    },
    "CancelReservation": {"response_url": "https://emsp.example/cmd/1", "reservation_id": "R1"},
    "CommandResponse": {"result": "ACCEPTED", "timeout": 30, "message": [{"language": "en", "text": "ok"}]},
    "CommandResult": {"result": "EVSE_OCCUPIED"},
    "ReserveNow": {
        "response_url": "https://emsp.example/cmd/2",
        "token": TOKEN,
        "expiry_date": "2024-01-01T01:00:00",
        "reservation_id": "R1",
        "location_id": "LOC1",
        "evse_uid": "E1",
    },
    "StartSession": {
        "response_url": "https://emsp.example/cmd/3",
        "token": TOKEN,
        "location_id": "LOC1",
        "evse_uid": "E1",
        "connector_id": "1",
        "authorization_reference": "A1",
    },
    "StopSession": {"response_url": "https://emsp.example/cmd/4", "session_id": "S1"},
    "UnlockConnector": {
        "response_url": "https://emsp.example/cmd/5",
        "location_id": "LOC1",
        "evse_uid": "E1",
        "connector_id": "1",
    },
    "ChargingProfileResponse": {"result": "TOO_OFTEN", "timeout": 10},
    "ActiveChargingProfileResult": {
        "result": "ACCEPTED",
        "profile": {"start_date_time": "2024-01-01T00:00:00Z", "charging_profile": PROFILE},
    },
    "ChargingProfileResult": {"result": "UNKNOWN"},
    "ClearProfileResult": {"result": "REJECTED"},
    "SetChargingProfile": {"charging_profile": PROFILE, "response_url": "https://emsp.example/cp/1"},
    "ChargingPreferences": {
        "profile_type": "GREEN",
        "departure_time": "2024-01-01T18:00:00Z",
        "energy_need": 20.5,
        "discharge_allowed": False,
    },
    "ClientInfo": {
        "party_id": "abc",
        "country_code": "de",
        "role": "SCSP",
        "status": "SUSPENDED",
        "last_updated": "2024-01-01T00:00:00.123Z",
    },
    "SignedData": {
        "encoding_method": "OCMF",
        "encoding_method_version": 1,
        "signed_values": [{"nature": "Start", "plain_data": "OCMF|{}", "signed_data": "c2ln"}],
    },
    "StatusSchedule": {"period_begin": "2024-01-01T00:00:00Z", "status": "PLANNED"},
    "EVSE": {
        "uid": "E1",
        "status": "PLANNED",
        "status_schedule": [
            {
                "period_begin": "2024-01-01T00:00:00Z",
                "period_end": "2024-02-01T00:00:00Z",
                "status": "AVAILABLE",
            }
        ],
        "capabilities": ["START_SESSION_CONNECTOR_REQUIRED"],
        "connectors": [_connector()],
        "images": [{"url": "https://cpo.example/i.png", "category": "CHARGER", "type": "png", "width": 800}],
        "last_updated": "2024-01-01T00:00:00Z",
    },
    "Response": {
        "status_code": 2001,
        "status_message": "Missing required field: type",
        "timestamp": "2015-06-30T21:59:59Z",
    },
    "Endpoint": {"identifier": "nltnm-tokens", "role": "SENDER", "url": "https://a.example/custom"},
}


# --------------------------------------------------------------------------- schema files


def test_every_schema_file_is_valid_draft_2020_12_with_project_id() -> None:
    assert len(DOCS) >= 90
    for name, doc in DOCS.items():
        Draft202012Validator.check_schema(doc)
        assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema", name
        assert doc["$id"] == f"https://roamcert.org/schemas/ocpi/2.2.1/{name}.json", name


def _refs(node: object) -> Iterator[str]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_every_ref_is_relative_and_resolves_offline() -> None:
    for name, doc in DOCS.items():
        for ref in _refs(doc):
            assert not ref.startswith(("http:", "https:")), f"{name}: absolute $ref {ref}"
            target = f"{name}.json{ref}" if ref.startswith("#") else ref
            file_part, _, pointer = target.partition("#")
            assert file_part.removesuffix(".json") in DOCS, f"{name}: $ref {ref} names no schema file"
            if pointer:
                schemas.validator(V, f"{file_part}#{pointer}")  # raises KeyError if unresolvable


def test_schema_names_lists_objects_and_enums_but_not_shared_types() -> None:
    names = schemas.schema_names(V)
    assert "types" not in names
    assert names == sorted(names)
    expected = {"Location", "EVSE", "Connector", "CDR", "Response", "VersionDetails", "ModuleID", "Role"}
    assert expected <= set(names)
    assert len(names) == len(DOCS) - 1


def test_supported_versions() -> None:
    assert "2.2.1" in schemas.supported_versions()


@pytest.mark.parametrize("name", sorted(VALID))
def test_valid_instances_pass(name: str) -> None:
    assert schemas.errors(V, name, VALID[name]) == []


# --------------------------------------------------------------------------- API behaviour


def test_validator_is_cached_per_version_and_name() -> None:
    assert schemas.validator(V, "Location") is schemas.validator(V, "Location")
    assert schemas.validator(V, "Location") is not schemas.patch_validator(V, "Location")


def test_unknown_version_raises_key_error_naming_known_versions() -> None:
    with pytest.raises(KeyError, match=r"'9\.9'.*2\.2\.1"):
        schemas.validator("9.9", "Location")
    with pytest.raises(KeyError):
        schemas.schema_names("2.1.1x")


def test_unknown_name_raises_key_error_with_suggestion() -> None:
    with pytest.raises(KeyError, match=r"Locaton.*Location"):
        schemas.validator(V, "Locaton")
    with pytest.raises(KeyError):
        schemas.errors(V, "types", {})
    with pytest.raises(KeyError):
        schemas.validator(V, "types.json#/$defs/NoSuchType")


def test_pointer_names_validate_shared_types() -> None:
    dt = "types.json#/$defs/DateTime"
    assert schemas.errors(V, dt, "2016-12-29T17:45:09.2Z") == []
    assert schemas.errors(V, dt, "2016-12-29T17:45:09+01:00")


def test_schema_returns_a_copy() -> None:
    doc = schemas.schema(V, "Location")
    doc["required"].clear()
    assert "id" in schemas.schema(V, "Location")["required"]


# --------------------------------------------------------------------------- negative cases


def test_location_missing_id_names_the_path() -> None:
    loc = _location()
    del loc["id"]
    errs = schemas.errors(V, "Location", loc)
    assert errs == ["$.id: 'id' is a required property"]
    details = schemas.error_details(V, "Location", loc)
    assert details == [SchemaError("$.id", "required", "'id' is a required property")]


def test_bad_connector_enum_value_names_the_nested_path() -> None:
    loc = _location()
    loc["evses"][0]["connectors"][1]["power_type"] = "AC_4_PHASE"
    (err,) = schemas.errors(V, "Location", loc)
    assert err.startswith("$.evses[0].connectors[1].power_type: 'AC_4_PHASE' is not one of [")
    assert "'AC_3_PHASE'" in err


def test_party_id_of_four_characters_fails() -> None:
    errs = schemas.errors(V, "Location", _location(party_id="ABCD"))
    assert errs
    assert all(e.startswith("$.party_id: ") for e in errs)


@pytest.mark.parametrize("value", ["nl", "Nl", "NL"])
def test_country_code_is_case_insensitive(value: str) -> None:
    assert schemas.errors(V, "Location", _location(country_code=value)) == []


@pytest.mark.parametrize("value", ["N", "NLD", "N1", "", "NL\n"])
def test_bad_country_code_fails(value: str) -> None:
    assert schemas.errors(V, "Location", _location(country_code=value))


@pytest.mark.parametrize("value", ["abc", "A1B", "123"])
def test_party_id_letters_and_digits_any_case(value: str) -> None:
    assert schemas.errors(V, "Token", {**TOKEN, "party_id": value}) == []


@pytest.mark.parametrize(
    "value",
    [
        "2015-06-29T20:39:09Z",
        "2015-06-29T20:39:09",
        "2016-12-29T17:45:09.2Z",
        "2016-12-29T17:45:09.2",
        "2018-01-01T01:08:01.123Z",
        "2018-01-01T01:08:01.123",
    ],
)
def test_datetime_forms_the_spec_shows_are_accepted(value: str) -> None:
    assert schemas.errors(V, "Location", _location(last_updated=value)) == []


@pytest.mark.parametrize(
    "value",
    [
        "2015-06-29T20:39:09+00:00",  # an offset is not UTC in OCPI
        "2015-06-29 20:39:09Z",
        "2015-06-29t20:39:09z",
        "2015-06-29",
        "2015-13-01T00:00:00Z",
        "2015-06-29T24:00:00Z",
        "2018-01-01T01:08:01.1234567Z",  # longer than string(25)
        "2015-06-29T20:39:09Z\n",
        "1970-1-1T00:00:00Z",
    ],
)
def test_datetime_other_forms_are_rejected(value: str) -> None:
    errs = schemas.errors(V, "Location", _location(last_updated=value))
    assert errs and all(e.startswith("$.last_updated: ") for e in errs)


def test_string_lengths_are_enforced() -> None:
    errs = schemas.errors(V, "Location", _location(city="x" * 46))
    assert errs == [f"$.city: '{'x' * 46}' is too long"]


def test_non_printable_characters_are_rejected() -> None:
    assert schemas.errors(V, "Location", _location(name="Gent\nZuid")) == [
        "$.name: 'Gent\\nZuid' contains control (non-printable) characters"
    ]
    assert schemas.errors(V, "Location", _location(id="LOC-é"))[0].startswith(
        "$.id: 'LOC-é' contains characters"
    )


def test_plus_cardinality_needs_at_least_one_item() -> None:
    loc = _location()
    loc["evses"][0]["connectors"] = []
    assert schemas.errors(V, "Location", loc) == ["$.evses[0].connectors: [] should be non-empty"]


def test_unknown_fields_are_allowed() -> None:
    assert schemas.errors(V, "Location", _location(x_vendor_field={"anything": 1})) == []


def test_publish_allowed_to_only_when_not_published() -> None:
    allowed = [{"uid": "0102", "type": "RFID"}]
    assert schemas.errors(V, "Location", _location(publish=False, publish_allowed_to=allowed)) == []
    (err,) = schemas.errors(V, "Location", _location(publish=True, publish_allowed_to=allowed))
    assert err.startswith("$.publish_allowed_to: ") and "publish is false" in err


@pytest.mark.parametrize(
    ("token", "path"),
    [
        ({}, "$.publish_allowed_to[0]"),  # none of uid / visual_number / group_id
        ({"uid": "1"}, "$.publish_allowed_to[0].type"),  # uid needs type
        ({"visual_number": "1"}, "$.publish_allowed_to[0].issuer"),  # visual_number needs issuer
    ],
)
def test_publish_token_rules(token: dict[str, str], path: str) -> None:
    errs = schemas.errors(V, "Location", _location(publish=False, publish_allowed_to=[token]))
    assert [e.split(": ")[0] for e in errs] == [path]


def test_hours_need_regular_hours_unless_24_7() -> None:
    assert schemas.errors(V, "Hours", {"twentyfourseven": True}) == []
    (err,) = schemas.errors(V, "Hours", {"twentyfourseven": False})
    assert err.startswith("$.regular_hours: ")
    week = [{"weekday": 1, "period_begin": "08:00", "period_end": "18:00"}]
    assert schemas.errors(V, "Hours", {"twentyfourseven": True, "regular_hours": week})
    bad = [{"weekday": 8, "period_begin": "8:00", "period_end": "24:00"}]
    paths = {
        e.split(": ")[0] for e in schemas.errors(V, "Hours", {"twentyfourseven": False, "regular_hours": bad})
    }
    assert paths == {
        "$.regular_hours[0].weekday",
        "$.regular_hours[0].period_begin",
        "$.regular_hours[0].period_end",
    }


def test_start_session_connector_needs_evse() -> None:
    cmd = dict(VALID["StartSession"])
    del cmd["evse_uid"]
    assert [e.split(": ")[0] for e in schemas.errors(V, "StartSession", cmd)] == ["$.evse_uid"]


def test_credit_cdr_rules() -> None:
    errs = schemas.errors(V, "CDR", {"id": "X" * 39, "credit": True}, partial=True)
    assert errs == []
    errs = schemas.errors(V, "CDR", {"id": "X" * 37}, partial=True)
    assert [e.split(": ")[0] for e in errs] == ["$.id"]


def test_reservation_tariff_element_prices_only_flat_and_time() -> None:
    element = {
        "price_components": [{"type": "ENERGY", "price": 0.25, "step_size": 1}],
        "restrictions": {"reservation": "RESERVATION"},
    }
    (err,) = schemas.errors(V, "TariffElement", element)
    assert err.startswith("$.price_components[0].type: 'ENERGY' is not one of ['FLAT', 'TIME']")


def test_state_of_charge_is_a_percentage() -> None:
    assert schemas.errors(V, "CdrDimension", {"type": "STATE_OF_CHARGE", "volume": 80}) == []
    assert schemas.errors(V, "CdrDimension", {"type": "STATE_OF_CHARGE", "volume": 101})
    assert schemas.errors(V, "CdrDimension", {"type": "ENERGY", "volume": 101}) == []


def test_geolocation_patterns() -> None:
    ok = {"latitude": "51.047599", "longitude": "-126.104965"}
    assert schemas.errors(V, "GeoLocation", ok) == []
    errs = schemas.errors(V, "GeoLocation", {"latitude": "51.0475", "longitude": 3.729944})
    assert [e.split(": ")[0] for e in errs] == ["$.latitude", "$.longitude"]


def test_endpoint_identifier_accepts_custom_modules_but_role_is_strict() -> None:
    assert (
        schemas.errors(V, "Endpoint", {"identifier": "locations", "role": "SENDER", "url": "https://a.b/c"})
        == []
    )
    assert schemas.errors(V, "ModuleID", "nltnm-tokens")  # not a standard module
    errs = schemas.errors(V, "Endpoint", {"identifier": "locations", "role": "sender", "url": "not a url"})
    assert [e.split(": ")[0] for e in errs] == ["$.role", "$.url"]


def test_response_envelope() -> None:
    assert (
        schemas.errors(
            V, "Response", {"data": None, "status_code": 3001, "timestamp": "2024-01-01T00:00:00Z"}
        )
        == []
    )
    errs = schemas.errors(V, "Response", {"status_code": 200, "timestamp": "now"})
    assert [e.split(": ")[0] for e in errs] == ["$.status_code", "$.timestamp"]


def test_partial_validation_for_patch_bodies() -> None:
    patch = {"status": "CHARGING", "last_updated": "2019-06-24T12:39:09Z"}
    assert schemas.errors(V, "EVSE", patch, partial=True) == []
    assert schemas.patch_validator(V, "EVSE").is_valid(patch)
    assert not schemas.validator(V, "EVSE").is_valid(patch)
    # values present must still be valid and complete
    errs = schemas.errors(V, "EVSE", {"status": "BROKEN", "connectors": [{"id": "1"}]}, partial=True)
    paths = {e.split(": ")[0] for e in errs}
    assert "$.status" in paths
    assert "$.connectors[0].standard" in paths
    # cross-field value rules on fields present still hold
    bad = {"publish": True, "publish_allowed_to": [{"group_id": "G1"}]}
    assert schemas.errors(V, "Location", bad, partial=True)


def test_many_and_root_for_response_data_lists() -> None:
    data = [
        {"version": "2.2.1", "url": "https://a.example/2.2.1"},
        {"version": "3.0", "url": "https://a.example/3"},
    ]
    errs = schemas.errors(V, "Version", data, many=True, root="$.data")
    assert [e.split(": ")[0] for e in errs] == ["$.data[1].version"]
    assert schemas.list_validator(V, "Version").is_valid(data[:1])
    assert schemas.errors(V, "Version", {"version": "2.2.1"}, many=True) == [
        "$: {'version': '2.2.1'} is not of type 'array'"
    ]


def test_errors_are_sorted_and_capped() -> None:
    items: list[dict[str, str]] = [{} for _ in range(40)]
    errs = schemas.errors(V, "Version", items, many=True)
    assert len(errs) == schemas.MAX_ERRORS == 50
    assert errs == sorted(errs)
    assert len(schemas.errors(V, "Version", items, many=True, limit=None)) == 80


def test_odd_keys_are_quoted_in_paths() -> None:
    errs = schemas.errors(V, "types.json#/$defs/int", "x", root="$['weird key']")
    assert errs == ["$['weird key']: 'x' is not of type 'integer'"]


# --------------------------------------------------------------------------- spec examples


def _example_id(entry: Mapping[str, Any]) -> str:
    return str(entry["file"])


def _resolve_pointer(doc: Any, pointer: str) -> Any:
    for token in pointer.lstrip("/").split("/") if pointer else []:
        doc = doc[int(token)] if isinstance(doc, list) else doc[token.replace("~1", "/").replace("~0", "~")]
    return doc


def _validate_example(entry: Mapping[str, Any]) -> list[SchemaError]:
    instance = json.loads((EXAMPLES_DIR / entry["file"]).read_text("utf-8"))
    found: list[SchemaError] = []
    root = "$"
    if entry.get("envelope"):
        found += schemas.error_details(V, "Response", instance, limit=None)
        instance = instance["data"]
        root = "$.data"
    if "pointer" in entry:
        instance = _resolve_pointer(instance, entry["pointer"])
        root += "".join(f".{t}" for t in entry["pointer"].lstrip("/").split("/"))
    found += schemas.error_details(
        V,
        entry["schema"],
        instance,
        partial=bool(entry.get("partial")),
        many=bool(entry.get("many")),
        root=root,
        limit=None,
    )
    return found


def test_example_map_and_errata_are_consistent() -> None:
    files = [e["file"] for e in EXAMPLE_MAP]
    assert len(files) == len(set(files)), "an example is mapped twice"
    for entry in EXAMPLE_MAP:
        assert set(entry) <= {"file", "schema", "anchor", "pointer", "partial", "many", "envelope"}, entry
        assert entry["schema"] in schemas.schema_names(V), entry
    for item in [*ERRATA["erratum"], *ERRATA["observation"]]:
        assert item["file"] in files, item
        assert item.get("reason") or item.get("note"), item


@spec
@requires_spec
def test_every_spec_example_is_mapped() -> None:
    on_disk = sorted(p.name for p in EXAMPLES_DIR.glob("*.json"))
    assert on_disk, f"no examples in {EXAMPLES_DIR}"
    assert sorted(e["file"] for e in EXAMPLE_MAP) == on_disk


@spec
@requires_spec
def test_example_and_errata_anchors_exist_in_spec() -> None:
    anchors = _spec_anchors()
    for item in [*EXAMPLE_MAP, *ERRATA["erratum"], *ERRATA["observation"]]:
        assert item["anchor"] in anchors, item


@spec
@requires_spec
@pytest.mark.parametrize("entry", EXAMPLE_MAP, ids=_example_id)
def test_spec_example_matches_schema_or_listed_errata(entry: Mapping[str, Any]) -> None:
    expected = {(e["path"], e["keyword"]) for e in ERRATA["erratum"] if e["file"] == entry["file"]}
    found = _validate_example(entry)
    got = {(e.path, e.keyword) for e in found}
    assert got == expected, "\n".join(str(e) for e in found) or "no errors, but errata are listed"


def _walk_path(doc: Any, path: str) -> tuple[Any, Any, str]:
    """(parent, value, last key) for a simple JSON path like $.a.b[0].c."""
    tokens: list[str | int] = [
        int(t[1:-1]) if t.startswith("[") else t.lstrip(".") for t in re.findall(r"\.\w+|\[\d+\]", path)
    ]
    parent: Any = None
    for token in tokens:
        parent, doc = doc, doc[token]
    return parent, doc, str(tokens[-1])


@spec
@requires_spec
@pytest.mark.parametrize("item", ERRATA["observation"], ids=lambda o: f"{o['file']}:{o['path']}")
def test_observations_still_apply(item: Mapping[str, Any]) -> None:
    doc = json.loads((EXAMPLES_DIR / item["file"]).read_text("utf-8"))
    _parent, _value, key = _walk_path(doc, item["path"])  # KeyError if the example changed
    if item["kind"] == "unknown-field":
        (entry,) = [e for e in EXAMPLE_MAP if e["file"] == item["file"]]
        assert key not in DOCS[entry["schema"]]["properties"]
    else:
        assert item["kind"] == "semantic"


# --------------------------------------------------------------------------- agreement with spec tables


@cache
def _spec_anchors() -> frozenset[str]:
    found: set[str] = set()
    for path in OCPI_2_2_1_DIR.glob("*.asciidoc"):
        found.update(re.findall(r"^\[\[([^\]]+)\]\]", path.read_text("utf-8"), flags=re.M))
    return frozenset(found)


_EXTRA_OBJECTS = {
    "transport_and_format_response_format": "Response",
    "version_information_get_details_endpoint_data": "VersionDetails",
}
_OBJECT_TITLE = re.compile(r"^_?([A-Za-z]+?)_? (?:Object|object|_class_)$")
_ENUM_TITLE = re.compile(r"^([A-Za-z]+) _enum_$")


@cache
def _spec_sections() -> dict[str, dict[str, Section]]:
    """{"object": {name: section}, "enum": {name: section}} over all spec documents."""
    out: dict[str, dict[str, Section]] = {"object": {}, "enum": {}}
    for path in sorted(OCPI_2_2_1_DIR.glob("*.asciidoc")):
        for section in iter_sections(path):
            obj = _OBJECT_TITLE.match(section.title)
            enum = _ENUM_TITLE.match(section.title)
            if section.anchor in _EXTRA_OBJECTS:
                out["object"][_EXTRA_OBJECTS[section.anchor]] = section
            elif obj and section.first_table() is not None:
                assert obj.group(1) not in out["object"], f"object {obj.group(1)} defined twice"
                out["object"][obj.group(1)] = section
            elif enum:
                assert enum.group(1) not in out["enum"], f"enum {enum.group(1)} defined twice"
                out["enum"][enum.group(1)] = section
    return out


def _spec_enum_values(section: Section) -> list[str]:
    table = section.first_table()
    assert table is not None, f"{section.anchor}: no table"
    col = table.column("Value", "ModuleID")
    return [row[col] for row in table.rows]


@spec
@requires_spec
def test_every_spec_object_and_enum_has_a_schema_and_vice_versa() -> None:
    sections = _spec_sections()
    assert len(sections["enum"]) >= 30 and len(sections["object"]) >= 50
    assert sorted(sections["enum"]) == ENUM_NAMES
    assert sorted(sections["object"]) == OBJECT_NAMES
    assert set(DOCS) == {*ENUM_NAMES, *OBJECT_NAMES, "types"}


@spec
@requires_spec
@pytest.mark.parametrize("name", ENUM_NAMES)
def test_enum_values_equal_spec_table(name: str) -> None:
    section = _spec_sections()["enum"][name]
    assert DOCS[name]["enum"] == _spec_enum_values(section)
    assert DOCS[name]["$comment"].endswith(str(section.anchor))


_TYPE_CELL = re.compile(r"^(?:<<[^,>]*,\s*([^>]+?)\s*>>|([A-Za-z]+))\s*(?:\((\d+)\))?$")
_BASIC = {"CiString", "string", "URL", "DateTime", "number", "int", "boolean"}


def _effective(node: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Keywords of a property schema merged along its types.json $ref chain, and the chain's def names."""
    merged: dict[str, Any] = {}
    chain: list[str] = []
    current: Mapping[str, Any] | None = node
    while current is not None:
        for key, value in current.items():
            if key == "maxLength":
                merged[key] = min(value, merged.get(key, value))
            else:
                merged.setdefault(key, value)
        ref = current.get("$ref", "")
        match = re.fullmatch(r"(?:types\.json)?#/\$defs/(\w+)", ref)
        current = DOCS["types"]["$defs"][match.group(1)] if match else None
        if match:
            chain.append(match.group(1))
    return merged, chain


def _check_row(name: str, prop: str, type_cell: str, card: str, node: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []
    where = f"{name}.{prop}"
    if card in ("*", "+"):
        if node.get("type") != "array":
            return [f"{where}: cardinality {card} needs an array"]
        if (card == "+") != (node.get("minItems") == 1):
            problems.append(f"{where}: minItems must be 1 exactly when cardinality is +")
        node = node["items"]
    match = _TYPE_CELL.match(type_cell)
    if match is None:  # e.g. "Array or Object or String" of the response envelope
        return problems
    label, length = match.group(1) or match.group(2), match.group(3)
    if label not in _BASIC:
        refs = [node.get("$ref")] + [alt.get("$ref") for alt in node.get("anyOf", [])]
        if f"{label}.json" not in refs:
            problems.append(f"{where}: expected $ref {label}.json, got {refs}")
        return problems
    merged, chain = _effective(node)
    expected_type = {"number": "number", "int": "integer", "boolean": "boolean"}.get(label, "string")
    if merged.get("type") != expected_type:
        problems.append(f"{where}: type {merged.get('type')} != {expected_type}")
    if label in ("CiString", "string", "URL", "DateTime") and label not in chain:
        problems.append(f"{where}: must build on types.json {label}, chain is {chain}")
    if length is not None and label == "int":
        # int(n): at most n digits; a tighter range stated elsewhere (weekday 1-7) is fine
        if not isinstance(merged.get("maximum"), int) or merged["maximum"] > 10 ** int(length) - 1:
            problems.append(f"{where}: maximum {merged.get('maximum')} allows more than {length} digits")
    elif length is not None and merged.get("maxLength") != int(length):
        problems.append(f"{where}: maxLength {merged.get('maxLength')} != {length}")
    return problems


@spec
@requires_spec
@pytest.mark.parametrize("name", OBJECT_NAMES)
def test_object_schema_matches_spec_table(name: str) -> None:
    section = _spec_sections()["object"][name]
    table = section.first_table()
    assert table is not None
    col_prop, col_type, col_card = table.column("Property"), table.column("Type"), table.column("Card.")
    rows = {row[col_prop]: (row[col_type], row[col_card]) for row in table.rows}
    doc = DOCS[name]
    assert list(doc["properties"]) == list(rows), "property names/order differ from the spec table"
    assert doc["required"] == [p for p, (_t, card) in rows.items() if card in ("1", "+")]
    assert doc["$comment"].endswith(str(section.anchor))
    problems = [
        problem
        for prop, (type_cell, card) in rows.items()
        for problem in _check_row(name, prop, type_cell, card, doc["properties"][prop])
    ]
    assert problems == []
