"""The reference hub over real HTTP: the hub and two reference platforms each under uvicorn on loopback, one
request forwarded from the eMSP to the CPO through the hub."""

from __future__ import annotations

import asyncio
import socket

from conformance.core.runtime import Network
from simulators.ocpi.app import build_app
from simulators.ocpi.v2_2_1.credentials import peer_client, register_with
from simulators.ocpi.v2_2_1.hub import reference_hub
from simulators.ocpi.v2_2_1.reference import reference_party
from tests.unit.hub_network import routing


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_request_forwarded_over_http_reaches_the_cpo_and_its_answer_comes_back() -> None:
    async def scenario() -> None:
        network = Network(timeout=10.0)
        hub = reference_hub(f"http://127.0.0.1:{_free_port()}")
        cpo = reference_party("CPO", base_url=f"http://127.0.0.1:{_free_port()}")
        emsp = reference_party("EMSP", base_url=f"http://127.0.0.1:{_free_port()}")
        try:
            for party in (hub, cpo, emsp):
                party.http_factory = network.client
                port = int(party.base_url.rsplit(":", 1)[1])
                await network.serve(build_app(party), "127.0.0.1", port)
            for platform in (cpo, emsp):
                await register_with(platform, hub.versions_url(), hub.issue_token_a())
            location_id = cpo.owned["locations"][0]["id"]
            (hub_peer,) = emsp.peers.values()
            answer = await peer_client(emsp, hub_peer.token_out).request(
                "GET", f"{hub.module_url('2.2.1', 'locations', 'SENDER')}/{location_id}",
                headers=routing(("NL", "RCP"), ("NL", "REM")), correlation_id="over-http")
            body = answer.response_json()
            assert answer.status == 200 and body["status_code"] == 1000 and body["data"]["id"] == location_id
            assert answer.response_header("X-Correlation-ID") == "over-http"
            served = [x for x in cpo.log.exchanges if x.direction == "inbound" and x.url.endswith(location_id)]
            assert len(served) == 1 and served[0].request_header("X-Correlation-ID") == "over-http"
            assert served[0].request_header("OCPI-from-party-id") == "REM"
        finally:
            await network.aclose()

    asyncio.run(scenario())
