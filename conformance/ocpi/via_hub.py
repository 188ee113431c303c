"""A platform under test reached through roamcert's reference hub (a target's ``topology = "hub"``, docs/hub.md).

The SUT's peer is roamcert's in-process reference hub; roamcert's own platforms (the party acting opposite the SUT
and a second party of that role on another platform) are registered with the hub as well. A request roamcert makes
to a functional module of the SUT goes from its acting party to the hub, addressed by routing headers
(transport_and_format_message_routing), and the hub forwards it: the exchange the checks judge is the hub's hop to
the SUT. The SUT's requests arrive at the hub and are forwarded to roamcert's parties by their ``OCPI-to``.

Only what the SUT sends and answers is evidence: the hops between roamcert's platforms and its hub are roamcert's
own traffic and go to a separate log (``HubLink.internal``), never judged.

Topology "network" (docs/network.md) splits the hub in two reference nodes of a roaming network: node A
(``HubLink.hub``) is the SUT's peer as the hub is, roamcert's platforms are connected to node B (``HubLink.home``),
and an in-process registry (``Listing``) lists both nodes, roamcert's parties on node B and the SUT's parties on
node A. A request crosses party -> node B -> (``/ocn/message``) -> node A -> SUT; only node A's exchanges with the
SUT are evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from conformance.core.exchange import Exchange, ExchangeLog
from conformance.network import registry_messages as messages
from conformance.network.message import MESSAGE_PATH
from conformance.ocpi.auth import decode_token
from conformance.ocpi.expect import HubView
from conformance.ocpi.routing import Address, routing_headers
from simulators.network.registry.store import RegistryStore
from simulators.ocpi.party import Identity, Party, Peer

__all__ = ["CONFIGURATION_MODULES", "OWN_PARTIES", "SECOND_PARTIES", "HubLink", "Listing", "Routed", "SplitLog",
           "sut_party"]

HUB = "HUB"  # a hub reports itself only as role HUB (credentials_credentials_object)

# Configuration modules are never routed (transport_and_format_message_routing_headers): the hub's own calls.
CONFIGURATION_MODULES = frozenset({"versions", "credentials", "hubclientinfo"})

# roamcert's parties behind its hub: the hub routes by party, so they must differ from the SUT's (the reference
# platforms under test hold IDENTITIES, which roamcert's partner holds peer to peer).
OWN_PARTIES = {"CPO": Identity("CPO", "NL", "RCX", "roamcert CPO"),
               "EMSP": Identity("EMSP", "NL", "REX", "roamcert eMSP")}
# The second party of each role roamcert plays, each on a platform of its own behind the hub.
SECOND_PARTIES = {"CPO": Identity("CPO", "NL", "RC2", "roamcert second CPO"),
                  "EMSP": Identity("EMSP", "NL", "RE2", "roamcert second eMSP")}


@dataclass(frozen=True)
class Routed:
    """A request to the SUT as roamcert's acting party sends it to the hub."""

    url: str  # at the hub's endpoint of the same module and interface, the path below it kept
    token: str  # the acting platform's token at the hub
    headers: dict[str, str]  # OCPI-from: the acting party; OCPI-to: the SUT's party


@dataclass
class Listing:
    """roamcert's in-process registry of topology "network": each entry signed with a key roamcert generated for
    it, the SUT's parties included (a real SUT is listed this way only in this registry of roamcert's own)."""

    store: RegistryStore
    url: str  # where the nodes read it
    keys: dict[str, str] = field(default_factory=dict)  # node base URL or "CC/PID" -> its private key
    listed: set[tuple[str, str]] = field(default_factory=set)  # (country code, party id), upper-cased

    def key_of(self, name: str) -> str:
        return self.keys.setdefault(name, messages.new_key())

    def list_node(self, node: Party) -> None:
        key = self.key_of(node.base_url)
        operator = messages.address_of(key)
        self.store.set_node(operator, node.base_url, messages.sign(messages.set_node(operator, node.base_url), key))

    def list_party(self, country_code: str, party_id: str, role: str, node: Party) -> None:
        """List a party on ``node`` (again: it moves there), with its own key."""
        key = self.key_of(f"{country_code.upper()}/{party_id.upper()}")
        address, operator = messages.address_of(key), messages.address_of(self.key_of(node.base_url))
        role = role.upper() if role.upper() in messages.Role.__members__ else "OTHER"
        update = messages.set_party(address, country_code, party_id, [role], operator)
        self.store.set_party(address, country_code, party_id, [int(messages.Role[role])], operator,
                             messages.sign(update, key))
        self.listed.add((country_code.upper(), party_id.upper()))


