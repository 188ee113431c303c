"""The harness: roamcert's own partner platform, the connection to each SUT platform, and the runtime.

One Harness lives for a whole certification run. Test cases share it; each
case gets a fresh exchange log that the clients and roamcert's partner servers
record into.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount

from conformance.core.declared import Declaration
from conformance.core.exchange import ExchangeLog
from conformance.core.runtime import Network, Runtime
from conformance.core.topology import Node, NodeKind, PartyRef, Topology
from conformance.ocpi.client import OcpiClient
from conformance.ocpi.expect import Expect
from conformance.ocpi.hub_side import HubSide, attach
from conformance.ocpi.node_side import NodeSide, join_network
from conformance.ocpi.target import HUB, NODE, Platform, Target
from conformance.ocpi.via_hub import OWN_PARTIES, SECOND_PARTIES, HubLink, Listing
from simulators.network.registry.app import registry_app
from simulators.network.registry.store import RegistryStore
from simulators.ocpi.app import build_app
from simulators.ocpi.party import Identity, Party, Peer
from simulators.ocpi.references import reference_node, reference_party

__all__ = ["Connection", "Harness", "partner_role_for"]


def partner_role_for(sut_role: str) -> str:
    """The party role roamcert plays opposite a SUT role."""
    return {"CPO": "EMSP", "EMSP": "CPO", "SCSP": "CPO", "NSP": "CPO"}[sut_role]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass
class Connection:
    """roamcert's relation with one SUT platform."""

    platform: Platform
    tokens_a: list[str]
    token: str | None = None  # token roamcert uses to call the SUT (CREDENTIALS_TOKEN_C)
    version: str | None = None
    endpoints: list[dict[str, Any]] = field(default_factory=list)
    peer: Peer | None = None  # how roamcert's partner knows the SUT
    registration_failed: str | None = None
    unregistered: bool = False
    pre_registered: bool = False  # the connection in use is the one the target gave (token_c, token_b)
    pre_registration_failed: str | None = None  # why that connection could not be used
    # What the SUT declared, as roamcert read it (None: never read): the versions its versions endpoint offers,
    # the endpoints of the version under test, and why that version cannot be tested when it is not offered.
    versions_offered: tuple[str, ...] | None = None
    declared: list[dict[str, Any]] | None = None
    version_not_offered: str | None = None

    def endpoint(self, module: str, role: str | None = None) -> str | None:
        for endpoint in self.endpoints:
            if str(endpoint.get("identifier", "")).lower() == module and (
                role is None or str(endpoint.get("role", "")).upper() == role
            ):
                url = endpoint.get("url")
                return url if isinstance(url, str) else None  # called exactly as published
        return None

    def take_token_a(self) -> str | None:
        return self.tokens_a[0] if self.tokens_a else None


