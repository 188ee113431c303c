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
from conformance.ocpi.v2_2_1.checks.pagination import next_link, traversal_problems
from simulators.ocpi.app import build_app
from simulators.ocpi.profiles import PROFILES
from simulators.ocpi.v2_2_1.reference import reference_party
from simulators.ocpi.v2_2_1.seed.locations import seed_locations

ORIGIN = "http://cpo.property.test"


def _pages(count: int, limit: int | None, page_size: int) -> list[Exchange]:
    party = reference_party("CPO", base_url=ORIGIN)
    party.owned["locations"] = seed_locations(count=count)
    party.max_page_size = page_size
    token = party.issue_token_a()
    party.behaviours = PROFILES.compose("token_a_accepted_everywhere")  # token A opens the Locations module

    async def crawl() -> list[Exchange]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=build_app(party))) as http:
            client = OcpiClient(http, ExchangeLog(), version="2.2.1", token=token)
            url = f"{ORIGIN}/ocpi/cpo/2.2.1/sender/locations" + (f"?limit={limit}" if limit else "")
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
    assert len(seen) == count
