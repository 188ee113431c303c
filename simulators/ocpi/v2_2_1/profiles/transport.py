"""OCPI 2.2.1 fault profiles: transport and format (authentication, envelope, headers, pagination, versions).
Each replaces behaviours of the reference platforms (simulators/behaviours.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from conformance.ocpi.auth import decode_token
from conformance.ocpi.routing import Address
from simulators.behaviours import replace, set_to
from simulators.ocpi import endpoint, pagination, versions
from simulators.ocpi.endpoint import (
    Call,
    Caller,
    Envelope,
    Render,
    Reply,
    ResponseHeaders,
    TokenAOpens,
    Tokens,
    UnknownCaller,
)
from simulators.ocpi.pagination import Window
from simulators.ocpi.party import Party, Peer
from simulators.ocpi.v2_2_1 import addressing
from simulators.ocpi.v2_2_1.profiles._register import profile
from simulators.ocpi.versions import EndpointUrl, VersionUrl

# -- pagination -----------------------------------------------------------------------------------------------

InWindow = Callable[[datetime, datetime | None, datetime | None], bool]
NextLink = Callable[[Call, Window], str | None]
Headers = Callable[[Window], dict[str, str]]


def _no_link(call: Call, window: Window) -> None:
    return None


def _relative(link: NextLink) -> NextLink:
    def relative(call: Call, window: Window) -> str | None:
        url = link(call, window)
        return None if url is None else urlunsplit(("", "", *urlsplit(url)[2:]))

    return relative


def _without_dates(link: NextLink) -> NextLink:
    def without_dates(call: Call, window: Window) -> str | None:
        url = link(call, window)
        if url is None:
            return None
        parts = urlsplit(url)
        query = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("date_from", "date_to")]
        return urlunsplit(parts._replace(query=urlencode(query)))

    return without_dates


def _count_two_more(headers: Headers) -> Headers:
    return lambda window: {**headers(window), "X-Total-Count": str(window.selected + 2)}


def _without_x_limit(headers: Headers) -> Headers:
    return lambda window: {k: v for k, v in headers(window).items() if k != "X-Limit"}


def _x_limit_counts(headers: Headers) -> Headers:
    return lambda window: {**headers(window), "X-Limit": str(window.page)}


def _largest_page(limit: int, max_page_size: int) -> int:
    return max_page_size


def _first(offset: int) -> int:
    return 0


def _date_from_ignored(in_window: InWindow) -> InWindow:
    return lambda stamp, date_from, date_to: in_window(stamp, None, date_to)


def _date_to_inclusive(in_window: InWindow) -> InWindow:
    def inclusive(stamp: datetime, date_from: datetime | None, date_to: datetime | None) -> bool:
        return in_window(stamp, date_from, None) and (date_to is None or stamp <= date_to)

    return inclusive


# -- authentication -------------------------------------------------------------------------------------------


def _with_plain(tokens: Tokens) -> Tokens:
    """The credential as sent is tried too, after the Base64-decoded token."""

    def with_plain(header: str) -> list[str]:
        _, raw = decode_token(header)
        return tokens(header) + ([raw] if raw is not None else [])

    return with_plain


def _everywhere(opens: TokenAOpens) -> TokenAOpens:
    return lambda module: True


def _missing_accepted(unknown: UnknownCaller) -> UnknownCaller:
    def missing_accepted(header: str | None, tokens: list[str]) -> Caller | None:
        return ("anonymous", None, None) if header is None else unknown(header, tokens)

    return missing_accepted


def _unknown_accepted(unknown: UnknownCaller) -> UnknownCaller:
    def unknown_accepted(header: str | None, tokens: list[str]) -> Caller | None:
        return ("anonymous", tokens[0], None) if tokens else unknown(header, tokens)

    return unknown_accepted


# -- envelope, status codes and headers ---------------------------------------------------------------------


def _changing_envelope(change: Callable[[Reply, dict[str, Any]], dict[str, Any]]) -> Callable[[Envelope], Envelope]:
    """The envelope as built, then changed (it keeps its keys' order: the body is compared byte for byte)."""

    def changed(envelope: Envelope) -> Envelope:
        return lambda party, reply: change(reply, envelope(party, reply))

    return changed


def _without_timestamp(reply: Reply, body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "timestamp"}


def _success_on_error(reply: Reply, body: dict[str, Any]) -> dict[str, Any]:
    return {**body, "status_code": 1000} if reply.http_status >= 400 else body


def _custom_range(reply: Reply, body: dict[str, Any]) -> dict[str, Any]:
    code: int = body["status_code"]
    return {**body, "status_code": code // 1000 * 1000 + 900 + code % 100} if code >= 2000 else body


def _plain_text_errors(render: Render) -> Render:
    def plain_text(party: Party, reply: Reply) -> Response:
        if reply.http_status >= 400:
            return PlainTextResponse(reply.message or "error", status_code=reply.http_status)
        return render(party, reply)

    return plain_text


def _without_header(name: str) -> Callable[[ResponseHeaders], ResponseHeaders]:
    def without(headers: ResponseHeaders) -> ResponseHeaders:
        return lambda party, request, module: {k: v for k, v in headers(party, request, module).items() if k != name}

    return without


def _no_routing(conformant: addressing.Routing) -> addressing.Routing:
    def headers(party: Party, peer: Peer, role: str, to: Address | None) -> dict[str, str]:
        return {}

    return headers


def _no_answer_routing(conformant: ResponseHeaders) -> ResponseHeaders:
    def headers(party: Party, request: Request, module: str) -> dict[str, str]:
        return {}

    return headers


def _routing_on_configuration(headers: ResponseHeaders) -> ResponseHeaders:
    def with_routing(party: Party, request: Request, module: str) -> dict[str, str]:
        us = party.identities[0]
        routing = {"OCPI-from-country-code": us.country_code, "OCPI-from-party-id": us.party_id}
        return {**(routing if module in ("versions", "credentials") else {}), **headers(party, request, module)}

    return with_routing


# -- versions -------------------------------------------------------------------------------------------------


def _relative_version_url(url: VersionUrl) -> VersionUrl:
    return lambda party, version: url(party, version).removeprefix(party.base_url)


def _relative_endpoint_url(url: EndpointUrl) -> EndpointUrl:
    return lambda party, version, module, role: url(party, version, module, role).removeprefix(party.base_url)


def _redirecting_endpoint_url(url: EndpointUrl) -> EndpointUrl:
    """Module URLs published with a trailing slash the server does not serve: its router redirects them (HTTP 307)
    to the URL without it. The credentials URL stays right, so registration works."""
    def redirecting(party: Party, version: str, module: str, role: str) -> str:
        published = url(party, version, module, role)
        return published if module == "credentials" else published + "/"

    return redirecting


profile("conformant", "Behaves as the specification says; passes every scenario.", roles=("CPO", "EMSP", "HUB"),
        replaces=[])

# roamcert's own partner platform: it also accepts unencoded tokens (as the spec's note allows for
# compatibility), so a SUT's encoding mistake is reported by a check instead of breaking the flow.
profile("lenient_partner", "Conformant, but also accepts credentials tokens sent without Base64 encoding.",
        replaces=[replace(endpoint.TOKENS, _with_plain)])

profile("missing_link_header", "Paginated responses never carry a Link header.", roles=("CPO",),
        trips=("ocpi.pagination.link_next",), replaces=[set_to(pagination.NEXT_LINK, _no_link)])

profile("relative_link_header", "The Link header's next URL is relative, so it cannot be followed as given.",
        roles=("CPO",), trips=("ocpi.pagination.link_next",), replaces=[replace(pagination.NEXT_LINK, _relative)])

profile("wrong_total_count", "X-Total-Count is two higher than the number of matching objects.", roles=("CPO",),
        trips=("ocpi.pagination.traversal",), replaces=[replace(pagination.HEADERS, _count_two_more)])

profile("missing_x_limit", "Paginated responses omit the X-Limit header.", roles=("CPO",),
        trips=("ocpi.pagination.headers",), replaces=[replace(pagination.HEADERS, _without_x_limit)])

profile("limit_ignored", "The limit parameter is ignored; the server's maximum is always returned.",
        roles=("CPO", "EMSP"), trips=("ocpi.pagination.limit",), replaces=[set_to(pagination.PAGE_SIZE, _largest_page)])

profile("date_from_ignored", "The date_from filter is ignored.", roles=("CPO",),
        trips=("ocpi.pagination.date_filter",), replaces=[replace(pagination.IN_WINDOW, _date_from_ignored)])

profile("date_to_inclusive", "date_to is applied inclusively instead of exclusively.", roles=("CPO",),
        trips=("ocpi.pagination.date_filter", "ocpi.pagination.date_bounds"),
        replaces=[replace(pagination.IN_WINDOW, _date_to_inclusive)])

profile("no_request_id_echo", "Responses do not echo X-Request-ID.", trips=("ocpi.headers.request_id",),
        replaces=[replace(endpoint.RESPONSE_HEADERS, _without_header("X-Request-ID"))])

profile("no_correlation_id_echo", "Responses do not echo X-Correlation-ID.",
        trips=("ocpi.headers.correlation_id",),
        replaces=[replace(endpoint.RESPONSE_HEADERS, _without_header("X-Correlation-ID"))])

profile("envelope_without_timestamp", "The response envelope lacks its timestamp.",
        trips=("ocpi.envelope.shape",),
        replaces=[replace(endpoint.ENVELOPE, _changing_envelope(_without_timestamp))])

profile("error_without_envelope", "Error responses carry a plain-text body instead of the OCPI envelope.",
        trips=("ocpi.envelope.on_error",), replaces=[replace(endpoint.RENDER, _plain_text_errors)])

def _declared_as_text(render: Render) -> Render:
    def as_text(party: Party, reply: Reply) -> Response:
        response = render(party, reply)
        response.headers["content-type"] = "text/plain; charset=utf-8"  # the JSON body itself stays as it was
        return response

    return as_text


profile("json_declared_as_text", "Responses carry the JSON envelope but declare Content-Type text/plain.",
        trips=("ocpi.response.content_type",), replaces=[replace(endpoint.RENDER, _declared_as_text)])

profile("plain_token_accepted", "A credentials token sent without Base64 encoding is accepted.",
        trips=("ocpi.auth.base64_token",), replaces=[replace(endpoint.TOKENS, _with_plain)])

profile("missing_token_accepted", "Requests without an Authorization header are served.",
        trips=("ocpi.auth.missing_token",), replaces=[replace(endpoint.UNKNOWN_CALLER, _missing_accepted)])

profile("token_a_accepted_everywhere", "CREDENTIALS_TOKEN_A opens every module, not only versions and "
        "credentials.", trips=("ocpi.auth.token_a_scope",), replaces=[replace(endpoint.TOKEN_A_OPENS, _everywhere)])

profile("error_with_success_code", "HTTP error responses carry status_code 1000.", trips=("ocpi.status.consistent",),
        replaces=[replace(endpoint.ENVELOPE, _changing_envelope(_success_on_error))])

profile("link_drops_filters", "The next Link loses date_from and date_to.", roles=("CPO",),
        trips=("ocpi.pagination.link_filters",), replaces=[replace(pagination.NEXT_LINK, _without_dates)])

profile("offset_ignored", "The offset parameter is ignored; every page starts at the first object.",
        roles=("CPO", "EMSP"), trips=("ocpi.pagination.offset", "ocpi.pagination.traversal"),
        replaces=[set_to(pagination.START, _first)])

profile("versions_relative_url", "The versions list gives a relative URL for the version it speaks.",
        trips=("ocpi.versions.mutual",), replaces=[replace(versions.VERSION_URL, _relative_version_url)])

profile("details_relative_urls", "The version details give relative endpoint URLs.",
        trips=("ocpi.versions.details",), replaces=[replace(versions.ENDPOINT_URL, _relative_endpoint_url)])

profile("endpoint_urls_redirect", "The version details publish module URLs with a trailing slash, which the server "
        "answers with a redirect to the URL without it.", trips=("ocpi.versions.endpoint_served",),
        replaces=[replace(versions.ENDPOINT_URL, _redirecting_endpoint_url)])

profile("unknown_token_accepted", "Any credentials token is accepted.", trips=("ocpi.auth.unknown_token",),
        replaces=[replace(endpoint.UNKNOWN_CALLER, _unknown_accepted)])

profile("custom_status_codes", "Errors are answered with status codes from the custom ranges (2003 becomes 2903).",
        roles=("CPO", "EMSP"), trips=("ocpi.status.standard_code",),
        replaces=[replace(endpoint.ENVELOPE, _changing_envelope(_custom_range))])

profile("invalid_json_accepted", "A request body that is not JSON is answered HTTP 200 (with status_code 2000).",
        roles=("CPO", "EMSP"), trips=("ocpi.status.invalid_json",),
        replaces=[set_to(endpoint.INVALID_JSON_STATUS, 200)])

profile("routing_headers_on_configuration", "Answers from versions and credentials carry OCPI-from routing headers.",
        roles=("CPO", "EMSP"), trips=("ocpi.routing.configuration_modules",),
        replaces=[replace(endpoint.RESPONSE_HEADERS, _routing_on_configuration)])

profile("routing_headers_dropped", "Behind a hub, the platform's functional module requests carry no OCPI-from/to "
        "routing headers.", roles=("CPO",), trips=("ocpi.routing.via_hub",), shows_in=("sessions",),
        topology="hub", replaces=[replace(addressing.ROUTING, _no_routing)])

profile("answer_routing_dropped", "Behind a hub, the platform answers routed functional module requests without "
        "OCPI-from/to routing headers.", roles=("CPO",), trips=("ocpi.routing.answer",), shows_in=("tokens",),
        topology="hub", replaces=[replace(endpoint.ANSWER_ROUTING, _no_answer_routing)])

profile("x_limit_is_count", "X-Limit gives the number of objects on the page instead of the server's upper limit.",
        roles=("CPO",), trips=("ocpi.pagination.x_limit",), replaces=[replace(pagination.HEADERS, _x_limit_counts)])
