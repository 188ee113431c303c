"""Pulling a Sender's paginated list: every page recorded and checked, the Link chain followed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from conformance.core.errors import HarnessError, SetupFailed, SutUnreachable
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

    def get(self, url: str, params: dict[str, str | int] | None = None) -> Exchange:
        full = url if not params else url + "?" + "&".join(f"{k}={v}" for k, v in params.items())
        return send(self.ctx, "GET", full,
                    Expect(schema=self.schema, many=True, paginated=True, page=_page_request(full),
                           status_codes=_OK), token=self.ctx.conn.token)

    def traverse(self, params: dict[str, str | int] | None = None) -> tuple[list[Any], list[Exchange], bool]:
        pages = [self.get(self.url, params)]
        self.unfollowable = None
        while len(pages) < MAX_PAGES:
            link = pg.next_link(pages[-1])
            if link is None or pages[-1].status != 200:
                break
            if not link.startswith(("http://", "https://")):
                break  # reported by ocpi.pagination.link_next; a relative link cannot be followed as given
            try:
                pages.append(self.get(link))
            except SutUnreachable as exc:  # the SUT's own Link leads nowhere: a finding, not a harness error
                self.unfollowable = str(exc)
                break
        complete = self.unfollowable is None and (pg.next_link(pages[-1]) is None or len(pages) < MAX_PAGES)
        items = [i for p in pages for i in (data_of(p) if isinstance(data_of(p), list) else [])]
        return items, pages, complete

    def pull_date_windows(self, items: list[Any], what: str) -> None:
        """Pull with date_from at the median last_updated of ``items`` (inclusive), date_to at that same moment
        (exclusive), and a window from a day before the first to the last; the pages' checks judge each."""
        stamps = sorted((str(i["last_updated"]) for i in items
                         if isinstance(i, dict) and is_ocpi_datetime(i.get("last_updated"))), key=parse_datetime)
        if len(stamps) < 2:
            raise SetupFailed(f"the SUT needs at least two {what} with readable last_updated to test date filters")
        middle = stamps[len(stamps) // 2]
        self.traverse({"date_from": middle})
        self.traverse({"date_to": middle})
        earlier = format_datetime(parse_datetime(stamps[0]) - timedelta(days=1))
        self.traverse({"date_from": earlier, "date_to": stamps[-1]})

    def pull_windows(self, full: Sequence[Any], offset: int, limit: int, what: str) -> None:
        """GET the first ``limit`` objects, then ``limit`` objects from ``offset``: each page must hold the objects
        at those positions of ``full`` (the list as pulled without parameters); ocpi.pagination.limit judges each
        page as it comes."""
        if offset < 1 or limit < 1:
            raise HarnessError(f"scenario bug: a window needs a positive offset and limit, not {offset} and {limit}")
        if len(full) < offset + limit:
            raise SetupFailed(f"the SUT needs at least {offset + limit} {what} to test limit and offset")
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
