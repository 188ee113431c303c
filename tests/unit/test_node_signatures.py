"""Parties' own signatures across reference nodes (simulators/ocpi/v2_2_1/node/signatures.py): a request the
party signed reaches the receiver with a signature the receiver can check; one signed by another key is refused
and goes nowhere; a node that requires signatures refuses an unsigned request; a copy to a service carries the
node's declared change of the OCPI-to headers, which still verifies as first signed by the party."""

from __future__ import annotations

import json
from typing import Any

from conformance.network import registry_messages as m
from conformance.network.notary import Notary, sign, values_to_sign
from simulators.ocpi.v2_2_1.credentials import peer_client
from tests.unit.hub_network import routing
from tests.unit.node_network import NodeNetwork, node_network

CPO, EMSP = ("NL", "RCP"), ("NL", "REM")


def _signed_push(net: NodeNetwork, key: str | None, *, module: str = "locations",
                 correlation: str = "signed-1") -> dict[str, Any]:
    cpo = net.platforms["cpo"]
    (node_a,) = cpo.peers.values()
    if module == "locations":
        body = dict(cpo.owned["locations"][0])
        method, url = "PUT", f"{node_a.endpoint('locations', 'RECEIVER')}/NL/RCP/{body['id']}"
    else:
        body, method, url = dict(cpo.owned["cdrs"][0]), "POST", str(node_a.endpoint("cdrs", "RECEIVER"))
    headers = {"X-Correlation-ID": correlation, **routing(EMSP, CPO)}
    if key is not None:
        headers["OCN-Signature"] = sign(values_to_sign(headers=headers, body=body), key).serialise()
    answer = net.run(peer_client(cpo, node_a.token_out).request(method, url, json_body=body, headers=headers,
                                                               correlation_id=correlation))
    out: dict[str, Any] = answer.response_json()
    return out


def _verified(exchange: Any) -> Any:
    """The receiver's check of a delivered request's signature."""
    notary = Notary.deserialise(exchange.request_header("OCN-Signature"))
    headers = {name: exchange.request_header(name) for name in
               ("X-Correlation-ID", "OCPI-from-country-code", "OCPI-from-party-id", "OCPI-to-country-code",
                "OCPI-to-party-id")}
    return notary.verify(values_to_sign(headers=headers, body=json.loads(exchange.raw_request_body)))


def test_a_signed_request_arrives_with_a_signature_the_receiver_can_check() -> None:
    with node_network() as net:
        assert _signed_push(net, net.keys["cpo"])["status_code"] == 1000
        (delivered,) = [x for x in net.platforms["emsp"].log.inbound() if "/locations/" in x.url]
        verdict = _verified(delivered)
        assert verdict and verdict.original_signatory == m.address_of(net.keys["cpo"])


def test_a_request_signed_by_another_key_is_refused_and_goes_nowhere() -> None:
    with node_network() as net:
        answer = _signed_push(net, m.new_key())
        assert answer["status_code"] == 2001 and "does not hold" in answer["status_message"]
        assert not [x for x in net.platforms["emsp"].log.inbound() if "/locations/" in x.url]
        assert not [x for x in net.nodes["A"].log.exchanges if x.url.endswith("/ocn/message")]


def test_a_node_that_requires_signatures_refuses_an_unsigned_request() -> None:
    with node_network() as net:
        net.nodes["A"].state["node"].signatures_required = True
        answer = _signed_push(net, None)
        assert answer["status_code"] == 2001 and "required" in answer["status_message"]
        assert _signed_push(net, net.keys["cpo"], correlation="signed-2")["status_code"] == 1000


def test_a_copy_to_a_service_declares_the_nodes_change_and_still_verifies() -> None:
    with node_network() as net:
        net.grant("cpo")
        assert _signed_push(net, net.keys["cpo"], module="cdrs")["status_code"] == 1000
        (copy,) = [x for x in net.platforms["service"].log.inbound() if x.method == "POST"]
        verdict = _verified(copy)
        assert verdict, verdict.error
        notary = Notary.deserialise(copy.request_header("OCN-Signature"))
        # The CPO's node sends the copies, and signs the change it declares.
        assert len(notary.rewrites) == 1 and notary.signatory == m.address_of(net.keys["A"])
        assert verdict.original_signatory == m.address_of(net.keys["cpo"])
        assert dict(notary.rewrites[0].rewritten_fields) == {"$['headers']['ocpi-to-country-code']": "NL",
                                                            "$['headers']['ocpi-to-party-id']": "REM"}
