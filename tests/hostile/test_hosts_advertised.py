"""Credentials stay with the target when an eMSP under test advertises URLs on another host in its answers: the
versions URL in the credentials it returns at registration, and the ``Location`` of a CDR it accepted. roamcert
calls neither (a second real server, playing the other host, receives nothing), names each URL in a finding, and
writes every report."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.hostile.sites import REPORTS, Site, cases, ok

ROOT = Path(__file__).resolve().parents[2]
TOKEN_A = "advertising-token-a-31337"


def _advertising_emsp(port: int, elsewhere: str) -> list[Route]:
    """An eMSP whose credentials name a versions URL on ``elsewhere`` and whose CDR answers give a Location there."""
    own = f"http://127.0.0.1:{port}"

    async def versions(request: Request) -> Response:
        return ok([{"version": "2.2.1", "url": f"{own}/details"}])

    async def details(request: Request) -> Response:
        endpoints = [("credentials", "SENDER", f"{own}/credentials"), ("cdrs", "RECEIVER", f"{own}/cdrs")]
        return ok({"version": "2.2.1", "endpoints": [{"identifier": i, "role": r, "url": u}
                                                      for i, r, u in endpoints]})

    async def credentials(request: Request) -> Response:
        return ok({"token": "advertising-token-c-2718", "url": f"{elsewhere}/versions", "roles": [
            {"role": "EMSP", "party_id": "ADV", "country_code": "NL", "business_details": {"name": "Advertising"}}]})

    async def cdrs(request: Request) -> Response:
        answer = ok(None)
        answer.status_code = 201
        answer.headers["Location"] = f"{elsewhere}/cdrs/stored-elsewhere"
        return answer

    return [Route("/versions", versions), Route("/details", details),
            Route("/credentials", credentials, methods=["GET", "POST", "PUT", "DELETE"]),
            Route("/cdrs", cdrs, methods=["POST"])]


@pytest.fixture(scope="module")
def advertised(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Site, Site, str]]:
    out = tmp_path_factory.mktemp("advertised")
    with Site() as other:
        elsewhere = f"http://localhost:{other.port}"  # the same machine under another name: another host
        with Site(lambda port: _advertising_emsp(port, elsewhere)) as sut:
            target = out / "target.toml"
            target.write_text(f'name = "advertising"\n[ocpi]\nversion = "2.2.1"\n[[ocpi.platform]]\n'
                              f'roles = ["EMSP"]\nversions_url = "http://127.0.0.1:{sut.port}/versions"\n'
                              f'token_a = "{TOKEN_A}"\n', encoding="utf-8")
            argv = [sys.executable, "-m", "conformance.cli", "run", "--target", str(target), "--out", str(out / "run"),
                    "--module", "cdrs"]
            done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
            (out / "console.txt").write_text(done.stdout + done.stderr, encoding="utf-8")
            yield out / "run", sut, other, elsewhere


def _named(out: Path, fragment: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(c, f) for c in cases(out) for f in c["findings"]
            if f["check_id"] == "roamcert.hosts.not_called" and fragment in f["actual"]]


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
    found = _named(out, f"{elsewhere}/cdrs/stored-elsewhere")
    assert found, "no finding names the CDR Location on another host"
    for case, finding in found:
        assert finding["severity"] == "INFO" and "127.0.0.1" in finding["expected"]
        refused = next(x for x in case["exchanges"] if x["id"] in finding["evidence"])
        assert refused["status"] is None and refused["error"].startswith("not called: GET")
        assert refused["request_headers"].get("Authorization") in (None, "Token [redacted]")


def test_a_versions_url_on_another_host_in_the_credentials_is_named(advertised: tuple[Path, Site, Site, str]) -> None:
    out, _, _, elsewhere = advertised
    found = _named(out, f"{elsewhere}/versions")
    assert found, "no finding names the versions URL the credentials gave on another host"
    case, finding = found[0]
    assert finding["severity"] == "INFO" and "not called: GET" in finding["message"]
    post = next(x for x in case["exchanges"] if x["id"] in finding["evidence"])
    assert post["method"] == "POST" and post["url"].endswith("/credentials")
