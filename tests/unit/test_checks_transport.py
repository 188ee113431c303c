"""The registered checks on hand-made exchanges: one passing and failing exchanges for each check.

Exchanges are built through ExchangeLog.record with raw headers and bodies, exactly as the clients and
partner servers record them; checks are run through run_checks (or, for checks a step evaluates over
several exchanges, through Check.judge on the evidence the flows record).
"""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Iterable
from typing import Any

import pytest

from conformance.core.checks import CheckKey
from conformance.core.exchange import Exchange, ExchangeLog
from conformance.core.findings import Finding, Outcome, Severity
from conformance.ocpi.v2_2_1.checks import REGISTRY, Check, Expect, PageRequest, Problem, run_checks
from conformance.ocpi.v2_2_1.checks.auth import (
    AuthProbe,
    PublishedEndpoint,
    endpoint_served,
    missing_token,
    reached_endpoint,
    token_a_scope,
    unknown_token,
)
from conformance.ocpi.v2_2_1.checks.locations import tree_problems
from conformance.ocpi.v2_2_1.checks.pagination import (
    Traversal,
    Window,
    next_link,
    offset_window,
    traversal,
    traversal_problems,
    window_problems,
)

TS = "2026-01-05T08:00:00Z"
BASE_URL = "https://sut.test/ocpi/cpo/2.2.1/locations"
ISSUED = "tok-B-issued-by-roamcert"
LOG = ExchangeLog()  # one log for the module, so every exchange has its own id

# check id -> the requirement ids it must name (the catalogue's wording of the rule it verifies)
REQUIREMENTS = {
    "ocpi.envelope.shape": ("OCPI-2.2.1-TF-RESP-01",),
    "ocpi.envelope.on_error": ("OCPI-2.2.1-TF-RESP-02",),
    "ocpi.headers.request_id": ("OCPI-2.2.1-TF-ID-01",),
    "ocpi.headers.correlation_id": ("OCPI-2.2.1-TF-ID-02",),
    "ocpi.status.consistent": ("OCPI-2.2.1-SC-01",),
    "ocpi.status.expected": ("OCPI-2.2.1-SC-02",),
    "ocpi.status.unknown_object": ("OCPI-2.2.1-SC-03",),
    "ocpi.status.not_found_http": ("OCPI-2.2.1-SC-04",),
    "ocpi.schema.data": ("OCPI-2.2.1-TY-01",),
    "ocpi.pagination.headers": ("OCPI-2.2.1-TF-PAG-01",),
    "ocpi.pagination.limit": ("OCPI-2.2.1-TF-PAG-02",),
    "ocpi.pagination.link_next": ("OCPI-2.2.1-TF-PAG-03",),
    "ocpi.pagination.link_filters": ("OCPI-2.2.1-TF-PAG-04",),
    "ocpi.pagination.date_filter": ("OCPI-2.2.1-TF-PAG-05",),
    "ocpi.pagination.traversal": ("OCPI-2.2.1-TF-PAG-06",),
    "ocpi.pagination.offset": ("OCPI-2.2.1-TF-PAG-07",),
    "ocpi.request.authorization": ("OCPI-2.2.1-TF-AUTH-01", "OCPI-2.2.1-TF-AUTH-02"),
    "ocpi.request.ids": ("OCPI-2.2.1-TF-ID-01", "OCPI-2.2.1-TF-ID-02"),
    "ocpi.request.content_type": ("OCPI-2.2.1-TF-REQ-01",),
    "ocpi.request.json_body": ("OCPI-2.2.1-TF-REQ-02",),
    "ocpi.auth.missing_token": ("OCPI-2.2.1-TF-AUTH-03",),
    "ocpi.auth.unknown_token": ("OCPI-2.2.1-TF-AUTH-03",),
    "ocpi.auth.token_a_scope": ("OCPI-2.2.1-TF-AUTH-04",),
    "ocpi.versions.endpoint_served": ("OCPI-2.2.1-VI-01", "OCPI-2.2.1-VI-02"),
    "ocpi.locations.last_updated_tree": ("OCPI-2.2.1-LOC-01",),
}


# --------------------------------------------------------------------------------------------- builders


def location(loc_id: str = "LOC1", last_updated: str = TS, evse_ts: str = TS, connector_ts: str = TS) -> dict[str, Any]:
    return {
        "country_code": "NL", "party_id": "RCT", "id": loc_id, "publish": True,
        "address": "Stationsplein 1", "city": "Utrecht", "country": "NLD",
        "coordinates": {"latitude": "52.089500", "longitude": "5.110200"},
        "time_zone": "Europe/Amsterdam",
        "evses": [{
            "uid": f"{loc_id}-E1", "status": "AVAILABLE", "last_updated": evse_ts,
            "connectors": [{"id": "1", "standard": "IEC_62196_T2", "format": "SOCKET", "power_type": "AC_3_PHASE",
                            "max_voltage": 230, "max_amperage": 32, "last_updated": connector_ts}],
        }],
        "last_updated": last_updated,
    }


def envelope(data: Any = None, code: Any = 1000, timestamp: Any = TS, **extra: Any) -> str:
    body: dict[str, Any] = {"status_code": code, "timestamp": timestamp, **extra}
    if data is not None:
        body["data"] = data
    return json.dumps(body)


