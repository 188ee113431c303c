"""Checks on paginated list responses (transport_and_format_pagination)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from conformance.core.checks import Problem
from conformance.core.exchange import Exchange
from conformance.ocpi.expect import Expect
from conformance.ocpi.types import parse_datetime
from conformance.ocpi.v2_2_1.checks._registrar import check, evidence_check
from conformance.ocpi.v2_2_1.checks._util import envelope, short

__all__ = ["PageChain", "Traversal", "Window", "next_link", "offset_window", "traversal", "traversal_problems",
           "window_problems", "x_limit", "x_limit_problems"]

PAG = "transport_and_format#transport_and_format_paginated_response"
_LINK = re.compile(r"<([^>]*)>((?:\s*;\s*[^;,<]+)*)")
_PARAM = re.compile(r'([A-Za-z*-]+)\s*=\s*("[^"]*"|[^;,\s]+)')


def next_link(x: Exchange) -> str | None:
    """The URL of the link whose rel includes "next" (RFC 8288: rel is a space-separated list)."""
    header = x.response_header("Link")
    if not header:
        return None
    for match in _LINK.finditer(header):
        rels: list[str] = next((p[1].strip('"').lower().split() for p in _PARAM.findall(match.group(2))
                                if p[0].lower() == "rel"), [])
        if "next" in rels:
            return match.group(1).strip()
    return None


def _int_header(x: Exchange, name: str) -> int | None:
    raw = x.response_header(name)
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None


def _page(x: Exchange, e: Expect) -> bool:
    return e.paginated and x.status is not None and x.status < 400


def _items(x: Exchange) -> list[Any] | None:
    body = envelope(x)
    data = body.get("data") if body else None
    return data if isinstance(data, list) else None


@check("ocpi.pagination.headers", tags=["response"], applies=_page)
def pagination_headers(x: Exchange, e: Expect) -> Iterator[Problem]:
    for name in ("X-Total-Count", "X-Limit"):
        raw = x.response_header(name)
        if raw is None:
            yield Problem(f"The {name} header is missing", f"{name}: <int>", "(absent)")
        elif _int_header(x, name) is None or int(raw) < 0:
            yield Problem(f"The {name} header is not a non-negative integer", "e.g. 25", short(raw))


@check("ocpi.pagination.limit", tags=["response"], applies=_page)
def pagination_limit(x: Exchange, e: Expect) -> Iterator[Problem]:
    items = _items(x)
    if items is None:
        return
    asked = e.page.limit if e.page else None
    if asked is not None and len(items) > asked:
        yield Problem(f"The page holds more objects than limit={asked} asked for", f"<= {asked}", str(len(items)))
    x_limit = _int_header(x, "X-Limit")
    if x_limit is not None and len(items) > x_limit:
        yield Problem("The page holds more objects than X-Limit announces", f"<= {x_limit}", str(len(items)))


@check("ocpi.pagination.link_next", tags=["response"], applies=_page)
def pagination_link(x: Exchange, e: Expect) -> Iterator[Problem]:
    items = _items(x)
    total = _int_header(x, "X-Total-Count")
    link = next_link(x)
    if link is not None:
        parts = urlsplit(link)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            yield Problem("The Link next URL is not an absolute http(s) URL", "https://…/locations?offset=…",
                          short(link))
    if items is None or total is None:
        return
    offset = e.page.offset or 0 if e.page else 0
    more = offset + len(items) < total
    if more and link is None:
        yield Problem(f"Objects {offset + len(items)}..{total - 1} remain but there is no Link rel=\"next\"",
                      'Link: <URL>; rel="next"', short(x.response_header("Link") or "(absent)"))
    if not more and link is not None and len(items) > 0 and offset + len(items) > total:
        yield Problem("The page holds more objects than X-Total-Count", f"<= {total}", str(offset + len(items)))


def _filtered_page(x: Exchange, e: Expect) -> bool:
    """A page of a list request that carried date_from or date_to."""
    return _page(x, e) and e.page is not None and bool(e.page.date_from or e.page.date_to)


@check("ocpi.pagination.link_filters", tags=["response"], applies=_filtered_page)
def pagination_link_filters(x: Exchange, e: Expect) -> Iterator[Problem]:
    link = next_link(x)
    if link is None or e.page is None:
        return
    query = {k.lower(): v for k, v in parse_qs(urlsplit(link).query).items()}
    for name, value in (("date_from", e.page.date_from), ("date_to", e.page.date_to)):
        if value and name not in query:
            yield Problem(f"The next Link drops the {name} filter", f"{name}={value}", short(link))


@check("ocpi.pagination.date_filter", tags=["response"], applies=_filtered_page)
def date_filter(x: Exchange, e: Expect) -> Iterator[Problem]:
    items = _items(x)
    if items is None or e.page is None:
        return
    low = parse_datetime(e.page.date_from) if e.page.date_from else None
    high = parse_datetime(e.page.date_to) if e.page.date_to else None
    for index, item in enumerate(items):
        stamp = item.get("last_updated") if isinstance(item, dict) else None
        try:
            moment = parse_datetime(stamp) if isinstance(stamp, str) else None
        except ValueError:
            moment = None
        if moment is None:
            continue  # the schema check reports unreadable timestamps
        if low is not None and moment < low:
            yield Problem(f"data[{index}] (id {short(item.get('id'))}) was last updated before date_from",
                          f">= {e.page.date_from}", stamp)
        if high is not None and moment >= high:
            yield Problem(f"data[{index}] (id {short(item.get('id'))}) was last updated at or after date_to "
                          "(date_to is exclusive)", f"< {e.page.date_to}", stamp)


# -- over a whole pull (evidence recorded by conformance/ocpi/v2_2_1/flows/pull.py) -----------------------------

@dataclass(frozen=True)
class PageChain:
    """The pages of one pull of a Sender's list, in the order roamcert followed their next Links."""

    pages: tuple[Exchange, ...]

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.pages)


