"""A reference hub with reference platforms registered with it through the credentials handshake, on one
in-process network: a CPO (NL/RCP), an eMSP (NL/REM), and one platform holding a CPO (DE/CPB) and an eMSP
(DE/EMB), so two CPOs and two eMSPs, one platform with two parties; with ``nsp=True`` also an NSP (NL/RNS)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from conformance.core.exchange import Exchange
from conformance.core.runtime import Network
from conformance.ocpi.client import OcpiClient
from simulators.ocpi.app import build_app
from simulators.ocpi.party import Identity, Party
from simulators.ocpi.v2_2_1.credentials import peer_client, register_with
from simulators.ocpi.v2_2_1.hub import ExpectedParty, reference_hub
from simulators.ocpi.v2_2_1.reference import IDENTITIES, build_reference

__all__ = ["HubNetwork", "hub_network", "routing"]

DUAL = (Identity("CPO", "DE", "CPB", "second CPO"), Identity("EMSP", "DE", "EMB", "second eMSP"))


def routing(to: tuple[str, str] | None, sender: tuple[str, str]) -> dict[str, str]:
    headers = {"OCPI-from-country-code": sender[0], "OCPI-from-party-id": sender[1]}
    if to is not None:
        headers.update({"OCPI-to-country-code": to[0], "OCPI-to-party-id": to[1]})
    return headers


@dataclass
class HubNetwork:
    hub: Party
    cpo: Party
    emsp: Party
    dual: Party
    network: Network
    loop: asyncio.AbstractEventLoop
    nsp: Party | None = None

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    def client(self, platform: Party) -> OcpiClient:
        """The platform's client, calling the hub with the token the hub gave it."""
        (peer,) = platform.peers.values()
        return peer_client(platform, peer.token_out)

    def url(self, module: str, interface: str, rest: str = "") -> str:
        return self.hub.module_url("2.2.1", module, interface) + (f"/{rest}" if rest else "")

    def call(self, platform: Party, method: str, url: str, headers: Mapping[str, str], *, json_body: Any = None,
             params: dict[str, str | int] | None = None, correlation_id: str | None = None) -> Exchange:
        exchange: Exchange = self.run(self.client(platform).request(
            method, url, json_body=json_body, params=params, headers=dict(headers), correlation_id=correlation_id))
        return exchange

    def register(self, platform: Party) -> None:
        self.network.mount(platform.base_url, build_app(platform))
        self.run(register_with(platform, self.hub.versions_url(), self.hub.issue_token_a()))


@contextmanager
def hub_network(*, timeout: float = 5.0, nsp: bool = False,
                expected: Iterable[ExpectedParty] = ()) -> Iterator[HubNetwork]:
    network = Network()
    hub = reference_hub("http://hub.test", timeout=timeout, expected=expected)
    cpo = build_reference((IDENTITIES["CPO"],), "http://cpo.test", "conformant", True)
    emsp = build_reference((IDENTITIES["EMSP"],), "http://emsp.test", "conformant", True)
    dual = build_reference(DUAL, "http://dual.test", "conformant", True)
    platforms = [cpo, emsp, dual]
    if nsp:
        platforms.append(build_reference((IDENTITIES["NSP"],), "http://nsp.test", "conformant", True))
    for party in (hub, *platforms):
        party.http_factory = network.client
    network.mount(hub.base_url, build_app(hub))
    loop = asyncio.new_event_loop()
    net = HubNetwork(hub, cpo, emsp, dual, network, loop, platforms[3] if nsp else None)
    try:
        for platform in platforms:
            net.register(platform)
        yield net
    finally:
        loop.run_until_complete(network.aclose())
        loop.close()
