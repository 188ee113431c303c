"""Pagination forced on a Sender's list (transport_and_format_pagination): roamcert asks for pages of one or two
objects, so the Link chain, X-Total-Count and X-Limit show even on a server holding a handful of objects; asks for
far more objects than any server returns at once, to see the server's real X-Limit; and sends pagination
parameters with invalid values.

Small pages over a long list cost a request each, so a chain is followed for a window of its first pages only
(``WINDOW``); its end is then reached by a second chain that starts two pages before the last object. A chain
roamcert stops by design is marked ``capped`` in its evidence and never judged as incomplete.
"""

from __future__ import annotations

from conformance.core.errors import HarnessError
from conformance.core.exchange import Exchange
from conformance.ocpi.context import Context
from conformance.ocpi.expect import Expect
from conformance.ocpi.v2_2_1.checks import pagination as pg
from conformance.ocpi.v2_2_1.flows.http import send
from conformance.ocpi.v2_2_1.flows.pull import SenderPull

__all__ = ["HUGE_LIMIT", "LISTS", "SMALL", "WINDOW", "ask_huge_page", "follow_small_pages", "invalid_dates",
           "invalid_window"]

# The plural a scenario names a list by -> (module, object schema, the fields that identify one object)
LISTS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "Locations": ("locations", "Location", ("id",)),
    "Sessions": ("sessions", "Session", ("id",)),
    "CDRs": ("cdrs", "CDR", ("id",)),
    "Tariffs": ("tariffs", "Tariff", ("id",)),
    "Tokens": ("tokens", "Token", ("uid", "type")),
}
SMALL = 2  # objects per page asked for when the list holds at least 2 * SMALL objects; 1 below that
WINDOW = 4  # pages of one chain roamcert follows before it stops the chain
HUGE_LIMIT = 10000  # more objects than any server returns in one page


def _sender(ctx: Context, kind: str) -> SenderPull:
    if kind not in LISTS:
        raise HarnessError(f"scenario bug: {kind!r} is not a Sender list roamcert knows")
    module, schema, id_fields = LISTS[kind]
    return SenderPull(ctx, module=module, schema=schema, id_fields=id_fields)


def _total(x: Exchange) -> int | None:
    raw = x.response_header("X-Total-Count")
    return int(raw) if raw is not None and raw.strip().isdigit() else None


def _chain(pull: SenderPull, params: dict[str, str | int], *, first: Exchange | None = None, start: int = 0,
           objects: int | None = None) -> None:
    """Follow one chain and evaluate what it shows: the objects against X-Total-Count (ocpi.pagination.traversal),
    where its next Links lead (ocpi.pagination.link_followable) and its X-Limit (ocpi.pagination.x_limit).

    With ``objects`` (how many X-Total-Count leaves from ``start``) the chain must end within ``objects`` + 1
    pages, even if the server returns a single object per page (it may return fewer than asked); one still going
    then is reported. Without, roamcert stops it after ``WINDOW`` pages, by design (``capped``)."""
    budget = WINDOW if objects is None else objects + 2
    _, pages, complete = pull.traverse(params, budget=budget, first=first)
    capped = objects is None and not complete and pull.unfollowable is None
    ctx = pull.ctx
    traversal = pull.traversal(pages, complete)
    ctx.case.evaluate(pg.traversal, pg.Traversal(traversal.pages, complete, pull.id_fields, traversal.unfollowable,
                                                 traversal.unfollowed, start=start, capped=capped))
    ctx.case.evaluate(pg.link_followable, pg.LinkChain(pull.url, tuple(pages), traversal.unfollowable,
                                                       traversal.unfollowed))
    ctx.case.evaluate(pg.x_limit, pg.PageChain(tuple(pages)))


def follow_small_pages(ctx: Context, kind: str) -> None:
    """Ask for pages of ``SMALL`` objects (of one, when the list holds fewer than 2 * ``SMALL``) and follow their
    next Links: the whole chain when it holds at most ``SMALL`` * ``WINDOW`` objects, else its first ``WINDOW``
    pages and then a chain from two pages before the end to the end."""
    pull = _sender(ctx, kind)
    first = pull.get(pull.url, {"limit": SMALL})
    total = _total(first)
    if total is None or first.status != 200:  # no count to plan by: a window of the chain as the SUT gives it
        _chain(pull, {"limit": SMALL}, first=first)
    elif 2 <= total < 2 * SMALL:  # pages of two would show no Link: pages of one
        _chain(pull, {"limit": 1}, objects=total)
    elif total <= SMALL * WINDOW:
        _chain(pull, {"limit": SMALL}, first=first, objects=total)
    else:
        _chain(pull, {"limit": SMALL}, first=first)
        start = total - 2 * SMALL
        _chain(pull, {"offset": start, "limit": SMALL}, start=start, objects=2 * SMALL)


def ask_huge_page(ctx: Context, kind: str) -> None:
    """GET with limit=``HUGE_LIMIT``: the page holds what the server really allows, and X-Limit must say so
    (ocpi.pagination.x_limit); a server may refuse so large a limit, so any status_code is taken."""
    pull = _sender(ctx, kind)
    page = pull.get(pull.url, {"limit": HUGE_LIMIT}, status_codes=None)
    ctx.case.evaluate(pg.x_limit, pg.PageChain((page,)))


def _invalid(ctx: Context, kind: str, params: tuple[tuple[str, str], ...]) -> None:
    pull = _sender(ctx, kind)
    for name, value in params:
        answer = send(ctx, "GET", f"{pull.url}?{name}={value}", Expect(), token=ctx.conn.token)
        ctx.case.evaluate(pg.invalid_param, pg.InvalidParam(name, value, answer))


def invalid_window(ctx: Context, kind: str) -> None:
    """A negative limit and an offset that is not a number: each answered in the OCPI format, not with an HTTP
    error status (ocpi.pagination.invalid_params)."""
    _invalid(ctx, kind, (("limit", "-1"), ("offset", "abc")))


def invalid_dates(ctx: Context, kind: str) -> None:
    """A date_from and a date_to that are not DateTimes: each answered in the OCPI format, not with an HTTP error
    status (ocpi.pagination.invalid_params)."""
    _invalid(ctx, kind, (("date_from", "not-a-date"), ("date_to", "not-a-date")))
