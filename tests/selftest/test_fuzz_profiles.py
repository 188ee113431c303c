"""The self-test of `roamcert fuzz`: against a reference CPO with a fault profile that a GET answer shows, a small
seeded fuzz run reports the fault as a FAIL of the check made to trip on it, with a reproducing request that holds
no credential; against the conformant reference it reports nothing."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

import conformance.ocpi.v2_2_1.checks  # noqa: F401  (registers the checks that judge each answer)
from conformance.core.checks import run_checks
from conformance.ocpi.auth import encode_token
from conformance.ocpi.v2_2_1.checks import REGISTRY
from conformance.ocpi.v2_2_1.fuzz import (
    SCHEMATHESIS_CHECK_ID,
    FuzzOptions,
    case_record,
    fuzz_platform,
    served_reference,
)
from simulators.ocpi.profiles import PROFILES

pytestmark = pytest.mark.selftest

OPTIONS = FuzzOptions(max_examples=3, seed=0)

# (fault profile, the check that must FAIL, the fuzzed operation whose answers show it: its test case id without
# the OCPI-2.2.1-FUZZ- prefix)
REVEALED = [
    ("missing_required_field", "ocpi.schema.data", "LOCATIONS-SENDER-GET"),
    ("timestamps_with_offset", "ocpi.schema.data", "LOCATIONS-SENDER-GET-LOCATION_ID-EVSE_UID"),
    ("envelope_without_timestamp", "ocpi.envelope.shape", "SESSIONS-SENDER-GET"),
    ("missing_x_limit", "ocpi.pagination.headers", "TARIFFS-SENDER-GET"),
    ("relative_link_header", "ocpi.pagination.link_next", "LOCATIONS-SENDER-GET"),
    ("link_none_values", "ocpi.pagination.link_query", "CDRS-SENDER-GET"),
    ("json_declared_as_text", "ocpi.response.content_type", "CREDENTIALS-SENDER-GET"),
    ("no_request_id_echo", "ocpi.headers.request_id", "LOCATIONS-SENDER-GET-LOCATION_ID"),
    ("no_correlation_id_echo", "ocpi.headers.correlation_id", "CDRS-SENDER-GET"),
    ("stale_location_last_updated", "ocpi.locations.last_updated_tree", "LOCATIONS-SENDER-GET"),
    ("tariff_min_above_max", "ocpi.tariffs.consistent", "TARIFFS-SENDER-GET"),
    ("routing_headers_on_configuration", "ocpi.routing.configuration_modules", "CREDENTIALS-SENDER-GET"),
]


def _fuzz(profile: str) -> tuple[list[dict[str, Any]], set[str]]:
    """The results-file records of a fuzz run against a reference CPO with ``profile``, and its credentials."""
    with served_reference("cpo", profile) as platform:
        results = fuzz_platform(platform, OPTIONS, time.monotonic() + 60, lambda x, e: run_checks(x, e, "response"))
        records = [case_record(platform, r) for r in results]
    return records, {platform.token, encode_token(platform.token)}


@pytest.mark.parametrize(("profile", "check_id", "where"), REVEALED)
def test_a_fault_a_get_shows_is_reported_with_a_reproducing_request(profile: str, check_id: str,
                                                                     where: str) -> None:
    assert check_id in PROFILES[profile].trips  # the profile is the one made to trip this check
    records, secrets = _fuzz(profile)
    by_operation = {str(r["id"]).removeprefix("OCPI-2.2.1-FUZZ-"): r for r in records}
    assert where in by_operation, sorted(by_operation)
    record = by_operation[where]
    found = [f for f in record["findings"] if f["check_id"] == check_id and f["outcome"] == "FAIL"]
    assert found, [(f["check_id"], f["outcome"]) for f in record["findings"]]
    if REGISTRY[check_id].severity.value == "REQUIRED":
        assert record["outcome"] == "FAIL" and str(record["reason"]).startswith(check_id)
    assert record["outcome"] != "ERROR", record["reason"]
    evidence = {x["id"] for x in record["exchanges"]}
    for finding in found:  # each distinct problem, with its own reproducing request and exchange
        assert tuple(finding["requirements"]) == REGISTRY[check_id].requirements
        reproduce = finding["message"].split("(reproduce: ", 1)[1]
        assert reproduce.startswith("curl -X GET ") and "-H \"Authorization: Token $OCPI_TOKEN\"" in reproduce
        assert f"/ocpi/cpo/2.2.1/sender/{where.split('-')[0].lower()}" in reproduce
        assert finding["evidence"] and set(finding["evidence"]) <= evidence
    written = json.dumps(records)
    assert not [s for s in secrets if s in written], "a credential reached the records"


def test_the_conformant_reference_gives_no_fail_and_no_warning() -> None:
    records, secrets = _fuzz("conformant")
    assert len(records) >= 8 and all(r["outcome"] == "PASS" for r in records), [
        (r["id"], r["outcome"], r["reason"]) for r in records if r["outcome"] != "PASS"]
    assert [(r["id"], f["check_id"]) for r in records for f in r["findings"] if f["outcome"] != "PASS"] == []
    assert all(sum(x["status"] in (200, 201) for x in r["exchanges"]) for r in records)
    written = json.dumps(records)
    assert not [s for s in secrets if s in written]


@pytest.mark.parametrize(("profile", "where", "title"), [
    ("json_declared_as_text", "CREDENTIALS-SENDER-GET", "Undocumented Content-Type"),
    ("missing_required_field", "LOCATIONS-SENDER-GET", "Response violates schema"),
])
def test_schemathesis_default_checks_give_their_second_opinion(profile: str, where: str, title: str) -> None:
    """schemathesis' own checks run beside roamcert's: on a fault both see, its failure is a harness finding of
    severity INFO on the same operation (it never decides a case: roamcert's checks do, with requirements)."""
    records, _ = _fuzz(profile)
    record = next(r for r in records if str(r["id"]).endswith(f"FUZZ-{where}"))
    opinions = [f for f in record["findings"] if f["check_id"] == SCHEMATHESIS_CHECK_ID]
    assert opinions and all(f["severity"] == "INFO" and f["outcome"] == "FAIL" for f in opinions)
    assert any(title in f["message"] for f in opinions), [f["message"] for f in opinions]
    assert all("(reproduce: curl -X GET " in f["message"] for f in opinions)
