"""`roamcert serve hub` in its own process: two reference platforms (a CPO and an eMSP under uvicorn in this
process) register with it through the tokens A it prints, each through its own /admin/register hook, and a
Location the CPO pushes addressed to the eMSP crosses the hub."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from conformance.cli import main
from conformance.core.runtime import Network
from simulators.ocpi.app import build_app
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1.credentials import peer_client
from simulators.ocpi.v2_2_1.reference import reference_party

CPO, EMSP = ("NL", "RCP"), ("NL", "REM")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class ServedHub:
    versions_url: str
    tokens_a: list[str]
    banner: str


@contextmanager
def served_hub(*extra: str) -> Iterator[ServedHub]:
    """A `roamcert serve hub` subprocess, read up to the end of its banner (the store line)."""
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "conformance.cli", "serve", "hub", "--port", str(port),
                                *extra], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert process.stdout is not None
        lines: list[str] = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (lines and lines[-1].lstrip().startswith("store:")):
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
        banner = "\n".join(lines)
        versions = [line.split("versions URL:")[1].strip() for line in lines if "versions URL:" in line]
        tokens = [line.split("token A:")[1].strip() for line in lines if "token A:" in line]
        assert versions, f"roamcert serve hub printed no versions URL:\n{banner}"
        try:
            urllib.request.urlopen(versions[0], timeout=5)
        except urllib.error.HTTPError as refused:
            assert refused.code == 401  # up, and asking for a token
        yield ServedHub(versions[0], tokens, banner)
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


async def _register(platform: Party, hub: ServedHub, token_a: str) -> None:
    """The platform's own trigger hook, as an operator would call it."""
    async with httpx.AsyncClient(timeout=30) as http:
        answer = await http.post(f"{platform.base_url}/admin/register",
                                 json={"versions_url": hub.versions_url, "token": token_a})
    assert answer.status_code == 200, answer.text


def _routing(to: tuple[str, str], sender: tuple[str, str]) -> dict[str, str]:
    return {"OCPI-from-country-code": sender[0], "OCPI-from-party-id": sender[1],
            "OCPI-to-country-code": to[0], "OCPI-to-party-id": to[1]}


def test_served_hub_prints_one_token_a_per_slot_its_timeout_and_its_admin_secret() -> None:
    with served_hub("--slots", "3", "--hub-timeout", "2.5") as hub:
        assert len(set(hub.tokens_a)) == 3
        assert hub.versions_url.endswith("/ocpi/hub/versions")
        assert "HUB NL/RHB" in hub.banner and "2.5 s" in hub.banner and "admin secret:" in hub.banner


def test_hub_options_are_refused_for_other_roles() -> None:
    assert main(["serve", "cpo", "--port", str(_free_port()), "--slots", "2"]) == 2
    assert main(["serve", "hub", "--port", str(_free_port()), "--slots", "0"]) == 2


def test_a_location_pushed_by_a_cpo_to_an_emsp_crosses_the_served_hub() -> None:
    async def scenario(hub: ServedHub) -> None:
        network = Network(timeout=10.0)
        cpo = reference_party("CPO", base_url=f"http://127.0.0.1:{_free_port()}")
        emsp = reference_party("EMSP", base_url=f"http://127.0.0.1:{_free_port()}")
        try:
            for platform in (cpo, emsp):
                platform.http_factory = network.client
                await network.serve(build_app(platform), "127.0.0.1", int(platform.base_url.rsplit(":", 1)[1]))
            for platform, token_a in zip((cpo, emsp), hub.tokens_a, strict=False):
                await _register(platform, hub, token_a)
            (hub_peer,) = cpo.peers.values()
            assert [role["role"] for role in hub_peer.roles] == ["HUB"]
            receiver = hub_peer.endpoint("locations", "RECEIVER")
            assert receiver is not None and receiver.startswith(hub.versions_url.rsplit("/ocpi/", 1)[0])
            location = dict(cpo.owned["locations"][0])
            answer = await peer_client(cpo, hub_peer.token_out).request(
                "PUT", f"{receiver.rstrip('/')}/NL/RCP/{location['id']}", json_body=location,
                headers=_routing(EMSP, CPO), correlation_id="across-the-hub")
            body = answer.response_json()
            assert answer.status in (200, 201) and body["status_code"] == 1000, body
            assert emsp.received["locations"][("NL", "RCP", location["id"])]["id"] == location["id"]
            (delivered,) = [x for x in emsp.log.exchanges
                            if x.direction == "inbound" and x.method == "PUT" and "/locations/" in x.url]
            assert (delivered.request_header("OCPI-from-party-id"), delivered.request_header("OCPI-to-party-id")) \
                == ("RCP", "REM")
            assert delivered.request_header("X-Correlation-ID") == "across-the-hub"
            assert delivered.request_header("X-Request-ID") != answer.request_header("X-Request-ID")
        finally:
            await network.aclose()

    with served_hub("--slots", "2") as hub:
        assert len(hub.tokens_a) == 2
        asyncio.run(scenario(hub))
