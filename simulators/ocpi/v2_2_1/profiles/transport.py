"""OCPI 2.2.1 fault profiles: transport and format (authentication, envelope, headers, pagination).
Each replaces behaviours of the reference platforms (simulators/behaviours.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from simulators.behaviours import replace, set_to
from simulators.ocpi import pagination
from simulators.ocpi.endpoint import Call
from simulators.ocpi.faults import Faults
from simulators.ocpi.pagination import Window
from simulators.ocpi.v2_2_1.profiles._register import profile

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


profile("conformant", "Behaves as the specification says; passes every scenario.", legacy=Faults())

# roamcert's own partner platform: it also accepts unencoded tokens (as the spec's note allows for
# compatibility), so a SUT's encoding mistake is reported by a check instead of breaking the flow.
profile("lenient_partner", "Conformant, but also accepts credentials tokens sent without Base64 encoding.",
        legacy=Faults(accept_plain_token=True))

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
        trips=("ocpi.pagination.date_filter",), replaces=[replace(pagination.IN_WINDOW, _date_to_inclusive)])

profile("no_request_id_echo", "Responses do not echo X-Request-ID.", trips=("ocpi.headers.request_id",),
        legacy=Faults(echo_request_id=False))

profile("no_correlation_id_echo", "Responses do not echo X-Correlation-ID.",
        trips=("ocpi.headers.correlation_id",), legacy=Faults(echo_correlation_id=False))

profile("envelope_without_timestamp", "The response envelope lacks its timestamp.",
        trips=("ocpi.envelope.shape",), legacy=Faults(envelope_timestamp=False))

profile("error_without_envelope", "Error responses carry a plain-text body instead of the OCPI envelope.",
        trips=("ocpi.envelope.on_error",), legacy=Faults(error_without_envelope=True))

profile("plain_token_accepted", "A credentials token sent without Base64 encoding is accepted.",
        trips=("ocpi.auth.base64_token",), legacy=Faults(accept_plain_token=True))

profile("missing_token_accepted", "Requests without an Authorization header are served.",
        trips=("ocpi.auth.missing_token",), legacy=Faults(accept_missing_token=True))

profile("token_a_accepted_everywhere", "CREDENTIALS_TOKEN_A opens every module, not only versions and "
        "credentials.", trips=("ocpi.auth.token_a_scope",), legacy=Faults(accept_token_a_everywhere=True))

profile("error_with_success_code", "HTTP error responses carry status_code 1000.", trips=("ocpi.status.consistent",),
        legacy=Faults(error_with_success_code=True))

profile("link_drops_filters", "The next Link loses date_from and date_to.", roles=("CPO",),
        trips=("ocpi.pagination.link_filters",), replaces=[replace(pagination.NEXT_LINK, _without_dates)])

profile("offset_ignored", "The offset parameter is ignored; every page starts at the first object.",
        roles=("CPO", "EMSP"), trips=("ocpi.pagination.offset", "ocpi.pagination.traversal"),
        replaces=[set_to(pagination.START, _first)])

profile("versions_relative_url", "The versions list gives a relative URL for the version it speaks.",
        trips=("ocpi.versions.mutual",), legacy=Faults(versions_relative_url=True))

profile("details_relative_urls", "The version details give relative endpoint URLs.",
        trips=("ocpi.versions.details",), legacy=Faults(details_relative_urls=True))

profile("unknown_token_accepted", "Any credentials token is accepted.", trips=("ocpi.auth.unknown_token",),
        legacy=Faults(accept_unknown_token=True))

profile("custom_status_codes", "Errors are answered with status codes from the custom ranges (2003 becomes 2903).",
        roles=("CPO", "EMSP"), trips=("ocpi.status.standard_code",), legacy=Faults(custom_status_codes=True))

profile("invalid_json_accepted", "A request body that is not JSON is answered HTTP 200 (with status_code 2000).",
        roles=("CPO", "EMSP"), trips=("ocpi.status.invalid_json",), legacy=Faults(invalid_json_status=200))

profile("routing_headers_on_configuration", "Answers from versions and credentials carry OCPI-from routing headers.",
        roles=("CPO", "EMSP"), trips=("ocpi.routing.configuration_modules",),
        legacy=Faults(routing_headers_on_configuration=True))

profile("x_limit_is_count", "X-Limit gives the number of objects on the page instead of the server's upper limit.",
        roles=("CPO",), trips=("ocpi.pagination.x_limit",), replaces=[replace(pagination.HEADERS, _x_limit_counts)])
