"""Credentials stay with the target under fuzzing too: `roamcert fuzz` calls no endpoint the SUT declares on another
host (a second real server, playing that host, receives nothing); each such endpoint is a SKIP case whose finding
names the URL."""

from __future__ import annotations

import json
import time

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from conformance.core.checks import run_checks
from conformance.ocpi.v2_2_1.fuzz import FuzzOptions, FuzzPlatform, case_record, fuzz_platform
from tests.hostile.sites import Site, ok, version_routes

TOKEN_C = "fuzz-hosts-token-c-1234"


def _sut(port: int, elsewhere: str) -> list[Route]:
    own = f"http://127.0.0.1:{port}"

    async def credentials(request: Request) -> Response:
        return ok({"token": "x", "url": f"{own}/versions", "roles": [
            {"role": "CPO", "party_id": "FZH", "country_code": "NL", "business_details": {"name": "Fuzzed"}}]})

    endpoints = [("credentials", "SENDER", f"{own}/credentials"), ("locations", "SENDER", f"{elsewhere}/locations"),
                 ("tokens", "RECEIVER", f"{elsewhere}/tokens")]
    return [*version_routes(own, endpoints), Route("/credentials", credentials)]


def test_endpoints_on_another_host_are_named_and_never_called() -> None:
    with Site() as other:
        elsewhere = f"http://localhost:{other.port}"
        with Site(lambda port: _sut(port, elsewhere)) as sut:
            platform = FuzzPlatform(name="fuzzed", roles=("CPO",), token=TOKEN_C,
                                    versions_url=f"http://127.0.0.1:{sut.port}/versions")
            results = fuzz_platform(platform, FuzzOptions(max_examples=3), time.monotonic() + 60,
                                    lambda x, e: run_checks(x, e, "response"))
            records = [case_record(platform, r) for r in results]
    assert other.seen == []
    assert any(path == "/credentials" for _, path, _ in sut.seen)
    skipped = {r["module"]: r for r in records if r["outcome"] == "SKIP"}
    assert set(skipped) == {"locations", "tokens"}, [(r["id"], r["outcome"]) for r in records]
    for module, record in skipped.items():
        assert f"{elsewhere}/{module}" in record["reason"] and "allowed_hosts" in record["reason"]
        [finding] = record["findings"]
        assert finding["check_id"] == "roamcert.hosts.not_called" and finding["severity"] == "INFO"
    assert TOKEN_C not in json.dumps(records)


def test_an_allowed_host_is_called() -> None:
    with Site() as other:
        elsewhere = f"http://localhost:{other.port}"
        with Site(lambda port: _sut(port, elsewhere)) as sut:
            platform = FuzzPlatform(name="fuzzed", roles=("CPO",), token=TOKEN_C, allowed_hosts=("localhost",),
                                    versions_url=f"http://127.0.0.1:{sut.port}/versions")
            fuzz_platform(platform, FuzzOptions(max_examples=2), time.monotonic() + 60,
                          lambda x, e: run_checks(x, e, "response"))
    assert any(path.startswith("/locations") for _, path, _ in other.seen)