def response(
    body: str | bytes | None = None,
    *,
    status: int | None = 200,
    method: str = "GET",
    url: str = BASE_URL,
    headers: Iterable[tuple[str, str]] = (),
    request_headers: Iterable[tuple[str, str]] | None = None,
    echo: bool = True,
) -> Exchange:
    """An outbound exchange (roamcert -> SUT) as the client records it."""
    sent = list(request_headers) if request_headers is not None else [
        ("Authorization", "Token dG9rLUM="), ("X-Request-ID", "req-1"), ("X-Correlation-ID", "cor-1")]
    answered = [("Content-Type", "application/json")]
    if echo:
        answered += [(k, v) for k, v in sent if k in ("X-Request-ID", "X-Correlation-ID")]
    return LOG.record(protocol="OCPI", version="2.2.1", direction="outbound", method=method, url=url,
                      request_headers=sent, request_body=None, status=status, response_headers=[*answered, *headers],
                      response_body=envelope() if body is None else body, elapsed_ms=3.0)


def page(items: list[Any], *, total: int | None, x_limit: int | None = 10, link: str | None = None,
         status: int = 200) -> Exchange:
    headers = []
    if total is not None:
        headers.append(("X-Total-Count", str(total)))
    if x_limit is not None:
        headers.append(("X-Limit", str(x_limit)))
    if link is not None:
        headers.append(("Link", f'<{link}>; rel="next"'))
    return response(envelope(items), headers=headers, status=status)


def request(headers: Iterable[tuple[str, str]], body: str | None = None, method: str = "POST") -> Exchange:
    """An inbound exchange (SUT -> roamcert's partner)."""
    return LOG.record(protocol="OCPI", version="2.2.1", direction="inbound", method=method,
                      url="https://roamcert.test/ocpi/2.2.1/credentials", request_headers=list(headers),
                      request_body=body, status=200, response_headers=[("Content-Type", "application/json")],
                      response_body=envelope({"url": "https://roamcert.test/versions"}), elapsed_ms=1.0)


def good_auth() -> tuple[str, str]:
    return ("Authorization", "Token " + base64.b64encode(ISSUED.encode()).decode())


LIST = Expect(schema="Location", many=True, paginated=True, page=PageRequest(offset=0, limit=10))
ONE = Expect(schema="Location")


def of(findings: list[Finding], check_id: str) -> list[Finding]:
    return [f for f in findings if f.check_id == check_id]


def failures(findings: list[Finding], check_id: str) -> list[Finding]:
    """The FAIL findings of one check, after checking they carry its identity."""
    found = [f for f in of(findings, check_id) if f.outcome is not Outcome.PASS]
    for finding in found:
        assert finding.outcome is Outcome.FAIL, finding
        assert finding.requirements == REQUIREMENTS[check_id]
        assert finding.spec == REGISTRY[check_id].spec
        assert finding.severity is REGISTRY[check_id].severity
    return found


def one_failure(findings: list[Finding], check_id: str) -> Finding:
    found = failures(findings, check_id)
    assert len(found) == 1, found
    return found[0]


def passes(findings: list[Finding], check_id: str) -> None:
    found = of(findings, check_id)
    assert [f.outcome for f in found] == [Outcome.PASS], found
    assert found[0].requirements == REQUIREMENTS[check_id]
    assert found[0].message == REGISTRY[check_id].title


# --------------------------------------------------------------------------------------------- identity


def test_requirement_table_matches_the_registry() -> None:
    for check_id, requirements in REQUIREMENTS.items():
        assert REGISTRY[check_id].requirements == requirements, check_id


def test_conformant_paginated_list_passes_every_response_check() -> None:
    x = page([location("LOC1"), location("LOC2")], total=2)
    findings = run_checks(x, LIST, "response")
    assert {f.check_id for f in findings} == {
        "ocpi.envelope.shape", "ocpi.headers.request_id", "ocpi.headers.correlation_id", "ocpi.status.consistent",
        "ocpi.schema.data", "ocpi.pagination.headers", "ocpi.pagination.limit", "ocpi.pagination.link_next",
        "ocpi.locations.last_updated_tree", "ocpi.status.standard_code", "ocpi.response.content_type",
        "ocpi.pagination.link_last"}
    assert [f for f in findings if f.outcome is not Outcome.PASS] == []
    for finding in findings:
        assert finding.evidence == (x.id,)


# --------------------------------------------------------------------------------------------- envelope


def test_envelope_shape() -> None:
    passes(run_checks(response(envelope([])), Expect(), "response"), "ocpi.envelope.shape")
    passes(run_checks(response(envelope([], status_message="Success")), Expect(), "response"), "ocpi.envelope.shape")

    found = one_failure(run_checks(response(envelope([], code="1000")), Expect(), "response"), "ocpi.envelope.shape")
    assert found.message == "status_code is missing or not an integer"
    assert (found.expected, found.actual) == ("an int such as 1000", "1000")

    found = one_failure(run_checks(response(envelope([], code=True)), Expect(), "response"), "ocpi.envelope.shape")
    assert found.actual == "true"

    found = one_failure(run_checks(response(envelope([], code=200)), Expect(), "response"), "ocpi.envelope.shape")
    assert (found.expected, found.actual) == ("1000-4999", "200")

    body = json.dumps({"status_code": 1000, "data": []})
    found = one_failure(run_checks(response(body), Expect(), "response"), "ocpi.envelope.shape")
    assert found.message == "The envelope has no timestamp"
    assert found.actual == "absent"

    found = one_failure(run_checks(response(envelope([], status_message=7)), Expect(), "response"),
                        "ocpi.envelope.shape")
    assert (found.expected, found.actual) == ("string", "7")

    # several problems at once: one finding each
    body = json.dumps({"status_code": "OK", "timestamp": "yesterday"})
    assert len(failures(run_checks(response(body), Expect(), "response"), "ocpi.envelope.shape")) == 2


