"""Server-side pagination and date filtering (transport_and_format_pagination); each step is a behaviour a fault
profile may replace."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import urlencode

from conformance.ocpi.types import parse_datetime
from simulators.behaviours import Behaviour
from simulators.ocpi.endpoint import Call, OcpiError, Reply

__all__ = ["HEADERS", "INVALID_PARAM_STATUS", "IN_WINDOW", "LINK_HEADER", "NEXT_LINK", "PAGE_SIZE", "START", "Window",
           "paginated_reply"]

T = TypeVar("T")


def _int_param(call: Call, name: str, default: int) -> int:
    raw = call.params.get(name)
    if raw is None or raw == "":
        return default
    status = call.party.behaviours(INVALID_PARAM_STATUS)
    try:
        value = int(raw)
    except ValueError:
        raise OcpiError(2001, f"Query parameter {name}={raw!r} is not an integer", status) from None
    if value < 0:
        raise OcpiError(2001, f"Query parameter {name} must not be negative", status)
    return value


def _date_param(call: Call, name: str) -> Any:
    raw = call.params.get(name)
    if not raw:
        return None
    try:
        return parse_datetime(raw)
    except ValueError:
        raise OcpiError(2001, f"Query parameter {name}={raw!r} is not a DateTime",
                        call.party.behaviours(INVALID_PARAM_STATUS)) from None


@dataclass(frozen=True)
class Window:
    """One page cut from the objects that match a request's filters."""

    selected: int  # how many objects match the filters
    page: int  # how many are on this page
    offset: int  # where the page starts, as the request asked
    page_size: int  # how many the page could hold
    max_page_size: int  # the server's own limit
    asked: int | None = None  # the limit the request asked for, if any


def _in_window(stamp: datetime, date_from: datetime | None, date_to: datetime | None) -> bool:
    """date_from is inclusive, date_to exclusive (transport_and_format_paginated_request)."""
    return (date_from is None or stamp >= date_from) and (date_to is None or stamp < date_to)


def _page_size(limit: int, max_page_size: int) -> int:
    return min(limit, max_page_size)


def _start(offset: int) -> int:
    return offset


def _headers(window: Window) -> dict[str, str]:
    return {"X-Total-Count": str(window.selected), "X-Limit": str(window.max_page_size)}


def _next_link(call: Call, window: Window) -> str | None:
    if window.offset + window.page >= window.selected:
        return None
    query = {k: v for k, v in call.params.items() if k not in ("offset", "limit")}
    query.update({"offset": str(window.offset + window.page), "limit": str(window.page_size)})
    return f"{call.request.url.replace(query='')}?{urlencode(query)}"


def _link_header(link: str | None) -> str | None:
    """The Link header of a page: none on the last page."""
    return None if link is None else f'<{link}>; rel="next"'


def _point(name: str, conformant: T) -> Behaviour[T]:
    return Behaviour("OCPI", "", "transport", f"pagination.{name}", conformant)


IN_WINDOW = _point("in_window", _in_window)
PAGE_SIZE = _point("page_size", _page_size)
START = _point("start", _start)
HEADERS = _point("headers", _headers)
NEXT_LINK = _point("next_link", _next_link)
LINK_HEADER = _point("link_header", _link_header)
# A request that reached the OCPI layer is never answered with an HTTP error status, an invalid query parameter
# included: it gets status_code 2001 in an HTTP 200 answer (status_codes_status_codes).
INVALID_PARAM_STATUS = _point("invalid_param_status", 200)


def paginated_reply(call: Call, items: Sequence[dict[str, Any]], *, key: str = "last_updated") -> Reply:
    party = call.party
    behave = party.behaviours
    date_from = _date_param(call, "date_from")
    date_to = _date_param(call, "date_to")
    offset = _int_param(call, "offset", 0)
    limit = _int_param(call, "limit", party.max_page_size)
    selected = [item for item in items if behave(IN_WINDOW)(parse_datetime(item[key]), date_from, date_to)]
    page_size = behave(PAGE_SIZE)(limit, party.max_page_size)
    start = behave(START)(offset)
    page = selected[start : start + page_size]
    asked = limit if call.params.get("limit") else None
    window = Window(len(selected), len(page), offset, page_size, party.max_page_size, asked)
    headers = behave(HEADERS)(window)
    link = behave(LINK_HEADER)(behave(NEXT_LINK)(call, window))
    if link is not None:
        headers["Link"] = link
    return Reply(data=list(page), headers=headers)
