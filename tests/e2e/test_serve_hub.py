"""`roamcert serve hub` in its own process: two reference platforms (a CPO and an eMSP under uvicorn in this
process) register with it through the tokens A it prints, each through its own /admin/register hook, and a
Location the CPO pushes addressed to the eMSP crosses the hub; its still-alive check on a timer, the parties it
expects (PLANNED), and its store across a restart (killed, started again on the same port and store)."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from conformance.cli import main
from conformance.core.runtime import Network
from simulators.ocpi.app import build_app
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1.credentials import peer_client
from simulators.ocpi.v2_2_1.reference import reference_party
from tests.e2e.serving import free_port, served

CPO, EMSP = ("NL", "RCP"), ("NL", "REM")


@dataclass(frozen=True)
class ServedHub:
    versions_url: str
    tokens_a: list[str]
    banner: str
    process: subprocess.Popen[str]


@contextmanager
def served_hub(*extra: str, port: int | None = None) -> Iterator[ServedHub]:
    """A `roamcert serve hub` subprocess, up and asking for a token."""
    with served("hub", "--port", str(port or free_port()), *extra) as hub:
        versions = hub.field("versions URL")
        assert versions, f"roamcert serve hub printed no versions URL:\n{hub.banner}"
        try:
            urllib.request.urlopen(versions[0], timeout=5)
        except urllib.error.HTTPError as refused:
            assert refused.code == 401  # up, and asking for a token
        yield ServedHub(versions[0], hub.field("token A"), hub.banner, hub.process)


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
    assert main(["serve", "cpo", "--port", str(free_port()), "--slots", "2"]) == 2
    assert main(["serve", "hub", "--port", str(free_port()), "--slots", "0"]) == 2


def test_a_location_pushed_by_a_cpo_to_an_emsp_crosses_the_served_hub() -> None:
    async def scenario(hub: ServedHub) -> None:
        network = Network(timeout=10.0)
        cpo = reference_party("CPO", base_url=f"http://127.0.0.1:{free_port()}")
        emsp = reference_party("EMSP", base_url=f"http://127.0.0.1:{free_port()}")
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


async def _platforms(network: Network, hub: ServedHub) -> tuple[Party, Party]:
    """A reference CPO and eMSP served in this process, each registered with the hub through a token A."""
    cpo = reference_party("CPO", base_url=f"http://127.0.0.1:{free_port()}")
    emsp = reference_party("EMSP", base_url=f"http://127.0.0.1:{free_port()}")
    for platform, token_a in zip((cpo, emsp), hub.tokens_a, strict=False):
        platform.http_factory = network.client
        await network.serve(build_app(platform), "127.0.0.1", int(platform.base_url.rsplit(":", 1)[1]))
        await _register(platform, hub, token_a)
    return cpo, emsp


async def _listed(platform: Party) -> dict[tuple[str, str], str]:
    """The hub's ClientInfo list, as ``platform`` GETs it."""
    (hub_peer,) = platform.peers.values()
    answer = await peer_client(platform, hub_peer.token_out).request(
        "GET", hub_peer.endpoint("hubclientinfo", "SENDER") or "")
    return {(info["country_code"], info["party_id"]): info["status"] for info in answer.response_json()["data"]}


async def _push_location(cpo: Party, to: tuple[str, str]) -> int:
    (hub_peer,) = cpo.peers.values()
    location = dict(cpo.owned["locations"][0])
    answer = await peer_client(cpo, hub_peer.token_out).request(
        "PUT", f"{(hub_peer.endpoint('locations', 'RECEIVER') or '').rstrip('/')}/NL/RCP/{location['id']}",
        json_body=location, headers=_routing(to, CPO))
    return int(answer.response_json()["status_code"])


def test_a_killed_hub_restarted_on_its_store_knows_its_parties_and_routes_at_once(tmp_path: Path) -> None:
    store, port = str(tmp_path / "hub.sqlite"), free_port()
    options = ("--slots", "2", "--store", store, "--expect", "FR/ABC/EMSP", "--still-alive", "0")

    async def scenario() -> None:
        network = Network(timeout=10.0)
        try:
            with served_hub(*options, port=port) as hub:
                assert "FR/ABC/EMSP (PLANNED until they register)" in hub.banner and "still alive:  off" in hub.banner
                cpo, emsp = await _platforms(network, hub)
                assert await _listed(emsp) == {CPO: "CONNECTED", ("FR", "ABC"): "PLANNED"}
                hub.process.send_signal(signal.SIGKILL)  # no chance to save anything at exit
                hub.process.wait(timeout=10)
            with served_hub(*options, port=port) as restarted:
                assert "received objects restored" in restarted.banner
                assert await _listed(emsp) == {CPO: "CONNECTED", ("FR", "ABC"): "PLANNED"}
                assert await _listed(cpo) == {EMSP: "CONNECTED", ("FR", "ABC"): "PLANNED"}
                assert await _push_location(cpo, EMSP) == 1000
                assert await _push_location(cpo, ("FR", "ABC")) == 4003
        finally:
            await network.aclose()

    asyncio.run(scenario())


