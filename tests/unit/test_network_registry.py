"""The reference registry of a roaming network (simulators/network/registry): signed updates only from their
owner, the OCN registry's ownership rules, look-ups by party, node and service, a party moving to another node,
grants to services, the change log nodes invalidate their caches from, and its state kept in SQLite."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.network import registry_messages as m
from simulators.network.registry.app import MAX_BODY, registry_app
from simulators.network.registry.store import RegistryStore

KEYS = {name: m.new_key() for name in ("node_a", "node_b", "cpo", "emsp", "service", "intruder")}
ADDR = {name: m.address_of(key) for name, key in KEYS.items()}

Scenario = Callable[[httpx.AsyncClient], Awaitable[None]]


def _run(scenario: Scenario, store: RegistryStore | None = None) -> None:
    async def go() -> None:
        transport = httpx.ASGITransport(app=registry_app(store))
        async with httpx.AsyncClient(transport=transport, base_url="http://registry") as http:
            await scenario(http)
    asyncio.run(go())


async def _node(http: httpx.AsyncClient, name: str, domain: str, *, key: str | None = None) -> httpx.Response:
    update = m.set_node(ADDR[name], domain)
    return await http.put(f"/registry/nodes/{ADDR[name]}",
                          json={"domain": domain, "signature": m.sign(update, key or KEYS[name])})


async def _party(http: httpx.AsyncClient, name: str, country: str, party_id: str, roles: list[str], node: str,
                 *, key: str | None = None) -> httpx.Response:
    update = m.set_party(ADDR[name], country, party_id, roles, ADDR[node])
    return await http.put(f"/registry/parties/{ADDR[name]}", json={
        "country_code": country, "party_id": party_id, "roles": roles, "operator": ADDR[node],
        "signature": m.sign(update, key or KEYS[name])})


async def _network(http: httpx.AsyncClient) -> None:
    """Two nodes; a CPO on node A, an eMSP on node B."""
    for name, domain in (("node_a", "http://node-a.test"), ("node_b", "http://node-b.test")):
        assert (await _node(http, name, domain)).status_code == 200
    assert (await _party(http, "cpo", "NL", "CPA", ["CPO"], "node_a")).status_code == 200
    assert (await _party(http, "emsp", "DE", "EMB", ["EMSP"], "node_b")).status_code == 200


def test_a_party_is_found_by_its_ocpi_identity_with_its_node_and_its_signed_entry() -> None:
    async def scenario(http: httpx.AsyncClient) -> None:
        await _network(http)
        entry: dict[str, Any] = (await http.get("/registry/parties/nl/cpa")).json()
        assert (entry["address"], entry["roles"], entry["operator"], entry["node"]) == (
            ADDR["cpo"], ["CPO"], ADDR["node_a"], "http://node-a.test")
        # Anyone can check the entry was signed by the party itself, not made up by the registry.
        update = m.set_party(entry["address"], "NL", "CPA", entry["roles"], entry["operator"])
        assert m.signer(update, entry["signature"]) == ADDR["cpo"]
        by_node = (await http.get(f"/registry/nodes/{ADDR['node_b']}")).json()
        assert [p["party_id"] for p in by_node["parties"]] == ["EMB"]
        assert (await http.get("/registry/parties/NL/XXX")).status_code == 404
    _run(scenario)


def test_an_update_signed_by_someone_else_is_refused_naming_the_signer() -> None:
    async def scenario(http: httpx.AsyncClient) -> None:
        await _network(http)
        forged = await _party(http, "cpo", "NL", "CPA", ["CPO"], "node_b", key=KEYS["intruder"])
        assert forged.status_code == 401
        assert ADDR["intruder"] in forged.json()["error"] and ADDR["cpo"] in forged.json()["error"]
        assert (await http.get("/registry/parties/NL/CPA")).json()["operator"] == ADDR["node_a"]  # unchanged
    _run(scenario)


def test_what_another_owns_cannot_be_taken() -> None:
    async def scenario(http: httpx.AsyncClient) -> None:
        await _network(http)
        taken = await _party(http, "intruder", "NL", "CPA", ["CPO"], "node_a")
        assert taken.status_code == 409 and "country_code/party_id" in taken.json()["error"]
        domain = await _node(http, "intruder", "http://node-a.test")
        assert domain.status_code == 409 and "domain" in domain.json()["error"]
        nowhere = await _party(http, "intruder", "FR", "INT", ["CPO"], "service")  # no node of that operator
        assert nowhere.status_code == 409 and "operator" in nowhere.json()["error"]
    _run(scenario)


def test_a_party_moves_to_another_node_and_the_change_log_says_so() -> None:
    async def scenario(http: httpx.AsyncClient) -> None:
        await _network(http)
        seen = (await http.get("/registry/events")).json()[-1]["seq"]
        assert (await _party(http, "cpo", "NL", "CPA", ["CPO"], "node_b")).status_code == 200
        changed = (await http.get("/registry/events", params={"since": seen})).json()
        assert [(e["kind"], e["subject"]) for e in changed] == [("party", ADDR["cpo"])]
        assert (await http.get("/registry/parties/NL/CPA")).json()["node"] == "http://node-b.test"
    _run(scenario)


def test_modules_services_grants_and_their_revocation() -> None:
    async def scenario(http: httpx.AsyncClient) -> None:
        await _network(http)
        modules = m.set_party_modules(ADDR["cpo"], ["locations", "cdrs"], ["tokens", "commands"])
        answer = await http.put(f"/registry/parties/{ADDR['cpo']}/modules", json={
            "sender": ["locations", "cdrs"], "receiver": ["tokens", "commands"],
            "signature": m.sign(modules, KEYS["cpo"])})
        assert answer.status_code == 200
        entry = (await http.get("/registry/parties/NL/CPA")).json()
        assert entry["modules"] == {"sender": ["locations", "cdrs"], "receiver": ["tokens", "commands"]}
        service = m.set_service("settlement", "http://settle.test", ["FORWARD_MODULE_CDRS_SENDER"])
        put = await http.put(f"/registry/services/{ADDR['service']}", json={
            "name": "settlement", "url": "http://settle.test", "permissions": ["FORWARD_MODULE_CDRS_SENDER"],
            "signature": m.sign(service, KEYS["service"])})
        assert put.status_code == 200
        grant = m.create_agreement(ADDR["service"])
        url = f"/registry/agreements/{ADDR['cpo']}/{ADDR['service']}"
        assert (await http.put(url, json={"signature": m.sign(grant, KEYS["cpo"])})).status_code == 200
        assert (await http.get(f"/registry/agreements/{ADDR['cpo']}")).json() == [ADDR["service"]]
        listed = (await http.get(f"/registry/services/{ADDR['service']}")).json()
        assert listed["granted_by"] == [ADDR["cpo"]] and listed["permissions"] == ["FORWARD_MODULE_CDRS_SENDER"]
        assert listed["party"] is None  # the service is not (yet) a party of the network
        assert (await _party(http, "service", "DE", "STL", ["OTHER"], "node_b")).status_code == 200
        listed = (await http.get(f"/registry/services/{ADDR['service']}")).json()
        assert listed["party"] == {"country_code": "DE", "party_id": "STL"}
        revoke = m.revoke_agreement(ADDR["service"])
        assert (await http.request("DELETE", url, json={"signature": m.sign(revoke, KEYS["emsp"])})).status_code == 401
        assert (await http.request("DELETE", url, json={"signature": m.sign(revoke, KEYS["cpo"])})).status_code == 200
        assert (await http.get(f"/registry/agreements/{ADDR['cpo']}")).json() == []
    _run(scenario)


@pytest.mark.parametrize(("body", "field"), [
    ({"country_code": "NL", "party_id": "CPA", "roles": ["CPO"]}, "operator"),
    ({"country_code": "Nl", "party_id": "CPA", "roles": ["CPO"], "operator": "0x0"}, "operator"),
    ({"country_code": "NLD", "party_id": "CPA", "roles": ["CPO"], "signature": "0x00",
      "operator": "0x" + "11" * 20}, "country_code"),
    ({"country_code": "NL", "party_id": "CPA", "roles": ["DRIVER"], "signature": "0x00",
      "operator": "0x" + "11" * 20}, "roles"),
    ({"country_code": "NL", "party_id": "CPA", "roles": ["CPO"], "signature": "0x00",
      "operator": "0x" + "11" * 20}, "signature"),
])
def test_a_malformed_update_is_refused_naming_the_field(body: dict[str, Any], field: str) -> None:
    async def scenario(http: httpx.AsyncClient) -> None:
        answer = await http.put(f"/registry/parties/{ADDR['cpo']}", json=body)
        assert answer.status_code == 400 and answer.json()["error"].startswith(f"{field}:")
    _run(scenario)


def test_bad_addresses_bodies_and_sizes_are_refused() -> None:
    async def scenario(http: httpx.AsyncClient) -> None:
        assert (await http.get("/registry/nodes/not-an-address")).json()["error"].startswith("operator:")
        assert (await http.put(f"/registry/nodes/{ADDR['node_a']}", content=b"[1]")).status_code == 400
        big = await http.put(f"/registry/nodes/{ADDR['node_a']}", content=b" " * (MAX_BODY + 1))
        assert big.status_code == 400 and "larger" in big.json()["error"]
        assert (await http.get("/registry/events", params={"since": "x"})).status_code == 400
    _run(scenario)


def test_the_registry_state_survives_a_restart(tmp_path: Path) -> None:
    path = str(tmp_path / "registry.sqlite")
    _run(_network, RegistryStore(path))
    reopened = RegistryStore(path)
    try:
        assert reopened.party_by_ocpi("DE", "EMB")["node"] == "http://node-b.test"
        assert len(reopened.events()) == 4
    finally:
        reopened.close()


@settings(max_examples=25, deadline=None)
@given(country=st.from_regex(r"[A-Z]{2}", fullmatch=True), party=st.from_regex(r"[A-Z0-9]{3}", fullmatch=True),
       roles=st.lists(st.sampled_from(list(m.Role.__members__)), min_size=1, max_size=3),
       flip=st.integers(min_value=0, max_value=31))
def test_a_signature_recovers_its_owner_and_no_other_update(country: str, party: str, roles: list[str],
                                                              flip: int) -> None:
    update = m.set_party(ADDR["cpo"], country, party, roles, ADDR["node_a"])
    signature = m.sign(update, KEYS["cpo"])
    assert m.signer(update, signature) == ADDR["cpo"]
    tampered = m.Update(update.kind, bytes(b ^ (1 if i == flip else 0) for i, b in enumerate(update.param_hash)))
    assert m.signer(tampered, signature) != ADDR["cpo"]


def test_permissions_name_the_interfaces_they_let_through() -> None:
    assert m.Permission.FORWARD_MODULE_CDRS_SENDER.allows("cdrs", "SENDER")
    assert not m.Permission.FORWARD_MODULE_CDRS_SENDER.allows("cdrs", "RECEIVER")
    assert m.Permission.FORWARD_ALL_RECEIVER.allows("tokens", "RECEIVER")
    assert not m.Permission.FORWARD_ALL_RECEIVER.allows("tokens", "SENDER")
    assert m.Permission.FORWARD_ALL_SENDER.allows("x-settlement", "SENDER")  # a custom module, as OCN nodes do
    assert m.Permission.FORWARD_ALL.allows("anything", "SENDER")
