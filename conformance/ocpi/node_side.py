"""roamcert's side of a node under test (role NODE): a small roaming network around it (docs/network.md).

Opposite a node of the Open Charging Network, roamcert runs the rest of the network: a registry, its own reference
node R with an eMSP platform connected to it, and a CPO platform that connects to the node under test. Each party
lists itself in the registry with its own key, naming the node it is connected to; R lists itself too. A request
between the CPO and the eMSP must then cross the node under test and R, as a signed message between nodes.

Everything is served under the partner's public URL: ``/network/registry``, ``/network/node-r``,
``/network/emsp`` and ``/network/cpo``. The node under test must read its registry at ``/network/registry`` and
list itself there with its operator's key (the in-process reference does both when the harness builds it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from starlette.routing import BaseRoute, Mount

from conformance.core.errors import SetupFailed
from conformance.core.topology import Node, NodeKind, PartyRef
from conformance.network import registry_messages as m
from conformance.ocpi.target import Platform
from simulators.network.registry.app import registry_app
from simulators.network.registry.store import RegistryStore
from simulators.ocpi.app import build_app
from simulators.ocpi.party import Identity, Party, Peer
from simulators.ocpi.references import IDENTITIES, reference_node, reference_party

if TYPE_CHECKING:  # the harness builds this side; imported for its type only
    from conformance.ocpi.harness import Harness

__all__ = ["NODE_R", "NodeSide", "join_network"]

NODE_R = Identity("HUB", "NL", "RNR", "roamcert node R")


@dataclass
class NodeSide:
    """roamcert's network around one node under test, and whether its parties joined it."""

    sut: Platform
    registry: RegistryStore
    registry_url: str
    node_r: Party
    emsp: Party  # on node R
    cpo: Party  # on the node under test
    keys: dict[str, str] = field(default_factory=dict, repr=False)  # "R", "emsp", "cpo" -> private key
    sut_key: str | None = field(default=None, repr=False)  # the in-process reference's operator key
    joined: bool = False
    join_failed: str | None = None

    @property
    def cpo_peer(self) -> Peer | None:
        """The node under test, as roamcert's CPO knows it once registered."""
        return next(iter(self.cpo.peers.values()), None)

    def operator(self, name: str) -> str:
        return m.address_of(self.keys[name])

    def sut_operator(self) -> str:
        """The operator the registry lists for the node under test: the node whose domain its versions URL is
        under."""
        for entry in self.registry.nodes():
            if entry["domain"] != self.node_r.base_url and \
                    self.sut.versions_url.startswith(str(entry["domain"]).rstrip("/") + "/"):
                return str(entry["operator"])
        raise SetupFailed(f"the node under test is not listed in roamcert's registry ({self.registry_url}): it "
                          "must list itself there, its domain the base of its versions URL")

    def list_node_r(self) -> None:
        operator = self.operator("R")
        self.registry.set_node(operator, self.node_r.base_url, m.sign(m.set_node(operator, self.node_r.base_url),
                                                                      self.keys["R"]))

    def list_sut(self, domain: str) -> None:
        """The in-process reference lists itself, as a served node does when it starts."""
        if self.sut_key is None:
            raise SetupFailed("the node under test lists itself in the registry")
        operator = m.address_of(self.sut_key)
        self.registry.set_node(operator, domain, m.sign(m.set_node(operator, domain), self.sut_key))

    def list_party(self, name: str, operator: str) -> None:
        party, key = getattr(self, name), self.keys[name]
        identity: Identity = party.identities[0]
        address = m.address_of(key)
        update = m.set_party(address, identity.country_code, identity.party_id, [identity.role], operator)
        self.registry.set_party(address, identity.country_code, identity.party_id, [int(m.Role[identity.role])],
                                operator, m.sign(update, key))


def _party(harness: Harness, party: Party, name: str, kind: NodeKind = NodeKind.ROAMCERT) -> None:
    party.log = harness.log
    party.http_factory = harness.network.client
    party.hosts = harness.hosts
    harness.actors[name] = party
    harness.topology.add(Node(name, kind, harness.target.protocol, harness.target.version,
                              tuple(PartyRef(i.role, i.country_code, i.party_id) for i in party.identities),
                              party.versions_url()))


def join_network(harness: Harness, platform: Platform) -> list[BaseRoute]:
    """Build roamcert's network around the node ``platform`` into ``harness`` and return the routes serving it
    under the partner's public URL."""
    base = harness.target.partner_public_url.rstrip("/") + "/network"
    store = RegistryStore()
    keys = {name: m.new_key() for name in ("R", "emsp", "cpo")}
    registry_url = f"{base}/registry"
    node_r = reference_node(f"{base}/node-r", version=harness.target.version, key=keys["R"],
                            registry_url=registry_url, identity=NODE_R,
                            profile="lenient_partner", timeout=harness.target.timeout, registry_max_age=0.0)
    emsp = reference_party(("EMSP",), base_url=f"{base}/emsp", profile="lenient_partner",
                           version=harness.target.version, identities=(IDENTITIES["EMSP"],))
    cpo = reference_party(("CPO",), base_url=f"{base}/cpo", profile="lenient_partner",
                          version=harness.target.version, identities=(IDENTITIES["CPO"],))
    side = NodeSide(platform, store, registry_url, node_r, emsp, cpo, keys,
                    sut_key=m.new_key() if platform.inprocess else None)
    _party(harness, node_r, "roamcert-node-r", NodeKind.NETWORK_NODE)
    _party(harness, emsp, "roamcert-node-emsp")
    _party(harness, cpo, "roamcert-node-cpo")
    harness.topology.link(platform.node_name, "roamcert-node-r")
    harness.topology.link("roamcert-node-r", "roamcert-node-emsp")
    harness.topology.link(platform.node_name, "roamcert-node-cpo")
    harness.node_sides[platform.node_name] = side
    return [Mount("/network/registry", app=registry_app(store)),
            Mount("/network/node-r", app=build_app(node_r, admin=False)),
            Mount("/network/emsp", app=build_app(emsp, admin=False)),
            Mount("/network/cpo", app=build_app(cpo, admin=False))]
