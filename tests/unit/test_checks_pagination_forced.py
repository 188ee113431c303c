"""The pagination checks roamcert evaluates when it forces small pages, asks for a huge page, sends invalid
pagination parameters and filters on an object's own last_updated: each fails on the deviation it is for and
stays quiet where the spec leaves the server free."""

from __future__ import annotations

import json
from typing import Any

from conformance.core.exchange import Exchange, ExchangeLog
from conformance.core.findings import Outcome, Severity
from conformance.ocpi.v2_2_1.checks import Expect, PageRequest, run_checks
from conformance.ocpi.v2_2_1.checks.pagination import (
    DateBounds,
    InvalidParam,
    LinkChain,
    date_bounds_problems,
    invalid_param,
    link_followable,
    link_followable_problems,
    traversal_problems,
    x_limit_problems,
)

ENDPOINT = "https://sut.test/ocpi/cpo/2.2.1/locations/"
TS = "2026-01-05T08:00:00Z"
LOG = ExchangeLog()


def _item(ident: str, last_updated: str = TS) -> dict[str, Any]:
    return {"id": ident, "last_updated": last_updated}


def _page(items: list[Any], *, url: str = ENDPOINT, total: int | None = None, x_limit: int | None = 10,
          link: str | None = None, raw_link: str | None = None, status: int = 200, code: int = 1000,
          body: str | None = None, extra: tuple[tuple[str, str], ...] = ()) -> Exchange:
    headers = [("Content-Type", "application/json"), *extra]
    if total is not None:
        headers.append(("X-Total-Count", str(total)))
    if x_limit is not None:
        headers.append(("X-Limit", str(x_limit)))
    if link is not None:
        headers.append(("Link", f'<{link}>; rel="next"'))
    if raw_link is not None:
        headers.append(("Link", raw_link))
    text = body if body is not None else json.dumps({"status_code": code, "timestamp": TS, "data": items})
    return LOG.record(protocol="OCPI", version="2.2.1", direction="outbound", method="GET", url=url,
                      request_headers=[("Authorization", "Token dG9rLUM=")], request_body=None, status=status,
                      response_headers=headers, response_body=text, elapsed_ms=1.0)


def _list(offset: int = 0, limit: int = 2) -> Expect:
    return Expect(schema=None, many=True, paginated=True, page=PageRequest(offset=offset, limit=limit))


def _failed(x: Exchange, expect: Expect, check_id: str) -> list[str]:
    return [f.message for f in run_checks(x, expect, "response")
            if f.check_id == check_id and f.outcome is Outcome.FAIL]


# -- the last page's Link -------------------------------------------------------------------------------------

def test_an_empty_link_header_on_the_last_page_is_a_recommendation_failure() -> None:
    last = _page([_item("A"), _item("B")], url=ENDPOINT + "?offset=2&limit=2", total=4, raw_link="")
    findings = [f for f in run_checks(last, _list(offset=2), "response") if f.check_id == "ocpi.pagination.link_last"]
    assert [(f.outcome, f.severity) for f in findings] == [(Outcome.FAIL, Severity.RECOMMENDED)]
    assert "empty Link header" in findings[0].message
    assert findings[0].requirements == ("OCPI-2.2.1-TF-PAG-09",)


def test_a_last_page_without_link_passes_and_one_linking_further_fails() -> None:
    assert _failed(_page([_item("A")], total=1), _list(), "ocpi.pagination.link_last") == []
    further = _page([_item("A")], total=1, link=ENDPOINT + "?offset=1&limit=2")
    assert _failed(further, _list(), "ocpi.pagination.link_last") != []


def test_link_last_does_not_judge_a_page_that_is_not_the_last() -> None:
    # an empty Link on a page with objects after it is ocpi.pagination.link_next's (no next Link), not link_last's
    middle = _page([_item("A"), _item("B")], total=5, raw_link="")
    assert _failed(middle, _list(), "ocpi.pagination.link_last") == []
    assert _failed(middle, _list(), "ocpi.pagination.link_next") != []


# -- the next Link's query ------------------------------------------------------------------------------------

def test_null_values_and_unreadable_numbers_in_the_next_link_fail() -> None:
    nulls = _page([_item("A")], total=3, link=ENDPOINT + "?offset=1&limit=1&date_from=None&date_to=null")
    assert len(_failed(nulls, _list(limit=1), "ocpi.pagination.link_query")) == 2
    junk = _page([_item("A")], total=3, link=ENDPOINT + "?offset=one&limit=")
    assert len(_failed(junk, _list(limit=1), "ocpi.pagination.link_query")) == 2


