"""Credentials stay with the target when an eMSP under test advertises URLs on another host in its answers: the
versions URL in the credentials it returns at registration, and the ``Location`` of a CDR it accepted. roamcert
calls neither (a second real server, playing the other host, receives nothing), names each URL in a finding, and
writes every report."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.hostile.sites import REPORTS, Site, host_findings, ok, refused_exchange, run_against, version_routes

ROOT = Path(__file__).resolve().parents[2]
TOKEN_A = "advertising-token-a-31337"


def _advertising_emsp(port: int, elsewhere: str) -> list[Route]:
    """An eMSP whose credentials name a versions URL on ``elsewhere`` and whose CDR answers give a Location there."""
    own = f"http://127.0.0.1:{port}"
    endpoints = [("credentials", "SENDER", f"{own}/credentials"), ("cdrs", "RECEIVER", f"{own}/cdrs")]

    async def credentials(request: Request) -> Response:
        return ok({"token": "advertising-token-c-2718", "url": f"{elsewhere}/versions", "roles": [
            {"role": "EMSP", "party_id": "ADV", "country_code": "NL", "business_details": {"name": "Advertising"}}]})

    async def cdrs(request: Request) -> Response:
        answer = ok(None)
        answer.status_code = 201
        answer.headers["Location"] = f"{elsewhere}/cdrs/stored-elsewhere"
        return answer

    return [*version_routes(own, endpoints),
            Route("/credentials", credentials, methods=["GET", "POST", "PUT", "DELETE"]),
            Route("/cdrs", cdrs, methods=["POST"])]


@pytest.fixture(scope="module")
def advertised(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Site, Site, str]]:
    out = tmp_path_factory.mktemp("advertised")
    with Site() as other:
        elsewhere = f"http://localhost:{other.port}"  # the same machine under another name: another host
        with Site(lambda port: _advertising_emsp(port, elsewhere)) as sut:
            run = run_against(out, sut, '["EMSP"]', f'token_a = "{TOKEN_A}"\n', "--module", "cdrs")
            yield run, sut, other, elsewhere


def test_the_other_host_receives_nothing(advertised: tuple[Path, Site, Site, str]) -> None:
    out, sut, other, _ = advertised
    console = (out.parent / "console.txt").read_text(encoding="utf-8")
    assert any(method == "POST" and path == "/cdrs" for method, path, _ in sut.seen), console[-3000:]
    assert other.seen == []
    for name in REPORTS:
        assert (out / name).is_file(), f"{name} not written\n{console[-3000:]}"
    assert "Traceback" not in console


def test_a_cdr_location_on_another_host_is_named_not_read(advertised: tuple[Path, Site, Site, str]) -> None:
    out, _, _, elsewhere = advertised
    found = host_findings(out, f"{elsewhere}/cdrs/stored-elsewhere")
    assert found, "no finding names the CDR Location on another host"
    for case, finding in found:
        refused_exchange(case, finding)


def test_a_versions_url_on_another_host_in_the_credentials_is_named(advertised: tuple[Path, Site, Site, str]) -> None:
    out, _, _, elsewhere = advertised
    found = host_findings(out, f"{elsewhere}/versions")
    assert found, "no finding names the versions URL the credentials gave on another host"
    case, finding = found[0]
    assert finding["severity"] == "INFO" and "not called: GET" in finding["message"]
    post = next(x for x in case["exchanges"] if x["id"] in finding["evidence"])
    assert post["method"] == "POST" and post["url"].endswith("/credentials")
