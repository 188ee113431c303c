"""The reference hub routing between reference platforms registered with it (docs/hub.md): party to party, Broadcast
Push, Open Routing, GET All via the hub, and the hub's own errors (transport_and_format_message_routing,
status_codes_4xxx_hub_errors)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from conformance.core.exchange import Exchange
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1.hub.delivery import ModuleCall
from tests.unit.hub_network import HubNetwork, hub_network, routing

CPO, EMSP, CPO2, EMSP2, HUB = ("NL", "RCP"), ("NL", "REM"), ("DE", "CPB"), ("DE", "EMB"), ("NL", "RHB")


@pytest.fixture
def net() -> Iterator[HubNetwork]:
    with hub_network() as network:
        yield network


def _inbound(party: Party) -> list[Exchange]:
    return [x for x in party.log.exchanges if x.direction == "inbound"]


def _routed_to(exchange: Exchange) -> tuple[str | None, str | None]:
    return (exchange.request_header("OCPI-to-country-code"), exchange.request_header("OCPI-to-party-id"))


def _routed_from(exchange: Exchange) -> tuple[str | None, str | None]:
    return (exchange.request_header("OCPI-from-country-code"), exchange.request_header("OCPI-from-party-id"))


def _status(exchange: Exchange) -> Any:
    return exchange.response_json()["status_code"]


def _location(net: HubNetwork, owner: Party) -> dict[str, Any]:
    return dict(owner.owned["locations"][0])


def test_every_party_of_every_platform_is_connected_after_the_handshake(net: HubNetwork) -> None:
    clients = net.hub.state["hub"].clients
    assert {key: (info["role"], info["status"]) for key, info in clients.items()} == {
        CPO: ("CPO", "CONNECTED"), EMSP: ("EMSP", "CONNECTED"), CPO2: ("CPO", "CONNECTED"),
        EMSP2: ("EMSP", "CONNECTED")}
    # the hub reports itself only as role HUB (credentials_credentials_object)
    (hub_peer,) = net.emsp.peers.values()
    assert [role["role"] for role in hub_peer.roles] == ["HUB"]
    # platforms already connected were told of the parties registering after them
    assert {key: info["status"] for key, info in net.cpo.received["hubclientinfo"].items()} == {
        EMSP: "CONNECTED", CPO2: "CONNECTED", EMSP2: "CONNECTED"}


def test_a_push_addressed_to_one_emsp_reaches_only_it_with_new_request_id_and_same_correlation_id(
        net: HubNetwork) -> None:
    location = _location(net, net.cpo)
    url = net.url("locations", "RECEIVER", f"NL/RCP/{location['id']}")
    answer = net.call(net.cpo, "PUT", url, routing(EMSP, CPO), json_body=location, correlation_id="corr-42")
    assert answer.status == 201 and _status(answer) == 1000
    assert ("NL", "RCP", location["id"]) in net.emsp.received["locations"]
    assert not net.dual.received.get("locations")
    (delivered,) = [x for x in _inbound(net.emsp) if x.method == "PUT" and "/locations/" in x.url]
    assert _routed_to(delivered) == EMSP and _routed_from(delivered) == CPO
    assert delivered.request_header("X-Correlation-ID") == "corr-42"
    assert delivered.request_header("X-Request-ID") != answer.request_header("X-Request-ID")
    # the answer comes back to the caller with its own request id, routed to it from the receiver
    assert answer.response_header("X-Request-ID") == answer.request_header("X-Request-ID")
    assert answer.response_header("X-Correlation-ID") == "corr-42"
    assert (answer.response_header("OCPI-to-party-id"), answer.response_header("OCPI-from-party-id")) == ("RCP",
                                                                                                          "REM")


def test_a_broadcast_push_reaches_every_emsp_and_no_cpo(net: HubNetwork) -> None:
    location = _location(net, net.cpo)
    url = net.url("locations", "RECEIVER", f"NL/RCP/{location['id']}")
    answer = net.call(net.cpo, "PUT", url, routing(HUB, CPO), json_body=location)
    assert answer.status == 200 and _status(answer) == 1000
    assert (answer.response_header("OCPI-from-country-code"), answer.response_header("OCPI-from-party-id")) == HUB
    for emsp, address in ((net.emsp, EMSP), (net.dual, EMSP2)):
        assert ("NL", "RCP", location["id"]) in emsp.received["locations"]
        (delivered,) = [x for x in _inbound(emsp) if x.method == "PUT" and "/locations/" in x.url]
        assert _routed_to(delivered) == address and _routed_from(delivered) == HUB
    assert not [x for x in _inbound(net.cpo) if "/locations" in x.url]


def test_a_broadcast_from_a_platform_does_not_come_back_to_it(net: HubNetwork) -> None:
    location = _location(net, net.dual)
    url = net.url("locations", "RECEIVER", f"DE/CPB/{location['id']}")
    answer = net.call(net.dual, "PUT", url, routing(HUB, CPO2), json_body=location)
    assert _status(answer) == 1000
    assert ("DE", "CPB", location["id"]) in net.emsp.received["locations"]
    assert not net.dual.received.get("locations")


def test_an_emsp_gets_one_location_from_one_cpo_through_the_hub_unchanged(net: HubNetwork) -> None:
    location_id = net.dual.owned["locations"][3]["id"]
    answer = net.call(net.emsp, "GET", net.url("locations", "SENDER", location_id), routing(CPO2, EMSP))
    assert _status(answer) == 1000 and answer.response_json()["data"]["party_id"] == "CPB"
    (served,) = [x for x in _inbound(net.dual) if x.url.endswith(f"/sender/locations/{location_id}")]
    assert answer.raw_response_body == served.raw_response_body  # relayed as the CPO gave it
    assert not [x for x in _inbound(net.cpo) if "/sender/locations" in x.url]


@pytest.mark.parametrize("to", [HUB, None], ids=["to-hub", "no-to-headers"])
def test_get_all_via_the_hub_combines_both_cpos_with_links_at_the_hub(net: HubNetwork,
                                                                    to: tuple[str, str] | None) -> None:
    url: str | None = net.url("locations", "SENDER")
    seen: list[tuple[str, str]] = []
    pages = 0
    while url is not None:
        answer = net.call(net.emsp, "GET", url, routing(to, EMSP))
        pages += 1
        assert _status(answer) == 1000 and answer.response_header("X-Total-Count") == "60"
        assert (answer.response_header("OCPI-from-country-code"), answer.response_header("OCPI-from-party-id")) \
            == HUB
        seen.extend((item["party_id"], item["id"]) for item in answer.response_json()["data"])
        link = answer.response_header("Link")
        url = link.split(">")[0].removeprefix("<") if link else None
        assert url is None or url.startswith(net.url("locations", "SENDER") + "?")
    assert pages == 6 and len(set(seen)) == 60
    assert {owner for owner, _ in seen} == {"RCP", "CPB"}
    # the hub read each CPO with its own routing: to that CPO, from the hub
    reads = [x for x in _inbound(net.cpo) if "/sender/locations" in x.url]
    assert reads and all(_routed_to(x) == CPO and _routed_from(x) == HUB for x in reads)


def test_a_get_all_of_a_cpo_leaves_out_the_objects_of_its_own_platform(net: HubNetwork) -> None:
    answer = net.call(net.dual, "GET", net.url("tokens", "SENDER"), routing(HUB, CPO2))
    owners = {item["party_id"] for item in answer.response_json()["data"]}
    assert owners == {"REM"}  # the eMSP DE/EMB shares the caller's platform


def test_an_unknown_receiver_is_4001(net: HubNetwork) -> None:
    location = _location(net, net.cpo)
    url = net.url("locations", "RECEIVER", f"NL/RCP/{location['id']}")
    answer = net.call(net.cpo, "PUT", url, routing(("FR", "XXX"), CPO), json_body=location)
    assert answer.status == 200 and _status(answer) == 4001
    assert not net.emsp.received.get("locations") and not net.dual.received.get("locations")


def test_a_party_whose_platform_unregistered_is_suspended_and_unreachable_4003(net: HubNetwork) -> None:
    (hub_peer,) = net.dual.peers.values()
    assert net.call(net.dual, "DELETE", hub_peer.endpoint("credentials") or "", {}).status == 200
    clients = net.hub.state["hub"].clients
    assert clients[CPO2]["status"] == clients[EMSP2]["status"] == "SUSPENDED"
    assert net.emsp.received["hubclientinfo"][EMSP2]["status"] == "SUSPENDED"
    location = _location(net, net.cpo)
    url = net.url("locations", "RECEIVER", f"NL/RCP/{location['id']}")
    answer = net.call(net.cpo, "PUT", url, routing(EMSP2, CPO), json_body=location)
    assert _status(answer) == 4003


def test_a_stopped_receiver_times_out_4002_and_is_announced_offline() -> None:
    with hub_network(timeout=0.2) as net:
        async def silent(scope: Any, receive: Any, send: Any) -> None:
            import asyncio

            await asyncio.sleep(30)

        net.network.mount(net.emsp.base_url, silent)
        location = _location(net, net.cpo)
        url = net.url("locations", "RECEIVER", f"NL/RCP/{location['id']}")
        answer = net.call(net.cpo, "PUT", url, routing(EMSP, CPO), json_body=location)
        assert answer.status == 200 and _status(answer) == 4002
        assert net.hub.state["hub"].clients[EMSP]["status"] == "OFFLINE"
        assert net.dual.received["hubclientinfo"][EMSP]["status"] == "OFFLINE"
        assert net.cpo.received["hubclientinfo"][EMSP]["status"] == "OFFLINE"
        # while OFFLINE nothing is forwarded to it: the hub answers 4003 itself
        forwarded = len(net.hub.log.exchanges)
        again = net.call(net.cpo, "PUT", url, routing(EMSP, CPO), json_body=location)
        assert _status(again) == 4003
        assert not [x for x in net.hub.log.exchanges[forwarded:] if x.url.startswith(net.emsp.base_url)]
        # back up: the still-alive check finds it and tells the others
        from simulators.ocpi.app import build_app
        from simulators.ocpi.v2_2_1.hub.clientinfo import still_alive

        net.network.mount(net.emsp.base_url, build_app(net.emsp))
        assert net.run(still_alive(net.hub))["NL/REM"] == "CONNECTED"
        assert net.dual.received["hubclientinfo"][EMSP]["status"] == "CONNECTED"


@pytest.mark.parametrize("sender", [CPO2, HUB, None], ids=["another-platforms-party", "the-hub", "none"])
def test_a_from_header_the_caller_does_not_own_is_refused(net: HubNetwork, sender: tuple[str, str] | None) -> None:
    location_id = net.cpo.owned["locations"][0]["id"]
    headers = routing(CPO, sender) if sender is not None else {"OCPI-to-country-code": "NL",
                                                                "OCPI-to-party-id": "RCP"}
    before = len(_inbound(net.cpo))
    answer = net.call(net.emsp, "GET", net.url("locations", "SENDER", location_id), headers)
    assert _status(answer) == 2001
    assert len(_inbound(net.cpo)) == before


def test_an_open_routing_request_goes_to_the_emsp_its_cdr_names(net: HubNetwork) -> None:
    cdr = net.cpo.owned["cdrs"][0]
    assert (cdr["cdr_token"]["country_code"], cdr["cdr_token"]["party_id"]) == EMSP
    answer = net.call(net.cpo, "POST", net.url("cdrs", "RECEIVER"), routing(None, CPO), json_body=cdr)
    assert _status(answer) == 1000
    (delivered,) = [x for x in _inbound(net.emsp) if x.method == "POST" and "/cdrs" in x.url]
    assert _routed_to(delivered) == EMSP and _routed_from(delivered) == CPO
    assert not [x for x in _inbound(net.dual) if "/cdrs" in x.url]


def test_an_open_routing_get_finds_the_cpo_holding_the_object(net: HubNetwork) -> None:
    location_id = net.dual.owned["locations"][0]["id"]
    net.cpo.owned["locations"] = [x for x in net.cpo.owned["locations"] if x["id"] != location_id]
    answer = net.call(net.emsp, "GET", net.url("locations", "SENDER", location_id), routing(None, EMSP))
    assert _status(answer) == 1000 and answer.response_json()["data"]["party_id"] == "CPB"
    assert answer.response_header("OCPI-from-party-id") == "CPB"


def test_hubclientinfo_lists_the_other_parties_paginated_without_routing_headers(net: HubNetwork) -> None:
    answer = net.call(net.emsp, "GET", net.url("hubclientinfo", "SENDER"), {}, params={"limit": 2})
    assert _status(answer) == 1000 and answer.response_header("X-Total-Count") == "3"
    assert [(i["country_code"], i["party_id"]) for i in answer.response_json()["data"]] == [CPO, CPO2]
    assert (answer.response_header("Link") or "").startswith(f"<{net.url('hubclientinfo', 'SENDER')}?")
    assert not any(answer.response_header(h) for h in ("OCPI-to-party-id", "OCPI-from-party-id"))


def test_the_hub_calls_versions_credentials_and_hubclientinfo_without_routing_headers(net: HubNetwork) -> None:
    configuration = [x for x in net.hub.log.exchanges if x.direction == "callback"
                     and ("/versions" in x.url or x.url.endswith("/2.2.1") or "/hubclientinfo/" in x.url)]
    assert {x.url.rsplit("/", 1)[-1] for x in configuration} >= {"versions", "2.2.1"}
    assert any("/hubclientinfo/" in x.url for x in configuration)
    assert not [x for x in configuration if x.request_header("OCPI-to-party-id") or
                x.request_header("OCPI-from-party-id")]


def test_the_hub_records_every_exchange_redacted(net: HubNetwork) -> None:
    location_id = net.cpo.owned["locations"][0]["id"]
    net.call(net.emsp, "GET", net.url("locations", "SENDER", location_id), routing(CPO, EMSP))
    directions = {x.direction for x in net.hub.log.exchanges}
    assert directions == {"inbound", "callback"}
    written = repr([x.to_dict() for x in net.hub.log.exchanges])
    tokens = {t for peer in net.hub.peers.values() for t in (peer.token_in, peer.token_out)}
    assert tokens and not [t for t in tokens if t in written]


def test_a_list_got_from_one_cpo_through_the_hub_links_its_next_page_at_the_hub(net: HubNetwork) -> None:
    answer = net.call(net.emsp, "GET", net.url("locations", "SENDER"), routing(CPO2, EMSP), params={"limit": 5})
    assert _status(answer) == 1000 and answer.response_header("X-Total-Count") == "30"
    link = answer.response_header("Link") or ""
    assert link.startswith(f"<{net.url('locations', 'SENDER')}?") and "offset=5" in link
    following = net.call(net.emsp, "GET", link.split(">")[0].removeprefix("<"), routing(CPO2, EMSP))
    assert [x["id"] for x in following.response_json()["data"]] == [x["id"] for x in net.dual.owned["locations"][5:10]]


def test_the_reference_of_role_hub_is_the_hub_and_holds_no_other_role() -> None:
    from simulators.ocpi.references import reference_party
    from simulators.ocpi.versions import version_details

    hub = reference_party("hub", base_url="http://hub.test")
    listed: Any = version_details(hub, "2.2.1")["endpoints"]
    endpoints = {(e["identifier"], e["role"]) for e in listed}
    assert {("locations", "SENDER"), ("locations", "RECEIVER"), ("hubclientinfo", "SENDER")} <= endpoints
    assert ("hubclientinfo", "RECEIVER") not in endpoints
    with pytest.raises(ValueError, match="only as role HUB"):
        reference_party("hub+cpo", base_url="http://hub.test")


def test_the_hub_calls_an_endpoint_exactly_as_published_and_below_it_with_one_slash() -> None:
    whole, one = ModuleCall("locations", "SENDER", ""), ModuleCall("locations", "SENDER", "LOC1")
    assert whole.url("http://p.test/ocpi/cpo/2.2.1/locations/", "limit=5") == \
        "http://p.test/ocpi/cpo/2.2.1/locations/?limit=5"  # a platform may redirect the URL without its slash
    assert whole.url("http://p.test/locations", "") == "http://p.test/locations"
    assert one.url("http://p.test/locations/", "") == "http://p.test/locations/LOC1"
