"""Credentials stay with the target: a real OCPI server that advertises an endpoint on another host, gives a next
``Link`` to another host and redirects there. roamcert calls none of those URLs (a second real server, playing
the other host, receives nothing), names each in a finding, skips what depends on it with that cause, records
the redirect as it came, and writes every report."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.hostile.sites import REPORTS, Site, cases, host_findings, ok, refused_exchange, run_against, version_routes

ROOT = Path(__file__).resolve().parents[2]
TOKEN_C = "hostile-token-c-4711"
TOKEN_B = "hostile-token-b-0815"


def _hostile_sut(port: int, elsewhere: str) -> list[Route]:
    """A CPO whose version details put tariffs on ``elsewhere`` (another host), whose locations page links to
    ``elsewhere`` and whose sessions endpoint redirects there."""
    own = f"http://127.0.0.1:{port}"
    endpoints = [("credentials", "SENDER", f"{own}/credentials"), ("locations", "SENDER", f"{own}/locations"),
                 ("sessions", "SENDER", f"{own}/sessions"), ("tariffs", "SENDER", f"{elsewhere}/tariffs")]

    async def credentials(request: Request) -> Response:
        return ok({"token": "x", "url": f"{own}/versions", "roles": [
            {"role": "CPO", "party_id": "HOS", "country_code": "NL", "business_details": {"name": "Hostile"}}]})

    async def locations(request: Request) -> Response:
        return ok([], headers={"Link": f'<{elsewhere}/locations?offset=1&limit=1>; rel="next"',
                                "X-Total-Count": "2", "X-Limit": "1"})

    async def sessions(request: Request) -> Response:
        return Response(status_code=307, headers={"Location": f"{elsewhere}/sessions"})

    return [*version_routes(own, endpoints), Route("/credentials", credentials),
            Route("/locations", locations), Route("/sessions", sessions)]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Site, Site, str]]:
    out = tmp_path_factory.mktemp("hosts")
    with Site() as other:
        elsewhere = f"http://localhost:{other.port}"  # the same machine under another name: another host
        with Site(lambda port: _hostile_sut(port, elsewhere)) as sut:
            run = run_against(out, sut, '["CPO"]', f'token_a = "hostile-token-a"\ntoken_c = "{TOKEN_C}"\n'
                              f'token_b = "{TOKEN_B}"\n', "--module", "locations", "--module", "tariffs",
                              "--module", "sessions")
            yield run, sut, other, elsewhere


def test_the_other_host_receives_nothing(hostile: tuple[Path, Site, Site, str]) -> None:
    _, sut, other, _ = hostile
    assert sut.seen, "the run did not reach the SUT at all"
    assert other.seen == []


def test_every_report_is_written(hostile: tuple[Path, Site, Site, str]) -> None:
    out = hostile[0]
    console = (out.parent / "console.txt").read_text(encoding="utf-8")
    for name in REPORTS:
        assert (out / name).is_file(), f"{name} not written\n{console[-3000:]}"
    summary = json.loads((out / "results.ndjson").read_text(encoding="utf-8").splitlines()[-1])
    assert summary["type"] == "summary"
    assert "Traceback" not in console
    assert not [c for c in cases(out) if c["outcome"] == "ERROR" and "roamcert error" in (c["reason"] or "")]


def test_an_endpoint_on_another_host_is_named_and_its_cases_skip(hostile: tuple[Path, Site, Site, str]) -> None:
    out, _, _, elsewhere = hostile
    found = host_findings(out, f"{elsewhere}/tariffs")
    assert found, "no finding names the tariffs endpoint on another host"
    case, finding = found[0]
    refused_exchange(case, finding)
    assert "localhost" in finding["message"]
    assert case["outcome"] == "SKIP" and "not called" in case["reason"] and "allowed_hosts" in case["reason"]


def test_a_next_link_to_another_host_is_not_followed(hostile: tuple[Path, Site, Site, str]) -> None:
    out, _, _, elsewhere = hostile
    found = host_findings(out, f"{elsewhere}/locations")
    assert found, "no finding names the next Link to another host"
    for case, _ in found:
        assert case["outcome"] in ("SKIP", "FAIL")  # FAIL only for what the first page itself shows
        assert not [f for f in case["findings"] if f["check_id"] == "ocpi.pagination.link_followable"
                    and f["outcome"] == "FAIL"], "a Link not called was judged unfollowable"


def test_a_redirect_is_recorded_as_it_came(hostile: tuple[Path, Site, Site, str]) -> None:
    out, _, other, elsewhere = hostile
    redirects = [x for c in cases(out) for x in c["exchanges"] if x["status"] == 307]
    assert redirects, "no redirect answer recorded"
    assert all(x["response_headers"].get("location") == f"{elsewhere}/sessions" for x in redirects)
    assert not [p for _, p, _ in other.seen if p == "/sessions"]