def test_a_next_link_with_valid_values_passes_even_percent_encoded() -> None:
    good = _page([_item("A")], total=3,
                 link=ENDPOINT + "?offset=1&limit=1&date_from=2026-01-05T08%3A00%3A00Z&country_code=NL")
    assert _failed(good, _list(limit=1), "ocpi.pagination.link_query") == []


# -- where the next Link leads --------------------------------------------------------------------------------

def test_a_link_on_the_published_endpoint_passes_default_port_included() -> None:
    first = _page([_item("A")], total=2, link="https://SUT.test:443/ocpi/cpo/2.2.1/locations/?offset=1&limit=1")
    second = _page([_item("B")], url="https://sut.test/ocpi/cpo/2.2.1/locations/?offset=1&limit=1", total=2)
    assert link_followable_problems(LinkChain(ENDPOINT, (first, second))) == []


def test_a_link_that_differs_from_the_endpoint_only_by_a_trailing_slash_stays_on_it() -> None:
    first = _page([_item("A")], total=2, link="https://sut.test/ocpi/cpo/2.2.1/locations?offset=1&limit=1")
    second = _page([_item("B")], url="https://sut.test/ocpi/cpo/2.2.1/locations?offset=1&limit=1", total=2)
    assert link_followable_problems(LinkChain(ENDPOINT, (first, second))) == []


def test_a_link_to_another_path_scheme_or_port_leaves_the_endpoint() -> None:
    for link, named in (("https://sut.test/ocpi/cpo/2.2.1/tariffs/?offset=1", "path"),
                        ("http://sut.test/ocpi/cpo/2.2.1/locations/?offset=1", "scheme"),
                        ("https://sut.test:8443/ocpi/cpo/2.2.1/locations/?offset=1", "port")):
        problems = link_followable_problems(LinkChain(ENDPOINT, (_page([_item("A")], total=2, link=link),)))
        assert len(problems) == 1 and named in problems[0].message, (link, problems)
        assert problems[0].actual == link


def test_a_followed_link_answered_with_a_redirect_is_reported_with_its_location() -> None:
    link = ENDPOINT + "?offset=1&limit=1"
    first = _page([_item("A")], total=2, link=link)
    moved = _page([], url=link, status=307, body="", extra=(("Location", "https://elsewhere.test/x"),))
    problems = link_followable_problems(LinkChain(ENDPOINT, (first, moved)))
    assert len(problems) == 1
    assert "HTTP 307" in (problems[0].actual or "") and "elsewhere.test" in (problems[0].actual or "")
    assert problems[0].evidence == (moved.id,)


def test_a_relative_link_is_left_to_link_next() -> None:
    relative = _page([_item("A")], total=2, link="/ocpi/cpo/2.2.1/locations/?offset=1")
    assert link_followable_problems(LinkChain(ENDPOINT, (relative,))) == []


def test_link_followable_names_its_requirement() -> None:
    chain = LinkChain(ENDPOINT, (_page([_item("A")], total=2, link="http://sut.test/other?offset=1"),))
    [finding] = link_followable.judge(chain)
    assert finding.outcome is Outcome.FAIL and finding.requirements == ("OCPI-2.2.1-TF-PAG-03",)


# -- chains from an offset, and chains roamcert stopped -------------------------------------------------------

def test_a_chain_from_an_offset_holds_what_x_total_count_leaves_from_there() -> None:
    url = ENDPOINT + "?offset=5&limit=2"
    first = _page([_item("F"), _item("G")], url=url, total=9, link=ENDPOINT + "?offset=7&limit=2")
    last = _page([_item("H"), _item("I")], url=ENDPOINT + "?offset=7&limit=2", total=9)
    assert traversal_problems([first, last], start=5) == []
    short = _page([_item("H")], url=ENDPOINT + "?offset=7&limit=2", total=9)
    [problem] = traversal_problems([first, short], start=5)
    assert "offset 5" in problem.message and problem.expected is not None and problem.expected.startswith("4 ")


