"""OCPI 2.2.1 fault profiles: what the reference serves on paginated lists when roamcert forces small pages, asks
for a huge page, sends invalid pagination parameters, or filters on an object's own last_updated. Each replaces
behaviours of the reference platforms' pagination (simulators/ocpi/pagination.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from simulators.behaviours import replace, set_to
from simulators.ocpi import pagination
from simulators.ocpi.endpoint import Call
from simulators.ocpi.pagination import Window
from simulators.ocpi.v2_2_1.profiles._register import profile

InWindow = Callable[[datetime, datetime | None, datetime | None], bool]
NextLink = Callable[[Call, Window], str | None]
LinkHeader = Callable[[str | None], str | None]
Headers = Callable[[Window], dict[str, str]]


def _empty_when_last(header: LinkHeader) -> LinkHeader:
    return lambda link: "" if link is None else header(link)


def _other_path(link: NextLink) -> NextLink:
    """The next page under another path of the same server (the endpoint's path with a segment added)."""

    def other(call: Call, window: Window) -> str | None:
        url = link(call, window)
        if url is None:
            return None
        parts = urlsplit(url)
        return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/page"))

    return other


def _none_values(link: NextLink) -> NextLink:
    """A date filter the request did not carry is written into the next Link as the text None."""

    def with_none(call: Call, window: Window) -> str | None:
        url = link(call, window)
        if url is None:
            return None
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        for name in ("date_from", "date_to"):
            query.setdefault(name, "None")
        return urlunsplit(parts._replace(query=urlencode(query)))

    return with_none


def _x_limit_echo(headers: Headers) -> Headers:
    """X-Limit repeats the limit the request asked for, whatever the server applied."""
    return lambda window: {**headers(window), **({"X-Limit": str(window.asked)} if window.asked is not None else {})}


def _date_from_exclusive(in_window: InWindow) -> InWindow:
    def exclusive(stamp: datetime, date_from: datetime | None, date_to: datetime | None) -> bool:
        return in_window(stamp, None, date_to) and (date_from is None or stamp > date_from)

    return exclusive


profile("empty_link_on_last_page", "The last page of a list carries an empty Link header instead of none.",
        roles=("CPO", "EMSP"), trips=("ocpi.pagination.link_last",),
        replaces=[replace(pagination.LINK_HEADER, _empty_when_last)])

profile("link_other_path", "The next Link points to another path of the server than the endpoint it published.",
        roles=("CPO", "EMSP"), trips=("ocpi.pagination.link_followable",),
        replaces=[replace(pagination.NEXT_LINK, _other_path)])

profile("link_none_values", "The next Link carries date_from=None and date_to=None when the request had no dates.",
        roles=("CPO", "EMSP"), trips=("ocpi.pagination.link_query",),
        replaces=[replace(pagination.NEXT_LINK, _none_values)])

profile("x_limit_echo", "X-Limit repeats the limit asked for (10000 included) instead of the server's own limit.",
        roles=("CPO",), trips=("ocpi.pagination.x_limit",), replaces=[replace(pagination.HEADERS, _x_limit_echo)])

profile("invalid_param_http_400", "An invalid limit, offset, date_from or date_to is answered with status_code 2001 "
        "inside HTTP 400.", roles=("CPO", "EMSP"), trips=("ocpi.pagination.invalid_params",),
        replaces=[set_to(pagination.INVALID_PARAM_STATUS, 400)])

profile("date_from_exclusive", "date_from is applied exclusively: an object last updated exactly then is left out.",
        roles=("CPO", "EMSP"), trips=("ocpi.pagination.date_bounds",),
        replaces=[replace(pagination.IN_WINDOW, _date_from_exclusive)])
