"""Checks on the status codes a server answers with (status_codes): HTTP 400 for a body that is not JSON, no HTTP
error status for a request that reached the OCPI layer, 201 or 200 for a pushed object, and no status code from
the ranges reserved for custom modules."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from conformance.core.checks import Problem
from conformance.core.exchange import Exchange
from conformance.ocpi.expect import Expect
from conformance.ocpi.status_codes import is_custom
from conformance.ocpi.v2_2_1.checks._registrar import check, evidence_check
from conformance.ocpi.v2_2_1.checks._util import envelope, short, status_code_of

__all__ = ["NotJsonAnswer", "created", "invalid_json", "refusal_http", "standard_code"]

SC = "status_codes#status_codes_status_codes"


@dataclass(frozen=True)
class NotJsonAnswer:
    """The SUT's answer to a request whose body is not valid JSON."""

    answer: Exchange

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return (self.answer.id,)


@evidence_check("ocpi.status.invalid_json")
def invalid_json(evidence: NotJsonAnswer) -> Iterator[Problem]:
    x = evidence.answer
    if x.status != 400:
        body = envelope(x)
        code = body.get("status_code") if body else None
        yield Problem("A body that is not valid JSON was not answered with HTTP 400 Bad Request", "HTTP 400",
                      f"HTTP {x.status}" + (f" with status_code {short(code)}" if code is not None else ""))


def _enveloped(x: Exchange, e: Expect) -> bool:
    body = envelope(x) if x.status is not None else None
    return body is not None and isinstance(body.get("status_code"), int)


@check("ocpi.status.standard_code", tags=["response"], applies=_enveloped)
def standard_code(x: Exchange, e: Expect) -> Iterator[Problem]:
    body = envelope(x)
    code = body.get("status_code") if body else None
    if isinstance(code, int) and is_custom(code):
        yield Problem("A standard OCPI module answered with a status_code from a range reserved for custom modules",
                      "a standard code (1000, 2000-2004, 3000-3003, 4000-4003)", f"{code} (HTTP {x.status})")


def _json_body(x: Exchange) -> bool:
    try:
        x.request_json()
    except ValueError:
        return False
    return True


def _client_error_due(x: Exchange, e: Expect) -> bool:
    """The step sent a syntactically valid JSON body, authenticated, and expects (or the spec advises) a client
    error (2xxx) for it."""
    codes = e.status_codes or e.advised_codes
    return x.status is not None and bool(codes) and all(2000 <= c < 3000 for c in codes or ()) and _json_body(x)


@check("ocpi.status.refusal_http", tags=["response"], applies=_client_error_due)
def refusal_http(x: Exchange, e: Expect) -> Iterator[Problem]:
    """status_codes: a request of valid JSON, from an authenticated sender, addressing an existing resource has
    reached the OCPI layer and gets no HTTP error status, even when its content is refused. HTTP 404 is let pass
    unless the step knows the addressed object exists: for an unknown object (or a PUT creating one) the spec's
    condition does not hold, and transport_and_format allows 404 there."""
    assert x.status is not None
    if x.status < 400 or (x.status == 404 and e.resource_exists is not True):
        return
    code = status_code_of(x)
    yield Problem("A valid JSON request that reached the OCPI layer was refused with an HTTP error status; the "
                  "refusal belongs in the status_code", "HTTP 200 with a 2xxx status_code",
                  f"HTTP {x.status}, status_code {short(code)}" if code is not None
                  else f"HTTP {x.status}: {short(x.response_body or '(empty)', 120)}")


def _pushed_and_taken(x: Exchange, e: Expect) -> bool:
    code = status_code_of(x)
    return (e.created is not None and x.status is not None and 200 <= x.status < 300 and isinstance(code, int)
            and 1000 <= code < 2000)


@check("ocpi.status.created", tags=["response"], applies=_pushed_and_taken)
def created(x: Exchange, e: Expect) -> Iterator[Problem]:
    """Judged on an accepted push only; the step knows whether the object was new to the server."""
    if e.created and x.status != 201:
        yield Problem(f"A newly created object was answered HTTP {x.status} instead of 201 Created", "HTTP 201",
                      f"HTTP {x.status}")
    elif e.created is False and x.status != 200:
        yield Problem(f"An update of an object the server held was answered HTTP {x.status} instead of 200 OK",
                      "HTTP 200", f"HTTP {x.status}")