@pytest.mark.parametrize("stamp", ["2026-01-05T08:00:00+01:00", "2026-01-05T08:00:00+00:00", "2026-01-05 08:00:00Z",
                                   "2026-01-05T08:00Z", "1767600000"])
def test_envelope_timestamp_not_utc_datetime_fails(stamp: str) -> None:
    found = one_failure(run_checks(response(envelope([], timestamp=stamp)), Expect(), "response"),
                        "ocpi.envelope.shape")
    assert found.message.startswith("The envelope timestamp is not an OCPI DateTime")
    assert found.actual == stamp
    assert found.expected is not None and "Z" in found.expected


@pytest.mark.parametrize("stamp", ["2026-01-05T08:00:00Z", "2026-01-05T08:00:00", "2026-01-05T08:00:00.2",
                                   "2026-01-05T08:00:00.123Z"])
def test_envelope_timestamp_without_zone_is_utc(stamp: str) -> None:
    # types#types_datetime_type: "The absence of the timezone designator implies a UTC timestamp."
    passes(run_checks(response(envelope([], timestamp=stamp)), Expect(), "response"), "ocpi.envelope.shape")


def test_envelope_timestamp_with_trailing_newline_fails() -> None:
    found = one_failure(run_checks(response(envelope([], timestamp=TS + "\n")), Expect(), "response"),
                        "ocpi.envelope.shape")
    assert "timestamp" in found.message


@pytest.mark.parametrize("body", [b"<html><body>502 Bad Gateway</body></html>", b"", b"[1, 2]", b"\xff\xfe{",
                                  b'"just a string"'])
def test_non_json_body_gives_a_clear_envelope_finding_and_no_exception(body: bytes) -> None:
    x = response(body)
    findings = run_checks(x, LIST, "response")
    assert [f for f in findings if f.outcome is Outcome.ERROR] == []
    found = one_failure(findings, "ocpi.envelope.shape")
    assert found.message == ("The response body is not a JSON object" if body != b"\xff\xfe{" else
                             "The response body is not a JSON object: the body is not valid UTF-8 (byte 0xff at "
                             "offset 0)")
    assert found.expected == "a JSON object {data, status_code, timestamp}"
    assert found.actual == (x.response_body or "(empty)")
    assert found.evidence == (x.id,)
    schema = one_failure(findings, "ocpi.schema.data")
    assert schema.message == "The response has no data field"


def test_envelope_on_error() -> None:
    x = response(envelope(code=2003, status_message="Unknown Location"), status=404)
    findings = run_checks(x, Expect(), "response")
    passes(findings, "ocpi.envelope.on_error")
    assert of(findings, "ocpi.envelope.shape") == []  # only for success statuses

    x = response(b"Not Found", status=404)
    found = one_failure(run_checks(x, Expect(), "response"), "ocpi.envelope.on_error")
    assert found.message == "HTTP 404 came without the OCPI envelope"
    assert found.actual == "Not Found"
    assert found.severity is Severity.RECOMMENDED
    assert not found.blocking

    found = one_failure(run_checks(response(json.dumps({"error": "gone"}), status=410), Expect(), "response"),
                        "ocpi.envelope.on_error")
    assert found.actual == '{"error": "gone"}'


# --------------------------------------------------------------------------------------------- ids


@pytest.mark.parametrize(("check_id", "header"), [("ocpi.headers.request_id", "X-Request-ID"),
                                                  ("ocpi.headers.correlation_id", "X-Correlation-ID")])
def test_response_echoes_ids(check_id: str, header: str) -> None:
    passes(run_checks(response(), Expect(), "response"), check_id)

    x = response(echo=False, headers=[(header, "something-else")])
    found = one_failure(run_checks(x, Expect(), "response"), check_id)
    assert header in found.message
    sent = "req-1" if header == "X-Request-ID" else "cor-1"
    assert (found.expected, found.actual) == (sent, "something-else")

    found = one_failure(run_checks(response(echo=False), Expect(), "response"), check_id)
    assert (found.expected, found.actual) == (sent, "(absent)")

    # nothing sent, nothing to echo
    x = response(request_headers=[("Authorization", "Token dG9rLUM=")])
    passes(run_checks(x, Expect(), "response"), check_id)


# --------------------------------------------------------------------------------------------- status codes


def test_status_consistent() -> None:
    passes(run_checks(response(envelope([])), Expect(), "response"), "ocpi.status.consistent")
    passes(run_checks(response(envelope(code=2001), status=400), Expect(), "response"), "ocpi.status.consistent")
    found = one_failure(run_checks(response(envelope(code=1000), status=500), Expect(), "response"),
                        "ocpi.status.consistent")
    assert (found.expected, found.actual) == ("HTTP 2xx with 1xxx", "HTTP 500 with 1000")


def test_status_expected() -> None:
    expect = Expect(status_codes=frozenset({2001}), http_statuses=frozenset({400, 422}))
    passes(run_checks(response(envelope(code=2001), status=400), expect, "response"), "ocpi.status.expected")
    assert of(run_checks(response(envelope([])), Expect(), "response"), "ocpi.status.expected") == []

    found = failures(run_checks(response(envelope([], code=1000)), expect, "response"), "ocpi.status.expected")
    assert [(f.message, f.expected, f.actual) for f in found] == [
        ("Unexpected HTTP status", "400 or 422", "200"),
        ("Unexpected OCPI status_code", "2001", "1000 (HTTP 200)"),
    ]
    found = failures(run_checks(response(b"oops", status=400), expect, "response"), "ocpi.status.expected")
    assert len(found) == 1
    assert found[0].expected == "2001"
    assert found[0].actual is not None
    assert "HTTP 400" in found[0].actual
    assert "oops" in found[0].actual  # what came instead of an envelope


