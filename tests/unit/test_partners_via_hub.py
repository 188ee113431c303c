"""roamcert's reference platforms behind the reference hub (issue 13): each does what its role does, and every
functional module request and answer carries the routing headers the spec's tables ask for
(transport_and_format_message_routing): two CPOs (NL/RCP, and DE/CPB on a platform also holding the eMSP DE/EMB),
two eMSPs (NL/REM, DE/EMB) and an NSP (NL/RNS), all registered with the hub (NL/RHB)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from conformance.core.exchange import Exchange
from conformance.core.runtime import Network
from conformance.ocpi.client import OcpiClient
from conformance.ocpi.routing import Address
from simulators.ocpi.admin import ADMIN_HOOKS
from simulators.ocpi.app import build_app
from simulators.ocpi.party import Party
from simulators.ocpi.references import reference_party
from simulators.ocpi.v2_2_1.addressing import is_hub, reachable
from simulators.ocpi.v2_2_1.charger import present_token
from simulators.ocpi.v2_2_1.chargingprofiles_sender import sender_state
from simulators.ocpi.v2_2_1.commands import command_book
from simulators.ocpi.v2_2_1.commands_sender import send_command
from simulators.ocpi.v2_2_1.credentials import register_with
from simulators.ocpi.v2_2_1.lifecycle import lifecycle
from simulators.ocpi.v2_2_1.partnering import pull, push
from tests.unit.hub_network import DUAL, HubNetwork, hub_network
from tests.unit.platforms import two_platforms

HUB, CPO1, CPO2, EMSP1, EMSP2, NSP = "NL/RHB", "NL/RCP", "DE/CPB", "NL/REM", "DE/EMB", "NL/RNS"
NEVER_APP = ("b3d1f0a2-7c4e-4f55-9a1e-5d2c8e6f0a11", "APP_USER")  # valid, whitelist NEVER: asked in real time


@pytest.fixture()
def net() -> Iterator[HubNetwork]:
    with hub_network(nsp=True) as network:
        yield network


def _nsp(net: HubNetwork) -> Party:
    assert net.nsp is not None
    return net.nsp


def _to_from(headers: Any) -> tuple[str | None, str | None]:
    def address(side: str) -> str | None:
        country, party_id = headers(f"OCPI-{side}-country-code"), headers(f"OCPI-{side}-party-id")
        return f"{country}/{party_id}" if country or party_id else None

    return address("to"), address("from")


def request_routing(x: Exchange) -> tuple[str | None, str | None]:
    """(to, from) of the request's routing headers."""
    return _to_from(x.request_header)


def answer_routing(x: Exchange) -> tuple[str | None, str | None]:
    """(to, from) of the answer's routing headers."""
    return _to_from(x.response_header)


def _at(party: Party, module: str, *, method: str | None = None, direction: str = "inbound") -> list[Exchange]:
    """The exchanges of ``party`` at a ``module`` URL (inbound: requests it answered)."""
    return [x for x in party.log.exchanges if x.direction == direction and f"/{module}" in x.url
            and (method is None or x.method == method)]


def _owners(objects: dict[tuple[str, ...], Any]) -> set[str]:
    return {f"{key[0]}/{key[1]}" for key in objects}


def test_a_platform_knows_its_hub_and_the_parties_behind_it(net: HubNetwork) -> None:
    (peer,) = net.emsp.peers.values()
    assert is_hub(peer)
    cpos = {str(p.address) for p in reachable(net.emsp, "CPO", module="commands", interface="RECEIVER")}
    assert cpos == {CPO1, CPO2}
    # the CPO registered first: it knows the later ones from the hub's pushes, the NSP from its own GET
    assert {str(p.address) for p in reachable(net.cpo, "EMSP")} == {EMSP1, EMSP2}
    assert {str(p.address) for p in reachable(_nsp(net), "CPO")} == {CPO1, CPO2}
    gets = [x for x in _nsp(net).log.exchanges if x.method == "GET" and "/hubclientinfo" in x.url]
    assert gets and all(request_routing(x) == (None, None) for x in gets), "configuration modules are not routed"


def test_the_emsp_pulls_locations_and_tariffs_of_both_cpos_through_the_hub(net: HubNetwork) -> None:
    for module in ("locations", "tariffs"):
        pulled = net.run(pull(net.emsp, module))
        assert pulled.problems == [] and pulled.objects > 0, pulled
        assert _owners(net.emsp.received[module]) == {CPO1, CPO2}
        asked = _at(net.emsp, module, method="GET", direction="callback")
        assert asked and {request_routing(x) for x in asked} == {(HUB, EMSP1)}, "a GET All via the hub"
        assert {answer_routing(x) for x in asked} == {(EMSP1, HUB)}
    # each CPO answered the hub's GET as itself, to the hub
    for platform, party in ((net.cpo, CPO1), (net.dual, CPO2)):
        answered = _at(platform, "locations", method="GET")
        assert answered and {answer_routing(x) for x in answered} == {(HUB, party)}


