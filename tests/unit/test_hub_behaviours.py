"""The hub's choices are behaviours (simulators/behaviours.py): a fault profile of the hub replaces one of them and
the hub misbehaves in that one way only."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from simulators.behaviours import Behaviours, replace, set_to
from simulators.ocpi.v2_2_1.hub.clientinfo import ANNOUNCED_TO
from simulators.ocpi.v2_2_1.hub.forwarding import FORWARD_HEADERS, LINK, ForwardHeaders
from simulators.ocpi.v2_2_1.hub.routing import HUB_ERRORS, HubErrors
from tests.unit.hub_network import HubNetwork, hub_network, routing

CPO, EMSP, CPO2 = ("NL", "RCP"), ("NL", "REM"), ("DE", "CPB")


@contextmanager
def _network(*replacements: Any) -> Iterator[HubNetwork]:
    with hub_network() as net:
        net.hub.behaviours = Behaviours(replacements)
        yield net


def test_the_hub_errors_are_one_replaceable_value() -> None:
    with _network(set_to(HUB_ERRORS, HubErrors(not_connected=4001))) as net:
        (hub_peer,) = net.dual.peers.values()
        net.call(net.dual, "DELETE", hub_peer.endpoint("credentials") or "", {})
        location = net.cpo.owned["locations"][0]
        answer = net.call(net.cpo, "PUT", net.url("locations", "RECEIVER", f"NL/RCP/{location['id']}"),
                          routing(CPO2, CPO), json_body=location)
        assert answer.response_json()["status_code"] == 4001


def test_a_request_id_not_renewed_is_one_replaced_behaviour() -> None:
    def copied(headers: ForwardHeaders) -> ForwardHeaders:
        def same_id(incoming: Any, to: Any, sender: Any) -> dict[str, str]:
            return {**headers(incoming, to, sender), "X-Request-ID": incoming.headers["x-request-id"]}

        return same_id

    with _network(replace(FORWARD_HEADERS, copied)) as net:
        location_id = net.cpo.owned["locations"][0]["id"]
        answer = net.call(net.emsp, "GET", net.url("locations", "SENDER", location_id), routing(CPO, EMSP))
        served = [x for x in net.cpo.log.exchanges if x.direction == "inbound" and x.url.endswith(location_id)]
        assert served[-1].request_header("X-Request-ID") == answer.request_header("X-Request-ID")


def test_a_link_not_rewritten_and_client_info_not_pushed_compose() -> None:
    with _network(set_to(LINK, lambda value, receiver, hub: value),
                  set_to(ANNOUNCED_TO, lambda hub, info: [])) as net:
        answer = net.call(net.emsp, "GET", net.url("locations", "SENDER"), routing(CPO, EMSP))
        assert (answer.response_header("Link") or "").startswith(f"<{net.cpo.base_url}/")
        (hub_peer,) = net.dual.peers.values()
        net.call(net.dual, "DELETE", hub_peer.endpoint("credentials") or "", {})
        assert net.hub.state["hub"].clients[CPO2]["status"] == "SUSPENDED"
        assert net.emsp.received["hubclientinfo"][CPO2]["status"] == "CONNECTED"  # never told
