"""Credentials never reach a recorded exchange's serialised form (conformance/core/exchange.py)."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from conformance.core.exchange import REDACTED, Exchange, ExchangeLog, redact_body, redact_headers, redact_url

SECRET = "tok-C-5e0c2a9d-secret"
OTHER_SECRET = "tok-B-8812-other"


def _record(log: ExchangeLog | None = None, **overrides: Any) -> Exchange:
    fields: dict[str, Any] = {
        "direction": "outbound",
        "method": "GET",
        "url": "https://sut.test/ocpi/2.2.1/locations",
        "request_headers": [],
        "request_body": None,
        "status": 200,
        "response_headers": [],
        "response_body": None,
        "elapsed_ms": 1.0,
    }
    fields.update(overrides)
    return (log or ExchangeLog()).record(**fields)


# --------------------------------------------------------------------------------------------- headers


@pytest.mark.parametrize(
    ("name", "value", "recorded"),
    [
        ("Authorization", f"Token {SECRET}", "Token [redacted]"),
        ("authorization", "Token " + base64.b64encode(SECRET.encode()).decode(), "Token [redacted]"),
        ("AUTHORIZATION", "Basic dXNlcjpwYXNz", "Basic [redacted]"),
        ("Proxy-Authorization", f"Bearer {SECRET}", "Bearer [redacted]"),
        ("Authorization", SECRET, "[redacted]"),  # no scheme at all: nothing to keep
        ("Cookie", f"session={SECRET}", "[redacted]"),
        ("Set-Cookie", f"session={SECRET}", "[redacted]"),
    ],
)
def test_secret_headers_keep_only_the_scheme(name: str, value: str, recorded: str) -> None:
    assert redact_headers([(name, value)]) == {name: recorded}


def test_other_headers_are_kept() -> None:
    headers = [("X-Request-ID", "r-1"), ("Content-Type", "application/json"), ("Authorization", f"Token {SECRET}")]
    assert redact_headers(headers) == {"X-Request-ID": "r-1", "Content-Type": "application/json",
                                       "Authorization": "Token [redacted]"}


@pytest.mark.parametrize(("name", "value"), [
    ("Cookie", f"session={SECRET}; theme=dark"),
    ("Set-Cookie", f"session={SECRET}; Path=/; HttpOnly"),
])
def test_cookie_with_several_attributes_leaks_nothing(name: str, value: str) -> None:
    recorded = redact_headers([(name, value)])[name]
    assert SECRET not in recorded


def test_recorded_exchange_redacts_headers_but_keeps_raw_ones() -> None:
    header = f"Token {SECRET}"
    x = _record(request_headers=[("Authorization", header)], response_headers=[("Set-Cookie", f"s={SECRET}")])
    assert x.request_headers == {"Authorization": "Token [redacted]"}
    assert x.response_headers == {"Set-Cookie": REDACTED}
    # checks read the raw values
    assert x.request_header("authorization") == header
    assert x.response_header("set-cookie") == f"s={SECRET}"


# --------------------------------------------------------------------------------------------- bodies


def test_json_token_keys_redacted_at_any_depth() -> None:
    body = {
        "data": {
            "token": SECRET,
            "url": "https://sut.test/versions",
            "roles": [{"role": "CPO", "business_details": {"name": "Acme"}, "Token": "nested-1"}],
            "deeper": [[{"credentials_token": "nested-2", "password": "pw-1", "secret": "s-1"}]],
        },
        "status_code": 1000,
    }
    redacted = json.loads(redact_body(json.dumps(body)) or "")
    assert redacted == {
        "data": {
            "token": REDACTED,
            "url": "https://sut.test/versions",
            "roles": [{"role": "CPO", "business_details": {"name": "Acme"}, "Token": REDACTED}],
            "deeper": [[{"credentials_token": REDACTED, "password": REDACTED, "secret": REDACTED}]],
        },
        "status_code": 1000,
    }


def test_json_token_key_holding_an_object_is_descended_not_dropped() -> None:
    body = {"cdr_token": {"uid": "012345678", "type": "RFID"}, "token": {"token": "inner-secret"}}
    redacted = json.loads(redact_body(json.dumps(body)) or "")
    assert redacted == {"cdr_token": {"uid": "012345678", "type": "RFID"}, "token": {"token": REDACTED}}


def test_known_secrets_scrubbed_from_non_json_bodies() -> None:
    text = f"<html>401: token {SECRET} unknown; also {OTHER_SECRET}; 'abc' goes, abcdef and xabc stay</html>"
    redacted = redact_body(text.encode(), secrets=[SECRET, OTHER_SECRET, "abc"])
    # a short secret goes where it stands as a whole token only (conformance/core/redaction.py)
    assert redacted == f"<html>401: token {REDACTED} unknown; also {REDACTED}; '{REDACTED}' goes, abcdef and xabc " \
                       "stay</html>"


def test_known_secrets_scrubbed_from_json_values_under_other_keys() -> None:
    body = json.dumps({"status_message": f"token {SECRET} is not known", "status_code": 2000})
    redacted = redact_body(body, secrets=[SECRET])
    assert redacted is not None
    assert SECRET not in redacted
    assert json.loads(redacted)["status_message"] == f"token {REDACTED} is not known"


def test_base64_form_of_a_known_secret_is_scrubbed() -> None:
    encoded = base64.b64encode(SECRET.encode()).decode()
    redacted = redact_body(f"Unauthorized: Authorization was 'Token {encoded}'", secrets=[SECRET]) or ""
    assert encoded not in redacted


def test_exchange_log_scrubs_its_secrets_from_bodies() -> None:
    log = ExchangeLog()
    log.secrets.add(SECRET)
    x = _record(log, method="POST", request_body=f"plain {SECRET}", response_body=f"echo: {SECRET}".encode())
    assert x.request_body == f"plain {REDACTED}"
    assert x.response_body == f"echo: {REDACTED}"


def test_url_query_tokens_redacted() -> None:
    assert redact_url(f"https://sut.test/v?token={SECRET}&x=1") == f"https://sut.test/v?token={REDACTED}&x=1"
    assert redact_url(f"https://sut.test/v?a=1&ACCESS_TOKEN={SECRET}") == f"https://sut.test/v?a=1&ACCESS_TOKEN={REDACTED}"
    assert redact_url(f"https://sut.test/v?password={SECRET}") == f"https://sut.test/v?password={REDACTED}"
    plain = "https://sut.test/ocpi/2.2.1/locations?offset=10&limit=5&date_from=2026-01-01T00:00:00Z"
    assert redact_url(plain) == plain
    x = _record(url=f"https://sut.test/v?token={SECRET}")
    assert x.url == f"https://sut.test/v?token={REDACTED}"


def test_raw_bodies_stay_available_to_checks() -> None:
    payload = {"data": {"token": SECRET, "url": "https://sut.test/versions"}, "status_code": 1000}
    x = _record(method="POST", request_body=json.dumps({"token": OTHER_SECRET}), response_body=json.dumps(payload))
    assert x.response_json() == payload
    assert x.request_json() == {"token": OTHER_SECRET}
    assert SECRET not in (x.response_body or "")
    assert OTHER_SECRET not in (x.request_body or "")


def test_response_json_without_body_raises_value_error() -> None:
    with pytest.raises(ValueError, match="no response body"):
        _record(response_body=None).response_json()
    with pytest.raises(ValueError):
        _record(response_body=b"<html>").response_json()


def test_to_dict_never_contains_the_secret() -> None:
    log = ExchangeLog()
    log.secrets.add(OTHER_SECRET)
    x = _record(
        log,
        method="POST",
        url=f"https://sut.test/ocpi/2.2.1/credentials?token={SECRET}",
        request_headers=[("Authorization", f"Token {SECRET}"), ("Cookie", f"sid={SECRET}")],
        request_body=json.dumps({"token": SECRET, "url": "https://roamcert.test/versions"}),
        response_headers=[("Set-Cookie", f"sid={SECRET}")],
        response_body=json.dumps({"data": {"token": SECRET, "note": f"old token {OTHER_SECRET}"},
                                  "status_code": 1000}),
    )
    data = x.to_dict()
    assert set(data) == {"id", "direction", "method", "url", "request_headers", "request_body", "status",
                         "response_headers", "response_body", "elapsed_ms", "error", "protocol", "version"}
    text = json.dumps(data)
    assert SECRET not in text
    assert OTHER_SECRET not in text
    assert "raw" not in text
    assert data["request_headers"]["Authorization"] == "Token [redacted]"


def test_large_bodies_are_truncated_with_a_note() -> None:
    size = 256 * 1024
    body = "a" * (size + 1000)
    recorded = redact_body(body)
    assert recorded is not None
    # compare lengths and small slices only: pytest would diff 256 KiB strings on failure
    assert len(recorded) == size + len("\n[... 1000 more characters not recorded]")
    assert recorded[size - 3 : size] == "aaa"
    assert recorded[size:] == "\n[... 1000 more characters not recorded]"
    exact = redact_body("b" * size)  # exactly the limit: untouched
    assert exact is not None and len(exact) == size
    x = _record(response_body=body.encode())
    same = x.response_body == recorded
    assert same
    assert x.raw_response_body is not None and len(x.raw_response_body) == size + 1000


def test_large_json_bodies_still_have_token_keys_redacted() -> None:
    body = json.dumps({"data": [{"token": "unknown-secret-9f8e"}] + [{"id": f"LOC{i}", "pad": "x" * 100}
                                                                      for i in range(3000)]})
    assert len(body) > 256 * 1024
    recorded = redact_body(body) or ""
    leaked = "unknown-secret-9f8e" in recorded  # no `in` inside assert: pytest would diff 256 KiB of text
    assert not leaked


# --------------------------------------------------------------------------------------------- harvesting


@pytest.mark.parametrize("raw", [
    json.dumps({"data": {"token": SECRET}}).encode(),
    json.dumps({"data": {"TOKEN": SECRET}}).encode(),  # keys compared lower-cased
    json.dumps({"credentials_token": SECRET}),
    b'{"data": {"\\u0074oken": "' + SECRET.encode() + b'"}}',  # an escaped key is the same key
    '{"to\u212aen": "SECRET"}'.replace("SECRET", SECRET).encode(),  # KELVIN SIGN lower-cases to k
    json.dumps({"password": SECRET}).encode("utf-16"),  # json.loads reads UTF-16 too
], ids=["plain", "upper", "credentials_token", "escaped", "kelvin", "utf-16"])
def test_a_body_holding_a_secret_key_is_harvested_however_written(raw: bytes | str) -> None:
    log = ExchangeLog()
    _record(log, response_body=raw)
    assert SECRET in log.secrets
    later = _record(log, response_body=f"echo {SECRET}")  # redacted in the next exchange by value
    assert later.response_body == f"echo {REDACTED}"


def test_values_that_merely_contain_a_secret_key_name_harvest_nothing() -> None:
    log = ExchangeLog()
    _record(log, response_body=json.dumps({"capabilities": ["TOKEN_GROUP_CAPABLE"], "cdr_token": {"uid": "u-1"},
                                           "note": "token password secret"}).encode())
    assert log.secrets == set()


def test_a_body_is_redacted_with_the_secrets_known_when_it_was_recorded() -> None:
    log = ExchangeLog()
    log.secrets.add(SECRET)
    early = _record(log, response_body=f"{SECRET} {OTHER_SECRET}".encode())
    log.secrets.add(OTHER_SECRET)  # learnt after: the earlier record stays as it was recorded
    late = _record(log, response_body=f"{SECRET} {OTHER_SECRET}".encode())
    assert early.response_body == f"{REDACTED} {OTHER_SECRET}"
    assert late.response_body == f"{REDACTED} {REDACTED}"
