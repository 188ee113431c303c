"""Checks on paginated list responses (transport_and_format_pagination)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

from conformance.core.checks import Problem
from conformance.core.exchange import Exchange
from conformance.ocpi.expect import Expect
from conformance.ocpi.headers import next_url
from conformance.ocpi.types import parse_datetime
from conformance.ocpi.v2_2_1.checks._registrar import check, evidence_check
from conformance.ocpi.v2_2_1.checks._util import envelope, short

__all__ = ["DateBounds", "InvalidParam", "LinkChain", "PageChain", "Traversal", "Window", "date_bounds",
           "date_bounds_problems", "identity", "invalid_param", "link_followable", "link_followable_problems",
           "next_link", "offset_window", "traversal", "traversal_problems", "window_problems", "x_limit",
           "x_limit_problems"]

PAG = "transport_and_format#transport_and_format_paginated_response"
def next_link(x: Exchange) -> str | None:
    """The URL of the response's link whose rel includes "next"."""
    return next_url(x.response_header("Link"))


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


def _last_page(x: Exchange, e: Expect) -> bool:
    """Whether a page provably holds the last objects of its list: its offset (as asked) and its objects reach
    X-Total-Count. An offset roamcert cannot read counts as 0, which can only make a last page look not last."""
    items = _items(x)
    total = _int_header(x, "X-Total-Count")
    if items is None or total is None:
        return False
    offset = e.page.offset or 0 if e.page else 0
    return offset + len(items) >= total


@check("ocpi.pagination.link_last", tags=["response"], applies=lambda x, e: _page(x, e) and _last_page(x, e))
def pagination_link_last(x: Exchange, e: Expect) -> Iterator[Problem]:
    raw = x.response_header("Link")
    if raw is None:
        return
    total = _int_header(x, "X-Total-Count")
    if next_link(x) is not None:
        yield Problem(f"The last page (its objects reach X-Total-Count {total}) still gives a next Link",
                      "no Link header on the last page", short(raw))
    elif not raw.strip():
        yield Problem("The last page carries an empty Link header instead of none: the next-page Link is given "
                      "only when a next page exists", "no Link header on the last page", "Link: (empty value)")


_JUNK = frozenset({"none", "null", "undefined", "nan", "nil"})


def _query_problem(name: str, value: str) -> str | None:
    """Why one query parameter of a next Link is not a value its parameter can take, or None."""
    key = name.lower()
    if value.strip().lower() in _JUNK:
        return f"{name}={value} (a null written out as text)"
    if key in ("offset", "limit") and not value.isdigit():
        return f"{name}={value!r} is not a non-negative integer"
    if key in ("date_from", "date_to"):
        try:
            parse_datetime(value)
        except ValueError:
            return f"{name}={value!r} is not a DateTime"
    return None


@check("ocpi.pagination.link_query", tags=["response"], applies=lambda x, e: _page(x, e) and bool(next_link(x)))
def pagination_link_query(x: Exchange, e: Expect) -> Iterator[Problem]:
    link = next_link(x) or ""
    for name, value in parse_qsl(urlsplit(link).query, keep_blank_values=True):
        why = _query_problem(name, value)
        if why is not None:
            yield Problem(f"The next Link carries a query parameter no request of the list could mean: {why}",
                          "offset and limit as integers, date_from and date_to as DateTime, no null values",
                          short(link))


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
    start: int = 0  # the offset the chain started at: a chain from offset s holds X-Total-Count - s objects
    capped: bool = False  # roamcert stopped following by design (a window of the first pages): not complete

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.pages) + self.unfollowed


@dataclass(frozen=True)
class LinkChain:
    """Pages of one list in the order roamcert followed their next Links, and the endpoint URL the SUT published
    for that list."""

    endpoint: str
    pages: tuple[Exchange, ...]
    unfollowable: str | None = None  # why the next Link of the last page could not be followed (no answer)
    unfollowed: tuple[str, ...] = ()  # the exchange of that failed attempt

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.pages) + self.unfollowed


@dataclass(frozen=True)
class InvalidParam:
    """The SUT's answer to a list request carrying a pagination parameter with an invalid value."""

    name: str
    value: str
    answer: Exchange

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return (self.answer.id,)


@dataclass(frozen=True)
class DateBounds:
    """One object of a list (as pulled without filters), and the pulls with date_from, then date_to, set to its
    last_updated (the object missing from the first is judged only when its Link chain ended)."""

    key: str  # the object's identity (:func:`identity`)
    stamp: str  # its last_updated, as the SUT served it
    from_pages: tuple[Exchange, ...]
    to_pages: tuple[Exchange, ...]
    id_fields: tuple[str, ...] = ("id",)

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.from_pages + self.to_pages)


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
    yield from traversal_problems(evidence.pages, id_fields=evidence.id_fields, complete=evidence.complete,
                                  start=evidence.start, capped=evidence.capped)


