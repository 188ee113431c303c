"""Checks on credentials-token authentication, both of the SUT as server and of its own requests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from conformance.core.checks import Problem
from conformance.core.exchange import Exchange
from conformance.ocpi.auth import decode_token
from conformance.ocpi.expect import Expect
from conformance.ocpi.v2_2_1.checks._registrar import check, evidence_check
from conformance.ocpi.v2_2_1.checks._util import media_type, short

AUTH = "transport_and_format#transport_and_format_authorization_header"
IDS = "transport_and_format#transport_and_format_unique_messageg_ids"


@dataclass(frozen=True)
class AuthProbe:
    """A request roamcert sent to an endpoint of the SUT (``url``, exactly as published) with a credential the SUT
    must refuse, and the SUT's answer. The flow judges a probe only where a control request with token C showed
    that the URL is served (see ``endpoint_served``)."""

    url: str
    answer: Exchange

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return (self.answer.id,)


@dataclass(frozen=True)
class PublishedEndpoint:
    """roamcert's GET of an endpoint URL of the SUT exactly as published (or as the target gave the versions URL),
    with token C, which opens it: the control request of the authentication probes."""

    url: str
    answer: Exchange

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return (self.answer.id,)


def is_redirect(x: Exchange) -> bool:
    return x.status is not None and 300 <= x.status < 400


def reached_endpoint(x: Exchange) -> bool:
    """Whether the server's API answered at all: an HTTP answer that is not a redirect and whose body is JSON. A
    redirect, an HTML or empty error page, or no answer says the request never reached an OCPI endpoint."""
    if x.status is None or is_redirect(x):
        return False
    try:
        x.response_json()
    except ValueError:
        return False
    return True


def answer_of(x: Exchange) -> str:
    """What came back, for a finding: the status with the redirect target or a body excerpt (redacted)."""
    if x.status is None:
        return f"no HTTP response ({x.error or 'connection failed'})"
    if is_redirect(x):
        return f"HTTP {x.status} redirect to {x.response_header('Location') or '(no Location header)'}"
    body = (x.response_body or "").strip()
    kind = media_type(x.response_header("Content-Type")) or "no Content-Type"
    return f"HTTP {x.status}, {kind}: {short(body, 160)}" if body else f"HTTP {x.status} with an empty body"


@evidence_check("ocpi.versions.endpoint_served")
def endpoint_served(endpoint: PublishedEndpoint) -> Iterator[Problem]:
    x = endpoint.answer
    if reached_endpoint(x):
        return
    if x.status is None:
        what = "could not be reached"
    elif is_redirect(x):
        what = "answered with a redirect instead of serving the endpoint"
    else:
        what = "answered without a JSON body, so no OCPI endpoint is served there"
    yield Problem(f"GET {endpoint.url} (exactly as published) with token C {what}; the authentication probes of "
                  "this URL were not judged", "the endpoint's OCPI answer (JSON)", answer_of(x))


def _refused(probe: AuthProbe, what: str) -> Iterator[Problem]:
    if probe.answer.status != 401:
        yield Problem(f"{what} to {probe.url} was not refused with HTTP 401", "HTTP 401", answer_of(probe.answer))


@evidence_check("ocpi.auth.missing_token")
def missing_token(probe: AuthProbe) -> Iterator[Problem]:
    return _refused(probe, "A request without Authorization")


@evidence_check("ocpi.auth.unknown_token")
def unknown_token(probe: AuthProbe) -> Iterator[Problem]:
    return _refused(probe, "A request with an unknown token")


@evidence_check("ocpi.auth.base64_token")
def base64_token(probe: AuthProbe) -> Iterator[Problem]:
    return _refused(probe, "A request with token C not Base64-encoded")


@evidence_check("ocpi.auth.token_a_scope")
def token_a_scope(probe: AuthProbe) -> Iterator[Problem]:
    return _refused(probe, "A request with CREDENTIALS_TOKEN_A")


def _inbound(x: Exchange, e: Expect) -> bool:
    return x.direction == "inbound"


@check("ocpi.request.authorization", tags=["request"], applies=_inbound)
def request_authorization(x: Exchange, e: Expect) -> Iterator[Problem]:
    header = x.request_header("Authorization")
    if header is None:
        yield Problem("The request has no Authorization header", "Authorization: Token <base64>", "(absent)")
        return
    decoded, raw = decode_token(header)
    if not header.startswith("Token "):
        yield Problem("The Authorization header does not use the 'Token' scheme followed by one space",
                      "Token <base64>", short(header.split(" ", 1)[0]))
    elif decoded is None or (e.tokens and decoded not in e.tokens):
        plain = raw in e.tokens if raw else False
        yield Problem("The credentials token is not Base64 encoded" if plain else
                      "The Authorization header does not carry a Base64-encoded token roamcert issued",
                      "Token <Base64(UTF-8 token)>", "the token itself, unencoded" if plain else "another value")


@check("ocpi.request.ids", tags=["request"], applies=_inbound)
def request_ids(x: Exchange, e: Expect) -> Iterator[Problem]:
    for name in ("X-Request-ID", "X-Correlation-ID"):
        if not x.request_header(name):
            yield Problem(f"The request has no {name} header", f"{name}: <unique id>", "(absent)")


@check("ocpi.request.content_type", tags=["request"], applies=lambda x, e: _inbound(x, e) and bool(x.raw_request_body))
def request_content_type(x: Exchange, e: Expect) -> Iterator[Problem]:
    value = media_type(x.request_header("Content-Type"))
    if value != "application/json":
        yield Problem("The request body is not declared as application/json", "application/json",
                      value or "(absent)")
