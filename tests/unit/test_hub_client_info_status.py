"""The reference hub's ClientInfo through a party's life (mod_hub_client_info_hub_connection_type_enum): PLANNED
while expected and never connected, CONNECTED once registered, SUSPENDED once its platform unregistered, OFFLINE
while it does not answer the still-alive check (mod_hub_client_info_flow) and CONNECTED again when it does; each
change pushed to the other connected platforms, and the list kept in a store across a restart."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from conformance.core.exchange import Exchange
from simulators.ocpi.app import build_app
from simulators.ocpi.background import lifespan
from simulators.ocpi.party import Identity, Party
from simulators.ocpi.store import Keeper, MemoryStore
from simulators.ocpi.v2_2_1.hub import ExpectedParty, reference_hub
from simulators.ocpi.v2_2_1.hub.clientinfo import still_alive
from simulators.ocpi.v2_2_1.hub.table import Address, hub_state
from simulators.ocpi.v2_2_1.reference import build_reference
from tests.unit.hub_network import HubNetwork, hub_network, routing

CPO, EMSP, CPO2, EMSP2, NEW_CPO = ("NL", "RCP"), ("NL", "REM"), ("DE", "CPB"), ("DE", "EMB"), ("NL", "XPC")
EXPECTED = ExpectedParty(Address(*NEW_CPO), "CPO")


@pytest.fixture
def net() -> Iterator[HubNetwork]:
    with hub_network(expected=[EXPECTED]) as network:
        yield network


def _listed(net: HubNetwork, platform: Party) -> dict[tuple[str, str], str]:
    """The hub's ClientInfo list as ``platform`` GETs it (the Sender interface)."""
    (hub_peer,) = platform.peers.values()
    answer = net.call(platform, "GET", hub_peer.endpoint("hubclientinfo", "SENDER") or "", {})
    return {(info["country_code"], info["party_id"]): info["status"] for info in answer.response_json()["data"]}


def _kept(platform: Party) -> dict[tuple[str, str], str]:
    """The ClientInfo ``platform`` was told of (pushed or read), by party."""
    return {(key[0], key[1]): info["status"] for key, info in platform.received.get("hubclientinfo", {}).items()}


def _location_put(net: HubNetwork, to: tuple[str, str]) -> Exchange:
    location = dict(net.cpo.owned["locations"][0])
    url = net.url("locations", "RECEIVER", f"NL/RCP/{location['id']}")
    return net.call(net.cpo, "PUT", url, routing(to, CPO), json_body=location)


def _versions_gets(hub: Party, platform: Party) -> int:
    return sum(1 for x in hub.log.exchanges if x.method == "GET" and x.url == platform.versions_url())


def _silence(net: HubNetwork, platform: Party) -> None:
    async def silent(scope: Any, receive: Any, send: Any) -> None:
        await asyncio.sleep(30)

    net.network.mount(platform.base_url, silent)


# PLANNED


def test_an_expected_party_is_planned_until_it_registers_then_connected_and_announced(net: HubNetwork) -> None:
    # the platforms registering after the hub was configured keep it PLANNED: none of them registered it
    assert net.hub.state["hub"].clients[NEW_CPO]["status"] == "PLANNED"
    assert _listed(net, net.emsp)[NEW_CPO] == "PLANNED"
    assert _kept(net.cpo)[NEW_CPO] == "PLANNED"  # read with the list after registering
    pushes = len([x for x in net.emsp.log.exchanges if x.method == "PUT" and "/hubclientinfo/NL/XPC" in x.url])
    newcomer = build_reference((Identity("CPO", "NL", "XPC", "expected CPO"),), "http://new.test", "conformant", True)
    newcomer.http_factory = net.network.client
    net.register(newcomer)
    assert net.hub.state["hub"].clients[NEW_CPO]["status"] == "CONNECTED"
    assert _kept(net.emsp)[NEW_CPO] == _kept(net.dual)[NEW_CPO] == "CONNECTED"
    assert len([x for x in net.emsp.log.exchanges
                if x.method == "PUT" and "/hubclientinfo/NL/XPC" in x.url]) == pushes + 1


