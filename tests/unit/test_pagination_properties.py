"""Properties: the reference's pagination and roamcert's pagination checks agree for any list, limit and offset."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.core.exchange import Exchange, ExchangeLog
from conformance.core.findings import Outcome
from conformance.ocpi.client import OcpiClient
from conformance.ocpi.v2_2_1.checks import Expect, PageRequest, run_checks
from conformance.ocpi.v2_2_1.checks.pagination import (
    LinkChain,
    link_followable_problems,
    next_link,
    traversal_problems,
    x_limit_problems,
)
from simulators.ocpi.app import build_app
from simulators.ocpi.profiles import PROFILES
from simulators.ocpi.v2_2_1.reference import reference_party
from simulators.ocpi.v2_2_1.seed.locations import seed_locations

ORIGIN = "http://cpo.property.test"


ENDPOINT = f"{ORIGIN}/ocpi/cpo/2.2.1/sender/locations"


def _pages(count: int, limit: int | None, page_size: int, *, query: str | None = None,
           profile: str = "token_a_accepted_everywhere") -> list[Exchange]:
    party = reference_party("CPO", base_url=ORIGIN)
    party.owned["locations"] = seed_locations(count=count)
    party.max_page_size = page_size
    token = party.issue_token_a()
    party.behaviours = PROFILES.compose(profile)  # token A opens the Locations module

    async def crawl() -> list[Exchange]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=build_app(party))) as http:
            client = OcpiClient(http, ExchangeLog(), version="2.2.1", token=token)
            url = ENDPOINT + (f"?{query}" if query else f"?limit={limit}" if limit else "")
            pages = [await client.request("GET", url)]
            while (link := next_link(pages[-1])) and len(pages) < 200:
                pages.append(await client.request("GET", link))
            return pages

    return asyncio.run(crawl())


@settings(max_examples=25, deadline=None)
@given(count=st.integers(min_value=0, max_value=40), limit=st.one_of(st.none(), st.integers(1, 15)),
       page_size=st.integers(1, 12))
def test_reference_pages_pass_every_pagination_check(count: int, limit: int | None, page_size: int) -> None:
    pages = _pages(count, limit, page_size)
    offset = 0
    seen: list[Any] = []
    for page in pages:
        expect = Expect(schema="Location", many=True, paginated=True, page=PageRequest(offset=offset, limit=limit))
        failed = [f for f in run_checks(page, expect, "response") if f.outcome is not Outcome.PASS]
        assert failed == []
        data = page.response_json()["data"]
        seen += data
        offset += len(data)
    assert traversal_problems(pages) == []
    assert link_followable_problems(LinkChain(ENDPOINT, tuple(pages))) == []
    assert x_limit_problems(pages) == []
    assert len(seen) == count


@settings(max_examples=10, deadline=None)
@given(count=st.integers(min_value=2, max_value=30), limit=st.integers(1, 3), page_size=st.integers(1, 12),
       back=st.integers(1, 6))
def test_reference_chains_from_any_offset_hold_what_x_total_count_leaves(count: int, limit: int, page_size: int,
                                                                          back: int) -> None:
    start = max(0, count - back)
    pages = _pages(count, limit, page_size, query=f"offset={start}&limit={limit}")
    assert traversal_problems(pages, start=start) == []
    assert x_limit_problems(pages) == []


def test_reference_answers_a_huge_limit_with_its_own_x_limit() -> None:
    [page, *_] = _pages(25, None, 10, query="limit=10000")
    assert page.response_header("X-Limit") == "10" and len(page.response_json()["data"]) == 10
    assert x_limit_problems([page]) == []
    [echo, *_] = _pages(25, None, 10, query="limit=10000", profile="token_a_accepted_everywhere+x_limit_echo")
    assert echo.response_header("X-Limit") == "10000" and x_limit_problems([echo]) != []


def test_reference_refuses_invalid_pagination_parameters_inside_http_200() -> None:
    for query in ("limit=-1", "offset=abc", "date_from=not-a-date", "date_to=not-a-date"):
        [answer] = _pages(3, None, 10, query=query)
        assert (answer.status, answer.response_json()["status_code"]) == (200, 2001), query
        [faulty] = _pages(3, None, 10, query=query, profile="token_a_accepted_everywhere+invalid_param_http_400")
        assert (faulty.status, faulty.response_json()["status_code"]) == (400, 2001), query