def test_a_pull_addressed_to_one_cpo_gets_its_objects_only(net: HubNetwork) -> None:
    pulled = net.run(pull(_nsp(net), "tariffs", to=Address("DE", "CPB")))
    assert pulled.problems == [] and pulled.objects > 0
    assert _owners(_nsp(net).received["tariffs"]) == {CPO2}
    asked = _at(_nsp(net), "tariffs", method="GET", direction="callback")
    assert {request_routing(x) for x in asked} == {(CPO2, NSP)}
    assert {answer_routing(x) for x in asked} == {(NSP, CPO2)}


def test_a_cpo_broadcasts_its_locations_to_every_emsp_and_the_nsp_and_no_cpo(net: HubNetwork) -> None:
    pushed = net.run(push(net.cpo, "locations"))
    assert pushed.refused == [] and pushed.objects == len(net.cpo.owned["locations"])
    sent = _at(net.cpo, "locations", method="PUT", direction="callback")
    assert {request_routing(x) for x in sent} == {(HUB, CPO1)}, "a Broadcast Push: to the hub"
    assert {answer_routing(x) for x in sent} == {(CPO1, HUB)}
    for platform, party in ((net.emsp, EMSP1), (net.dual, EMSP2), (_nsp(net), NSP)):
        assert _owners(platform.received.get("locations", {})) == {CPO1}
        arrived = _at(platform, "locations", method="PUT")
        assert arrived and {request_routing(x) for x in arrived} == {(party, HUB)}
        assert {answer_routing(x) for x in arrived} == {(HUB, party)}
    assert not [x for x in _at(net.dual, "locations", method="PUT") if request_routing(x)[0] == CPO2]
    assert not _at(net.cpo, "locations", method="PUT"), "the sender hears nothing back"


def test_an_emsp_broadcasts_its_tokens_to_both_cpos(net: HubNetwork) -> None:
    pushed = net.run(push(net.emsp, "tokens"))
    assert pushed.refused == [] and pushed.objects == len(net.emsp.owned["tokens"])
    assert {request_routing(x) for x in _at(net.emsp, "tokens", direction="callback")} == {(HUB, EMSP1)}
    for platform, party in ((net.cpo, CPO1), (net.dual, CPO2)):
        assert _owners(platform.received["tokens"]) == {EMSP1}
        arrived = _at(platform, "tokens", method="PUT")
        assert {request_routing(x) for x in arrived} == {(party, HUB)}
        assert {answer_routing(x) for x in arrived} == {(HUB, party)}
    assert not _at(_nsp(net), "tokens") and not _at(net.emsp, "tokens", method="PUT")


def test_the_push_hook_addresses_one_party_when_told(net: HubNetwork) -> None:
    answer = net.run(ADMIN_HOOKS["push"].handler(net.emsp, {"module": "tokens", "to_country_code": "DE",
                                                            "to_party_id": "CPB"}))
    assert answer["peers"] == 1 and answer["refused"] == [], answer
    assert _owners(net.dual.received["tokens"]) == {EMSP1} and not net.cpo.received.get("tokens")
    assert {request_routing(x) for x in _at(net.emsp, "tokens", direction="callback")} == {(CPO2, EMSP1)}


def _free_evse(cpo: Party) -> tuple[dict[str, Any], dict[str, Any]]:
    for location in cpo.owned["locations"]:
        for evse in location.get("evses", []):
            if evse.get("status") == "AVAILABLE" and "START_SESSION_CONNECTOR_REQUIRED" not in evse.get(
                    "capabilities", []) and (evse.get("connectors") or [{}])[0].get("tariff_ids"):
                return location, evse
    raise AssertionError("the seed has no free EVSE")


