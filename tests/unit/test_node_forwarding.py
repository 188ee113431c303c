"""Two reference nodes of a roaming network (simulators/ocpi/v2_2_1/node): a request for a party on the other
node travels there as one message signed by the sending node, is delivered to the party with the correlation id
kept, and the party's answer comes back; a party that moves is followed; a message a node did not sign for its
own party is refused; an unknown party is 4001."""

from __future__ import annotations

import json

from conformance.network import registry_messages as m
from conformance.network.message import NetworkMessage, node_signature
from simulators.ocpi.v2_2_1.credentials import peer_client
from tests.unit.hub_network import routing
from tests.unit.node_network import NodeNetwork, node_network

CPO, EMSP = ("NL", "RCP"), ("NL", "REM")


def _push_location(net: NodeNetwork, correlation: str = "across-two-nodes") -> dict[str, object]:
    cpo = net.platforms["cpo"]
    (node_a,) = cpo.peers.values()
    location = dict(cpo.owned["locations"][0])
    url = f"{node_a.endpoint('locations', 'RECEIVER')}/NL/RCP/{location['id']}"
    answer = net.run(peer_client(cpo, node_a.token_out).request(
        "PUT", url, json_body=location, headers=routing(EMSP, CPO), correlation_id=correlation))
    body: dict[str, object] = answer.response_json()
    return body


def test_a_push_crosses_two_nodes_to_the_party_it_is_addressed_to() -> None:
    with node_network() as net:
        answer = _push_location(net)
        assert answer["status_code"] == 1000
        messages = [x for x in net.nodes["A"].log.exchanges if x.url == "http://node-b.test/ocn/message"]
        assert len(messages) == 1 and messages[0].status == 201  # the eMSP created the Location: its answer, relayed
        sent = NetworkMessage.from_json(messages[0].raw_request_body or b"")
        assert (sent.sender, sent.receiver, sent.module) == (CPO, EMSP, "locations")
        assert "Authorization" not in (messages[0].raw_request_body or b"").decode().replace('"Authorization":""', "")
        delivered = [x for x in net.platforms["emsp"].log.inbound() if x.method == "PUT" and "/locations/" in x.url]
        assert len(delivered) == 1
        assert delivered[0].request_header("X-Correlation-ID") == "across-two-nodes"
        assert (delivered[0].request_header("OCPI-from-party-id"), delivered[0].request_header("OCPI-to-party-id")) \
            == ("RCP", "REM")
        assert ("NL", "RCP") in {k[:2] for k in net.platforms["emsp"].received["locations"]}


def test_a_party_that_moves_is_followed_to_its_new_node() -> None:
    with node_network() as net:
        _push_location(net)
        net.list_party("emsp", "A")
        net.connect("emsp", "A")  # the eMSP connects to node A now: A delivers itself
        assert _push_location(net, "after-the-move")["status_code"] == 1000
        after = [x for x in net.nodes["A"].log.exchanges if x.url == "http://node-b.test/ocn/message"]
        assert len(after) == 1  # only the push before the move went to node B


def test_an_unknown_party_is_answered_4001() -> None:
    with node_network() as net:
        cpo = net.platforms["cpo"]
        (node_a,) = cpo.peers.values()
        answer = net.run(peer_client(cpo, node_a.token_out).request(
            "GET", f"{node_a.endpoint('locations', 'SENDER')}/X", headers=routing(("ZZ", "ZZZ"), CPO)))
        assert answer.response_json()["status_code"] == 4001


def test_a_message_not_signed_by_the_senders_node_is_refused() -> None:
    with node_network() as net:
        message = NetworkMessage(module="locations", interface_role="SENDER", method="GET", sender=CPO,
                                 receiver=EMSP, request_id="r", correlation_id="c", url_path="NL/RCP/LOC1")
        text = message.to_json()
        for key, status in ((m.new_key(), 401), (net.keys["B"], 401), (net.keys["A"], 200)):
            answer = net.run(net.network.client().post(
                "http://node-b.test/ocn/message", content=text,
                headers={"OCN-Signature": node_signature(text, key), "X-Request-ID": "n"}))
            assert answer.status_code == status, answer.text
        refused = json.loads(net.run(net.network.client().post(
            "http://node-b.test/ocn/message", content=text, headers={"X-Request-ID": "n"})).text)
        assert refused["status_message"] == "OCN-Signature: missing"


