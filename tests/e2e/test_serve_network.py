"""`roamcert serve registry` and two `roamcert serve node`, each in its own process: a reference CPO and eMSP
(under uvicorn in this process) each register with one node through a token A it printed and list themselves in
the registry over its HTTP API, signed with their own keys; a Location the CPO pushes to its node addressed to
the eMSP crosses both nodes. Node B is listed under the address of a recording relay in this process, so the
signed message node A sends it (POST /ocn/message) is seen on the way."""

from __future__ import annotations

import asyncio
import json
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from conformance.cli import main
from conformance.core.runtime import Network
from conformance.network import registry_messages as m
from conformance.network.message import node_signer
from simulators.ocpi.app import build_app
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1.credentials import peer_client
from simulators.ocpi.v2_2_1.reference import reference_party
from tests.e2e.serving import free_port, served

CPO, EMSP = ("NL", "RCP"), ("NL", "REM")


@dataclass
class Relay:
    """Passes every request to ``target`` unchanged, keeping (path, headers, body) of each."""

    target: str
    seen: list[tuple[str, dict[str, str], bytes]]

    def app(self) -> Starlette:
        async def relay(request: Request) -> Response:
            body = await request.body()
            self.seen.append((request.url.path, dict(request.headers), body))
            headers = {k: v for k, v in request.headers.items() if k not in ("host", "content-length")}
            async with httpx.AsyncClient(timeout=30) as http:
                answer = await http.request(request.method, self.target + request.url.path,
                                            params=request.query_params, headers=headers, content=body)
            kept = {k: v for k, v in answer.headers.items() if k not in ("content-length", "content-encoding",
                                                                         "transfer-encoding")}
            return Response(answer.content, status_code=answer.status_code, headers=kept)

        return Starlette(routes=[Route("/{path:path}", relay, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])])


async def _list_party(registry: str, platform: Party, key: str, operator: str) -> None:
    """The platform's party lists itself on the node of ``operator``, through the registry's HTTP API."""
    identity, address = platform.identities[0], m.address_of(key)
    update = m.set_party(address, identity.country_code, identity.party_id, [identity.role], operator)
    async with httpx.AsyncClient(timeout=10) as http:
        answer = await http.put(f"{registry}/registry/parties/{address}",
                                json={"country_code": identity.country_code, "party_id": identity.party_id,
                                      "roles": [identity.role], "operator": operator,
                                      "signature": m.sign(update, key)})
    assert answer.status_code == 200, answer.text


async def _register(platform: Party, versions_url: str, token_a: str) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        answer = await http.post(f"{platform.base_url}/admin/register",
                                 json={"versions_url": versions_url, "token": token_a})
    assert answer.status_code == 200, answer.text


