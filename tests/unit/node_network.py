"""A roaming network in one process: the reference registry, two reference nodes (A and B) listed in it, a CPO
platform (NL/RCP) connected to node A and an eMSP platform (NL/REM) connected to node B, each party listed in
the registry on its node with its own key; a platform may offer a custom module (one both sides agreed on). A
settlement service (DE/STL, role OTHER, on node B) is listed, asking for the CDRs parties push; no one granted it
anything yet."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from conformance.core.runtime import Network
from conformance.network import registry_messages as m
from simulators.behaviours import Replacement
from simulators.network.registry.app import registry_app
from simulators.network.registry.store import RegistryStore
from simulators.ocpi.app import build_app
from simulators.ocpi.party import Identity, Party
from simulators.ocpi.v2_2_1.credentials import register_with
from simulators.ocpi.v2_2_1.node import reference_node
from simulators.ocpi.v2_2_1.node.custom import agreed_module
from simulators.ocpi.v2_2_1.node.service import reference_service
from simulators.ocpi.v2_2_1.reference import IDENTITIES, build_reference

__all__ = ["NodeNetwork", "node_network"]

REGISTRY = "http://registry.test"
SERVICE = Identity("OTHER", "DE", "STL", "settlement service")


@dataclass
class NodeNetwork:
    registry: RegistryStore
    nodes: dict[str, Party]
    platforms: dict[str, Party]
    network: Network
    loop: asyncio.AbstractEventLoop
    keys: dict[str, str] = field(default_factory=dict)

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    def list_node(self, name: str) -> None:
        node, key = self.nodes[name], self.keys[name]
        operator = m.address_of(key)
        self.registry.set_node(operator, node.base_url, m.sign(m.set_node(operator, node.base_url), key))

    def list_party(self, platform: str, node: str) -> None:
        """The platform's party lists itself on ``node`` (again: it moves there)."""
        identity = self.platforms[platform].identities[0]
        key, operator = self.keys[platform], m.address_of(self.keys[node])
        address = m.address_of(key)
        update = m.set_party(address, identity.country_code, identity.party_id, [identity.role], operator)
        self.registry.set_party(address, identity.country_code, identity.party_id, [int(m.Role[identity.role])],
                                operator, m.sign(update, key))

    def grant(self, platform: str, service: str = "service") -> None:
        key, provider = self.keys[platform], m.address_of(self.keys[service])
        self.registry.create_agreement(m.address_of(key), provider, m.sign(m.create_agreement(provider), key))

    def revoke(self, platform: str, service: str = "service") -> None:
        self.registry.revoke_agreement(m.address_of(self.keys[platform]), m.address_of(self.keys[service]))

    def connect(self, platform: str, node: str) -> None:
        party = self.platforms[platform]
        self.run(register_with(party, self.nodes[node].versions_url(), self.nodes[node].issue_token_a()))


@contextmanager
def node_network(*, timeout: float = 5.0, agreed: dict[str, str] | None = None, max_age: float = 0.0,
                 faults: dict[str, list[Replacement[Any]]] | None = None) -> Iterator[NodeNetwork]:
    """``agreed``: platform name -> a custom module its platform offers as Receiver (it agreed to it); ``faults``:
    node name -> the node behaviours replaced on it; ``max_age``: the nodes' registry look-up bound."""
    network = Network()
    store = RegistryStore()
    network.mount(REGISTRY, registry_app(store))
    keys = {name: m.new_key() for name in ("A", "B", "cpo", "emsp", "service")}
    nodes = {name: reference_node(f"http://node-{name.lower()}.test", key=keys[name], registry_url=REGISTRY,
                                  identity=Identity("HUB", "NL", f"HB{name}", f"node {name}"), timeout=timeout,
                                  registry_max_age=max_age, faults=(faults or {}).get(name, ()))
             for name in ("A", "B")}
    platforms = {"cpo": build_reference((IDENTITIES["CPO"],), "http://cpo.test", "conformant", True),
                 "emsp": build_reference((IDENTITIES["EMSP"],), "http://emsp.test", "conformant", True),
                 "service": reference_service(SERVICE, "http://settle.test", (("cdrs", "RECEIVER"),))}
    for name, module in (agreed or {}).items():
        party = platforms[name]
        party.modules = party.modules.extended(agreed_module(module, "RECEIVER", frozenset(party.roles)))
    for party in (*nodes.values(), *platforms.values()):
        party.http_factory = network.client
        network.mount(party.base_url, build_app(party))
    loop = asyncio.new_event_loop()
    net = NodeNetwork(store, nodes, platforms, network, loop, keys)
    try:
        for name in nodes:
            net.list_node(name)
        net.list_party("cpo", "A")
        net.list_party("emsp", "B")
        net.list_party("service", "B")
        net.connect("cpo", "A")
        net.connect("emsp", "B")
        net.connect("service", "B")
        service = m.address_of(keys["service"])
        store.set_service(service, "settlement", "http://settle.test", [int(m.Permission.FORWARD_MODULE_CDRS_RECEIVER)],
                          m.sign(m.set_service("settlement", "http://settle.test",
                                               ["FORWARD_MODULE_CDRS_RECEIVER"]), keys["service"]))
        yield net
    finally:
        loop.run_until_complete(network.aclose())
        loop.close()
        store.close()