@evidence_check("ocpi.pagination.link_followable")
def link_followable(evidence: LinkChain) -> Iterator[Problem]:
    yield from link_followable_problems(evidence)


@evidence_check("ocpi.pagination.invalid_params")
def invalid_param(evidence: InvalidParam) -> Iterator[Problem]:
    x = evidence.answer
    body = envelope(x)
    code = body.get("status_code") if body else None
    asked = f"{evidence.name}={evidence.value}"
    if x.status is not None and x.status >= 400:
        yield Problem(f"A list request with {asked} was answered with an HTTP error status: an authenticated request "
                      "to an existing endpoint has reached the OCPI layer, and an invalid parameter is reported with "
                      "status_code 2001, not by HTTP", "HTTP 200 with status_code 2001",
                      f"HTTP {x.status}" + (f" with status_code {short(code)}" if isinstance(code, int) else
                                            f", {short(x.response_body or '(empty body)', 120)}"))
    elif x.status is not None and not isinstance(code, int):
        yield Problem(f"A list request with {asked} was not answered with an OCPI response", "status_code 2001",
                      f"HTTP {x.status}, {short(x.response_body or '(empty body)', 120)}")


@evidence_check("ocpi.pagination.date_bounds")
def date_bounds(evidence: DateBounds) -> Iterator[Problem]:
    yield from date_bounds_problems(evidence)


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


def identity(item: Any, id_fields: tuple[str, ...] = ("id",)) -> str:
    """An object's identity within its list (its id fields, without letter case)."""
    return _key(item, id_fields)


def traversal_problems(pages: Sequence[Exchange], *, id_fields: tuple[str, ...] = ("id",),
                       complete: bool = True, start: int = 0, capped: bool = False) -> list[Problem]:
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
    if capped:  # roamcert followed only the first pages, by design: nothing to count against X-Total-Count
        return problems
    limit = _asked_limit(pages[0]) if pages else None
    if not complete:
        remaining = f"; X-Total-Count {totals[0]} leaves {totals[0] - start} objects from offset {start}" \
            if totals and limit else ""
        problems.append(Problem(f"The Link chain did not end within the page budget{remaining}",
                                "a last page without Link", f"{len(pages)} pages followed"
                                + (f" with limit={limit}" if limit else "")))
    elif totals and count != totals[-1] - start:
        changed = f" (X-Total-Count went from {totals[0]} to {totals[-1]} during the chain)" \
            if len(set(totals)) > 1 else ""
        if start:
            problems.append(Problem(f"The pages from offset {start} to the end of the Link chain hold another number "
                                    f"of objects than X-Total-Count leaves from that offset{changed}",
                                    f"{totals[-1] - start} (X-Total-Count {totals[-1]} - offset {start})", str(count)))
        else:
            problems.append(Problem(f"The number of objects over all pages differs from X-Total-Count{changed}",
                                    str(totals[-1]), str(count)))
    return problems


def _asked_limit(x: Exchange) -> int | None:
    raw = parse_qs(urlsplit(x.url).query).get("limit", [""])[0]
    return int(raw) if raw.isdigit() else None


def _asked_offset(x: Exchange) -> int:
    raw = parse_qs(urlsplit(x.url).query).get("offset", [""])[0]
    return int(raw) if raw.isdigit() else 0


def _port(scheme: str, port: int | None) -> int | None:
    return port if port is not None else {"http": 80, "https": 443}.get(scheme)


def _leaves(link: str, endpoint: str) -> list[str]:
    """How an absolute next Link differs from the published endpoint URL: scheme, host, port, path."""
    try:
        have, want = urlsplit(link), urlsplit(endpoint)
        have_port, want_port = _port(have.scheme.lower(), have.port), _port(want.scheme.lower(), want.port)
    except ValueError:
        return ["is not a valid URL"]
    differences = []
    if have.scheme.lower() != want.scheme.lower():
        differences.append(f"scheme {have.scheme} instead of {want.scheme}")
    if (have.hostname or "").lower() != (want.hostname or "").lower():
        differences.append(f"host {have.hostname} instead of {want.hostname}")
    elif have_port != want_port:
        differences.append(f"port {have_port} instead of {want_port}")
    if have.path.rstrip("/") != want.path.rstrip("/"):  # a trailing slash alone does not leave the endpoint
        differences.append(f"path {have.path or '(empty)'} instead of {want.path or '(empty)'}")
    return differences