@dataclass
class HubLink:
    """roamcert's hub and the platforms of roamcert registered with it; in topology "network", node A (``hub``),
    node B (``home``) and their registry (``listing``)."""

    hub: Party
    platforms: list[Party] = field(default_factory=list)
    internal: ExchangeLog = field(default_factory=lambda: ExchangeLog(prefix="i"))
    tokens_a: set[str] = field(default_factory=set)  # the hub's tokens A roamcert's platforms register with
    registered: bool = False  # roamcert's platforms registered with the hub (once per run, by the flows)
    # X-Correlation-IDs of the requests roamcert's test driver sends the SUT through the hub: their hop to the SUT is
    # recorded as "outbound", as the same request is peer to peer (the hub's own calls stay "callback")
    driven: set[str] = field(default_factory=set)
    home: Party | None = None  # topology "network": node B, the node roamcert's platforms are connected to
    listing: Listing | None = None  # topology "network": the registry of both nodes

    @property
    def near(self) -> Party:
        """The hub or node roamcert's platforms are registered with (node B; the hub itself in topology "hub")."""
        return self.home or self.hub

    def ours(self, url: str) -> bool:
        """``url`` is one of roamcert's own platforms behind the hub, or (network) node B or the registry."""
        bases = [p.base_url for p in self.platforms]
        if self.home is not None:
            bases.append(self.home.base_url)
        if self.listing is not None:
            bases.append(self.listing.url)
        return any(url.startswith(base.rstrip("/") + "/") for base in bases)

    def internal_tokens(self) -> set[str]:
        """The tokens roamcert's platforms call the hub (node B) with."""
        return {peer.token_in for peer in self.near.peers.values() if self.ours(peer.versions_url)}

    def is_internal(self, direction: str, url: str, headers: Iterable[tuple[str, str]]) -> bool:
        """An exchange between the hub and one of roamcert's platforms (never the SUT); in topology "network" also
        a message between the two nodes and any read of the registry."""
        if direction != "inbound":
            return self.ours(url)
        if self.home is not None and url.startswith(self.hub.base_url.rstrip("/") + MESSAGE_PATH):
            return True
        auth = next((v for k, v in headers if k.lower() == "authorization"), None)
        decoded, raw = decode_token(auth)
        return bool((self.internal_tokens() | self.tokens_a) & {decoded, raw})

    def begin_case(self, log: ExchangeLog) -> ExchangeLog:
        """Fresh logs for a test case: the hub records into ``log`` what it exchanges with the SUT."""
        self.internal = ExchangeLog(prefix="i")
        self.internal.secrets = log.secrets
        for party in self.platforms:
            party.log = self.internal
        if self.home is not None:
            self.home.log = self.internal
        self.hub.log = SplitLog(log, self)
        self.list_sut()
        return self.internal

    def route(self, sut: Peer, sut_role: str, endpoints: list[dict[str, Any]], acting: Party, acting_role: str,
              url: str) -> Routed | None:
        """How ``acting`` sends a request for ``url`` (an endpoint of the SUT) through the hub; None for a
        configuration module or a URL at no endpoint of the SUT (those are the hub's own calls)."""
        found = sorted(((str(e.get("url", "")), str(e.get("identifier", "")), str(e.get("role", "")).upper())
                        for e in endpoints if isinstance(e, dict)), key=lambda e: -len(e[0]))
        match = next(((u, m, r) for u, m, r in found
                      if u and (url == u or url.startswith(u.rstrip("/") + "/") or url.startswith(u + "?"))), None)
        if match is None or match[1] in CONFIGURATION_MODULES:
            return None
        endpoint, module, interface = match
        self.list_sut()
        to = sut_party(sut, sut_role)
        hub_peer = next((p for p in acting.peers.values() if sut_party(p, HUB) is not None), None)
        if to is None or hub_peer is None:
            return None
        identity = acting.identity(acting_role)
        hub_url = self.near.module_url(self.near.speaks, module, interface)
        rest = url[len(endpoint):]
        if rest and not rest.startswith(("/", "?")):
            rest = "/" + rest
        return Routed(hub_url + rest, hub_peer.token_out,
                      routing_headers(to, Address(identity.country_code, identity.party_id)))

    def list_sut(self) -> None:
        """Topology "network": list in the registry, on node A, every party of the platforms registered with node A
        (the SUT's) not listed yet, so that node B sends there what roamcert's parties address to them and takes
        from node A what they send."""
        if self.listing is None:
            return
        for peer in list(self.hub.peers.values()):
            for entry in peer.roles:
                country, party_id, role = entry.get("country_code"), entry.get("party_id"), entry.get("role")
                if (isinstance(country, str) and isinstance(party_id, str) and isinstance(role, str)
                        and (country.upper(), party_id.upper()) not in self.listing.listed):
                    self.listing.list_party(country, party_id, role, self.hub)

    def as_near(self, url: str) -> str:
        """A URL at the SUT's hub (node A) as roamcert's platforms reach the same place: at node B, where they are
        connected (node B passes it on to node A); unchanged in topology "hub"."""
        base = self.hub.base_url.rstrip("/") + "/"
        if self.home is None or not url.startswith(base):
            return url
        return self.home.base_url.rstrip("/") + "/" + url.removeprefix(base)

    def near_client(self, factory: Callable[[], httpx.AsyncClient]) -> Callable[[], httpx.AsyncClient]:
        """Topology "network": the HTTP client of roamcert's platforms, which calls a URL at node A (a response_url
        the SUT gave) at node B instead, as the node of an OCN party proxies such URLs for it (roamcert's nodes do
        not yet: docs/network.md); node B passes the request on to node A by its OCPI-to."""
        client = httpx.AsyncClient(transport=_Rewriting(self, factory), follow_redirects=False, timeout=None)
        return lambda: client

    def view(self) -> HubView:
        """What the checks of the SUT's requests to the hub need of it: its party, each registered platform's
        parties by the token it calls with, and every party it can route to (in topology "network" every party
        the registry lists)."""
        own = tuple((peer.token_in, frozenset(_keys(peer))) for peer in list(self.hub.peers.values()))
        identity = self.hub.identities[0]
        listed = frozenset(self.listing.listed) if self.listing is not None else frozenset()
        return HubView((identity.country_code.upper(), identity.party_id.upper()), urlsplit(self.hub.base_url).path,
                       own, frozenset(key for _, keys in own for key in keys) | listed)


