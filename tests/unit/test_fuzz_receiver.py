"""Schema fuzzing of Receivers (conformance/ocpi/v2_2_1/fuzz_receiver.py): generated objects pushed to the
reference Receivers are stored and read back, invalid ones refused; a Receiver that keeps an invalid object, or
refuses a valid push, is reported under the scenario flows' check ids with a reproducing curl line."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx

import conformance.ocpi.v2_2_1.checks  # noqa: F401  (registers the checks that judge each answer)
from conformance.core.checks import run_checks
from conformance.ocpi.auth import encode_token
from conformance.ocpi.schemas import errors as schema_errors
from conformance.ocpi.v2_2_1.fuzz import (
    _KEPT_EXCHANGES,
    FuzzOptions,
    FuzzPlatform,
    OperationResult,
    case_record,
    declared_endpoints,
    served_reference,
)
from conformance.ocpi.v2_2_1.fuzz_receiver import Mutation, fuzz_receiver, mutations, receiver_operations
from conformance.ocpi.v2_2_1.openapi import document


def _fuzz(role: str, profile: str = "conformant", *, examples: int = 3,
          modules: tuple[str, ...] = ()) -> tuple[FuzzPlatform, list[OperationResult]]:
    with served_reference(role, profile) as platform:
        with httpx.Client(timeout=30) as client:
            endpoints = declared_endpoints(platform, client)
        results = []
        for module, interface, url in sorted(endpoints):
            if interface == "RECEIVER" and (not modules or module in modules):
                results += fuzz_receiver(platform, module, url, FuzzOptions(max_examples=examples, seed=3),
                                         time.monotonic() + 300, lambda x, e: run_checks(x, e, "response"))
    return platform, results


def _records(platform: FuzzPlatform, results: list[OperationResult]) -> dict[str, dict[str, Any]]:
    return {r["id"].removeprefix("OCPI-2.2.1-FUZZ-"): r for r in (case_record(platform, x) for x in results)}


def test_the_reference_emsp_receivers_store_what_is_pushed_and_refuse_invalid_objects() -> None:
    platform, results = _fuzz("emsp")
    records = _records(platform, results)
    assert set(records) == {
        "CDRS-RECEIVER-POST", "CDRS-RECEIVER-POST-INVALID",
        "LOCATIONS-RECEIVER-PUT-LOCATION_ID", "LOCATIONS-RECEIVER-PUT-LOCATION_ID-INVALID",
        "LOCATIONS-RECEIVER-PUT-LOCATION_ID-EVSE_UID", "LOCATIONS-RECEIVER-PUT-LOCATION_ID-EVSE_UID-INVALID",
        "LOCATIONS-RECEIVER-PUT-LOCATION_ID-EVSE_UID-CONNECTOR_ID",
        "LOCATIONS-RECEIVER-PUT-LOCATION_ID-EVSE_UID-CONNECTOR_ID-INVALID",
        "LOCATIONS-RECEIVER-PATCH-LOCATION_ID", "LOCATIONS-RECEIVER-PATCH-LOCATION_ID-EVSE_UID",
        "LOCATIONS-RECEIVER-PATCH-LOCATION_ID-EVSE_UID-CONNECTOR_ID",
        "SESSIONS-RECEIVER-PUT-SESSION_ID", "SESSIONS-RECEIVER-PUT-SESSION_ID-INVALID",
        "SESSIONS-RECEIVER-PATCH-SESSION_ID", "TARIFFS-RECEIVER-PUT-TARIFF_ID",
        "TARIFFS-RECEIVER-PUT-TARIFF_ID-INVALID"}
    problems = {i: [f["message"] for f in r["findings"] if f["outcome"] != "PASS"] for i, r in records.items()}
    assert {i: r["outcome"] for i, r in records.items()} == dict.fromkeys(records, "PASS"), problems
    assert all(not p for p in problems.values()), problems
    assert all(r.cases == 3 for r in results)
    judged = {i: {f["check_id"] for f in r["findings"]} for i, r in records.items()}
    # what was pushed is read back and compared, under the scenario flows' check ids
    assert {"ocpi.sessions.receiver_stored", "ocpi.status.created", "ocpi.schema.data"} <= judged[
        "SESSIONS-RECEIVER-PUT-SESSION_ID"]
    assert "ocpi.sessions.receiver_patched" in judged["SESSIONS-RECEIVER-PATCH-SESSION_ID"]
    assert "ocpi.sessions.receiver_invalid_not_stored" in judged["SESSIONS-RECEIVER-PUT-SESSION_ID-INVALID"]
    assert {"ocpi.cdrs.receiver_stored", "ocpi.cdrs.receiver_location_header"} <= judged["CDRS-RECEIVER-POST"]
    assert "ocpi.locations.receiver_stored" in judged["LOCATIONS-RECEIVER-PATCH-LOCATION_ID-EVSE_UID-CONNECTOR_ID"]
    # the URL names roamcert's own CPO, and the object under the id its body carries
    put = records["SESSIONS-RECEIVER-PUT-SESSION_ID"]["exchanges"][0]
    body = json.loads(put["request_body"])
    assert put["url"].endswith(f"/NL/RCP/{body['id']}") and (body["country_code"], body["party_id"]) == ("NL", "RCP")


def test_the_reference_cpo_token_receiver_is_fuzzed_clean() -> None:
    platform, results = _fuzz("cpo")
    records = _records(platform, results)
    assert set(records) == {"TOKENS-RECEIVER-PUT-TOKEN_UID", "TOKENS-RECEIVER-PUT-TOKEN_UID-INVALID",
                            "TOKENS-RECEIVER-PATCH-TOKEN_UID"}
    assert [f for r in records.values() for f in r["findings"] if f["outcome"] != "PASS"] == []
    put = records["TOKENS-RECEIVER-PUT-TOKEN_UID"]["exchanges"][0]
    token = json.loads(put["request_body"])
    # roamcert pushes as its eMSP, the Token's type in the query
    assert f"/NL/REM/{token['uid']}?type={token['type']}" in put["url"]


def test_an_invalid_object_kept_is_a_warning_naming_the_mutation_with_a_curl_line() -> None:
    platform, results = _fuzz("emsp", "session_invalid_accepted", modules=("sessions",))
    records = _records(platform, results)
    invalid = records["SESSIONS-RECEIVER-PUT-SESSION_ID-INVALID"]
    warned = [f for f in invalid["findings"] if f["outcome"] == "FAIL"]
    assert {f["check_id"] for f in warned} == {"ocpi.sessions.receiver_invalid_not_stored"}
    assert {f["severity"] for f in warned} == {"RECOMMENDED"} and invalid["outcome"] == "PASS"
    assert "warning" in invalid["reason"]
    stored = next(f for f in warned if "was stored" in f["message"])
    assert stored["requirements"] == ["OCPI-2.2.1-SES-R-05"]
    assert "invalid object: $." in stored["message"]
    assert "reproduce: curl -X PUT -H \"Authorization: Token $OCPI_TOKEN\"" in stored["message"]
    assert "; then curl -X GET" in stored["message"]
    evidence = {x["id"]: x for x in invalid["exchanges"]}
    assert [evidence[e]["method"] for e in stored["evidence"]] == ["PUT", "GET"]
    # the valid pushes are not affected
    assert records["SESSIONS-RECEIVER-PUT-SESSION_ID"]["outcome"] == "PASS"
    text = json.dumps(list(records.values()))
    assert platform.token not in text and encode_token(platform.token) not in text


def test_a_valid_push_refused_fails_with_a_reproducing_request() -> None:
    platform, results = _fuzz("emsp", "session_patch_needs_kwh", modules=("sessions",))
    records = _records(platform, results)
    patch = records["SESSIONS-RECEIVER-PATCH-SESSION_ID"]
    assert patch["outcome"] == "FAIL"
    assert patch["reason"].startswith("ocpi.status.expected (OCPI-2.2.1-SC-02)")
    failed = [f for f in patch["findings"] if f["outcome"] == "FAIL"]
    assert all("reproduce: curl -X PATCH" in f["message"] and "/receiver/sessions/NL/RCP/" in f["message"]
               for f in failed)
    assert records["SESSIONS-RECEIVER-PUT-SESSION_ID"]["outcome"] == "PASS"


def test_an_object_stored_otherwise_than_pushed_fails_its_read_back() -> None:
    platform, results = _fuzz("emsp", "cdr_stored_altered", modules=("cdrs",), examples=4)
    records = _records(platform, results)
    post = records["CDRS-RECEIVER-POST"]
    assert post["outcome"] == "FAIL" and post["reason"].startswith("ocpi.cdrs.receiver_stored (OCPI-2.2.1-CDR-R-02)")
    assert records["CDRS-RECEIVER-POST-INVALID"]["outcome"] == "PASS"


def test_only_the_evidence_is_kept() -> None:
    _, results = _fuzz("emsp", modules=("sessions",), examples=30)
    assert all(r.cases == 30 for r in results)
    assert all(1 <= len(r.exchanges) <= _KEPT_EXCHANGES for r in results)
    assert len(results[0].exchanges) == 1  # nothing to show: only the first exchange


def test_mutations_break_the_object_in_one_recorded_way() -> None:
    components = document("tokens", "RECEIVER")["components"]["schemas"]
    token = {"country_code": "NL", "party_id": "REM", "uid": "T1", "type": "RFID", "contract_id": "C1",
             "issuer": "roamcert", "valid": True, "whitelist": "ALWAYS", "last_updated": "2026-01-02T03:04:05Z",
             "energy_contract": {"supplier_name": "S"}}
    assert schema_errors("2.2.1", "Token", token) == []
    found = mutations(components, "Token", token)
    kinds = {(m.path, m.kind) for m in found}
    assert {(("uid",), "removed"), (("valid",), "wrong type"), (("whitelist",), "outside the enum"),
            (("energy_contract", "supplier_name"), "removed")} <= kinds
    for mutation in found:
        assert schema_errors("2.2.1", "Token", mutation.apply(token)), mutation
    assert token["uid"] == "T1"  # applied to a copy
    assert Mutation(("whitelist",), "outside the enum", "X").describe() == \
        "invalid object: $.whitelist outside the enum: 'X'"
    assert Mutation(("evses", 0, "uid"), "removed").describe() == "invalid object: $.evses[0].uid (required) removed"


def test_a_module_whose_receiver_is_not_fuzzed_gives_no_operation() -> None:
    assert receiver_operations("commands") == [] and receiver_operations("hubclientinfo") == []
    assert [(o.method, o.path.count("/")) for o in receiver_operations("locations")] == [
        ("PUT", 3), ("PUT", 4), ("PUT", 5), ("PATCH", 3), ("PATCH", 4), ("PATCH", 5)]
    assert [o.method for o in receiver_operations("cdrs")] == ["POST"]


def test_without_a_stored_parent_a_push_is_skipped_not_guessed() -> None:
    platform = FuzzPlatform("p", ("EMSP",), "http://127.0.0.1:9/versions", "t")
    results = fuzz_receiver(platform, "locations", "http://127.0.0.1:9/ocpi/locations", FuzzOptions(max_examples=2),
                            time.monotonic() + 30, lambda x, e: [])
    records = _records(platform, results)
    assert records["LOCATIONS-RECEIVER-PUT-LOCATION_ID"]["outcome"] == "ERROR"  # nothing answered
    assert results[0].transport_errors == 2
    evse = records["LOCATIONS-RECEIVER-PUT-LOCATION_ID-EVSE_UID"]
    assert evse["outcome"] == "SKIP" and evse["reason"] == ("no Location was stored by a PUT of this run to hold "
                                                            "the EVSE")
    assert records["LOCATIONS-RECEIVER-PATCH-LOCATION_ID"]["reason"] == ("no Location was stored by a PUT of this "
                                                                         "run to update")
