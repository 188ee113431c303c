"""Server-side pagination and date filtering (transport_and_format_pagination), with fault hooks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from conformance.ocpi.types import parse_datetime
from simulators.ocpi.endpoint import Call, OcpiError, Reply

__all__ = ["paginated_reply"]


def _int_param(call: Call, name: str, default: int) -> int:
    raw = call.params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise OcpiError(2001, f"Query parameter {name}={raw!r} is not an integer", 400) from None
    if value < 0:
        raise OcpiError(2001, f"Query parameter {name} must not be negative", 400)
    return value


def _date_param(call: Call, name: str) -> Any:
    raw = call.params.get(name)
    if not raw:
        return None
    try:
        return parse_datetime(raw)
    except ValueError:
        raise OcpiError(2001, f"Query parameter {name}={raw!r} is not a DateTime", 400) from None


def paginated_reply(call: Call, items: Sequence[dict[str, Any]], *, key: str = "last_updated") -> Reply:
    party = call.party
    faults = party.faults
    date_from = _date_param(call, "date_from")
    date_to = _date_param(call, "date_to")
    offset = _int_param(call, "offset", 0)
    limit = _int_param(call, "limit", party.max_page_size)
    selected = []
    for item in items:
        stamp = parse_datetime(item[key])
        if date_from is not None and not faults.ignore_date_from and stamp < date_from:
            continue
        if date_to is not None and (stamp > date_to if faults.date_to_inclusive else stamp >= date_to):
            continue
        selected.append(item)
    page_size = party.max_page_size if faults.ignore_limit else min(limit, party.max_page_size)
    start = 0 if faults.ignore_offset else offset
    page = selected[start : start + page_size]
    headers = {"X-Total-Count": str(len(selected) + faults.total_count_delta)}
    if faults.x_limit_header:
        headers["X-Limit"] = str(len(page) if faults.x_limit_is_count else party.max_page_size)
    if offset + len(page) < len(selected) and faults.link_header:
        dropped = ("offset", "limit", "date_from", "date_to") if faults.link_drops_filters else ("offset", "limit")
        query = {k: v for k, v in call.params.items() if k not in dropped}
        query.update({"offset": str(offset + len(page)), "limit": str(page_size)})
        base = str(call.request.url.replace(query="")) if not faults.link_relative else call.request.url.path
        headers["Link"] = f'<{base}?{urlencode(query)}>; rel="next"'
    return Reply(data=list(page), headers=headers)