def test_a_request_to_a_planned_party_is_refused_4003_and_not_forwarded(net: HubNetwork) -> None:
    before = len(net.hub.log.exchanges)
    answer = _location_put(net, NEW_CPO)
    assert answer.response_json()["status_code"] == 4003
    assert "PLANNED" in answer.response_json()["status_message"]
    assert [x.direction for x in net.hub.log.exchanges[before:]] == ["inbound"]  # the hub called no one


def test_a_party_expected_later_is_pushed_planned_to_the_connected_platforms() -> None:
    with hub_network() as net:
        async def expect() -> Any:
            answer = await net.network.client().post(f"{net.hub.base_url}/admin/expect", json={
                "country_code": "fr", "party_id": "abc", "role": "emsp"})
            return answer.json()

        assert net.run(expect()) == {"planned": True, "status": "PLANNED"}
        assert _kept(net.cpo)[("FR", "ABC")] == _kept(net.emsp)[("FR", "ABC")] == "PLANNED"
        assert net.cpo.received["hubclientinfo"][("FR", "ABC")]["role"] == "EMSP"
        # a party already known keeps its status
        assert net.run(net.network.client().post(f"{net.hub.base_url}/admin/expect", json={
            "country_code": "NL", "party_id": "REM", "role": "EMSP"})).json() == {"planned": False,
                                                                                  "status": "CONNECTED"}


def test_an_expected_party_is_written_cc_party_role() -> None:
    assert ExpectedParty.parse("nl/abc/emsp") == ExpectedParty(Address("NL", "ABC"), "EMSP")
    for wrong in ("NL/ABC", "NL/ABCD/CPO", "NL/ABC/DRIVER"):
        with pytest.raises(ValueError, match="COUNTRY_CODE/PARTY_ID/ROLE"):
            ExpectedParty.parse(wrong)


# SUSPENDED


def test_an_unregistered_platforms_parties_are_suspended_for_every_other_platform_and_refused_4003(
        net: HubNetwork) -> None:
    (hub_peer,) = net.dual.peers.values()
    told = len([x for x in net.hub.log.exchanges if x.url.startswith(net.dual.base_url)])
    assert net.call(net.dual, "DELETE", hub_peer.endpoint("credentials") or "", {}).status == 200
    for platform in (net.cpo, net.emsp):
        assert _kept(platform)[CPO2] == _kept(platform)[EMSP2] == "SUSPENDED"
        assert _listed(net, platform)[CPO2] == "SUSPENDED"
    assert _listed(net, net.emsp)[NEW_CPO] == "PLANNED"  # never connected: not suspended
    # the platform that left is told nothing more
    assert len([x for x in net.hub.log.exchanges if x.url.startswith(net.dual.base_url)]) == told
    answer = _location_put(net, EMSP2)
    assert answer.response_json()["status_code"] == 4003 and "SUSPENDED" in answer.response_json()["status_message"]


# OFFLINE: the still-alive check


def test_a_still_alive_round_asks_only_the_platforms_quiet_for_long_enough() -> None:
    with hub_network(timeout=0.2) as net:
        state = hub_state(net.hub)
        now = [1000.0]
        state.monotonic = lambda: now[0]
        state.heard.clear()
        net.run(still_alive(net.hub))  # everyone answers: heard at 1000
        asked = {p.base_url: _versions_gets(net.hub, p) for p in (net.cpo, net.emsp, net.dual)}
        now[0] += 30
        _location_put(net, EMSP)  # the CPO calls, the eMSP answers: both heard at 1030
        now[0] += 40
        assert net.run(still_alive(net.hub, quiet_for=60)) == {"DE/CPB": "CONNECTED", "DE/EMB": "CONNECTED"}
        assert _versions_gets(net.hub, net.dual) == asked[net.dual.base_url] + 1
        assert _versions_gets(net.hub, net.cpo) == asked[net.cpo.base_url]
        assert _versions_gets(net.hub, net.emsp) == asked[net.emsp.base_url]


