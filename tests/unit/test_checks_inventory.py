"""The checks added for MUST statements the requirement inventory found uncovered, on hand-made exchanges: status
codes (HTTP 400 for a body that is not JSON, no custom codes), routing headers on the configuration modules, X-Limit
on a last page, unique CDR ids."""

from __future__ import annotations

import json
from typing import Any

from conformance.core.exchange import Exchange, ExchangeLog
from conformance.core.findings import Outcome
from conformance.ocpi.v2_2_1.checks import REGISTRY, Expect, run_checks
from conformance.ocpi.v2_2_1.checks.pagination import PageChain, x_limit, x_limit_problems
from conformance.ocpi.v2_2_1.checks.senders import SenderLists, cdr_id_problems, unique_cdr_ids
from conformance.ocpi.v2_2_1.checks.status import NotJsonAnswer, invalid_json

LOG = ExchangeLog()
TS = "2026-01-05T08:00:00Z"


def _answer(status: int, code: int | None = 1000, *, url: str = "https://sut.test/ocpi/cpo/versions",
            headers: tuple[tuple[str, str], ...] = (), data: Any = None, direction: str = "outbound",
            request_headers: tuple[tuple[str, str], ...] = ()) -> Exchange:
    body = None if code is None else json.dumps({"status_code": code, "timestamp": TS, "data": data})
    return LOG.record(protocol="OCPI", version="2.2.1", direction=direction, method="GET", url=url,
                      request_headers=list(request_headers), request_body=None, status=status,
                      response_headers=[("Content-Type", "application/json"), *headers], response_body=body,
                      elapsed_ms=1.0)


def _outcomes(x: Exchange, expect: Expect, check_id: str, *tags: str) -> list[Outcome]:
    return [f.outcome for f in run_checks(x, expect, *(tags or ("response",))) if f.check_id == check_id]


# -- status codes


def test_custom_status_codes_fail_and_standard_ones_pass() -> None:
    check_id = "ocpi.status.standard_code"
    assert _outcomes(_answer(200, 1000), Expect(), check_id) == [Outcome.PASS]
    assert _outcomes(_answer(404, 2003), Expect(), check_id) == [Outcome.PASS]
    for custom in (1900, 2903, 3999, 4901):
        findings = [f for f in run_checks(_answer(404, custom), Expect(), "response") if f.check_id == check_id]
        assert [f.outcome for f in findings] == [Outcome.FAIL], custom
        assert findings[0].requirements == ("OCPI-2.2.1-SC-06",)
    assert _outcomes(_answer(400, None), Expect(), check_id) == []  # no envelope: nothing to judge


def test_a_body_that_is_not_json_must_get_http_400() -> None:
    assert [f.outcome for f in invalid_json.judge(NotJsonAnswer(_answer(400, 2000)))] == [Outcome.PASS]
    assert [f.outcome for f in invalid_json.judge(NotJsonAnswer(_answer(400, None)))] == [Outcome.PASS]
    answer = _answer(200, 2001)
    findings = invalid_json.judge(NotJsonAnswer(answer))
    assert len(findings) == 1 and findings[0].actual == "HTTP 200 with status_code 2001"
    finding = findings[0]
    assert finding.outcome is Outcome.FAIL and finding.requirements == ("OCPI-2.2.1-SC-05",)
    assert finding.evidence == (answer.id,)


# -- routing headers on the configuration modules


def test_routing_headers_on_configuration_answers_fail() -> None:
    check_id = "ocpi.routing.configuration_modules"
    routed = (("OCPI-from-country-code", "NL"), ("OCPI-from-party-id", "RCT"))
    for schema in ("Version", "VersionDetails", "Credentials"):
        assert _outcomes(_answer(200, headers=routed), Expect(schema=schema), check_id) == [Outcome.FAIL]
        assert _outcomes(_answer(200), Expect(schema=schema), check_id) == [Outcome.PASS]
    # a Functional Module may (and, between platforms, should) carry them
    assert _outcomes(_answer(200, headers=routed), Expect(schema="Location"), check_id) == []


def test_routing_headers_in_the_suts_requests_to_roamcerts_configuration_modules_fail() -> None:
    check_id = "ocpi.routing.configuration_modules"
    routed = (("OCPI-to-country-code", "NL"), ("OCPI-to-party-id", "RCT"))
    for url in ("https://roamcert.test/ocpi/emsp/versions", "https://roamcert.test/ocpi/emsp/2.2.1",
                "https://roamcert.test/ocpi/emsp/2.2.1/receiver/credentials",
                "https://roamcert.test/ocpi/emsp/2.2.1/receiver/hubclientinfo/NL/RCT"):
        inbound = _answer(200, url=url, direction="inbound", request_headers=routed)
        assert _outcomes(inbound, Expect(), check_id, "request") == [Outcome.FAIL], url
        clean = _answer(200, url=url, direction="inbound")
        assert _outcomes(clean, Expect(), check_id, "request") == [Outcome.PASS], url
    module = _answer(200, url="https://roamcert.test/ocpi/emsp/2.2.1/receiver/sessions/NL/RCT/S1",
                     direction="inbound", request_headers=routed)
    assert _outcomes(module, Expect(), check_id, "request") == []


# -- X-Limit


def _page(count: int, x_limit: int, link: bool) -> Exchange:
    headers = [("X-Limit", str(x_limit)), ("X-Total-Count", "25")]
    if link:
        headers.append(("Link", '<https://sut.test/ocpi/cpo/2.2.1/tariffs?offset=10&limit=10>; rel="next"'))
    return _answer(200, data=[{"id": str(i)} for i in range(count)], headers=tuple(headers),
                   url="https://sut.test/ocpi/cpo/2.2.1/tariffs")


def test_x_limit_on_a_short_last_page_is_the_upper_limit() -> None:
    assert x_limit_problems([_page(10, 10, True), _page(10, 10, True), _page(5, 10, False)]) == []
    assert x_limit_problems([_page(5, 5, False)]) == []  # one page: nothing to compare with
    assert x_limit_problems([_page(10, 10, True), _page(10, 10, True)]) == []  # no last page yet
    chain = (_page(10, 10, True), _page(5, 5, False))
    problems = x_limit_problems(chain)
    assert len(problems) == 1 and "X-Limit: 5 with 5 objects" in str(problems[0].actual)
    finding = x_limit.judge(PageChain(chain))[0]
    assert finding.outcome is Outcome.FAIL and finding.requirements == ("OCPI-2.2.1-TF-PAG-08",)


# -- CDR ids


def test_cdr_ids_are_unique_per_country_code_and_party_id() -> None:
    def cdr(cdr_id: str, party: str = "RCT") -> dict[str, Any]:
        return {"country_code": "NL", "party_id": party, "id": cdr_id}

    assert cdr_id_problems([cdr("C1"), cdr("C2"), cdr("C1", party="XYZ")]) == []
    listed = (cdr("C1"), cdr("C2"), cdr("c1"))  # CiString: case does not make it another id
    problems = cdr_id_problems(listed)
    assert len(problems) == 1 and "positions 1 and 3" in problems[0].message
    assert unique_cdr_ids.judge(SenderLists(("x1",), cdrs=listed))[0].requirements == ("OCPI-2.2.1-CDR-S-06",)
    assert REGISTRY["ocpi.cdrs.unique_ids"] is unique_cdr_ids