def test_a_charge_with_another_emsps_token_reaches_that_emsp_only(net: HubNetwork) -> None:
    location, evse = _free_evse(net.cpo)
    presented = net.run(present_token(net.cpo, uid=NEVER_APP[0], token_type=NEVER_APP[1], location_id=location["id"],
                                      evse_uid=evse["uid"], country_code="DE", party_id="EMB"))
    assert presented.asked and presented.session is not None, presented
    net.run(lifecycle(net.cpo).advance(30))
    cdr = net.run(lifecycle(net.cpo).stop(presented.session["id"]))

    authorized = _at(net.dual, "tokens", method="POST")
    assert [request_routing(x) for x in authorized] == [(EMSP2, CPO1)]
    assert [answer_routing(x) for x in authorized] == [(CPO1, EMSP2)]
    assert authorized[0].response_json()["data"]["allowed"] == "ALLOWED"
    for module in ("sessions", "cdrs", "locations"):
        arrived = _at(net.dual, module)
        assert arrived, module
        assert {request_routing(x) for x in arrived} == {(EMSP2, CPO1)}, module
        assert {answer_routing(x) for x in arrived} == {(CPO1, EMSP2)}, module
        assert not _at(net.emsp, module) and not _at(_nsp(net), module), f"{module} reached another party"
    assert any(c["id"] == cdr["id"] for c in net.dual.received["cdrs"].values())
    assert {s["status"] for s in net.dual.received["sessions"].values()} == {"COMPLETED"}


def _settle(net: HubNetwork, done: Any) -> None:
    for _ in range(100):
        if done():
            return
        net.run(asyncio.sleep(0.01))
    raise AssertionError("nothing arrived")


def test_the_emsp_starts_a_session_at_the_second_cpo_and_hears_the_result(net: HubNetwork) -> None:
    location, evse = _free_evse(net.dual)
    answer = net.run(send_command(net.emsp, {"command": "START_SESSION", "location_id": location["id"],
                                             "evse_uid": evse["uid"], "to_country_code": "DE",
                                             "to_party_id": "CPB"}))
    assert answer["status_code"] == 1000 and answer["result"] == "ACCEPTED", answer
    assert answer["response_url"].startswith(net.hub.base_url), "the CPO can only reach the eMSP through the hub"
    sent = command_book(net.emsp).sent
    _settle(net, lambda: any(s.results for s in sent.values()))
    (command,) = sent.values()
    assert command.results[0].body["result"] == "ACCEPTED"

    (received,) = _at(net.dual, "commands", method="POST")
    assert request_routing(received) == (CPO2, EMSP1) and answer_routing(received) == (EMSP1, CPO2)
    (result,) = _at(net.emsp, "commands", method="POST")
    assert request_routing(result) == (EMSP1, CPO2) and answer_routing(result) == (CPO2, EMSP1)
    assert not _at(net.cpo, "commands"), "the other CPO heard nothing"
    # the Session the command started goes to the eMSP whose token it is
    assert {request_routing(x) for x in _at(net.emsp, "sessions")} == {(EMSP1, CPO2)}
    # which stops it at the CPO owning it, as the Session's own party (not as the hub it came through)
    (session,) = net.emsp.received["sessions"].values()
    stop = net.run(send_command(net.emsp, {"command": "STOP_SESSION", "session_id": session["id"]}))
    assert stop["result"] == "ACCEPTED", stop
    _settle(net, lambda: any(s.command == "STOP_SESSION" and s.results for s in sent.values()))
    assert net.emsp.received["sessions"][next(iter(net.emsp.received["sessions"]))]["status"] == "COMPLETED"


def test_a_command_goes_to_the_cpo_owning_the_location(net: HubNetwork) -> None:
    net.run(pull(net.emsp, "locations"))
    location, evse = _free_evse(net.cpo)
    answer = net.run(send_command(net.emsp, {"command": "START_SESSION", "location_id": location["id"],
                                             "evse_uid": evse["uid"]}))
    assert answer["result"] == "ACCEPTED", answer
    (received,) = _at(net.cpo, "commands", method="POST")
    assert request_routing(received) == (CPO1, EMSP1)
    assert not _at(net.dual, "commands")


def _hook(net: HubNetwork, name: str, party: Party, **payload: str) -> dict[str, Any]:
    result: dict[str, Any] = net.run(ADMIN_HOOKS[name].handler(party, dict(payload)))
    pending = net.dual.state["chargingprofiles"].tasks if "chargingprofiles" in net.dual.state else set()
    if pending:  # the charger's answer follows the CPO's
        net.run(asyncio.wait(set(pending), timeout=10))
    return result


