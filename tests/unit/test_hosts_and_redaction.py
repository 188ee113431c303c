"""Credentials stay with the target (conformance/core/hosts.py, the OCPI client's gate, the target's
allowed_hosts) and the redaction rule (conformance/core/redaction.py)."""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path

import httpx
import pytest

from conformance.core.catalogue import load_catalogue
from conformance.core.errors import ConfigurationError, SetupFailed, SutUnreachable
from conformance.core.exchange import ExchangeLog, redact_url
from conformance.core.hosts import HostNotAllowed, HostPolicy
from conformance.core.redaction import REDACTED, redact_text, redact_value
from conformance.core.results import ResultsWriter
from conformance.ocpi.client import OcpiClient
from conformance.ocpi.target import load_target

SUT = "https://ocpi.acme.test/ocpi/versions"


# -- the policy ------------------------------------------------------------------------------------------------

def test_the_versions_url_host_and_listed_hosts_are_allowed_nothing_else() -> None:
    policy = HostPolicy.of([SUT], ["cdn.acme.test", "files.acme.test:8443", "[::1]:9000"])
    assert policy.allows("https://ocpi.acme.test:9999/ocpi/2.2.1/locations")  # a versions URL host: any port
    assert policy.allows("http://OCPI.acme.test./x")  # names compare without case or trailing dot
    assert policy.allows("https://cdn.acme.test/locations?offset=10")
    assert policy.allows("https://files.acme.test:8443/a") and not policy.allows("https://files.acme.test/a")
    assert policy.allows("http://[::1]:9000/x") and not policy.allows("http://[::1]:9001/x")
    for elsewhere in ("https://evil.test/ocpi", "https://ocpi.acme.test.evil.test/x", "https://evil.test/?h=ocpi.acme.test",
                      "https://ocpi.acme.test@evil.test/x", "not a url", ""):
        assert not policy.allows(elsewhere), elsewhere


def test_a_refused_host_is_a_skip_for_a_case_and_unreachable_for_a_partner() -> None:
    assert issubclass(HostNotAllowed, SetupFailed) and issubclass(HostNotAllowed, SutUnreachable)


def _client(log: ExchangeLog, seen: list[httpx.Request], status: int = 200,
            headers: dict[str, str] | None = None) -> OcpiClient:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, headers=headers, json={"status_code": 1000})

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler), follow_redirects=True)
    return OcpiClient(http, log, version="2.2.1", token="tok-C-0123456789", hosts=HostPolicy.of([SUT]))


def test_the_client_does_not_call_another_host_and_records_why() -> None:
    log, seen = ExchangeLog(), []
    with pytest.raises(HostNotAllowed, match=r"host evil\.test is not among the target's hosts") as caught:
        asyncio.run(_client(log, seen).request("GET", "https://evil.test/ocpi/locations"))
    assert seen == []
    [refused] = log.exchanges
    assert refused.status is None and refused.error is not None and refused.error.startswith("not called: GET")
    assert "ocpi.acme.test" in refused.error and "allowed_hosts" in refused.error
    assert caught.value.exchange_id == refused.id
    assert "tok-C-0123456789" not in json.dumps(refused.to_dict())


def test_a_redirect_is_never_followed_with_credentials() -> None:
    log, seen = ExchangeLog(), []
    client = _client(log, seen, 302, {"Location": "https://ocpi.acme.test/elsewhere"})  # even to an allowed host
    exchange = asyncio.run(client.request("GET", "https://ocpi.acme.test/ocpi/versions"))
    assert len(seen) == 1 and exchange.status == 302
    assert exchange.response_header("location") == "https://ocpi.acme.test/elsewhere"


# -- the target ------------------------------------------------------------------------------------------------

TARGET = """\
name = "acme"
{hosts}
[ocpi]
version = "2.2.1"
[[ocpi.platform]]
roles = ["CPO"]
versions_url = "https://ocpi.acme.test/ocpi/versions"
token_a = "tok-A"
"""


