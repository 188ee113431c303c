"""The state of one simulated OCPI platform: its identity, its registered peers and their tokens."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from conformance.core.exchange import ExchangeLog
from conformance.core.hosts import HostPolicy
from conformance.ocpi.types import format_datetime
from simulators.behaviours import Behaviour, Behaviours
from simulators.ocpi.modules import MODULES, ModuleRegistry

__all__ = ["CREDENTIALS", "ROTATE", "CredentialsOf", "Identity", "Party", "Peer", "Rotate", "host_of"]


@dataclass(frozen=True)
class Identity:
    """One party on a platform: a role with its country code and party id (a CredentialsRole)."""

    role: str  # CPO, EMSP, ...
    country_code: str
    party_id: str
    name: str

    def credentials_role(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "party_id": self.party_id,
            "country_code": self.country_code,
            "business_details": {"name": self.name, "website": "https://roamcert.org"},
        }


@dataclass
class Peer:
    """A platform registered with us."""

    token_in: str  # the token the peer uses to call us (we issued it: CREDENTIALS_TOKEN_C or _B)
    token_out: str  # the token we use to call the peer
    versions_url: str
    version: str | None = None
    endpoints: list[dict[str, Any]] = field(default_factory=list)
    roles: list[dict[str, Any]] = field(default_factory=list)
    # What to do before answering the peer's first call: a peer registered out of band (`roamcert serve --peer-…`)
    # reads the peer's endpoints then, since the peer need not be up when this platform starts.
    first_call: Callable[[], Awaitable[None]] | None = field(default=None, repr=False, compare=False)

    def endpoint(self, module: str, role: str | None = None) -> str | None:
        for endpoint in self.endpoints:
            if endpoint.get("identifier") == module and (role is None or endpoint.get("role") == role):
                url = endpoint.get("url")
                return url if isinstance(url, str) else None
        return None


@dataclass
class Party:
    """A platform: one or more parties (identities) behind one versions URL and one credentials token."""

    identities: tuple[Identity, ...]
    base_url: str  # public base URL, e.g. http://127.0.0.1:8091
    behaviours: Behaviours = field(default_factory=Behaviours)  # conformant unless a fault profile replaces some
    log: ExchangeLog = field(default_factory=ExchangeLog)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    versions: tuple[str, ...] = field(default_factory=lambda: tuple(MODULES.versions("OCPI")))  # offered
    # The version its requests and answers speak (what /versions offers may be bent by a test; this is not).
    speaks: str = field(default_factory=lambda: MODULES.versions("OCPI")[-1])
    tokens_a: set[str] = field(default_factory=set)
    peers: dict[str, Peer] = field(default_factory=dict)
    retired_tokens: set[str] = field(default_factory=set)
    issued: set[str] = field(default_factory=set)  # every token this platform ever handed out
    issued_a: set[str] = field(default_factory=set)  # every CREDENTIALS_TOKEN_A among them (registration only)
    # Module data: owned objects (Sender side) and objects pushed to us (Receiver side).
    owned: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    received: dict[str, dict[tuple[str, ...], dict[str, Any]]] = field(default_factory=dict)
    # Everything else a module keeps (the charging lifecycle, reservations, commands awaiting a result, charging
    # profiles, ...), each under its own key.
    state: dict[str, Any] = field(default_factory=dict)
    # Set by the app: opens an httpx client that can reach other platforms (in-process or network).
    http_factory: Callable[[], Any] | None = None
    # The hosts the platform may call with credentials (conformance/core/hosts.py); None: any (a served reference).
    hosts: HostPolicy | None = None
    max_page_size: int = 10
    # The secret its /admin/* hooks require (None: open hooks, only for a platform reached in-process).
    admin_secret: str | None = field(default=None, repr=False)
    # The hosts its hooks and outbound calls may reach (None: any, only for a platform reached in-process).
    allowed_hosts: frozenset[str] | None = None
    # The module implementations it offers (its routes and version details): the platforms' registry, or an
    # actor's own (a hub offers every module on both sides, keyed like the platforms' ones).
    modules: ModuleRegistry = field(default_factory=lambda: MODULES)

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(identity.role for identity in self.identities)

    def identity(self, role: str) -> Identity:
        for identity in self.identities:
            if identity.role == role:
                return identity
        raise KeyError(f"this platform holds no {role} party (it holds {', '.join(self.roles)})")

    @property
    def path_role(self) -> str:
        return "-".join(role.lower() for role in self.roles)

    def versions_url(self) -> str:
        return f"{self.base_url}/ocpi/{self.path_role}/versions"

    def version_url(self, version: str) -> str:
        return f"{self.base_url}/ocpi/{self.path_role}/{version}"

    def module_url(self, version: str, module: str, interface: str) -> str:
        """A module's URL; the interface role is part of it, since a platform may implement both sides."""
        return f"{self.version_url(version)}/{interface.lower()}/{module}"

    def may_call(self, url: str) -> bool:
        """Whether this platform may send a request to ``url`` (its host among ``allowed_hosts``)."""
        return self.allowed_hosts is None or host_of(url) in self.allowed_hosts

    def now(self) -> str:
        return format_datetime(self.clock())

    def issue_token_a(self, token: str | None = None) -> str:
        token = token or f"A-{secrets.token_urlsafe(18)}"
        self.tokens_a.add(token)
        self.issued.add(token)
        self.issued_a.add(token)
        self.log.secrets.add(token)
        return token

    def new_token(self, kind: str) -> str:
        token = f"{kind}-{secrets.token_urlsafe(24)}"
        self.issued.add(token)
        self.log.secrets.add(token)
        return token

    def credentials(self, token: str) -> dict[str, Any]:
        """Our Credentials object, carrying the token the other side must use to call us."""
        return self.behaviours(CREDENTIALS)(self, token)

    def peer_by_token(self, token: str) -> Peer | None:
        return self.peers.get(token)

    def add_peer(self, peer: Peer) -> None:
        self.peers[peer.token_in] = peer
        self.log.secrets.update({peer.token_in, peer.token_out})

    def remove_peer(self, peer: Peer) -> None:
        self.peers.pop(peer.token_in, None)
        self.retired_tokens.add(peer.token_in)

    def rotate(self, peer: Peer, new_token_in: str) -> None:
        """The peer calls us with ``new_token_in`` from now on (a credentials update)."""
        self.behaviours(ROTATE)(self, peer, new_token_in)


def host_of(url: str) -> str:
    """The host of ``url``, lower-cased, without brackets or port ('' when it has none)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


CredentialsOf = Callable[[Party, str], dict[str, Any]]
Rotate = Callable[[Party, Peer, str], None]


def _credentials(party: Party, token: str) -> dict[str, Any]:
    roles = [identity.credentials_role() for identity in party.identities]
    return {"token": token, "url": party.versions_url(), "roles": roles}


def _rotate(party: Party, peer: Peer, new_token_in: str) -> None:
    """The old token stops working (credentials_update_credentials: it is replaced)."""
    old = peer.token_in
    party.peers.pop(old, None)
    peer.token_in = new_token_in
    party.add_peer(peer)
    party.retired_tokens.add(old)


CREDENTIALS = Behaviour("OCPI", "", "transport", "party.credentials", _credentials)  # our Credentials object
ROTATE = Behaviour("OCPI", "", "transport", "party.rotate", _rotate)  # a peer's token replaced by a new one
