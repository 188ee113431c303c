"""roamcert's side of a Hub under test: several platforms of its own, each registering with the Hub.

Opposite a platform of role HUB, roamcert is not one partner but a small roaming network: two CPOs, two eMSPs and
an NSP on four platforms, one of which holds two parties (a CPO and an eMSP), so that routing by headers,
Broadcast Push, Open Routing and GET All via the Hub each have more than one candidate receiver. Each platform is
a reference platform (seeded: the CPOs own Locations, the eMSPs Tokens) with its own base URL under the partner's
public URL, served by the partner's app under its own path, and registers with the Hub through its own token A.

A platform can be taken offline: it then gives no answer at all (in-process: the connection fails; served: it
holds the request until the Hub gives up), so the Hub's handling of an unreachable party can be watched.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx
from starlette.routing import BaseRoute, Mount

from conformance.core.errors import SetupFailed
from conformance.core.topology import Node, NodeKind, PartyRef
from conformance.ocpi.target import Platform
from simulators.ocpi.app import build_app
from simulators.ocpi.party import Identity, Party, Peer
from simulators.ocpi.references import IDENTITIES, reference_party

if TYPE_CHECKING:  # the harness builds this side; imported for its type only
    from conformance.ocpi.harness import Harness

__all__ = ["HUB_SIDE", "HubSide", "SidePlatform", "attach"]

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass(frozen=True)
class SideSpec:
    """One of roamcert's platforms opposite a Hub: its path under the partner's URL and its parties."""

    slug: str
    roles: tuple[str, ...]
    identities: tuple[Identity, ...] = ()


# CPO-1, the platform of CPO-2 and EMSP-2, EMSP-1, the NSP: in this order they register.
HUB_SIDE = (
    SideSpec("cpo1", ("CPO",)),
    SideSpec("dual", ("CPO", "EMSP"), (Identity("CPO", "NL", "RC2", "roamcert second CPO"),
                                       Identity("EMSP", "NL", "RE2", "roamcert second eMSP"))),
    SideSpec("emsp1", ("EMSP",)),
    SideSpec("nsp", ("NSP",)),
)


@dataclass
class SidePlatform:
    """One of roamcert's platforms registered (or to be registered) with the Hub."""

    node: str
    party: Party
    online: bool = True
    hold: float = 0.0  # served: seconds an offline platform holds a request before it lets it fail

    @property
    def peer(self) -> Peer | None:
        """The Hub, as this platform knows it once registered."""
        return next(iter(self.party.peers.values()), None)

    @property
    def token(self) -> str:
        """The token the Hub issued to this platform (it calls the Hub with it)."""
        if self.peer is None:
            raise SetupFailed(f"{self.node} is not registered with the Hub")
        return self.peer.token_out

    @property
    def identities(self) -> tuple[Identity, ...]:
        return self.party.identities

    def asgi(self, app: App, served: bool) -> App:
        """The platform's app, answering nothing while the platform is offline."""

        async def gate(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http" and not self.online:
                if not served:  # in-process, the caller's transport sees the connection fail
                    raise httpx.ConnectError(f"{self.node} is offline")
                await asyncio.sleep(self.hold)  # served: no answer until the caller gives up
                return
            await app(scope, receive, send)

        return gate


@dataclass
class HubSide:
    """roamcert's platforms opposite one Hub under test, and whether they registered."""

    hub: Platform
    platforms: dict[str, SidePlatform] = field(default_factory=dict)  # slug -> platform
    registered: bool = False
    registration_failed: str | None = None

    def __getitem__(self, slug: str) -> SidePlatform:
        return self.platforms[slug]

    def tokens_a(self) -> list[str]:
        return [t for t in [self.hub.token_a, *self.hub.extra_tokens_a] if t]


def attach(harness: Harness, platform: Platform) -> list[BaseRoute]:
    """Build roamcert's platforms opposite the Hub ``platform`` into ``harness`` (its actors and topology nodes,
    linked to the Hub's node) and return the routes that serve them under the partner's public URL."""
    base = harness.target.partner_public_url.rstrip("/")
    served = harness.target.partner_listen is not None
    side = HubSide(platform)
    routes: list[BaseRoute] = []
    for spec in HUB_SIDE:
        party = reference_party(spec.roles, base_url=f"{base}/hub/{spec.slug}", profile="lenient_partner",
                                version=harness.target.version,
                                identities=spec.identities or tuple(IDENTITIES[r] for r in spec.roles))
        party.log = harness.log
        party.http_factory = harness.network.client
        party.hosts = harness.hosts
        node = f"roamcert-hub-{spec.slug}"
        side.platforms[spec.slug] = SidePlatform(node, party, hold=harness.target.timeout)
        harness.actors[node] = party
        harness.topology.add(Node(node, NodeKind.ROAMCERT, harness.target.protocol, harness.target.version,
                                  tuple(PartyRef(i.role, i.country_code, i.party_id) for i in party.identities),
                                  party.versions_url()))
        harness.topology.link(platform.node_name, node)
        app = side.platforms[spec.slug].asgi(build_app(party, admin=False), served)
        routes.append(Mount(f"/hub/{spec.slug}", app=app))
    harness.hub_sides[platform.node_name] = side
    return routes