class Harness:
    """The run's topology (core/topology.py) and what stands behind each node: roamcert's platforms as real
    servers, in-process reference platforms where the target asks for them, and the connection to each SUT."""

    def __init__(self, target: Target, *, interactive: bool = False) -> None:
        self.target = target
        self.interactive = interactive
        self.started = time.monotonic()
        self.runtime = Runtime()
        self.network = Network(verify=target.verify, cert=target.client_cert, timeout=target.timeout)
        self.log = ExchangeLog()
        # The hosts roamcert's client and partners may call with credentials (conformance/core/hosts.py).
        self.hosts = target.host_policy(target.partner_public_url)
        self.topology = Topology()
        self.actors: dict[str, Party] = {}  # node name -> roamcert's platform at that node
        self.partners: dict[str, str] = {}  # SUT node name -> the node of roamcert's party acting opposite it
        self.hub_link: HubLink | None = None  # topology "hub": roamcert's hub between the SUT and its platforms
        self.connections: dict[str, Connection] = {}  # SUT node name -> roamcert's connection to it
        self.hub_sides: dict[str, HubSide] = {}  # SUT hub's node name -> roamcert's platforms opposite it
        self.node_sides: dict[str, NodeSide] = {}  # SUT node's name -> roamcert's network around it
        self._add_sut_nodes()
        self._build_partners()
        self._build_references()

    # -- set-up -------------------------------------------------------------------------------------------
    def _add_sut_nodes(self) -> None:
        for platform in self._platforms():
            self.topology.add(Node(platform.node_name, NodeKind.SUT, self.target.protocol, self.target.version,
                                   tuple(PartyRef(role) for role in platform.roles),
                                   None if platform.inprocess else platform.versions_url))

    def _build_partners(self) -> None:
        base = self.target.partner_public_url
        routes: list[BaseRoute] = []
        for platform in self._platforms():
            if HUB in platform.roles:  # opposite a Hub, roamcert is several platforms (hub_side.py)
                routes.extend(attach(self, platform))
                continue
            if NODE in platform.roles:  # around a node, roamcert is the rest of a network (node_side.py)
                routes.extend(join_network(self, platform))
                continue
            # One roamcert platform holding the opposite of each role of a SUT platform; SUT platforms needing
            # the same opposite roles (an eMSP and an SCSP both face a CPO) share it, as its URLs would clash.
            # Unseeded: roamcert's CPO pushes what each scenario chooses.
            opposite = tuple(dict.fromkeys(partner_role_for(r) for r in platform.roles))
            name = "roamcert-" + "+".join(opposite).lower()
            if name not in self.actors:
                own = tuple(OWN_PARTIES[r] for r in opposite if r in OWN_PARTIES) if self.target.via_hub else ()
                routes.extend(self._add_actor(name, opposite, base, own))
            self.partners[platform.node_name] = name
            if self.target.via_hub:
                routes.extend(self._behind_hub(platform, name, opposite))
            else:
                self.topology.link(platform.node_name, name)
        app = Starlette(routes=routes)
        if self.target.partner_listen is not None:
            host, port = self.target.partner_listen
            self.runtime.run(self.network.serve(app, host, port))
        else:
            self.network.mount(_origin(base), app)

    def _add_actor(self, name: str, roles: tuple[str, ...], base: str,
                   identities: tuple[Identity, ...] = ()) -> list[BaseRoute]:
        """One of roamcert's platforms (unseeded: roamcert's CPO pushes what each scenario chooses), a node of the
        topology; the routes serving it under ``base``."""
        party = reference_party(roles, base_url=base, profile="lenient_partner", seed=False,
                                version=self.target.version, identities=identities or None)
        party.log = self.log
        party.http_factory = self.network.client
        party.hosts = self.hosts
        self.actors[name] = party
        self.topology.add(Node(name, NodeKind.ROAMCERT, self.target.protocol, self.target.version,
                               tuple(PartyRef(i.role, i.country_code, i.party_id) for i in party.identities),
                               party.versions_url()))
        return build_app(party, admin=False).routes

    def _behind_hub(self, platform: Platform, partner: str, opposite: tuple[str, ...]) -> list[BaseRoute]:
        """Topology "hub": roamcert's hub linked to the SUT platform and to roamcert's platforms (the partner and a
        second party of each opposite role, each on its own platform); the routes of those not yet built."""
        base = self.target.partner_public_url.rstrip("/")
        routes: list[BaseRoute] = []
        if self.hub_link is None:
            routes.extend(self._network() if self.target.via_network else self._hub())
        link = self.hub_link
        assert link is not None
        near = "roamcert-node-b" if link.home is not None else "roamcert-hub"
        self.topology.link(platform.node_name, "roamcert-node-a" if link.home is not None else "roamcert-hub")
        names = [partner]
        for role in opposite:
            second = f"roamcert-second-{role.lower()}"
            if second not in self.actors and role in SECOND_PARTIES:
                routes.append(Mount(f"/second-{role.lower()}", routes=self._add_actor(
                    second, (role,), f"{base}/second-{role.lower()}", (SECOND_PARTIES[role],))))
            if second in self.actors:
                names.append(second)
        for name in names:
            self.topology.link(near, name)
            if self.actors[name] not in link.platforms:
                link.platforms.append(self.actors[name])
                if link.home is not None:
                    self.actors[name].http_factory = link.near_client(self.network.client)
        return routes

    def _hub(self) -> list[BaseRoute]:
        """Topology "hub": roamcert's reference hub, served under ``<partner public_url>/roamcert-hub``."""
        base = self.target.partner_public_url.rstrip("/")
        # lenient as roamcert's partners are: a SUT's unencoded token is a check's finding, not a failed
        # registration (which peer to peer the partner would let through)
        hub = reference_party(HUB, base_url=f"{base}/roamcert-hub", profile="lenient_partner",
                              version=self.target.version)
        self._own_hub(hub, "roamcert-hub")
        self.hub_link = HubLink(hub)
        self.hub_link.begin_case(self.log)
        return [Mount("/roamcert-hub", app=build_app(hub, admin=False))]

    def _network(self) -> list[BaseRoute]:
        """Topology "network": an in-process registry and two reference nodes listed in it, node A facing the SUT
        and node B roamcert's platforms (docs/network.md), served under ``<partner public_url>/roamcert-registry``,
        ``/roamcert-node-a`` and ``/roamcert-node-b``."""
        base = self.target.partner_public_url.rstrip("/")
        listing = Listing(RegistryStore(), f"{base}/roamcert-registry")
        nodes = []
        for letter in ("a", "b"):
            url = f"{base}/roamcert-node-{letter}"
            # In-process the registry's change log costs nothing: a party just listed is found at once.
            name = letter.upper()
            node = reference_node(url, key=listing.key_of(url), registry_url=listing.url,
                                  identity=Identity(HUB, "NL", f"RN{name}", f"roamcert node {name}"),
                                  version=self.target.version, profile="lenient_partner",
                                  timeout=self.target.timeout, registry_max_age=0.0)
            self._own_hub(node, f"roamcert-node-{letter}")
            listing.list_node(node)
            nodes.append(node)
        self.topology.link("roamcert-node-a", "roamcert-node-b")
        self.hub_link = HubLink(nodes[0], home=nodes[1], listing=listing)
        self.hub_link.begin_case(self.log)
        return [Mount("/roamcert-registry", app=registry_app(listing.store)),
                *(Mount(f"/roamcert-node-{letter}", app=build_app(node, admin=False))
                  for letter, node in zip("ab", nodes, strict=True))]

    def _own_hub(self, hub: Party, name: str) -> None:
        hub.http_factory = self.network.client
        hub.hosts = self.hosts
        identity = hub.identities[0]
        self.topology.add(Node(name, NodeKind.HUB, self.target.protocol, self.target.version,
                               (PartyRef(HUB, identity.country_code, identity.party_id),), hub.versions_url()))

    def _build_references(self) -> None:
        for platform in self._platforms():
            if not platform.inprocess:
                continue
            origin = _origin(platform.versions_url)
            profiles = self.target.reference_profiles
            profile = next((profiles[r] for r in platform.roles if profiles.get(r, "conformant") != "conformant"),
                           "conformant")
            party = (self._reference_node(platform, origin, profile) if NODE in platform.roles else
                     reference_party(platform.roles, base_url=origin, profile=profile, version=self.target.version))
            party.http_factory = self.network.client
            platform.token_a = party.issue_token_a()
            platform.extra_tokens_a = [party.issue_token_a() for _ in range(4)]
            self.network.mount(origin, build_app(party))

    def _reference_node(self, platform: Platform, origin: str, profile: str) -> Party:
        """The built-in node under test, reading roamcert's registry and listed in it (as a served node lists
        itself when it starts)."""
        side = self.node_sides[platform.node_name]
        assert side.sut_key is not None
        node = reference_node(origin, version=self.target.version, key=side.sut_key, registry_url=side.registry_url,
                              identity=Identity(HUB, "NL", "SUN", "roamcert reference node under test"),
                              profile=profile, timeout=self.target.timeout, registry_max_age=0.0)
        side.list_sut(origin)
        return node

    def _platforms(self) -> list[Platform]:
        """The distinct SUT platforms (a platform holding two roles is listed under both)."""
        return list({id(p): p for p in self.target.platforms.values()}.values())

    # -- per test case ------------------------------------------------------------------------------------
    def begin_case(self) -> ExchangeLog:
        log = ExchangeLog()
        log.secrets = self.log.secrets  # every token ever seen stays scrubbed
        self.log = log
        for party in self.actors.values():
            party.log = log
        if self.hub_link is not None:  # after the actors: those behind the hub record into roamcert's own log
            self.hub_link.begin_case(log)
        return log

    def sut_node(self, sut_role: str) -> Node:
        return self.topology.holding(sut_role, NodeKind.SUT)

    def connection(self, sut_role: str) -> Connection:
        platform = self.target.platforms[sut_role]
        name = platform.node_name
        if name not in self.connections:
            tokens = [t for t in [platform.token_a, *platform.extra_tokens_a] if t]
            self.log.secrets.update(tokens)
            self.log.secrets.update(t for t in (platform.token_c, platform.token_b) if t)
            self.connections[name] = Connection(platform=platform, tokens_a=tokens)
        return self.connections[name]

    def declarations(self) -> list[Declaration]:
        """What each SUT platform declared (its versions and the endpoints of the version under test), as far as
        roamcert read it, and which connection the run used."""
        out: list[Declaration] = []
        for platform in self._platforms():
            conn = self.connections.get(platform.node_name)
            declared = conn.declared if conn is not None else None
            interfaces = None if declared is None else tuple(dict.fromkeys(
                (str(e.get("identifier", "")), str(e.get("role", "")).upper()) for e in declared))
            connection = ("none" if conn is None or conn.token is None else
                          "pre-registered" if conn.pre_registered else
                          "none" if conn.registration_failed else "registered")
            out.append(Declaration(platform=platform.node_name, roles=platform.roles, version=self.target.version,
                                   versions_offered=conn.versions_offered if conn is not None else None,
                                   interfaces=interfaces, connection=connection))
        return out

    def client(self, token: str | None = None, *, log: ExchangeLog | None = None, slack: float = 0.0) -> OcpiClient:
        """roamcert's client, recording into the case's log (or ``log``), ``slack`` seconds beyond the deadline
        (a request through roamcert's hub waits for the hub's own deadline to pass first)."""
        return OcpiClient(self.network.client(), log or self.log, version=self.target.version, token=token,
                          base64_token=self.target.base64_token, deadline=self.deadline() + slack, hosts=self.hosts,
                          max_response_bytes=self.target.max_response_bytes,
                          retry_wait=min(self.target.retry_after_max, self.deadline()))

    def deadline(self) -> float:
        """The total deadline of the next request: the target's timeout, or less when the run's budget ends first
        (never below one second, so that a request at the very end still gets its chance)."""
        left = self.budget_left()
        return self.target.timeout if left is None else max(1.0, min(self.target.timeout, left))

    def budget_left(self) -> float | None:
        """Seconds left of the run's time budget (None: the target sets none)."""
        if self.target.run_budget is None:
            return None
        return self.target.run_budget - (time.monotonic() - self.started)

    def hub_side(self, sut_role: str = HUB) -> HubSide:
        """roamcert's platforms opposite the Hub holding ``sut_role``."""
        return self.hub_sides[self.target.platforms[sut_role].node_name]

    def node_side(self, sut_role: str = NODE) -> NodeSide:
        """roamcert's network around the node holding ``sut_role``."""
        return self.node_sides[self.target.platforms[sut_role].node_name]

    def partner(self, sut_role: str) -> Party:
        """roamcert's platform acting opposite the SUT node holding ``sut_role`` (linked to it, or behind the hub
        linked to it): what it receives is what the flows read."""
        node = self.sut_node(sut_role).name
        if node in self.partners:
            return self.actors[self.partners[node]]
        linked = self.topology.linked(node, NodeKind.ROAMCERT)
        return self.actors[linked[0].name]

    def registrar(self, sut_role: str) -> Party:
        """The platform of roamcert that registers with the SUT (or that the SUT registers with): the hub in
        topology "hub", else the partner."""
        return self.hub_link.hub if self.via_hub(sut_role) and self.hub_link is not None else self.partner(sut_role)

    def via_hub(self, sut_role: str) -> HubLink | None:
        """roamcert's hub, when the SUT holding ``sut_role`` is reached through it."""
        return self.hub_link if self.target.via_hub and sut_role not in (HUB, NODE) else None

    def partner_identity(self, sut_role: str) -> Identity:
        """The party roamcert plays opposite ``sut_role`` (e.g. its CPO when the SUT is an eMSP)."""
        return self.partner(sut_role).identity(partner_role_for(sut_role))

    def _own_parties(self) -> list[Party]:
        hubs = [] if self.hub_link is None else [self.hub_link.hub, *([self.hub_link.home] if self.hub_link.home
                                                                     else [])]
        return [*self.actors.values(), *hubs]

    def issued_tokens(self) -> frozenset[str]:
        return frozenset(token for party in self._own_parties() for token in party.issued)

    def request_expect(self) -> Expect:
        """What every request a SUT makes to roamcert is judged against."""
        return Expect(tokens=self.issued_tokens(),
                      tokens_a=frozenset(token for party in self._own_parties() for token in party.issued_a),
                      via_hub=self.hub_link.view() if self.hub_link is not None else None)

    def close(self) -> None:
        try:
            self.runtime.run(self.network.aclose(), timeout=10)
        finally:
            self.runtime.close()
            if self.hub_link is not None and self.hub_link.listing is not None:
                self.hub_link.listing.store.close()
            for side in self.node_sides.values():
                side.registry.close()