@dataclass(frozen=True)
class Traversal:
    """One pull of a Sender's whole list, and how its Link chain ended."""

    pages: tuple[Exchange, ...]
    complete: bool  # the chain ended (a page without a next Link) within roamcert's page budget
    id_fields: tuple[str, ...] = ("id",)  # what identifies one object of the list (a Token: uid and type)
    unfollowable: str | None = None  # why a next Link the SUT gave could not be followed
    unfollowed: tuple[str, ...] = ()  # the exchange of that failed attempt

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.pages) + self.unfollowed


@dataclass(frozen=True)
class Window:
    """A page asked for by offset and limit, and the whole list as pulled without them."""

    full: tuple[Any, ...]
    page: Exchange
    offset: int
    limit: int
    id_fields: tuple[str, ...] = ("id",)

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return (self.page.id,)


@evidence_check("ocpi.pagination.traversal")
def traversal(evidence: Traversal) -> Iterator[Problem]:
    if evidence.unfollowable:  # the chain broke off: what the pages hold cannot be counted
        yield Problem("A next Link given by the SUT could not be followed", "a reachable next page",
                      evidence.unfollowable)
        return
    yield from traversal_problems(evidence.pages, id_fields=evidence.id_fields, complete=evidence.complete)


@evidence_check("ocpi.pagination.x_limit")
def x_limit(evidence: PageChain) -> Iterator[Problem]:
    yield from x_limit_problems(evidence.pages)


@evidence_check("ocpi.pagination.offset")
def offset_window(evidence: Window) -> Iterator[Problem]:
    yield from window_problems(evidence.full, evidence.page, evidence.offset, evidence.limit,
                               id_fields=evidence.id_fields)


def _key(item: Any, id_fields: tuple[str, ...]) -> str:
    """An object's identity: its id fields (CiString, so without letter case) joined."""
    if not isinstance(item, dict):
        return repr(item)
    return "/".join(str(item.get(name, "")).casefold() for name in id_fields)


def traversal_problems(pages: Sequence[Exchange], *, id_fields: tuple[str, ...] = ("id",),
                       complete: bool = True) -> list[Problem]:
    problems: list[Problem] = []
    totals = [t for t in (_int_header(p, "X-Total-Count") for p in pages) if t is not None]
    seen: dict[str, int] = {}
    count = 0
    for number, page in enumerate(pages):
        for item in _items(page) or []:
            count += 1
            key = _key(item, id_fields)
            if key in seen:
                problems.append(Problem(f"Object {key!r} is returned on page {seen[key] + 1} and again on page "
                                        f"{number + 1}", "each object once", "duplicate", evidence=(page.id,)))
            seen[key] = number
    if not complete:
        problems.append(Problem("The Link chain did not end within the page budget", "a last page without Link",
                                f"{len(pages)} pages followed"))
    elif totals and count != totals[-1]:
        problems.append(Problem("The number of objects over all pages differs from X-Total-Count",
                                str(totals[-1]), str(count)))
    return problems


def window_problems(full: Sequence[Any], window: Exchange, offset: int, limit: int, *,
                    id_fields: tuple[str, ...] = ("id",)) -> list[Problem]:
    items = _items(window)
    if items is None:
        return [Problem("The windowed request returned no list", "data: []", short(window.response_body))]
    expected = [_key(i, id_fields) for i in full[offset : offset + limit]]
    got = [_key(i, id_fields) for i in items[:limit]]  # objects beyond the limit are ocpi.pagination.limit's
    if got != expected[: len(got)] or (not got and expected):
        return [Problem(f"offset={offset}&limit={limit} does not return the objects at those positions of the "
                        "full list", ", ".join(expected), ", ".join(got) or "(none)")]
    return []


def x_limit_problems(pages: Sequence[Exchange]) -> list[Problem]:
    """X-Limit on the last page of a Link chain is not below the number of objects an earlier page held: that
    earlier page shows the server can return so many, so a smaller X-Limit counts what the last page returns
    instead of giving the upper limit."""
    if len(pages) < 2:
        return []
    last = pages[-1]
    if next_link(last) is not None:
        return []  # the chain did not end within the page budget: no last page to judge
    held = max(len(_items(p) or []) for p in pages[:-1])
    x_limit = _int_header(last, "X-Limit")
    if x_limit is not None and x_limit < held:
        return [Problem(f"X-Limit on the last page ({x_limit}) is below the {held} objects an earlier page of the same "
                        "list held: it counts the objects returned instead of giving the upper limit",
                        f">= {held} (the server's page size limit)", f"X-Limit: {x_limit} with "
                        f"{len(_items(last) or [])} objects", evidence=(last.id,))]
    return []