def test_the_served_hub_checks_on_its_own_that_its_platforms_are_alive(tmp_path: Path) -> None:
    async def until(condition: Callable[[], bool], seconds: float = 15.0) -> bool:
        deadline = time.monotonic() + seconds
        while not condition() and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        return condition()

    async def scenario(hub: ServedHub) -> None:
        network = Network(timeout=10.0)
        emsp_server = Network()  # the eMSP's own, so it alone can stop answering
        try:
            cpo = reference_party("CPO", base_url=f"http://127.0.0.1:{free_port()}")
            emsp = reference_party("EMSP", base_url=f"http://127.0.0.1:{free_port()}")
            emsp_port = int(emsp.base_url.rsplit(":", 1)[1])
            for platform, token_a in ((cpo, hub.tokens_a[0]), (emsp, hub.tokens_a[1])):
                platform.http_factory = network.client
                await (emsp_server if platform is emsp else network).serve(
                    build_app(platform), "127.0.0.1", int(platform.base_url.rsplit(":", 1)[1]))
                await _register(platform, hub, token_a)

            def told() -> str:
                return str(cpo.received.get("hubclientinfo", {}).get(("NL", "REM"), {}).get("status"))

            assert told() == "CONNECTED"
            await emsp_server.aclose()  # the eMSP stops answering: the hub notices and tells the CPO
            assert await until(lambda: told() == "OFFLINE"), told()
            assert await _push_location(cpo, EMSP) == 4003
            emsp_server = Network()
            await emsp_server.serve(build_app(emsp), "127.0.0.1", emsp_port)
            assert await until(lambda: told() == "CONNECTED"), told()
            assert await _push_location(cpo, EMSP) == 1000
        finally:
            await emsp_server.aclose()
            await network.aclose()

    with served_hub("--slots", "2", "--still-alive", "0.3", "--hub-timeout", "1",
                    "--store", str(tmp_path / "hub.sqlite")) as hub:
        assert "still alive:  every 0.3 s" in hub.banner
        asyncio.run(scenario(hub))


def test_hub_options_are_checked() -> None:
    for wrong in (["--expect", "NL/ABCD/CPO"], ["--still-alive", "-1"]):
        assert main(["serve", "hub", "--port", str(free_port()), "--store", ":memory:", *wrong]) == 2
    for hub_only in (["--expect", "NL/ABC/CPO"], ["--still-alive", "10"]):
        assert main(["serve", "cpo", "--port", str(free_port()), *hub_only]) == 2


def _certify_hub(tmp_path: Path, hub: ServedHub, *cases: str) -> tuple[int, list[dict[str, Any]]]:
    """`roamcert run` against the served hub as a target of role HUB (four tokens A: one per roamcert platform),
    its platforms served on a port of their own; only ``cases`` run."""
    target = tmp_path / "target.toml"
    target.write_text(f'name = "served hub"\nroles = ["HUB"]\nversions_url = "{hub.versions_url}"\n'
                      f'token_a = "{hub.tokens_a[0]}"\nextra_tokens_a = {json.dumps(hub.tokens_a[1:4])}\n'
                      f'[partner]\nlisten = "127.0.0.1:{free_port()}"\n', encoding="utf-8")
    out = tmp_path / "report"
    ids = [arg for case in cases for arg in ("--id", f"OCPI-2.2.1-TC-HUB-{case}")]
    done = subprocess.run([sys.executable, "-m", "conformance.cli", "run", "--target", str(target), "--out", str(out),
                           *ids], capture_output=True, text=True, timeout=300, check=False)
    assert (out / "results.ndjson").is_file(), done.stdout[-3000:] + done.stderr[-3000:]
    records = [json.loads(line) for line in (out / "results.ndjson").read_text(encoding="utf-8").splitlines()]
    for token in hub.tokens_a:
        assert token not in (out / "report.html").read_text(encoding="utf-8")
    return done.returncode, records


def test_roamcert_run_certifies_the_served_hub_and_fails_a_faulty_one_naming_the_requirement(tmp_path: Path) -> None:
    """The issue's acceptance: a target of role HUB pointed at `roamcert serve hub` passes; pointed at the served
    hub with a fault profile, it fails naming the requirement the fault breaks."""
    with served_hub("--slots", "4", "--store", ":memory:") as hub:
        (tmp_path / "good").mkdir()
        code, records = _certify_hub(tmp_path / "good", hub, "02", "03", "07")
    cases = [r for r in records if r["type"] == "test_case"]
    assert [(c["id"], c["outcome"]) for c in cases if c["outcome"] != "PASS"] == [] and len(cases) == 3
    assert code == 0 and records[-1]["verdict"] == "PASS"
    with served_hub("--slots", "4", "--store", ":memory:", "--profile", "hub_wrong_receiver") as hub:
        (tmp_path / "faulty").mkdir()
        code, records = _certify_hub(tmp_path / "faulty", hub, "02", "03")
    failed = {r for c in records if c["type"] == "test_case" for f in c["findings"] if f["outcome"] == "FAIL"
              for r in f["requirements"]}
    assert code == 1 and records[-1]["verdict"] == "FAIL"
    assert "OCPI-2.2.1-HUB-07" in failed  # the hub delivers to the party the to-headers name