def _custom(net: NodeNetwork, sender: str, to: tuple[str, str], body: dict[str, object]) -> dict[str, object]:
    party = net.platforms[sender]
    (node,) = party.peers.values()
    own = (party.identities[0].country_code, party.identities[0].party_id)
    url = node.versions_url.rsplit("/ocpi/", 1)[0] + "/ocpi/custom/receiver/x-settlement/batch/7"
    answer = net.run(peer_client(party, node.token_out).request("PUT", url, json_body=body,
                                                               headers=routing(to, own)))
    out: dict[str, object] = answer.response_json()
    return out


def test_a_custom_module_crosses_both_nodes_untouched_to_a_party_that_agreed() -> None:
    body = {"invoice": "INV-7", "lines": [{"kwh": 12.5, "note": "ünïcode"}]}
    with node_network(agreed={"emsp": "x-settlement"}) as net:
        assert _custom(net, "cpo", EMSP, body)["status_code"] == 1000
        assert net.platforms["emsp"].received["x-settlement"] == {("batch/7",): body}
        (message,) = [x for x in net.nodes["A"].log.exchanges if x.url.endswith("/ocn/message")]
        sent = NetworkMessage.from_json(message.raw_request_body or b"")
        assert (sent.custom, sent.module, sent.url_path, sent.body) == (True, "x-settlement", "batch/7", body)


def test_a_custom_module_is_refused_to_a_party_that_did_not_agree() -> None:
    with node_network(agreed={"emsp": "x-settlement"}) as net:
        answer = _custom(net, "emsp", CPO, {"invoice": "INV-8"})
        assert answer["status_code"] != 1000 and "x-settlement" in str(answer["status_message"])
        assert "x-settlement" not in net.platforms["cpo"].received


def _push_cdr(net: NodeNetwork, index: int) -> dict[str, object]:
    cpo = net.platforms["cpo"]
    (node_a,) = cpo.peers.values()
    answer = net.run(peer_client(cpo, node_a.token_out).request(
        "POST", str(node_a.endpoint("cdrs", "RECEIVER")), json_body=cpo.owned["cdrs"][index],
        headers=routing(EMSP, CPO)))
    body: dict[str, object] = answer.response_json()
    return body


def _cdrs_at(party_received: dict[str, dict[tuple[str, ...], dict[str, object]]]) -> set[str]:
    return {str(cdr["id"]) for cdr in party_received.get("cdrs", {}).values()}


def test_a_service_receives_only_what_the_party_granted_and_nothing_after_revocation() -> None:
    with node_network() as net:
        service, cdrs = net.platforms["service"], net.platforms["cpo"].owned["cdrs"]
        assert _push_cdr(net, 0)["status_code"] == 1000
        assert _cdrs_at(service.received) == set()  # not granted yet
        net.grant("cpo")
        assert _push_cdr(net, 1)["status_code"] == 1000
        _push_location(net)  # locations were not asked for: no copy
        assert _cdrs_at(service.received) == {cdrs[1]["id"]}
        assert "locations" not in service.received
        copy = next(x for x in service.log.inbound() if x.method == "POST")
        assert (copy.request_header("OCPI-to-party-id"), copy.request_header("OCPI-from-party-id")) == ("STL", "RCP")
        net.revoke("cpo")
        assert _push_cdr(net, 2)["status_code"] == 1000
        assert _cdrs_at(service.received) == {cdrs[1]["id"]}  # revoked: no more copies
        assert _cdrs_at(net.platforms["emsp"].received) == {c["id"] for c in cdrs[:3]}  # the eMSP got them all