def test_unknown_object() -> None:
    expect = Expect(resource_exists=False)
    findings = run_checks(response(envelope(code=2003, status_message="unknown"), status=404), expect, "response")
    passes(findings, "ocpi.status.unknown_object")
    passes(findings, "ocpi.status.not_found_http")

    findings = run_checks(response(envelope(location("NOPE"))), expect, "response")
    found = one_failure(findings, "ocpi.status.unknown_object")
    assert found.expected == "HTTP 404 (or a 2xxx status_code)"
    assert found.actual is not None
    assert found.actual.startswith("HTTP 200, status_code 1000, data {")
    assert "NOPE" in found.actual


def test_not_found_http() -> None:
    expect = Expect(resource_exists=False)
    # a 2xxx status_code with HTTP 200 is not "as if it existed", but a GET should still answer 404
    findings = run_checks(response(envelope(code=2003)), expect, "response")
    passes(findings, "ocpi.status.unknown_object")
    found = one_failure(findings, "ocpi.status.not_found_http")
    assert (found.expected, found.actual) == ("404", "200")
    assert found.severity is Severity.RECOMMENDED
    # only GET
    assert of(run_checks(response(envelope(code=2003), method="PUT"), expect, "response"),
              "ocpi.status.not_found_http") == []


# --------------------------------------------------------------------------------------------- schema


def test_schema_data_passes_valid_locations() -> None:
    passes(run_checks(response(envelope(location())), ONE, "response"), "ocpi.schema.data")
    passes(run_checks(response(envelope([location(), location("LOC2")])), LIST, "response"), "ocpi.schema.data")


def test_schema_datetime_with_offset_fails() -> None:
    x = response(envelope(location(last_updated="2026-01-05T08:00:00+01:00")))
    found = one_failure(run_checks(x, ONE, "response"), "ocpi.schema.data")
    assert found.message.startswith("Location: $.last_updated: '2026-01-05T08:00:00+01:00' is not a valid DateTime")


@pytest.mark.parametrize("stamp", ["2026-01-05T08:00:00", "2026-01-05T08:00:00.5"])
def test_schema_datetime_without_zone_passes(stamp: str) -> None:
    # OCPI 2.2.1 types#types_datetime_type: the absence of the timezone designator implies UTC
    x = response(envelope(location(last_updated=stamp, evse_ts=stamp, connector_ts=stamp)))
    passes(run_checks(x, ONE, "response"), "ocpi.schema.data")


def test_schema_failures_name_the_path() -> None:
    broken = location()
    del broken["city"]
    broken["evses"][0]["connectors"][0]["power_type"] = "AC_4_PHASE"
    found = failures(run_checks(response(envelope([location(), broken])), LIST, "response"), "ocpi.schema.data")
    messages = sorted(f.message for f in found)
    assert len(messages) == 2
    assert messages[0] == "Location at data[1]: $.city: 'city' is a required property"
    assert messages[1].startswith("Location at data[1]: $.evses[0].connectors[0].power_type: 'AC_4_PHASE'")

    found_one = one_failure(run_checks(response(envelope(location())), LIST, "response"), "ocpi.schema.data")
    assert found_one.message == "data is not a list of Location"
    assert found_one.expected == "JSON array"
    assert found_one.actual is not None
    assert found_one.actual.startswith("dict")

    body = json.dumps({"status_code": 1000, "timestamp": TS})
    found_one = one_failure(run_checks(response(body), ONE, "response"), "ocpi.schema.data")
    assert (found_one.expected, found_one.actual) == ("data: Location", "absent")


# --------------------------------------------------------------------------------------------- pagination


def test_pagination_headers() -> None:
    passes(run_checks(page([location()], total=1), LIST, "response"), "ocpi.pagination.headers")
    assert of(run_checks(page([location()], total=1), ONE, "response"), "ocpi.pagination.headers") == []

    found = one_failure(run_checks(page([location()], total=1, x_limit=None), LIST, "response"),
                        "ocpi.pagination.headers")
    assert found.message == "The X-Limit header is missing"
    assert (found.expected, found.actual) == ("X-Limit: <int>", "(absent)")

    x = response(envelope([]), headers=[("X-Total-Count", "many"), ("X-Limit", "-1")])
    found_all = failures(run_checks(x, LIST, "response"), "ocpi.pagination.headers")
    assert [(f.message, f.actual) for f in found_all] == [
        ("The X-Total-Count header is not a non-negative integer", "many"),
        ("The X-Limit header is not a non-negative integer", "-1"),
    ]


def test_pagination_limit() -> None:
    three = [location(f"LOC{i}") for i in range(3)]
    passes(run_checks(page(three, total=3), LIST, "response"), "ocpi.pagination.limit")

    asked_two = Expect(schema="Location", many=True, paginated=True, page=PageRequest(offset=0, limit=2))
    found = one_failure(run_checks(page(three, total=3, link=None), asked_two, "response"), "ocpi.pagination.limit")
    assert found.message == "The page holds more objects than limit=2 asked for"
    assert (found.expected, found.actual) == ("<= 2", "3")

    found = one_failure(run_checks(page(three, total=3, x_limit=2), LIST, "response"), "ocpi.pagination.limit")
    assert found.message == "The page holds more objects than X-Limit announces"
    assert (found.expected, found.actual) == ("<= 2", "3")


