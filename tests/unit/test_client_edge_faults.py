"""Edge faults of a SUT's transport (respx): timeouts, refused connections, truncated and non-JSON bodies.
They are recorded as evidence and reported precisely; the harness never crashes on them."""

from __future__ import annotations

import asyncio

import httpx
import pytest
import respx

from conformance.core.errors import SutUnreachable
from conformance.core.exchange import ExchangeLog
from conformance.core.findings import Outcome
from conformance.ocpi.client import OcpiClient
from conformance.ocpi.v2_2_1.checks import Expect, run_checks

URL = "https://sut.example/ocpi/versions"


def _client(router: respx.Router, log: ExchangeLog) -> OcpiClient:
    return OcpiClient(httpx.AsyncClient(transport=httpx.MockTransport(router.handler)), log, version="2.2.1",
                      token="tok-C-secret")


@pytest.mark.parametrize("error", [httpx.ReadTimeout("timed out"), httpx.ConnectError("connection refused")])
def test_no_answer_is_recorded_and_raised_as_sut_unreachable(error: Exception) -> None:
    router = respx.Router(assert_all_called=True)
    router.get(URL).mock(side_effect=error)
    log = ExchangeLog()
    with pytest.raises(SutUnreachable, match="no HTTP response") as caught:
        asyncio.run(_client(router, log).request("GET", URL))
    router.assert_all_called()
    assert URL in str(caught.value)
    [exchange] = log.exchanges
    assert exchange.status is None and exchange.error is not None and type(error).__name__ in exchange.error
    assert {k.lower(): v for k, v in exchange.request_headers.items()}["authorization"] == "Token [redacted]"


def test_truncated_json_body_is_a_finding_not_a_crash() -> None:
    router = respx.Router(assert_all_called=True)
    router.get(URL).mock(return_value=httpx.Response(200, content=b'{"data": [{"version": "2.2.1", "ur'))
    log = ExchangeLog()
    exchange = asyncio.run(_client(router, log).request("GET", URL))
    findings = run_checks(exchange, Expect(schema="Version", many=True), "response")
    failed = {f.check_id: f for f in findings if f.outcome is Outcome.FAIL}
    assert "ocpi.envelope.shape" in failed and "not a JSON object" in failed["ocpi.envelope.shape"].message
    assert "ocpi.schema.data" in failed
    assert not [f for f in findings if f.outcome is Outcome.ERROR]


def test_html_error_page_is_reported_as_missing_envelope() -> None:
    router = respx.Router(assert_all_called=True)
    router.get(URL).mock(return_value=httpx.Response(502, text="<html><body>Bad Gateway</body></html>"))
    exchange = asyncio.run(_client(router, ExchangeLog()).request("GET", URL))
    findings = run_checks(exchange, Expect(), "response")
    [envelope] = [f for f in findings if f.check_id == "ocpi.envelope.on_error"]
    assert envelope.outcome is Outcome.FAIL and "502" in envelope.message and "Bad Gateway" in (envelope.actual or "")
