"""Checks on any OCPI response: envelope, ids, status codes, data schema (transport_and_format, status_codes)."""

from __future__ import annotations

from collections.abc import Iterator

from conformance.core.checks import Problem
from conformance.core.exchange import Exchange
from conformance.ocpi.expect import Expect
from conformance.ocpi.schemas import errors as schema_errors
from conformance.ocpi.types import is_ocpi_datetime
from conformance.ocpi.v2_2_1.checks._registrar import check
from conformance.ocpi.v2_2_1.checks._util import body_unreadable, envelope, media_type, short

TF = "transport_and_format"


def _answered(x: Exchange, e: Expect) -> bool:
    return x.status is not None


def _success_http(x: Exchange, e: Expect) -> bool:
    return x.status is not None and 200 <= x.status < 300


@check("ocpi.envelope.shape", tags=["response"], applies=_success_http)
def envelope_shape(x: Exchange, e: Expect) -> Iterator[Problem]:
    body = envelope(x)
    if body is None:
        unreadable = body_unreadable(x)
        yield Problem(f"The response body is not a JSON object: {unreadable}" if unreadable
                      else "The response body is not a JSON object", "a JSON object {data, status_code, timestamp}",
                      short(x.response_body or "(empty)"))
        return
    code = body.get("status_code")
    if not isinstance(code, int) or isinstance(code, bool):
        yield Problem("status_code is missing or not an integer", "an int such as 1000", short(code))
    elif not 1000 <= code <= 4999:
        yield Problem("status_code is not a four-digit OCPI status code", "1000-4999", str(code))
    if "timestamp" not in body:
        yield Problem("The envelope has no timestamp", "timestamp: DateTime", "absent")
    elif not is_ocpi_datetime(body["timestamp"]):
        yield Problem("The envelope timestamp is not an OCPI DateTime (UTC, RFC 3339)",
                      "e.g. 2026-01-05T08:00:00Z", short(body["timestamp"]))
    if "status_message" in body and body["status_message"] is not None and not isinstance(body["status_message"], str):
        yield Problem("status_message is not a string", "string", short(body["status_message"]))


@check("ocpi.envelope.on_error", tags=["response"], applies=lambda x, e: x.status is not None and x.status >= 400)
def envelope_on_error(x: Exchange, e: Expect) -> Iterator[Problem]:
    body = envelope(x)
    if body is None or not isinstance(body.get("status_code"), int):
        unreadable = body_unreadable(x)
        yield Problem(f"HTTP {x.status} came without the OCPI envelope" + (f": {unreadable}" if unreadable else ""),
                      "{status_code, status_message, timestamp}", short(x.response_body or "(empty)"))


@check("ocpi.response.content_type", tags=["response"],
       applies=lambda x, e: x.status is not None and bool(x.raw_response_body))
def response_content_type(x: Exchange, e: Expect) -> Iterator[Problem]:
    value = media_type(x.response_header("Content-Type"))
    if value != "application/json":
        yield Problem(f"The HTTP {x.status} response's body is not declared as application/json", "application/json",
                      value or "(no Content-Type)")


@check("ocpi.headers.request_id", tags=["response"], applies=_answered)
def request_id(x: Exchange, e: Expect) -> Iterator[Problem]:
    return _echo(x, "X-Request-ID")


@check("ocpi.headers.correlation_id", tags=["response"], applies=_answered)
def correlation_id(x: Exchange, e: Expect) -> Iterator[Problem]:
    return _echo(x, "X-Correlation-ID")


def _echo(x: Exchange, header: str) -> Iterator[Problem]:
    """The response repeats the id roamcert sent in ``header`` (nothing to check when none was sent)."""
    sent = x.request_header(header)
    got = x.response_header(header)
    if sent is not None and got != sent:
        yield Problem(f"{header} of the response differs from the request's", sent, got or "(absent)")


@check("ocpi.status.consistent", tags=["response"], applies=_answered)
def status_consistent(x: Exchange, e: Expect) -> Iterator[Problem]:
    body = envelope(x)
    code = body.get("status_code") if body else None
    if isinstance(code, int) and 1000 <= code < 2000 and x.status is not None and x.status >= 400:
        yield Problem("A success status_code came with an HTTP error status", "HTTP 2xx with 1xxx",
                      f"HTTP {x.status} with {code}")


@check("ocpi.status.expected", tags=["response"],
       applies=lambda x, e: x.status is not None and (e.status_codes is not None or e.http_statuses is not None))
def status_expected(x: Exchange, e: Expect) -> Iterator[Problem]:
    if e.http_statuses is not None and x.status not in e.http_statuses:
        yield Problem("Unexpected HTTP status", " or ".join(str(s) for s in sorted(e.http_statuses)), str(x.status))
    if e.status_codes is not None:
        body = envelope(x)
        code = body.get("status_code") if body else None
        if code not in e.status_codes:
            yield Problem("Unexpected OCPI status_code", " or ".join(str(s) for s in sorted(e.status_codes)),
                          f"{short(code)} (HTTP {x.status})" if body and "status_code" in body
                          else f"no OCPI envelope (HTTP {x.status}): {short(x.response_body or '(empty)', 120)}")


@check("ocpi.status.unknown_object", tags=["response"],
       applies=lambda x, e: x.status is not None and e.resource_exists is False)
def unknown_object(x: Exchange, e: Expect) -> Iterator[Problem]:
    body = envelope(x)
    code = body.get("status_code") if body else None
    if x.status is not None and x.status < 300 and (not isinstance(code, int) or code < 2000):
        yield Problem("An unknown object was answered as if it existed", "HTTP 404 (or a 2xxx status_code)",
                      f"HTTP {x.status}, status_code {short(code)}, data {short(body.get('data') if body else None)}")


@check("ocpi.status.not_found_http", tags=["response"],
       applies=lambda x, e: x.status is not None and e.resource_exists is False and x.method == "GET")
def not_found_http(x: Exchange, e: Expect) -> Iterator[Problem]:
    if x.status != 404:
        yield Problem("A GET of an unknown object should answer HTTP 404", "404", str(x.status))


@check("ocpi.schema.data", tags=["response"],
       applies=lambda x, e: e.schema is not None and x.status is not None and 200 <= x.status < 300)
def data_schema(x: Exchange, e: Expect) -> Iterator[Problem]:
    body = envelope(x)
    if body is None or "data" not in body:
        yield Problem("The response has no data field", f"data: {e.schema}{'[]' if e.many else ''}", "absent")
        return
    data = body["data"]
    assert e.schema is not None
    if e.many:
        if not isinstance(data, list):
            yield Problem(f"data is not a list of {e.schema}", "JSON array", f"{type(data).__name__}: {short(data)}")
            return
        for index, item in enumerate(data):
            for message in schema_errors(x.version, e.schema, item)[:10]:
                yield Problem(f"{e.schema} at data[{index}]: {message}")
    else:
        where = ""
        if e.schema not in ("Version",) and isinstance(data, list):
            yield Problem(f"data is a list where one {e.schema} object was expected", "JSON object",
                          f"list of {len(data)}: {short(data)}")
            if len(data) != 1:
                return
            # The object inside a one-element list is still judged, so this mistake hides no other.
            data, where = data[0], " (data[0])"
        for message in schema_errors(x.version, e.schema, data)[:20]:
            yield Problem(f"{e.schema}{where}: {short(message, 300)}")