def test_pagination_link_next() -> None:
    two = [location("LOC1"), location("LOC2")]
    passes(run_checks(page(two, total=5, link=f"{BASE_URL}?offset=2&limit=2"), LIST, "response"),
           "ocpi.pagination.link_next")
    passes(run_checks(page(two, total=2), LIST, "response"), "ocpi.pagination.link_next")

    found = one_failure(run_checks(page(two, total=5), LIST, "response"), "ocpi.pagination.link_next")
    assert found.message == 'Objects 2..4 remain but there is no Link rel="next"'
    assert (found.expected, found.actual) == ('Link: <URL>; rel="next"', "(absent)")

    found = one_failure(run_checks(page(two, total=5, link="/ocpi/cpo/2.2.1/locations?offset=2"), LIST, "response"),
                        "ocpi.pagination.link_next")
    assert found.message == "The Link next URL is not an absolute http(s) URL"
    assert found.actual == "/ocpi/cpo/2.2.1/locations?offset=2"

    later = Expect(schema="Location", many=True, paginated=True, page=PageRequest(offset=2, limit=2))
    found = one_failure(run_checks(page(two, total=5), later, "response"), "ocpi.pagination.link_next")
    assert found.message == 'Objects 4..4 remain but there is no Link rel="next"'


def test_next_link_parsing() -> None:
    x = response(envelope([]), headers=[("Link", f'<{BASE_URL}?o=0>; rel="prev", <{BASE_URL}?o=4>; rel="next"')])
    assert next_link(x) == f"{BASE_URL}?o=4"
    x = response(envelope([]), headers=[("link", f"<{BASE_URL}?o=4>;REL=next")])
    assert next_link(x) == f"{BASE_URL}?o=4"
    assert next_link(response(envelope([]), headers=[("Link", f'<{BASE_URL}?o=0>; rel="prev"')])) is None
    assert next_link(response(envelope([]))) is None


@pytest.mark.parametrize(("header", "expected"), [
    (f'<{BASE_URL}?o=4>; title="next page"; rel="next"', f"{BASE_URL}?o=4"),
    (f'<{BASE_URL}?o=4>; rel="prev next"', f"{BASE_URL}?o=4"),
    (f'<{BASE_URL}?o=4>; rel="next-archive"', None),
], ids=["param-before-rel", "rel-list", "rel-next-prefix"])
def test_next_link_follows_rfc8288(header: str, expected: str | None) -> None:
    assert next_link(response(envelope([]), headers=[("Link", header)])) == expected


def test_pagination_link_filters() -> None:
    expect = Expect(schema="Location", many=True, paginated=True,
                    page=PageRequest(offset=0, limit=2, date_from="2026-01-01T00:00:00Z"))
    two = [location("LOC1"), location("LOC2")]
    keeps = f"{BASE_URL}?offset=2&limit=2&date_from=2026-01-01T00:00:00Z"
    passes(run_checks(page(two, total=5, link=keeps), expect, "response"), "ocpi.pagination.link_filters")
    assert of(run_checks(page(two, total=5, link=keeps), LIST, "response"), "ocpi.pagination.link_filters") == []

    drops = f"{BASE_URL}?offset=2&limit=2"
    found = one_failure(run_checks(page(two, total=5, link=drops), expect, "response"),
                        "ocpi.pagination.link_filters")
    assert found.message == "The next Link drops the date_from filter"
    assert (found.expected, found.actual) == ("date_from=2026-01-01T00:00:00Z", drops)
    assert not found.blocking  # a SHOULD


def test_pagination_date_filter() -> None:
    window = PageRequest(offset=0, limit=10, date_from="2026-01-05T00:00:00Z", date_to="2026-01-06T00:00:00Z")
    expect = Expect(schema="Location", many=True, paginated=True, page=window)
    inside = [location("LOC1", last_updated="2026-01-05T00:00:00Z", evse_ts="2026-01-05T00:00:00Z",
                       connector_ts="2026-01-05T00:00:00Z"),  # date_from is inclusive
              location("LOC2", last_updated="2026-01-05T23:59:59")]  # no zone designator: UTC
    passes(run_checks(page(inside, total=2), expect, "response"), "ocpi.pagination.date_filter")

    before = location("OLD", last_updated="2026-01-04T23:59:59Z", evse_ts="2026-01-04T00:00:00Z",
                      connector_ts="2026-01-04T00:00:00Z")
    at_end = location("END", last_updated="2026-01-06T00:00:00Z")  # date_to is exclusive
    found = failures(run_checks(page([before, *inside, at_end], total=4), expect, "response"),
                     "ocpi.pagination.date_filter")
    assert [(f.message, f.expected, f.actual) for f in found] == [
        ('data[0] (id OLD) was last updated before date_from', ">= 2026-01-05T00:00:00Z", "2026-01-04T23:59:59Z"),
        ('data[3] (id END) was last updated at or after date_to (date_to is exclusive)',
         "< 2026-01-06T00:00:00Z", "2026-01-06T00:00:00Z"),
    ]


def test_traversal() -> None:
    first = page([location("LOC1"), location("LOC2")], total=3, link=f"{BASE_URL}?offset=2")
    last = page([location("LOC3")], total=3)
    assert traversal_problems([first, last]) == []
    passes(traversal.judge(Traversal((first, last), complete=True)), "ocpi.pagination.traversal")

    short_last = page([], total=3)
    problems = traversal_problems([first, short_last])
    assert [(p.message, p.expected, p.actual) for p in problems] == [
        ("The number of objects over all pages differs from X-Total-Count", "3", "2")]
    finding = one_failure(traversal.judge(Traversal((first, short_last), complete=True)), "ocpi.pagination.traversal")
    assert finding.evidence == (first.id, short_last.id)

    problems = traversal_problems([first], complete=False)
    assert [(p.message, p.actual) for p in problems] == [
        ("The Link chain did not end within the page budget", "1 pages followed")]

    # a next Link that could not be followed: the failed attempt is evidence, the pages are not counted
    broken = Traversal((first,), complete=False, unfollowable="connection refused", unfollowed=("x9",))
    finding = one_failure(traversal.judge(broken), "ocpi.pagination.traversal")
    assert (finding.message, finding.expected, finding.actual) == (
        "A next Link given by the SUT could not be followed", "a reachable next page", "connection refused")
    assert finding.evidence == (first.id, "x9")


