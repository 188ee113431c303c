"""Reference platforms acting on their own initiative as their role's back-end would: an eMSP and an NSP pull a
CPO's Locations and Tariffs page by page; a CPO pushes its Locations and Tariffs, an eMSP its Tokens, to each peer
declaring the Receiver. All in-process, over the platforms' real routes and the credentials handshake."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from conformance.core.runtime import Network
from simulators.ocpi.app import build_app
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1.credentials import register_with
from simulators.ocpi.v2_2_1.partnering import pull, push
from simulators.ocpi.v2_2_1.reference import reference_party


def _connected(*roles: str, **kwargs: Any) -> tuple[Network, dict[str, Party]]:
    """Reference platforms on one in-process network, each non-CPO registered with the CPO."""
    network = Network()
    parties = {role: reference_party(role, base_url=f"http://{role.lower()}.partnering.test", **kwargs)
               for role in ("CPO", *roles)}
    for party in parties.values():
        network.mount(party.base_url, build_app(party, admin=True))
        party.http_factory = network.client
    return network, parties


async def _register(party: Party, cpo: Party) -> None:
    await register_with(party, cpo.versions_url(), cpo.issue_token_a())


@pytest.mark.parametrize("role", ["EMSP", "NSP"])
def test_a_pull_fetches_every_location_and_tariff_following_the_links(role: str) -> None:
    network, parties = _connected(role)
    cpo, puller = parties["CPO"], parties[role]

    async def go() -> tuple[Any, Any]:
        await _register(puller, cpo)
        try:
            return await pull(puller, "locations", max_pages=100), await pull(puller, "tariffs", max_pages=100)
        finally:
            await network.aclose()

    locations, tariffs = asyncio.run(go())
    assert (locations.peers, locations.problems, tariffs.problems) == (1, [], [])
    owned = {module: {(o["country_code"], o["party_id"], o["id"]) for o in cpo.owned[module]}
             for module in ("locations", "tariffs")}
    assert locations.objects == len(owned["locations"]) and tariffs.objects == len(owned["tariffs"])
    assert set(puller.received["locations"]) == owned["locations"]
    assert set(puller.received["tariffs"]) == owned["tariffs"]
    assert locations.pages > 1, "the CPO's list fits one page: the Links were never followed"
    gets = [x for x in puller.log.exchanges if x.method == "GET" and "/locations" in x.url
            and x.direction == "callback"]
    assert len(gets) == locations.pages


def test_a_pull_stops_at_its_page_bound_and_says_so() -> None:
    network, parties = _connected("EMSP")

    async def go() -> Any:
        await _register(parties["EMSP"], parties["CPO"])
        try:
            return await pull(parties["EMSP"], "locations", max_pages=1)
        finally:
            await network.aclose()

    pulled = asyncio.run(go())
    assert pulled.pages == 1 and pulled.problems and "after 1 page(s)" in pulled.problems[0]


def test_a_cpo_pushes_its_locations_and_an_emsp_its_tokens() -> None:
    network, parties = _connected("EMSP")
    cpo, emsp = parties["CPO"], parties["EMSP"]

    async def go() -> tuple[Any, Any]:
        await _register(emsp, cpo)
        try:
            return await push(cpo, "locations"), await push(emsp, "tokens")
        finally:
            await network.aclose()

    locations, tokens = asyncio.run(go())
    assert (locations.peers, locations.refused, tokens.peers, tokens.refused) == (1, [], 1, [])
    assert locations.objects == len(cpo.owned["locations"]) and tokens.objects == len(emsp.owned["tokens"])
    assert set(emsp.received["locations"]) == {(o["country_code"], o["party_id"], o["id"])
                                               for o in cpo.owned["locations"]}
    assert len(cpo.received["tokens"]) == len(emsp.owned["tokens"])


def test_the_hooks_name_a_module_the_role_does_not_pull_or_push() -> None:
    cpo = reference_party("CPO", base_url="http://cpo.partnering.test")

    async def go() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=build_app(cpo))
        async with httpx.AsyncClient(transport=transport, base_url=cpo.base_url) as http:
            return [await http.post("/admin/push", json={"module": "tokens"}),
                    await http.post("/admin/pull", json={"module": "locations"})]

    push_tokens, pull_locations = asyncio.run(go())
    assert push_tokens.status_code == 400 and "locations, tariffs" in push_tokens.json()["error"]
    assert pull_locations.status_code == 404  # a CPO has no pull hook at all


def test_two_reference_cpos_of_other_identities_own_their_own_objects() -> None:
    from simulators.ocpi.party import Identity

    other = Identity("CPO", "DE", "RC2", "roamcert second reference CPO")
    first = reference_party("CPO", base_url="http://cpo1.partnering.test")
    second = reference_party("CPO+EMSP", base_url="http://cpo2.partnering.test", identities=[other])
    assert second.identity("CPO") == other and second.identity("EMSP").party_id == "REM"
    assert {(o["country_code"], o["party_id"]) for o in second.owned["locations"]} == {("DE", "RC2")}
    assert {(o["country_code"], o["party_id"]) for o in first.owned["locations"]} == {("NL", "RCP")}
    with pytest.raises(ValueError, match="does not hold"):
        reference_party("EMSP", base_url="http://x.test", identities=[other])
