"""Receiver rules shared by every module: no HTTP error status on a refusal that reached the OCPI layer, 201/200
for a pushed object, and a push under another object's id refused (status_codes, transport_and_format_errors)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conformance.core.exchange import Exchange, ExchangeLog
from conformance.core.findings import Finding, Outcome, Severity
from conformance.ocpi.v2_2_1.checks import Expect, run_checks
from conformance.ocpi.v2_2_1.checks._receiver import MismatchedPush
from conformance.ocpi.v2_2_1.checks.receivers import id_mismatch

LOG = ExchangeLog()
URL = "https://sut.test/ocpi/2.2.1/tokens/NL/RCT/UID1"
TS = "2026-01-05T08:00:00Z"


def push(status: int, code: int | None, *, body: Any = None, method: str = "PUT") -> Exchange:
    answer = json.dumps({"status_code": code, "timestamp": TS}) if code is not None else '{"detail": "nope"}'
    sent = json.dumps(body if body is not None else {"uid": "UID1"})
    return LOG.record(protocol="OCPI", version="2.2.1", direction="outbound", method=method, url=URL,
                      request_headers=[("Authorization", "Token dG9r")], request_body=sent, status=status,
                      response_headers=[("Content-Type", "application/json")], response_body=answer, elapsed_ms=1.0)


def of(findings: list[Finding], check_id: str) -> list[Finding]:
    return [f for f in findings if f.check_id == check_id]


def bad(findings: list[Finding], check_id: str) -> list[Finding]:
    return [f for f in of(findings, check_id) if f.outcome is not Outcome.PASS]


REFUSE = Expect(status_codes=frozenset({2001}))


@pytest.mark.parametrize("status", [200, 201])
def test_a_refusal_inside_http_2xx_passes(status: int) -> None:
    found = of(run_checks(push(status, 2001), REFUSE, "response"), "ocpi.status.refusal_http")
    assert [f.outcome for f in found] == [Outcome.PASS]


@pytest.mark.parametrize("status", [400, 422, 500])
def test_a_refusal_with_an_http_error_fails(status: int) -> None:
    found = bad(run_checks(push(status, 2001), REFUSE, "response"), "ocpi.status.refusal_http")
    assert len(found) == 1 and found[0].outcome is Outcome.FAIL
    assert found[0].actual == f"HTTP {status}, status_code 2001"
    assert found[0].requirements == ("OCPI-2.2.1-SC-01",)


def test_the_finding_shows_a_body_without_envelope() -> None:
    found = bad(run_checks(push(422, None), REFUSE, "response"), "ocpi.status.refusal_http")
    assert found[0].actual == 'HTTP 422: {"detail": "nope"}'


def test_404_passes_unless_the_object_is_known_to_exist() -> None:
    assert bad(run_checks(push(404, 2001), REFUSE, "response"), "ocpi.status.refusal_http") == []
    known = Expect(status_codes=frozenset({2001}), resource_exists=True)
    assert len(bad(run_checks(push(404, 2001), known, "response"), "ocpi.status.refusal_http")) == 1


def test_not_judged_without_a_json_body_or_a_client_error_expected() -> None:
    not_json = LOG.record(protocol="OCPI", version="2.2.1", direction="outbound", method="PUT", url=URL,
                          request_headers=[], request_body="{oops", status=400, response_headers=[],
                          response_body="", elapsed_ms=1.0)
    assert of(run_checks(not_json, REFUSE, "response"), "ocpi.status.refusal_http") == []
    assert of(run_checks(push(400, 2001), Expect(status_codes=frozenset({1000})), "response"),
              "ocpi.status.refusal_http") == []


@pytest.mark.parametrize(("created", "status", "ok"), [(True, 201, True), (True, 200, False), (False, 200, True),
                                                       (False, 201, False)])
def test_created_or_updated(created: bool, status: int, ok: bool) -> None:
    found = of(run_checks(push(status, 1000), Expect(status_codes=frozenset({1000}), created=created), "response"),
               "ocpi.status.created")
    assert len(found) == 1
    assert found[0].outcome is (Outcome.PASS if ok else Outcome.FAIL)
    # a SHOULD: the deviation is shown but does not fail the test case
    assert found[0].severity is Severity.RECOMMENDED and not found[0].blocking
    if not ok:
        assert found[0].expected == f"HTTP {201 if created else 200}"


def test_created_is_not_judged_on_a_refusal_or_when_unknown() -> None:
    assert of(run_checks(push(200, 2001), Expect(created=True), "response"), "ocpi.status.created") == []
    assert of(run_checks(push(200, 1000), Expect(), "response"), "ocpi.status.created") == []


def test_a_push_under_another_id_must_be_refused() -> None:
    taken = id_mismatch.judge(MismatchedPush("Token", "uid", push(200, 1000)))
    assert [(f.outcome, f.blocking) for f in taken] == [(Outcome.FAIL, False)]
    assert "uid differs from the one in the URL" in taken[0].message
    refused = id_mismatch.judge(MismatchedPush("Token", "uid", push(200, 2001)))
    assert [f.outcome for f in refused] == [Outcome.PASS]


def test_a_one_element_list_is_reported_and_its_object_still_judged() -> None:
    answer = json.dumps({"status_code": 1000, "timestamp": TS, "data": [{"uid": "UID1"}]})
    x = LOG.record(protocol="OCPI", version="2.2.1", direction="outbound", method="GET", url=URL,
                   request_headers=[], request_body=None, status=200,
                   response_headers=[("Content-Type", "application/json")], response_body=answer, elapsed_ms=1.0)
    found = bad(run_checks(x, Expect(schema="Token"), "response"), "ocpi.schema.data")
    assert found[0].message == "data is a list where one Token object was expected"
    assert len(found) > 1 and all(f.message.startswith("Token (data[0]): ") for f in found[1:])


def test_a_senders_last_updated_obligation_judges_no_receiver() -> None:
    """A PATCH carries last_updated is the Sender's SHALL (mod_sessions, mod_tokens, mod_locations PATCH): the
    requirements are verified only by checks that bind the Sender, on the SUT's own PATCHes."""
    from conformance.ocpi.v2_2_1.checks import REGISTRY

    for requirement in ("OCPI-2.2.1-SES-R-04", "OCPI-2.2.1-TOK-R-03", "OCPI-2.2.1-TF-PUSH-04"):
        binding = {c.id: c.key.interface_role for c in REGISTRY if requirement in c.requirements}
        assert binding == {"ocpi.request.patch_last_updated": "SENDER"}, requirement