def test_traversal_ids_differing_in_case_are_duplicates() -> None:
    # Location.id is a CiString (mod_locations, types#types_cistring_type): 'LOC1' and 'loc1' are the same id
    first = page([location("LOC1"), location("LOC2")], total=3, link=f"{BASE_URL}?offset=2")
    second = page([location("loc1")], total=3)
    problems = traversal_problems([first, second])
    assert len(problems) == 1
    assert problems[0].message == "Object 'loc1' is returned on page 1 and again on page 2"
    assert (problems[0].expected, problems[0].actual) == ("each object once", "duplicate")
    assert problems[0].evidence == (second.id,)
    finding = one_failure(traversal.judge(Traversal((first, second), complete=True)), "ocpi.pagination.traversal")
    assert finding.evidence == (first.id, second.id)


def test_window() -> None:
    full = [location(f"LOC{i}") for i in range(6)]
    assert window_problems(full, page(full[2:5], total=6), offset=2, limit=3) == []
    # ids compare as CiStrings
    assert window_problems(full, page([location("loc2"), location("Loc3")], total=6), offset=2, limit=3) == []
    # a page holding more than the limit is judged by ocpi.pagination.limit; its start is still right
    assert window_problems(full, page(full[2:6], total=6), offset=2, limit=3) == []
    right = page(full[2:5], total=6)
    passes(offset_window.judge(Window(tuple(full), right, offset=2, limit=3)), "ocpi.pagination.offset")

    wrong = page(full[0:3], total=6)
    problems = window_problems(full, wrong, offset=2, limit=3)
    assert [(p.expected, p.actual) for p in problems] == [("loc2, loc3, loc4", "loc0, loc1, loc2")]
    assert problems[0].message == "offset=2&limit=3 does not return the objects at those positions of the full list"
    finding = one_failure(offset_window.judge(Window(tuple(full), wrong, offset=2, limit=3)), "ocpi.pagination.offset")
    assert finding.evidence == (wrong.id,)

    problems = window_problems(full, page([], total=6), offset=2, limit=3)
    assert [p.actual for p in problems] == ["(none)"]
    problems = window_problems(full, response(b"nope"), offset=2, limit=3)
    assert [(p.message, p.actual) for p in problems] == [("The windowed request returned no list", "nope")]


# --------------------------------------------------------------------------------------------- locations


def test_last_updated_tree() -> None:
    passes(run_checks(response(envelope(location())), ONE, "response"), "ocpi.locations.last_updated_tree")
    # an EVSE may be older than its Location
    older = location(last_updated="2026-01-06T00:00:00Z", evse_ts="2026-01-05T00:00:00Z",
                     connector_ts="2026-01-04T00:00:00")
    passes(run_checks(response(envelope([older])), LIST, "response"), "ocpi.locations.last_updated_tree")
    assert of(run_checks(response(envelope(location())), Expect(), "response"),
              "ocpi.locations.last_updated_tree") == []

    stale = location(last_updated="2026-01-05T08:00:00Z", evse_ts="2026-01-05T09:00:00Z",
                     connector_ts="2026-01-05T09:00:00Z")
    found = one_failure(run_checks(response(envelope([location(), stale])), LIST, "response"),
                        "ocpi.locations.last_updated_tree")
    assert found.message == 'data[1]: EVSE LOC1-E1 is newer than its Location'
    assert (found.expected, found.actual) == ("Location.last_updated >= 2026-01-05T09:00:00Z", "2026-01-05T08:00:00Z")

    # compared as instants, not as strings: a fraction without Z is still later than the EVSE
    connector_newer = location(evse_ts="2026-01-05T08:00:00", connector_ts="2026-01-05T08:00:00.5Z")
    found = one_failure(run_checks(response(envelope(connector_newer)), ONE, "response"),
                        "ocpi.locations.last_updated_tree")
    assert found.message == 'data: Connector 1 of EVSE LOC1-E1 is newer than its EVSE'
    assert (found.expected, found.actual) == ("EVSE.last_updated >= 2026-01-05T08:00:00.5Z", "2026-01-05T08:00:00")


def test_tree_problems_ignores_what_the_schema_reports() -> None:
    broken = copy.deepcopy(location())
    broken["evses"][0]["last_updated"] = "not a date"
    broken["evses"].append("not an object")
    assert list(tree_problems(broken, "data")) == []
    assert list(tree_problems(None, "data")) == []


# ------------------------------------------------------------------------------ requests (SUT -> roamcert)


def test_request_checks_only_apply_to_inbound_exchanges() -> None:
    assert run_checks(response(), Expect(tokens=frozenset({ISSUED})), "request") == []


