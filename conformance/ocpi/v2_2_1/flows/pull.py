"""Pulling a Sender's paginated list: every page recorded and checked, the Link chain followed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from conformance.core.errors import HarnessError, HeldBack, SetupFailed, SutUnreachable
from conformance.core.exchange import Exchange
from conformance.core.findings import Outcome
from conformance.ocpi.context import Context
from conformance.ocpi.expect import Expect, PageRequest
from conformance.ocpi.harness import Connection
from conformance.ocpi.types import format_datetime, is_ocpi_datetime, parse_datetime
from conformance.ocpi.v2_2_1.checks import pagination as pg
from conformance.ocpi.v2_2_1.flows.http import data_of, send

__all__ = ["MAX_PAGES", "SenderPull", "sender_url", "traversal_fails"]

MAX_PAGES = 100
_OK = frozenset({1000})


def _page_request(url: str) -> PageRequest:
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}

    def num(name: str) -> int | None:
        return int(query[name]) if query.get(name, "").isdigit() else None

    return PageRequest(offset=num("offset"), limit=num("limit"), date_from=query.get("date_from"),
                       date_to=query.get("date_to"))


def traversal_fails(traversal: pg.Traversal) -> bool:
    """Whether ocpi.pagination.traversal fails on a pull: a list roamcert cannot trust to be complete."""
    return any(f.outcome is Outcome.FAIL for f in pg.traversal.judge(traversal))


def sender_url(conn: Connection, module: str) -> str:
    url = conn.endpoint(module, "SENDER")
    if url is None:
        raise SetupFailed(f"the SUT lists no {module} SENDER endpoint")
    return url


class SenderPull:
    """Pulls of one module's Sender list (Locations, Tariffs, CDRs, ...)."""

    def __init__(self, ctx: Context, *, module: str = "locations",
                 schema: str = "Location", id_fields: tuple[str, ...] = ("id",)) -> None:
        self.ctx = ctx
        self.schema = schema
        self.id_fields = id_fields  # what identifies one object of the list (a Token: uid and type)
        self.url = sender_url(ctx.conn, module)
        self.unfollowable: str | None = None

    def get(self, url: str, params: dict[str, str | int] | None = None, *,
            status_codes: frozenset[int] | None = _OK) -> Exchange:
        query = "&".join(f"{k}={quote(str(v), safe=':')}" for k, v in (params or {}).items())
        full = f"{url}?{query}" if query else url
        return send(self.ctx, "GET", full,
                    Expect(schema=self.schema, many=True, paginated=True, page=_page_request(full),
                           status_codes=status_codes), token=self.ctx.conn.token)

    def traverse(self, params: dict[str, str | int] | None = None, *, budget: int = MAX_PAGES,
                 first: Exchange | None = None) -> tuple[list[Any], list[Exchange], bool]:
        """Follow the next Links from the first page (asked for with ``params``, or ``first`` as already got) for
        at most ``budget`` pages; ``complete`` when the chain ended within them."""
        pages = [first or self.get(self.url, params)]
        self.unfollowable = None
        while len(pages) < budget:
            link = pg.next_link(pages[-1])
            if link is None or pages[-1].status != 200:
                break
            if not link.startswith(("http://", "https://")):
                break  # reported by ocpi.pagination.link_next; a relative link cannot be followed as given
            try:
                pages.append(self.get(link))
            except HeldBack:  # a bound of roamcert or a host it may not call: no evidence
                raise
            except SutUnreachable as exc:  # the SUT's own Link leads nowhere: a finding, not a harness error
                self.unfollowable = str(exc)
                break
        complete = self.unfollowable is None and (pg.next_link(pages[-1]) is None or len(pages) < budget)
        items = [i for p in pages for i in (data_of(p) if isinstance(data_of(p), list) else [])]
        return items, pages, complete

    def pull_date_windows(self, items: list[Any], what: str) -> None:
        """Pull with date_from at the median last_updated of ``items`` (inclusive), date_to at that same moment
        (exclusive), and a window from a day before the first to the last; the pages' checks judge each, and
        ocpi.pagination.date_bounds whether the object last updated at that moment is in the first pull and not
        in the second."""
        dated = sorted(((str(i["last_updated"]), i) for i in items
                        if isinstance(i, dict) and is_ocpi_datetime(i.get("last_updated"))),
                       key=lambda pair: parse_datetime(pair[0]))
        if not dated:
            raise SetupFailed(f"the SUT serves no {what} with a readable last_updated to test date filters on")
        middle, bound = dated[len(dated) // 2]
        from_pages = self.traverse({"date_from": middle})[1]
        to_pages = self.traverse({"date_to": middle})[1]
        self.ctx.case.evaluate(pg.date_bounds, pg.DateBounds(pg.identity(bound, self.id_fields), middle,
                                                             tuple(from_pages), tuple(to_pages), self.id_fields))
        earlier = format_datetime(parse_datetime(dated[0][0]) - timedelta(days=1))
        self.traverse({"date_from": earlier, "date_to": dated[-1][0]})

    def pull_windows(self, full: Sequence[Any], offset: int, limit: int, what: str) -> None:
        """GET the first ``limit`` objects, then ``limit`` objects from ``offset``: each page must hold the objects
        at those positions of ``full`` (the list as pulled without parameters); ocpi.pagination.limit judges each
        page as it comes. A list too short for the window asked is tested with the largest window it holds (with two
        objects: limit 1 from offset 1)."""
        if offset < 1 or limit < 1:
            raise HarnessError(f"scenario bug: a window needs a positive offset and limit, not {offset} and {limit}")
        if len(full) < 2:
            raise SetupFailed(f"the SUT needs at least two {what} to test limit and offset; it serves {len(full)}")
        offset = min(offset, len(full) - 1)
        limit = min(limit, len(full) - offset)
        for start in (0, offset):
            params: dict[str, str | int] = {"offset": start, "limit": limit} if start else {"limit": limit}
            window = self.get(self.url, params)
            self.ctx.case.evaluate(pg.offset_window, pg.Window(tuple(full), window, start, limit, self.id_fields))

    def traversal(self, pages: Sequence[Exchange], complete: bool) -> pg.Traversal:
        """What the last full pull showed; a next Link that could not be followed left its failed attempt as the
        log's last exchange."""
        unfollowed = (self.ctx.case.log.exchanges[-1].id,) if self.unfollowable else ()
        return pg.Traversal(tuple(pages), complete, self.id_fields, self.unfollowable, unfollowed)

    def conclude_traversal(self, pages: list[Exchange], complete: bool) -> None:
        """Evaluate ocpi.pagination.traversal and ocpi.pagination.x_limit over a full pull."""
        self.ctx.case.evaluate(pg.traversal, self.traversal(pages, complete))
        self.ctx.case.evaluate(pg.x_limit, pg.PageChain(tuple(pages)))