def test_a_location_pushed_by_a_cpo_on_node_a_reaches_an_emsp_on_node_b(tmp_path: Path) -> None:
    relay_port, port_a, port_b = free_port(), free_port(), free_port()
    relay = Relay(f"http://127.0.0.1:{port_b}", [])
    with ExitStack() as stack:
        registry = stack.enter_context(served("registry", "--port", str(free_port()),
                                              "--store", str(tmp_path / "registry.sqlite")))
        (registry_url,) = registry.field("registry URL")
        registry_url = registry_url.split()[0]
        node_a = stack.enter_context(served("node", "--port", str(port_a), "--registry", registry_url,
                                            "--identity", "NL/NDA", "--slots", "1", "--store", ":memory:"))
        node_b = stack.enter_context(served("node", "--port", str(port_b), "--registry", registry_url,
                                            "--identity", "NL/NDB", "--slots", "1", "--store", ":memory:",
                                            "--public-url", f"http://127.0.0.1:{relay_port}"))
        operators = [node.field("operator")[0].split()[0] for node in (node_a, node_b)]
        assert all(m.checksum(o, "operator") == o for o in operators) and operators[0] != operators[1]
        for node in (node_a, node_b):
            assert "0x" not in node.banner.replace(node.field("operator")[0].split()[0], "")  # no key printed

        async def scenario() -> None:
            network = Network(timeout=10.0)
            keys = {"cpo": m.new_key(), "emsp": m.new_key()}
            cpo = reference_party("CPO", base_url=f"http://127.0.0.1:{free_port()}")
            emsp = reference_party("EMSP", base_url=f"http://127.0.0.1:{free_port()}")
            try:
                await network.serve(relay.app(), "127.0.0.1", relay_port)
                async with httpx.AsyncClient(timeout=10) as http:
                    listed = (await http.get(f"{registry_url}/registry/nodes")).json()
                assert {(n["operator"], n["domain"]) for n in listed} == {
                    (operators[0], f"http://127.0.0.1:{port_a}"), (operators[1], f"http://127.0.0.1:{relay_port}")}
                for platform, name, node, operator in ((cpo, "cpo", node_a, operators[0]),
                                                       (emsp, "emsp", node_b, operators[1])):
                    platform.http_factory = network.client
                    await network.serve(build_app(platform), "127.0.0.1", int(platform.base_url.rsplit(":", 1)[1]))
                    await _register(platform, node.field("versions URL")[0], node.field("token A")[0])
                    await _list_party(registry_url, platform, keys[name], operator)
                (node_peer,) = cpo.peers.values()
                receiver = node_peer.endpoint("locations", "RECEIVER")
                assert receiver is not None and receiver.startswith(f"http://127.0.0.1:{port_a}/")
                location = dict(cpo.owned["locations"][0])
                answer = await peer_client(cpo, node_peer.token_out).request(
                    "PUT", f"{receiver.rstrip('/')}/NL/RCP/{location['id']}", json_body=location,
                    headers={"OCPI-from-country-code": "NL", "OCPI-from-party-id": "RCP",
                             "OCPI-to-country-code": "NL", "OCPI-to-party-id": "REM"},
                    correlation_id="across-two-nodes")
                body = answer.response_json()
                assert answer.status in (200, 201) and body["status_code"] == 1000, body
                assert emsp.received["locations"][("NL", "RCP", location["id"])]["id"] == location["id"]
                (delivered,) = [x for x in emsp.log.exchanges
                                if x.direction == "inbound" and x.method == "PUT" and "/locations/" in x.url]
                assert delivered.request_header("X-Correlation-ID") == "across-two-nodes"
                (message,) = [(headers, raw) for path, headers, raw in relay.seen if path == "/ocn/message"]
                assert node_signer(message[1], message[0]["ocn-signature"]) == operators[0]
                carried = json.loads(message[1])
                assert (carried["module"], carried["method"], carried["headers"]["Authorization"]) \
                    == ("LOCATIONS", "PUT", "")  # the CPO's token stays on node A
            finally:
                await network.aclose()

        asyncio.run(scenario())


def test_a_node_refuses_to_start_without_a_registry_that_lists_it_and_options_are_checked(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    port = free_port()
    assert main(["serve", "node", "--port", str(port), "--store", ":memory:"]) == 2
    assert "--registry" in capsys.readouterr().err
    assert main(["serve", "node", "--port", str(port), "--store", ":memory:",
                 "--registry", f"http://127.0.0.1:{free_port()}"]) == 2
    assert "did not answer" in capsys.readouterr().err
    (tmp_path / "key").write_text("not a key\n")
    assert main(["serve", "node", "--port", str(port), "--registry", "http://127.0.0.1:1",
                 "--key-file", str(tmp_path / "key")]) == 2
    assert "not a private key" in capsys.readouterr().err
    assert main(["serve", "cpo", "--port", str(port), "--registry", "http://127.0.0.1:1"]) == 2
    assert "serve node" in capsys.readouterr().err
    for platform_only in (["--slots", "2"], ["--profile", "wrong_pagination"], ["--token-a", "A"]):
        assert main(["serve", "registry", "--port", str(port), "--store", ":memory:", *platform_only]) == 2
        assert "options of" in capsys.readouterr().err