def test_conformant_request_passes_every_request_check() -> None:
    x = request([good_auth(), ("X-Request-ID", "r"), ("X-Correlation-ID", "c"),
                 ("Content-Type", "application/json; charset=utf-8")], body='{"token": "x"}')
    findings = run_checks(x, Expect(tokens=frozenset({ISSUED})), "request")
    assert {f.check_id for f in findings} == {"ocpi.request.authorization", "ocpi.request.ids",
                                               "ocpi.request.content_type", "ocpi.request.json_body"}
    for check_id in ("ocpi.request.authorization", "ocpi.request.ids", "ocpi.request.content_type",
                     "ocpi.request.json_body"):
        passes(findings, check_id)


@pytest.mark.parametrize(("header", "message", "expected", "actual"), [
    (None, "The request has no Authorization header", "Authorization: Token <base64>", "(absent)"),
    (f"Token {ISSUED}", "The credentials token is not Base64 encoded", "Token <Base64(UTF-8 token)>",
     "the token itself, unencoded"),
    ("Bearer " + base64.b64encode(ISSUED.encode()).decode(),
     "The Authorization header does not use the 'Token' scheme followed by one space", "Token <base64>", "Bearer"),
    ("Token " + base64.b64encode(b"some-other-token").decode(),
     "The Authorization header does not carry a Base64-encoded token roamcert issued",
     "Token <Base64(UTF-8 token)>", "another value"),
])
def test_request_authorization_failures(header: str | None, message: str, expected: str, actual: str) -> None:
    headers = [("X-Request-ID", "r"), ("X-Correlation-ID", "c")]
    if header is not None:
        headers.append(("Authorization", header))
    x = request(headers, method="GET")
    found = one_failure(run_checks(x, Expect(tokens=frozenset({ISSUED})), "request"), "ocpi.request.authorization")
    assert (found.message, found.expected, found.actual) == (message, expected, actual)
    assert found.evidence == (x.id,)


def test_request_ids() -> None:
    x = request([good_auth(), ("X-Request-ID", "r")], method="GET")
    found = one_failure(run_checks(x, Expect(tokens=frozenset({ISSUED})), "request"), "ocpi.request.ids")
    assert found.message == "The request has no X-Correlation-ID header"
    assert (found.expected, found.actual) == ("X-Correlation-ID: <unique id>", "(absent)")
    found_both = failures(run_checks(request([good_auth()], method="GET"), Expect(), "request"), "ocpi.request.ids")
    assert len(found_both) == 2


def test_request_content_type() -> None:
    ids = [good_auth(), ("X-Request-ID", "r"), ("X-Correlation-ID", "c")]
    assert of(run_checks(request(ids, method="GET"), Expect(), "request"), "ocpi.request.content_type") == []

    found = one_failure(run_checks(request([*ids, ("Content-Type", "text/plain")], body="{}"), Expect(), "request"),
                        "ocpi.request.content_type")
    assert (found.expected, found.actual) == ("application/json", "text/plain")
    found = one_failure(run_checks(request(ids, body="{}"), Expect(), "request"), "ocpi.request.content_type")
    assert found.actual == "(absent)"


# --------------------------------------------------------------------------------------------- auth evidence checks


def test_auth_probes_must_be_refused() -> None:
    refused = response(envelope(code=2000, status_message="Unauthorized"), status=401)
    found = missing_token.judge(AuthProbe(BASE_URL, refused))
    passes(found, "ocpi.auth.missing_token")
    assert found[0].evidence == (refused.id,)

    accepted = response(envelope([]))
    findings = unknown_token.judge(AuthProbe(BASE_URL, accepted))
    assert [(f.message, f.expected) for f in findings] == [
        (f"A request with an unknown token to {BASE_URL} was not refused with HTTP 401", "HTTP 401")]
    assert findings[0].actual is not None and findings[0].actual.startswith("HTTP 200, application/json: {")
    found_one = one_failure(findings, "ocpi.auth.unknown_token")
    assert found_one.evidence == (accepted.id,)


def test_an_auth_probe_finding_says_the_actual_status_and_body() -> None:
    forbidden = response('{"detail": "Forbidden"}', status=403)
    found = one_failure(token_a_scope.judge(AuthProbe(BASE_URL, forbidden)), "ocpi.auth.token_a_scope")
    assert found.actual == 'HTTP 403, application/json: {"detail": "Forbidden"}'
    assert BASE_URL in found.message


def test_an_auth_probe_answered_with_a_redirect_names_its_target() -> None:
    moved = response("", status=307, headers=[("Location", BASE_URL + "/")])
    found = one_failure(missing_token.judge(AuthProbe(BASE_URL, moved)), "ocpi.auth.missing_token")
    assert found.actual == f"HTTP 307 redirect to {BASE_URL}/"


@pytest.mark.parametrize(("answer", "served"), [
    pytest.param(lambda: response(envelope([])), True, id="200-envelope"),
    pytest.param(lambda: response(envelope(code=2003), status=404), True, id="404-envelope"),
    pytest.param(lambda: response('{"detail": "Not Found"}', status=404), True, id="404-other-json"),
    pytest.param(lambda: response(envelope(code=2000), status=401), True, id="401-envelope"),
    pytest.param(lambda: response("", status=307, headers=[("Location", "http://sut.test/x")]), False,
                 id="307-redirect"),
    pytest.param(lambda: response(envelope([]), status=301, headers=[("Location", "http://sut.test/x")]), False,
                 id="301-with-json"),
    pytest.param(lambda: response("<html><body>Not Found</body></html>", status=404,
                                  headers=[("Content-Type", "text/html")]), False, id="html-404"),
    pytest.param(lambda: response("", status=200), False, id="empty-200"),
    pytest.param(lambda: response(None, status=None), False, id="no-answer"),
])
def test_a_control_request_shows_whether_the_url_is_served(answer: Any, served: bool) -> None:
    x = answer()
    assert reached_endpoint(x) is served
    findings = endpoint_served.judge(PublishedEndpoint(BASE_URL, x))
    if served:
        passes(findings, "ocpi.versions.endpoint_served")
    else:
        found = one_failure(findings, "ocpi.versions.endpoint_served")
        assert found.message.startswith(f"GET {BASE_URL} (exactly as published)")
        assert found.evidence == (x.id,)