class _Rewriting(httpx.AsyncBaseTransport):
    """Sends each request through ``factory``'s client, a URL at node A turned into the same one at node B."""

    def __init__(self, link: HubLink, factory: Callable[[], httpx.AsyncClient]) -> None:
        self.link, self.factory = link, factory

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        near = self.link.as_near(str(request.url))
        if near != str(request.url):
            headers = [(k, v) for k, v in request.headers.multi_items() if k.lower() != "host"]
            request = httpx.Request(request.method, near, headers=headers, stream=request.stream,
                                    extensions=request.extensions)
        return await self.factory().send(request, stream=True)


def _keys(peer: Peer) -> list[tuple[str, str]]:
    return [(str(r["country_code"]).upper(), str(r["party_id"]).upper()) for r in peer.roles
            if isinstance(r.get("country_code"), str) and isinstance(r.get("party_id"), str)]


def sut_party(sut: Peer, role: str) -> Address | None:
    """The SUT's party of ``role``, as its Credentials name it."""
    for entry in sut.roles:
        if str(entry.get("role", "")).upper() == role:
            country, party_id = entry.get("country_code"), entry.get("party_id")
            if isinstance(country, str) and isinstance(party_id, str):
                return Address(country, party_id)
    return None


class SplitLog(ExchangeLog):
    """The hub's log: what it exchanges with the SUT goes to the case's log, the rest to roamcert's internal one."""

    def __init__(self, case: ExchangeLog, link: HubLink) -> None:
        super().__init__()
        self.case, self.link = case, link
        self.secrets = case.secrets
        self.exchanges = case.exchanges

    def record(self, **kwargs: Any) -> Exchange:
        headers = kwargs["request_headers"] = list(kwargs["request_headers"])
        if self.link.is_internal(kwargs["direction"], kwargs["url"], headers):
            return self.link.internal.record(**kwargs)
        correlation = next((v for k, v in headers if k.lower() == "x-correlation-id"), None)
        if kwargs["direction"] == "callback" and correlation in self.link.driven:
            kwargs["direction"] = "outbound"
        return self.case.record(**kwargs)
