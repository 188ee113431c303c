"""A platform under test reached through roamcert's reference hub (a target's ``topology = "hub"``, docs/hub.md).

The SUT's peer is roamcert's in-process reference hub; roamcert's own platforms (the party acting opposite the SUT
and a second party of that role on another platform) are registered with the hub as well. A request roamcert makes
to a functional module of the SUT goes from its acting party to the hub, addressed by routing headers
(transport_and_format_message_routing), and the hub forwards it: the exchange the checks judge is the hub's hop to
the SUT. The SUT's requests arrive at the hub and are forwarded to roamcert's parties by their ``OCPI-to``.

Only what the SUT sends and answers is evidence: the hops between roamcert's platforms and its hub are roamcert's
own traffic and go to a separate log (``HubLink.internal``), never judged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from conformance.core.exchange import Exchange, ExchangeLog
from conformance.ocpi.auth import decode_token
from conformance.ocpi.expect import HubView
from conformance.ocpi.routing import Address, routing_headers
from simulators.ocpi.party import Identity, Party, Peer

__all__ = ["CONFIGURATION_MODULES", "OWN_PARTIES", "SECOND_PARTIES", "HubLink", "Routed", "SplitLog", "sut_party"]

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
class HubLink:
    """roamcert's hub and the platforms of roamcert registered with it."""

    hub: Party
    platforms: list[Party] = field(default_factory=list)
    internal: ExchangeLog = field(default_factory=lambda: ExchangeLog(prefix="i"))
    tokens_a: set[str] = field(default_factory=set)  # the hub's tokens A roamcert's platforms register with
    registered: bool = False  # roamcert's platforms registered with the hub (once per run, by the flows)
    # X-Correlation-IDs of the requests roamcert's test driver sends the SUT through the hub: their hop to the SUT is
    # recorded as "outbound", as the same request is peer to peer (the hub's own calls stay "callback")
    driven: set[str] = field(default_factory=set)

    def ours(self, url: str) -> bool:
        """``url`` is one of roamcert's own platforms behind the hub."""
        return any(url.startswith(p.base_url + "/") for p in self.platforms)

    def internal_tokens(self) -> set[str]:
        """The tokens roamcert's platforms call the hub with."""
        return {peer.token_in for peer in self.hub.peers.values() if self.ours(peer.versions_url)}

    def is_internal(self, direction: str, url: str, headers: Iterable[tuple[str, str]]) -> bool:
        """An exchange between the hub and one of roamcert's platforms (never the SUT)."""
        if direction != "inbound":
            return self.ours(url)
        auth = next((v for k, v in headers if k.lower() == "authorization"), None)
        decoded, raw = decode_token(auth)
        return bool((self.internal_tokens() | self.tokens_a) & {decoded, raw})

    def begin_case(self, log: ExchangeLog) -> ExchangeLog:
        """Fresh logs for a test case: the hub records into ``log`` what it exchanges with the SUT."""
        self.internal = ExchangeLog(prefix="i")
        self.internal.secrets = log.secrets
        for party in self.platforms:
            party.log = self.internal
        self.hub.log = SplitLog(log, self)
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
        to = sut_party(sut, sut_role)
        hub_peer = next((p for p in acting.peers.values() if sut_party(p, HUB) is not None), None)
        if to is None or hub_peer is None:
            return None
        identity = acting.identity(acting_role)
        hub_url = self.hub.module_url(self.hub.speaks, module, interface)
        rest = url[len(endpoint):]
        if rest and not rest.startswith(("/", "?")):
            rest = "/" + rest
        return Routed(hub_url + rest, hub_peer.token_out,
                      routing_headers(to, Address(identity.country_code, identity.party_id)))

    def view(self) -> HubView:
        """What the checks of the SUT's requests to the hub need of it: its party, each registered platform's
        parties by the token it calls with, and every party registered."""
        own = tuple((peer.token_in, frozenset(_keys(peer))) for peer in list(self.hub.peers.values()))
        identity = self.hub.identities[0]
        return HubView((identity.country_code.upper(), identity.party_id.upper()), urlsplit(self.hub.base_url).path,
                       own, frozenset(key for _, keys in own for key in keys))


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