def test_an_unserved_url_names_the_redirect_target_or_the_error() -> None:
    moved = response("", status=307, headers=[("Location", "http://sut.test/ocpi/locations")])
    found = one_failure(endpoint_served.judge(PublishedEndpoint(BASE_URL, moved)), "ocpi.versions.endpoint_served")
    assert "redirect" in found.message
    assert found.actual == "HTTP 307 redirect to http://sut.test/ocpi/locations"
    html = LOG.record(protocol="OCPI", version="2.2.1", direction="outbound", method="GET", url=BASE_URL,
                      request_headers=[], request_body=None, status=404,
                      response_headers=[("Content-Type", "text/html; charset=utf-8")],
                      response_body="<html>nope</html>", elapsed_ms=1.0)
    found = one_failure(endpoint_served.judge(PublishedEndpoint(BASE_URL, html)), "ocpi.versions.endpoint_served")
    assert found.actual == "HTTP 404, text/html: <html>nope</html>"
    lost = LOG.record(protocol="OCPI", version="2.2.1", direction="outbound", method="GET", url=BASE_URL,
                      request_headers=[], request_body=None, status=None, response_headers=[], response_body=None,
                      elapsed_ms=1.0, error="ConnectError: connection refused")
    found = one_failure(endpoint_served.judge(PublishedEndpoint(BASE_URL, lost)), "ocpi.versions.endpoint_served")
    assert "could not be reached" in found.message
    assert found.actual == "no HTTP response (ConnectError: connection refused)"


# --------------------------------------------------------------------------------------------- a broken check


def test_a_check_that_raises_yields_an_error_finding() -> None:
    def boom(x: Exchange, e: Expect) -> Iterable[Problem]:
        yield Problem("first")
        raise KeyError("status_code")

    broken = Check(id="test.broken", key=CheckKey("OCPI", "2.2.1", "transport", "BOTH"), func=boom,
                   requirements=("OCPI-2.2.1-TF-RESP-01",),
                   spec="transport_and_format#transport_and_format_response_format", severity=Severity.REQUIRED,
                   tags=frozenset({"response"}), title="A check with a bug")
    x = response()
    findings = broken.run(x, Expect())
    assert len(findings) == 1
    finding = findings[0]
    assert finding.outcome is Outcome.ERROR
    assert finding.check_id == "test.broken"
    assert finding.message == "check raised KeyError: 'status_code'"
    assert finding.requirements == ("OCPI-2.2.1-TF-RESP-01",)
    assert finding.evidence == (x.id,)
    assert not finding.blocking  # not a verdict on the SUT
    assert "test.broken" not in {c.id for c in REGISTRY}


# --------------------------------------------------------------------------------------------- content type


@pytest.mark.parametrize(("declared", "fails"), [
    ("application/json", False), ("application/json; charset=utf-8", False), ("Application/JSON", False),
    ("text/plain", True), ("text/html; charset=utf-8", True), (None, True)])
def test_a_response_body_is_declared_as_json(declared: str | None, fails: bool) -> None:
    headers = [("Content-Type", declared)] if declared is not None else []
    x = LOG.record(protocol="OCPI", version="2.2.1", direction="outbound", method="GET", url=BASE_URL,
                   request_headers=[("X-Request-ID", "r"), ("X-Correlation-ID", "c")], request_body=None, status=404,
                   response_headers=headers, response_body=envelope(code=2003), elapsed_ms=1.0)
    found = [f for f in run_checks(x, Expect(), "response") if f.check_id == "ocpi.response.content_type"]
    assert [f.outcome for f in found] == [Outcome.FAIL if fails else Outcome.PASS]
    if fails:
        actual = declared.split(";")[0].lower() if declared else "(no Content-Type)"
        assert (found[0].expected, found[0].actual) == ("application/json", actual)
        assert found[0].requirements == ("OCPI-2.2.1-TF-RESP-03",) and not found[0].blocking


def test_a_response_without_a_body_is_not_judged_for_its_content_type() -> None:
    x = LOG.record(protocol="OCPI", version="2.2.1", direction="outbound", method="DELETE", url=BASE_URL,
                   request_headers=[], request_body=None, status=204, response_headers=[], response_body=None,
                   elapsed_ms=1.0)
    assert [f for f in run_checks(x, Expect(), "response") if f.check_id == "ocpi.response.content_type"] == []


def test_invalid_utf8_is_named_with_the_byte_and_its_offset() -> None:
    body = b'{"data": [], "status_code": 1000, "status_message": "caf\xe9", "timestamp": "2026-01-05T08:00:00Z"}'
    findings = run_checks(response(body), LIST, "response")
    found = one_failure(findings, "ocpi.envelope.shape")
    offset = body.index(b"\xe9")
    assert found.message == ("The response body is not a JSON object: the body is not valid UTF-8 (byte 0xe9 at "
                             f"offset {offset})")


def test_invalid_utf8_in_an_error_answer_is_named() -> None:
    x = response(b"\x80 upstream error", status=502)
    found = one_failure(run_checks(x, LIST, "response"), "ocpi.envelope.on_error")
    assert found.message == ("HTTP 502 came without the OCPI envelope: the body is not valid UTF-8 "
                             "(byte 0x80 at offset 0)")