def test_the_emsp_sets_a_charging_profile_at_the_second_cpo_and_hears_of_it(net: HubNetwork) -> None:
    session = next(s for s in net.dual.owned["sessions"] if s["status"] == "ACTIVE")
    answer = _hook(net, "send_charging_profile", net.emsp, session_id=session["id"], to_country_code="DE",
                   to_party_id="CPB")
    assert answer["answer"]["data"]["result"] == "ACCEPTED" and answer["response_url"].startswith(net.hub.base_url)
    assert [r.result for r in sender_state(net.emsp).requests.values()] == [{"result": "ACCEPTED"}]
    assert _hook(net, "change_active_charging_profile", net.dual, session_id=session["id"]) == {"pushed": 1}
    assert session["id"].upper() in sender_state(net.emsp).active
    arrived = _at(net.dual, "chargingprofiles")
    assert {request_routing(x) for x in arrived} == {(CPO2, EMSP1)}
    told = _at(net.emsp, "chargingprofiles")
    assert {x.method for x in told} == {"POST", "PUT"}, "the result, then the new ActiveChargingProfile"
    assert {request_routing(x) for x in told} == {(EMSP1, CPO2)}
    assert {answer_routing(x) for x in told} == {(CPO2, EMSP1)}


def _dual_client(net: HubNetwork) -> OcpiClient:
    """The dual platform called straight with the hub's token, as the hub would."""
    (peer,) = net.dual.peers.values()
    return OcpiClient(net.network.client(), net.hub.log, version="2.2.1", token=peer.token_in)


def test_a_platform_with_two_parties_answers_as_the_one_addressed_and_refuses_strangers(net: HubNetwork) -> None:
    url = net.dual.module_url("2.2.1", "locations", "SENDER")
    client = _dual_client(net)

    def get(to: tuple[str, str]) -> Exchange:
        headers = {"OCPI-from-country-code": "NL", "OCPI-from-party-id": "RHB",
                   "OCPI-to-country-code": to[0], "OCPI-to-party-id": to[1]}
        exchange: Exchange = net.run(client.request("GET", url, headers=headers))
        return exchange

    own = get(("DE", "CPB"))
    assert own.response_json()["status_code"] == 1000 and own.response_json()["data"]
    assert answer_routing(own) == (HUB, CPO2)
    emsp = get(("de", "emb"))  # CiStrings: the case does not matter
    assert emsp.response_json()["data"] == [], "the eMSP party owns no Locations"
    assert answer_routing(emsp) == (HUB, "de/emb")
    stranger = get(("NL", "XXX"))
    assert stranger.response_json()["status_code"] == 2001


def test_configuration_modules_carry_no_routing_headers(net: HubNetwork) -> None:
    for platform in (net.cpo, net.emsp, net.dual, _nsp(net)):
        for x in platform.log.exchanges:
            if any(f"/{m}" in x.url for m in ("versions", "credentials", "hubclientinfo")) \
                    or x.url.endswith(("/2.2.1", "/cpo", "/emsp")):
                assert request_routing(x) == (None, None) and answer_routing(x) == (None, None), x.url


# -- peer to peer, no hub ------------------------------------------------------------------------------------------

def test_peer_to_peer_between_single_parties_carries_no_routing_headers() -> None:
    with two_platforms("CPO") as (cpo, emsp, loop):
        loop.run_until_complete(push(cpo, "locations"))
        loop.run_until_complete(pull(emsp, "tariffs"))
        exchanges = _at(cpo, "locations", direction="callback") + _at(emsp, "tariffs", direction="callback")
        assert exchanges and all(request_routing(x) == (None, None) and answer_routing(x) == (None, None)
                                 for x in exchanges)


def test_peer_to_peer_with_a_platform_of_two_parties_is_routed() -> None:
    network = Network()
    cpo = reference_party("CPO", base_url="http://cpo.test")
    dual = reference_party("CPO+EMSP", base_url="http://dual.test", identities=DUAL)
    loop = asyncio.new_event_loop()
    try:
        for party in (cpo, dual):
            party.http_factory = network.client
            network.mount(party.base_url, build_app(party))
        loop.run_until_complete(register_with(dual, cpo.versions_url(), cpo.issue_token_a()))
        loop.run_until_complete(push(cpo, "locations"))
        loop.run_until_complete(push(dual, "tokens"))
        pushed = _at(cpo, "locations", direction="callback")
        assert pushed and {request_routing(x) for x in pushed} == {(EMSP2, CPO1)}
        assert {answer_routing(x) for x in pushed} == {(CPO1, EMSP2)}
        tokens = _at(dual, "tokens", direction="callback")
        assert tokens and {request_routing(x) for x in tokens} == {(CPO1, EMSP2)}
        assert {answer_routing(x) for x in tokens} == {(EMSP2, CPO1)}
    finally:
        loop.run_until_complete(network.aclose())
        loop.close()
