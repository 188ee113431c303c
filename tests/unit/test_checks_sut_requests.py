"""The checks on the SUT's own requests to roamcert beyond their headers, on hand-made inbound exchanges: token A
used after the registration, and request bodies that are not a JSON object; and the case running every request
check once on every inbound exchange."""

from __future__ import annotations

import base64
import json

from conformance.core.case import Case
from conformance.core.exchange import Exchange, ExchangeLog
from conformance.core.findings import Outcome
from conformance.ocpi.v2_2_1.checks import Expect, run_checks

LOG = ExchangeLog()
ROAMCERT = "https://roamcert.test/ocpi/emsp"
TOKEN_A, TOKEN_C = "A-registration-only", "C-issued-at-registration"
EXPECT = Expect(tokens=frozenset({TOKEN_A, TOKEN_C}), tokens_a=frozenset({TOKEN_A}))


def _request(url: str, *, token: str | None = TOKEN_C, method: str = "GET", body: bytes | None = None,
             encode: bool = True, log: ExchangeLog = LOG) -> Exchange:
    headers = [("X-Request-ID", "r1"), ("X-Correlation-ID", "c1")]
    if token is not None:
        value = base64.b64encode(token.encode()).decode() if encode else token
        headers.append(("Authorization", f"Token {value}"))
    if body is not None:
        headers.append(("Content-Type", "application/json"))
    return log.record(protocol="OCPI", version="2.2.1", direction="inbound", method=method, url=url,
                      request_headers=headers, request_body=body, status=200, response_headers=[],
                      response_body=None, elapsed_ms=1.0)


def _findings(x: Exchange, check_id: str, expect: Expect = EXPECT) -> list[Outcome]:
    return [f.outcome for f in run_checks(x, expect, "request") if f.check_id == check_id]


def test_token_a_on_the_registration_modules_is_fine() -> None:
    for url in (f"{ROAMCERT}/versions", f"{ROAMCERT}/2.2.1", f"{ROAMCERT}/2.2.1/sender/credentials"):
        assert _findings(_request(url, token=TOKEN_A), "ocpi.request.token_a_scope") == [], url


def test_token_a_on_a_functional_module_fails_naming_the_url() -> None:
    url = f"{ROAMCERT}/2.2.1/sender/tokens"
    for encode in (True, False):  # unencoded too: it is still token A
        findings = [f for f in run_checks(_request(url, token=TOKEN_A, encode=encode), EXPECT, "request")
                    if f.check_id == "ocpi.request.token_a_scope"]
        assert [f.outcome for f in findings] == [Outcome.FAIL]
        assert url in findings[0].message and findings[0].requirements == ("OCPI-2.2.1-CR-03",)
        assert TOKEN_A not in str(findings[0].to_dict())  # the token itself is never shown
    assert _findings(_request(url, token=TOKEN_C), "ocpi.request.token_a_scope") == []
    assert _findings(_request(url, token=None), "ocpi.request.token_a_scope") == []


def test_a_request_body_must_be_a_json_object() -> None:
    url = f"{ROAMCERT}/2.2.1/receiver/locations/NL/ABC/L1"
    check_id = "ocpi.request.json_body"
    assert _findings(_request(url, method="PUT", body=b'{"id": "L1"}'), check_id) == [Outcome.PASS]
    assert _findings(_request(url), check_id) == []  # no body: nothing to judge
    listed = [f for f in run_checks(_request(url, method="PUT", body=b'[{"id": "L1"}]'), EXPECT, "request")
              if f.check_id == check_id]
    assert [f.outcome for f in listed] == [Outcome.FAIL] and "an array" in listed[0].message
    assert listed[0].requirements == ("OCPI-2.2.1-TF-REQ-02",) and url in listed[0].message
    broken = [f for f in run_checks(_request(url, method="PUT", body=b'{"id": "L1"'), EXPECT, "request")
              if f.check_id == check_id]
    assert [f.outcome for f in broken] == [Outcome.FAIL] and "not valid JSON" in broken[0].message


def test_a_credentials_body_in_a_finding_keeps_its_token_redacted() -> None:
    log = ExchangeLog()
    log.secrets.add("B-secret-token-value")
    body = json.dumps([{"token": "B-secret-token-value", "url": "https://sut.test/versions"}]).encode()
    x = _request(f"{ROAMCERT}/2.2.1/sender/credentials", token=TOKEN_A, method="POST", body=body, log=log)
    findings = [f for f in run_checks(x, EXPECT, "request") if f.check_id == "ocpi.request.json_body"]
    assert [f.outcome for f in findings] == [Outcome.FAIL]
    assert "B-secret-token-value" not in str(findings[0].to_dict())


def test_the_case_judges_each_inbound_request_once() -> None:
    log = ExchangeLog()
    case = Case(nodeid="t", log=log)
    _request(f"{ROAMCERT}/2.2.1/sender/tokens", token=TOKEN_A, log=log)
    case.check_requests(EXPECT)
    _request(f"{ROAMCERT}/2.2.1/sender/tokens", token=TOKEN_C, log=log)  # arrives later in the same case
    case.check_requests(EXPECT)
    case.check_requests(EXPECT)
    judged = [(f.evidence, f.outcome) for f in case.findings if f.check_id == "ocpi.request.token_a_scope"]
    assert judged == [(("x1",), Outcome.FAIL)]
    ids = [f.evidence for f in case.findings if f.check_id == "ocpi.request.ids"]
    assert ids == [("x1",), ("x2",)]
