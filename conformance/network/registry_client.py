"""Look-ups in a roaming network's registry, as a node (or roamcert) makes them: cached, the cache emptied of what
the registry's change log says changed, and every entry checked against its owner's signature.

A node asks the registry where a party it does not serve lives on every request it cannot deliver itself; it
keeps the answer, and before it uses a kept answer older than ``max_age`` it reads the registry's events since
the last one it saw, dropping the entries they name: a party that moved to another node is looked up again, not
sent to its old node. An entry whose signature is not its party's is refused: a registry (or anyone between)
cannot put a party on a node the party did not choose.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from conformance.network import registry_messages as messages
from conformance.network.registry_messages import RegistryError

__all__ = ["PartyEntry", "RegistryClient", "RegistryUnavailable", "ServiceEntry"]


class RegistryUnavailable(RuntimeError):
    """The registry gave no usable answer (unreachable, or an answer that is not a registry's)."""


@dataclass(frozen=True)
class PartyEntry:
    """A party as the registry lists it: where its node is, and what it is."""

    address: str
    country_code: str
    party_id: str
    roles: tuple[str, ...]
    operator: str
    node: str | None  # the domain (base URL) of its operator's node; None: the operator has no node any more
    sender: tuple[str, ...] = ()
    receiver: tuple[str, ...] = ()

    @classmethod
    def of(cls, raw: dict[str, Any]) -> PartyEntry:
        """The entry of a registry answer, after checking the party signed it."""
        try:
            entry = cls(str(raw["address"]), str(raw["country_code"]), str(raw["party_id"]),
                        tuple(str(r) for r in raw["roles"]), str(raw["operator"]),
                        str(raw["node"]) if raw.get("node") else None,
                        tuple(str(m) for m in raw.get("modules", {}).get("sender", ())),
                        tuple(str(m) for m in raw.get("modules", {}).get("receiver", ())))
            update = messages.set_party(entry.address, entry.country_code, entry.party_id, entry.roles,
                                        entry.operator)
            signed_by = messages.signer(update, str(raw["signature"]))
        except (KeyError, TypeError, AttributeError, RegistryError) as exc:
            raise RegistryUnavailable(f"the registry's entry is not a party entry ({exc})") from exc
        if signed_by != entry.address:
            raise RegistryUnavailable(f"the registry's entry of {entry.country_code}/{entry.party_id} is signed by "
                                      f"{signed_by}, not by the party {entry.address}")
        return entry


@dataclass(frozen=True)
class ServiceEntry:
    """A third-party service a party granted: who provides it, where it is on the network, what it may see."""

    provider: str
    party: tuple[str, str]  # (country_code, party_id) of the service on the network
    permissions: tuple[str, ...]

    @classmethod
    def of(cls, raw: dict[str, Any]) -> ServiceEntry:
        try:
            return cls(str(raw["provider"]), (str(raw["party"]["country_code"]), str(raw["party"]["party_id"])),
                       tuple(str(p) for p in raw["permissions"]))
        except (KeyError, TypeError) as exc:
            raise RegistryUnavailable(f"the registry's entry is not a service entry ({exc})") from exc

    def allows(self, module: str, interface: str) -> bool:
        return any(name in messages.Permission.__members__ and messages.Permission[name].allows(module, interface)
                   for name in self.permissions)


class RegistryClient:
    """Cached party look-ups in the registry at ``base_url``."""

    def __init__(self, http: Callable[[], httpx.AsyncClient], base_url: str, *, max_age: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._http, self._base = http, base_url.rstrip("/")
        self._max_age, self._clock = max_age, clock
        self._parties: dict[tuple[str, str], PartyEntry | None] = {}  # None: known not to be listed
        self._services: dict[str, tuple[ServiceEntry, ...]] = {}  # party address -> the services it granted
        self._seen = 0
        self._checked: float | None = None
        self.lookups = 0  # registry requests made for parties (a test of the cache counts them)

    async def _get(self, path: str, **params: str | int) -> Any:
        try:
            answer = await self._http().get(f"{self._base}{path}", params=params)
        except httpx.HTTPError as exc:
            raise RegistryUnavailable(f"the registry at {self._base} did not answer ({type(exc).__name__})") from exc
        if answer.status_code == 404:
            return None
        if answer.status_code != 200:
            raise RegistryUnavailable(f"the registry answered {path} with HTTP {answer.status_code}")
        try:
            return answer.json()
        except ValueError as exc:
            raise RegistryUnavailable(f"the registry's answer to {path} is not JSON") from exc

    async def refresh(self) -> None:
        """Forget what changed since the last look at the registry's change log."""
        events = await self._get("/registry/events", since=self._seen)
        self._checked = self._clock()
        if not isinstance(events, list):
            return
        changed = {str(e.get("subject")) for e in events if isinstance(e, dict)}
        for event in events:
            if isinstance(event, dict) and isinstance(event.get("seq"), int):
                self._seen = max(self._seen, event["seq"])
        kinds = {e.get("kind") for e in events if isinstance(e, dict)}
        if "service" in kinds:
            self._services.clear()  # a service changed what it asks for, or left
        for party in changed & set(self._services):
            del self._services[party]  # a grant made or revoked (or the party itself changed)
        if "operator" in kinds:
            self._parties.clear()  # a node moved or left: every party on it is elsewhere now
            return
        for key, entry in list(self._parties.items()):
            if entry is None or entry.address in changed:
                del self._parties[key]

    async def party(self, country_code: str, party_id: str) -> PartyEntry | None:
        """The party's entry (None: not listed)."""
        if self._checked is None or self._clock() - self._checked >= self._max_age:
            await self.refresh()
        key = (country_code.upper(), party_id.upper())
        if key not in self._parties:
            self.lookups += 1
            raw = await self._get(f"/registry/parties/{key[0]}/{key[1]}")
            self._parties[key] = None if raw is None else PartyEntry.of(raw)
        return self._parties[key]

    async def services_of(self, country_code: str, party_id: str, module: str,
                          interface: str) -> tuple[ServiceEntry, ...]:
        """The services the party granted whose permissions cover a request to ``module``'s ``interface``
        (those a node sends a copy of the party's request to), each listed as a party of the network."""
        party = await self.party(country_code, party_id)
        if party is None:
            return ()
        if party.address not in self._services:
            granted = await self._get(f"/registry/agreements/{party.address}")
            found: list[ServiceEntry] = []
            for provider in granted if isinstance(granted, list) else []:
                raw = await self._get(f"/registry/services/{provider}")
                if isinstance(raw, dict) and isinstance(raw.get("party"), dict):
                    found.append(ServiceEntry.of(raw))
            self._services[party.address] = tuple(found)
        return tuple(s for s in self._services[party.address] if s.allows(module, interface))

    def forget(self) -> None:
        """Drop every kept answer (a node restarting, a test)."""
        self._parties.clear()
        self._services.clear()
        self._checked = None