def test_a_platform_that_stops_answering_goes_offline_and_comes_back_connected() -> None:
    with hub_network(timeout=0.2) as net:
        _silence(net, net.emsp)
        assert net.run(still_alive(net.hub))["NL/REM"] == "OFFLINE"
        assert _kept(net.cpo)[EMSP] == _kept(net.dual)[EMSP] == "OFFLINE"
        assert _location_put(net, EMSP).response_json()["status_code"] == 4003
        # an OFFLINE platform is asked again in every round, however recently it was heard from
        net.network.mount(net.emsp.base_url, build_app(net.emsp))
        assert net.run(still_alive(net.hub, quiet_for=3600)) == {"NL/REM": "CONNECTED"}
        assert _kept(net.cpo)[EMSP] == _kept(net.dual)[EMSP] == "CONNECTED"
        assert _location_put(net, EMSP).response_json()["status_code"] == 1000


def test_a_served_hub_runs_the_still_alive_check_on_its_own_while_its_lifespan_lasts() -> None:
    with hub_network(timeout=0.1) as net:
        hub_state(net.hub).still_alive = 0.05
        _silence(net, net.emsp)

        async def served_for(seconds: float) -> None:
            async with lifespan(net.hub):
                await asyncio.sleep(seconds)

        net.run(served_for(0.6))
        assert net.hub.state["hub"].clients[EMSP]["status"] == "OFFLINE"
        assert _kept(net.cpo)[EMSP] == "OFFLINE"
        rounds = _versions_gets(net.hub, net.emsp)
        net.run(asyncio.sleep(0.2))  # the lifespan ended: no more rounds
        assert _versions_gets(net.hub, net.emsp) == rounds


def test_a_hub_without_an_interval_runs_no_still_alive_check() -> None:
    with hub_network() as net:
        async def served_for(seconds: float) -> None:
            async with lifespan(net.hub):
                await asyncio.sleep(seconds)

        before = _versions_gets(net.hub, net.emsp)
        net.run(served_for(0.2))
        assert _versions_gets(net.hub, net.emsp) == before
    with pytest.raises(ValueError, match="still-alive"):
        reference_hub("http://hub.test", still_alive=-1)


# Durable


def test_a_restarted_hub_restores_its_client_info_and_routes_at_once(net: HubNetwork) -> None:
    store = MemoryStore()
    Keeper(net.hub, store).save()
    (hub_peer,) = net.dual.peers.values()
    assert net.call(net.dual, "DELETE", hub_peer.endpoint("credentials") or "", {}).status == 200
    Keeper(net.hub, store).save()
    before = dict(net.hub.state["hub"].clients)
    # the restart: a new hub at the same URL, configured to expect no one, restored from the store
    restarted = reference_hub(net.hub.base_url)
    restarted.http_factory = net.network.client
    Keeper(restarted, store).restore()
    assert restarted.state["hub"].clients == {key: info for key, info in before.items() if key != NEW_CPO}
    assert restarted.state["hub"].clients[CPO2]["status"] == "SUSPENDED"
    net.network.mount(restarted.base_url, build_app(restarted))
    net.hub = restarted
    answer = _location_put(net, EMSP)
    assert answer.response_json()["status_code"] == 1000
    assert _location_put(net, EMSP2).response_json()["status_code"] == 4003


def test_the_store_keeps_a_status_change_made_outside_any_request() -> None:
    with hub_network(timeout=0.2) as net:
        store = MemoryStore()
        Keeper(net.hub, store)
        _silence(net, net.emsp)
        net.run(still_alive(net.hub))  # no request to the hub: the change itself is saved
        (saved,) = [info for info in store.items()["hub.clientinfo"] if info["party_id"] == "REM"]
        assert saved["status"] == "OFFLINE"
