"""Registry look-ups as a node makes them (conformance/network/registry_client.py): kept, forgotten when the
registry's change log names the party (it moved to another node), and refused when the entry is not signed by
the party it lists."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from conformance.network import registry_messages as m
from conformance.network.registry_client import PartyEntry, RegistryClient, RegistryUnavailable
from simulators.network.registry.app import registry_app
from simulators.network.registry.store import RegistryStore

KEYS = {name: m.new_key() for name in ("node_a", "node_b", "cpo")}
ADDR = {name: m.address_of(key) for name, key in KEYS.items()}


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _listed(store: RegistryStore, node: str) -> None:
    for name, domain in (("node_a", "http://node-a.test"), ("node_b", "http://node-b.test")):
        if not any(n["operator"] == ADDR[name] for n in store.nodes()):
            store.set_node(ADDR[name], domain, m.sign(m.set_node(ADDR[name], domain), KEYS[name]))
    update = m.set_party(ADDR["cpo"], "NL", "CPA", ["CPO"], ADDR[node])
    store.set_party(ADDR["cpo"], "NL", "CPA", [0], ADDR[node], m.sign(update, KEYS["cpo"]))


def test_look_ups_are_kept_until_the_change_log_names_the_party() -> None:
    store, clock = RegistryStore(), Clock()
    _listed(store, "node_a")
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=registry_app(store)))
    client = RegistryClient(lambda: http, "http://registry", max_age=5.0, clock=clock)

    async def scenario() -> None:
        first = await client.party("nl", "cpa")
        assert first is not None and first.node == "http://node-a.test"
        assert (await client.party("NL", "CPA")) == first and client.lookups == 1  # kept
        _listed(store, "node_b")  # the party moves
        assert (await client.party("NL", "CPA")) == first  # within max_age the node still uses what it kept
        clock.now = 5.0
        moved = await client.party("NL", "CPA")
        assert moved is not None and moved.node == "http://node-b.test" and client.lookups == 2
        assert await client.party("ZZ", "ZZZ") is None
        await http.aclose()

    asyncio.run(scenario())


def _raw(**changes: Any) -> dict[str, Any]:
    store = RegistryStore()
    _listed(store, "node_a")
    return {**store.party_by_ocpi("NL", "CPA"), **changes}


def test_an_entry_the_party_did_not_sign_is_refused() -> None:
    assert PartyEntry.of(_raw()).operator == ADDR["node_a"]
    with pytest.raises(RegistryUnavailable, match="not by the party"):
        PartyEntry.of(_raw(operator=ADDR["node_b"]))  # the registry moved it, not the party
    with pytest.raises(RegistryUnavailable, match="not a party entry"):
        PartyEntry.of(_raw(signature="0x1234"))


def test_a_registry_that_does_not_answer_is_named() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    http = httpx.AsyncClient(transport=httpx.MockTransport(refuse))
    client = RegistryClient(lambda: http, "http://registry.test")
    with pytest.raises(RegistryUnavailable, match=r"registry\.test did not answer"):
        asyncio.run(client.party("NL", "CPA"))


def test_the_services_a_party_granted_and_only_for_what_they_asked() -> None:
    store, clock = RegistryStore(), Clock()
    _listed(store, "node_a")
    provider = m.new_key()
    address = m.address_of(provider)
    store.set_party(address, "DE", "STL", [5], ADDR["node_b"],
                    m.sign(m.set_party(address, "DE", "STL", ["OTHER"], ADDR["node_b"]), provider))
    store.set_service(address, "settlement", "http://settle.test", [7],
                      m.sign(m.set_service("settlement", "http://settle.test", [7]), provider))
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=registry_app(store)))
    client = RegistryClient(lambda: http, "http://registry", max_age=0.0, clock=clock)

    async def scenario() -> None:
        assert await client.services_of("NL", "CPA", "cdrs", "SENDER") == ()  # nothing granted yet
        store.create_agreement(ADDR["cpo"], address, m.sign(m.create_agreement(address), KEYS["cpo"]))
        (service,) = await client.services_of("NL", "CPA", "cdrs", "SENDER")
        assert service.party == ("DE", "STL")
        assert await client.services_of("NL", "CPA", "locations", "SENDER") == ()  # not what it asked for
        store.revoke_agreement(ADDR["cpo"], address)
        assert await client.services_of("NL", "CPA", "cdrs", "SENDER") == ()  # revoked: no more copies
        await http.aclose()

    asyncio.run(scenario())
