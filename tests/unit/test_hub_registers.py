"""The hub as the one that registers: it takes a platform's token A (register_with, as the /admin/register hook
does), and that platform's parties are then CONNECTED and reachable, as when a platform registers with the hub."""

from __future__ import annotations

from simulators.ocpi.app import build_app
from simulators.ocpi.party import Identity
from simulators.ocpi.v2_2_1.credentials import register_with
from simulators.ocpi.v2_2_1.reference import build_reference
from tests.unit.hub_network import hub_network, routing


def test_a_platform_the_hub_registered_with_is_connected_and_reached_through_it() -> None:
    with hub_network() as net:
        joined = build_reference((Identity("CPO", "BE", "XCP", "a CPO the hub registers with"),),
                                 "http://joined.test", "conformant", True)
        joined.http_factory = net.network.client
        net.network.mount(joined.base_url, build_app(joined))
        net.run(register_with(net.hub, joined.versions_url(), joined.issue_token_a()))
        assert net.hub.state["hub"].clients[("BE", "XCP")]["status"] == "CONNECTED"
        location_id = joined.owned["locations"][0]["id"]
        answer = net.call(net.emsp, "GET", net.url("locations", "SENDER", location_id),
                          routing(("BE", "XCP"), ("NL", "REM")))
        assert answer.status == 200 and answer.response_json()["status_code"] == 1000
        assert answer.response_json()["data"]["id"] == location_id
        # the platforms registered before were told of the new party (mod_hub_client_info_push_model)
        assert net.emsp.received["hubclientinfo"][("BE", "XCP")]["status"] == "CONNECTED"