def test_allowed_hosts_are_read_and_join_the_versions_url_hosts(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text(TARGET.format(hosts='allowed_hosts = ["cdn.acme.test", "files.acme.test:8443"]'))
    target = load_target(path)
    assert target.allowed_hosts == ("cdn.acme.test", "files.acme.test:8443")
    policy = target.host_policy("http://roamcert.partner.test")
    assert policy.allows("https://cdn.acme.test/x") and policy.allows("https://ocpi.acme.test/x")
    assert policy.allows("http://roamcert.partner.test/ocpi/emsp/versions")
    assert not policy.allows("https://files.acme.test/x") and not policy.allows("https://evil.test/x")


@pytest.mark.parametrize("value", ['"cdn.acme.test"', '["https://cdn.acme.test/"]', '[""]', '[1]',
                                   '["user@cdn.acme.test"]'])
def test_a_bad_allowed_hosts_names_the_file_and_key(tmp_path: Path, value: str) -> None:
    path = tmp_path / "t.toml"
    path.write_text(TARGET.format(hosts=f"allowed_hosts = {value}"))
    with pytest.raises(ConfigurationError, match=r"t\.toml: allowed_hosts: "):
        load_target(path)


# -- redaction ---------------------------------------------------------------------------------------------

def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_a_long_secret_goes_anywhere_raw_and_base64() -> None:
    secret = "S3cr3t-Token-C-1234"
    text = f"x{secret}y Token {_b64(secret)} {_b64(secret).rstrip('=')}"
    assert redact_text(text, [secret]) == f"x{REDACTED}y Token {REDACTED} {REDACTED}"


def test_a_short_secret_goes_only_where_it_stands_as_a_whole_token() -> None:
    assert redact_text("is a string, 'a' apart; banana", ["a"]) == f"is {REDACTED} string, '{REDACTED}' apart; banana"
    assert redact_text("token=ab&x=abc, ab.c, ab", ["ab"]) == f"token={REDACTED}&x=abc, ab.c, {REDACTED}"


def test_the_start_of_a_long_secret_cut_short_before_redaction_goes_too() -> None:
    secret = "Zq7Xw3Kv" + "A1B2C3D4" * 20
    assert redact_text(f"$.token: '{secret[:40]}…' is too long", [secret]) == f"$.token: '{REDACTED}' is too long"


def test_url_userinfo_and_token_parameters_are_redacted() -> None:
    assert redact_url("https://user:pw@sut.test/x?token=abc&a=1") == f"https://{REDACTED}@sut.test/x?token={REDACTED}&a=1"


def test_a_token_in_a_body_becomes_a_secret_of_the_log() -> None:
    log = ExchangeLog()
    issued = "C" * 80
    body = json.dumps({"data": {"token": issued}})
    log.record(direction="outbound", method="POST", url="https://sut.test/credentials", request_headers=[],
               request_body=None, status=200, response_headers=[], response_body=body, elapsed_ms=1.0)
    assert issued in log.secrets


def test_the_results_writer_sweeps_findings_and_causes(tmp_path: Path) -> None:
    writer = ResultsWriter(tmp_path / "results.ndjson", {"name": "t"}, load_catalogue("OCPI", "2.2.1"))
    secret = "T" * 100
    writer.secrets.add(secret)
    finding = {"check_id": "c", "outcome": "FAIL", "message": f"'{secret}' is too long", "requirements": [],
               "expected": secret, "actual": _b64(secret)}
    writer.test_case({"id": "X", "outcome": "FAIL", "reason": f"because {secret}", "findings": [finding],
                      "exchanges": [{"url": f"https://s.test/{secret}"}]})
    writer.close()
    text = (tmp_path / "results.ndjson").read_text()
    assert secret not in text and _b64(secret) not in text and secret[:16] not in text
    assert redact_value({"k": [secret, 1]}, [secret]) == {"k": [REDACTED, 1]}


def test_an_authorization_header_gives_its_credential_from_eight_characters_on() -> None:
    log = ExchangeLog()
    for credential in ("null", _b64("null"), "tok-B-0123456789", _b64("tok-B-9876543210")):
        log.record(direction="inbound", method="GET", url="https://roamcert.test/versions",
                   request_headers=[("Authorization", f"Token {credential}")], request_body=None, status=401,
                   response_headers=[], response_body=None, elapsed_ms=1.0)
    assert "null" not in log.secrets and "tok-B-0123456789" in log.secrets and "tok-B-9876543210" in log.secrets


def test_roamcerts_partner_does_not_call_another_host_either() -> None:
    from simulators.ocpi.references import reference_party
    from simulators.ocpi.v2_2_1.credentials import peer_client

    seen: list[httpx.Request] = []
    party = reference_party(("EMSP",), base_url="http://roamcert.partner.test", profile="lenient_partner",
                            seed=False, version="2.2.1")
    party.http_factory = lambda: httpx.AsyncClient(transport=httpx.MockTransport(
        lambda request: seen.append(request) or httpx.Response(200)))  # type: ignore[func-returns-value]
    party.hosts = HostPolicy.of([SUT])
    with pytest.raises(SutUnreachable, match="not called"):  # to a partner, a peer it could not reach
        asyncio.run(peer_client(party, "tok-B-0123456789").request("GET", "https://evil.test/ocpi/versions"))
    assert seen == [] and party.log.exchanges[-1].error is not None