def test_a_chain_roamcert_stopped_by_design_is_not_judged_incomplete() -> None:
    first = _page([_item("A"), _item("B")], total=30, link=ENDPOINT + "?offset=2&limit=2")
    assert traversal_problems([first], complete=False, capped=True) == []
    assert traversal_problems([first], complete=False) != []  # a chain that should have ended is reported
    duplicate = _page([_item("B")], total=30, link=ENDPOINT + "?offset=3&limit=2")
    assert len(traversal_problems([first, duplicate], complete=False, capped=True)) == 1  # duplicates still count


# -- X-Limit against what the server applied ------------------------------------------------------------------

def test_x_limit_echoing_a_huge_limit_while_returning_fewer_with_more_remaining_fails() -> None:
    echo = _page([_item(str(i)) for i in range(10)], url=ENDPOINT + "?limit=10000", total=30, x_limit=10000,
                 link=ENDPOINT + "?offset=10&limit=10")
    [problem] = x_limit_problems([echo])
    assert problem.actual == "X-Limit: 10000" and "10" in (problem.expected or "")


def test_x_limit_is_not_judged_where_the_server_may_really_allow_it() -> None:
    everything = [_item(str(i)) for i in range(9)]
    # all 9 objects for limit=10000 with X-Limit 10000: the server may well allow 10000
    assert x_limit_problems([_page(everything, url=ENDPOINT + "?limit=10000", total=9, x_limit=10000)]) == []
    # the server's own limit stated: fine
    ten = [_item(str(i)) for i in range(10)]
    assert x_limit_problems([_page(ten, url=ENDPOINT + "?limit=10000", total=30, x_limit=10,
                                   link=ENDPOINT + "?offset=10")]) == []
    # fewer objects than X-Limit without a next Link: only X-Total-Count says more remain, so that is its fault
    assert x_limit_problems([_page(everything, url=ENDPOINT + "?limit=10000", total=11, x_limit=10000)]) == []
    # no limit asked: a default page smaller than the server's maximum is allowed
    assert x_limit_problems([_page(ten, url=ENDPOINT, total=30, x_limit=100, link=ENDPOINT + "?offset=10")]) == []


# -- invalid pagination parameters ----------------------------------------------------------------------------

def test_an_invalid_parameter_answered_with_an_http_error_fails() -> None:
    in_400 = _page([], status=400, code=2001)
    [finding] = invalid_param.judge(InvalidParam("limit", "-1", in_400))
    assert finding.outcome is Outcome.FAIL and finding.requirements == ("OCPI-2.2.1-SC-01",)
    assert finding.actual == "HTTP 400 with status_code 2001"
    fastapi = _page([], status=422, body='{"detail": [{"loc": ["query", "offset"]}]}')
    [finding] = invalid_param.judge(InvalidParam("offset", "abc", fastapi))
    assert finding.outcome is Outcome.FAIL and "HTTP 422" in (finding.actual or "")


def test_an_invalid_parameter_answered_in_the_ocpi_format_passes() -> None:
    for answer in (_page([], code=2001), _page([_item("A")], total=1)):  # refused, or ignored and served
        assert [f.outcome for f in invalid_param.judge(InvalidParam("date_from", "not-a-date", answer))] \
            == [Outcome.PASS]
    not_ocpi = _page([], body="<html>oops</html>")
    assert [f.outcome for f in invalid_param.judge(InvalidParam("limit", "-1", not_ocpi))] == [Outcome.FAIL]


# -- date_from inclusive, date_to exclusive -------------------------------------------------------------------

def _bounds(from_items: list[Any], to_items: list[Any], *, from_link: str | None = None) -> DateBounds:
    return DateBounds("b", TS, (_page(from_items, total=len(from_items), link=from_link),),
                      (_page(to_items, total=len(to_items)),))


def test_the_object_at_date_from_must_be_returned_and_the_one_at_date_to_not() -> None:
    assert date_bounds_problems(_bounds([_item("B")], [_item("A", "2026-01-01T00:00:00Z")])) == []
    [missing] = date_bounds_problems(_bounds([_item("C")], []))
    assert "date_from is inclusive" in missing.message
    [kept] = date_bounds_problems(_bounds([_item("b")], [_item("B")]))  # ids without letter case
    assert "date_to is exclusive" in kept.message


def test_a_date_from_chain_that_did_not_end_shows_nothing_missing() -> None:
    assert date_bounds_problems(_bounds([_item("C")], [], from_link=ENDPOINT + "?offset=1")) == []