def link_followable_problems(chain: LinkChain) -> list[Problem]:
    problems: list[Problem] = []
    for number, page in enumerate(chain.pages, start=1):
        link = next_link(page)
        if link is None or not urlsplit(link).scheme:
            continue  # no Link, or a relative one (ocpi.pagination.link_next reports it)
        differences = _leaves(link, chain.endpoint)
        if differences:
            problems.append(Problem(f"The next Link of page {number} leaves the endpoint the SUT published: "
                                    + ", ".join(differences), f"{chain.endpoint}?…", short(link, 200),
                                    evidence=(page.id,)))
    for number, page in enumerate(chain.pages[1:], start=2):
        body = envelope(page)
        code = body.get("status_code") if body else None
        if page.status is not None and (not 200 <= page.status < 300 or not isinstance(code, int)):
            where = page.response_header("Location")
            problems.append(Problem(f"The next Link of page {number - 1}, followed as given, did not lead to a page "
                                    "of the list", "HTTP 200 with the OCPI response format",
                                    f"HTTP {page.status}" + (f" (Location: {short(where)})" if where else "")
                                    + f": {short(page.response_body or '(empty body)', 120)}", evidence=(page.id,)))
    if chain.unfollowable:
        problems.append(Problem(f"The next Link of page {len(chain.pages)} could not be followed as given",
                                "a reachable next page", chain.unfollowable, evidence=chain.unfollowed))
    return problems


def date_bounds_problems(bounds: DateBounds) -> list[Problem]:
    problems: list[Problem] = []
    ended = bool(bounds.from_pages) and next_link(bounds.from_pages[-1]) is None  # a chain cut short shows nothing
    if ended and all(_items(p) is not None and p.status == 200 for p in bounds.from_pages):
        keys = {_key(i, bounds.id_fields) for p in bounds.from_pages for i in _items(p) or []}
        if bounds.key not in keys:
            problems.append(Problem(f"The object {bounds.key!r}, last updated at {bounds.stamp}, is left out when "
                                    f"date_from={bounds.stamp}: date_from is inclusive",
                                    f"{bounds.key!r} among the objects returned", "absent from every page",
                                    evidence=tuple(p.id for p in bounds.from_pages)))
    for page in bounds.to_pages:
        if any(_key(i, bounds.id_fields) == bounds.key for i in _items(page) or []):
            problems.append(Problem(f"The object {bounds.key!r}, last updated at {bounds.stamp}, is returned when "
                                    f"date_to={bounds.stamp}: date_to is exclusive", f"{bounds.key!r} left out",
                                    "returned", evidence=(page.id,)))
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
    """X-Limit is the server's upper limit on the page size, so (1) on the last page of a Link chain it is not
    below the number of objects an earlier page held: that earlier page shows the server can return so many, so a
    smaller X-Limit counts what the last page returns; and (2) a page asked for with a limit at or above X-Limit,
    with objects remaining after it, holds X-Limit objects: holding fewer shows the server's real limit is lower
    than the X-Limit it states (e.g. the limit asked for, echoed)."""
    problems = [p for p in (_x_limit_applied(page) for page in pages) if p is not None]
    if len(pages) < 2:
        return problems
    last = pages[-1]
    if next_link(last) is not None:
        return problems  # the chain did not end within the page budget: no last page to judge
    held = max(len(_items(p) or []) for p in pages[:-1])
    x_limit = _int_header(last, "X-Limit")
    if x_limit is not None and x_limit < held:
        problems.append(Problem(f"X-Limit on the last page ({x_limit}) is below the {held} objects an earlier page of "
                                "the same list held: it counts the objects returned instead of giving the upper limit",
                                f">= {held} (the server's page size limit)", f"X-Limit: {x_limit} with "
                                f"{len(_items(last) or [])} objects", evidence=(last.id,)))
    return problems


def _x_limit_applied(page: Exchange) -> Problem | None:
    """A page asked for with at least X-Limit objects that holds fewer while more remain: X-Total-Count counts
    more objects after it and the page itself links to a next page (so a wrong X-Total-Count alone is not taken for
    a wrong X-Limit)."""
    items, asked = _items(page), _asked_limit(page)
    x_limit, total = _int_header(page, "X-Limit"), _int_header(page, "X-Total-Count")
    if items is None or asked is None or x_limit is None or total is None:
        return None
    offset = _asked_offset(page)
    if asked >= x_limit > len(items) and offset + len(items) < total and next_link(page) is not None:
        return Problem(f"X-Limit is not the most objects the server returns in a page: asked for limit={asked}, "
                       f"the page holds {len(items)} objects while {total - offset - len(items)} more remain, yet "
                       f"X-Limit says {x_limit}", f"X-Limit: {len(items)} (the limit the server applied)",
                       f"X-Limit: {x_limit}", evidence=(page.id,))
    return None
