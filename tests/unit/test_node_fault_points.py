"""The fault points of a reference node (simulators/ocpi/v2_2_1/node/points.py): each replaced, the node strays
exactly where a Node under test would, and the other node or the parties see it."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from conformance.network import registry_messages as m
from conformance.network.message import NetworkMessage, node_signature
from conformance.network.registry_client import RegistryClient, ServiceEntry
from simulators.behaviours import Replacement, replace
from simulators.ocpi.endpoint import Call
from simulators.ocpi.v2_2_1.credentials import peer_client
from simulators.ocpi.v2_2_1.hub.table import Address
from simulators.ocpi.v2_2_1.node import points
from simulators.ocpi.v2_2_1.node.points import MessageSignature, MessageText, ServicesFor, SignerAccepted
from tests.unit.hub_network import routing
from tests.unit.node_network import NodeNetwork, node_network
from tests.unit.test_node_forwarding import CPO, EMSP, _cdrs_at, _push_cdr, _push_location


def _messages(net: NodeNetwork) -> list[Any]:
    return [x for x in net.nodes["A"].log.exchanges if x.url == "http://node-b.test/ocn/message"]


def _another_key(_: MessageSignature) -> MessageSignature:
    stranger = m.new_key()
    return lambda text, key: node_signature(text, stranger)


def test_a_message_signed_by_another_key_is_refused_by_the_receiving_node() -> None:
    with node_network(faults={"A": [replace(points.MESSAGE_SIGNATURE, _another_key)]}) as net:
        assert _push_location(net)["status_code"] != 1000
        assert [x.status for x in _messages(net)] == [401]
        assert not net.platforms["emsp"].received["locations"]


def _with_callers_token(text: MessageText) -> MessageText:
    def leaking(message: NetworkMessage, call: Call) -> str:
        raw = json.loads(text(message, call))
        raw["headers"]["Authorization"] = call.request.headers.get("authorization", "")
        return json.dumps(raw, separators=(",", ":"))

    return leaking


def test_the_message_text_point_changes_what_crosses_but_the_body_is_kept() -> None:
    with node_network(faults={"A": [replace(points.MESSAGE_TEXT, _with_callers_token)]}) as net:
        assert _push_location(net)["status_code"] == 1000  # still signed: node B takes it
        (message,) = _messages(net)
        sent = json.loads(message.raw_request_body or b"")
        assert sent["headers"]["Authorization"].startswith("Token ")
        location = net.platforms["cpo"].owned["locations"][0]
        assert sent["body"]["id"] == location["id"]


def _any_signer(_: SignerAccepted) -> SignerAccepted:
    return lambda signer, operator: True


def test_a_node_that_accepts_any_signer_delivers_a_forged_message() -> None:
    for faults, status in (({}, 401), ({"B": [replace(points.SIGNER_ACCEPTED, _any_signer)]}, 201)):
        with node_network(faults=faults) as net:
            location = net.platforms["cpo"].owned["locations"][0]
            message = NetworkMessage(module="locations", interface_role="RECEIVER", method="PUT", sender=CPO,
                                     receiver=EMSP, request_id="r", correlation_id="forged",
                                     url_path=f"NL/RCP/{location['id']}", body=location)
            text = message.to_json()
            answer = net.run(net.network.client().post(
                "http://node-b.test/ocn/message", content=text,
                headers={"OCN-Signature": node_signature(text, m.new_key()), "X-Request-ID": "n"}))
            assert answer.status_code == status
            delivered = [x for x in net.platforms["emsp"].log.inbound() if x.request_header("X-Correlation-ID")
                         == "forged"]
            assert len(delivered) == (status == 201)


def test_a_node_whose_look_ups_never_expire_keeps_sending_to_the_old_node() -> None:
    fault: list[Replacement[Any]] = [replace(points.REGISTRY_MAX_AGE, lambda _: lambda configured: math.inf)]
    for faults, to_b in (({}, 1), ({"A": fault}, 2)):
        with node_network(faults=faults) as net:
            _push_location(net)
            net.list_party("emsp", "A")  # listed on node A now (not yet connected there): no longer node B's
            _push_location(net, "after-the-move")
            assert len(_messages(net)) == to_b


def _remembering() -> Callable[[ServicesFor], ServicesFor]:
    """Every service the sender ever granted, revoked or not (kept outside the replacement: the node looks the
    point up, and so applies the replacement, at each request)."""
    seen: dict[Address, set[ServiceEntry]] = {}

    def by(services: ServicesFor) -> ServicesFor:
        async def chosen(registry: RegistryClient, sender: Address, module: str,
                         interface: str) -> tuple[ServiceEntry, ...]:
            kept = seen.setdefault(sender, set())
            kept.update(await services(registry, sender, module, interface))
            return tuple(s for s in kept if s.allows(module, interface))

        return chosen

    return by


def test_a_node_that_ignores_revocation_keeps_copying() -> None:
    for faults, copied in (({}, 1), ({"A": [replace(points.SERVICES, _remembering())]}, 2)):
        with node_network(faults=faults) as net:
            net.grant("cpo")
            assert _push_cdr(net, 0)["status_code"] == 1000
            net.revoke("cpo")
            assert _push_cdr(net, 1)["status_code"] == 1000
            assert len(_cdrs_at(net.platforms["service"].received)) == copied


def test_a_node_that_answers_itself_hides_the_receivers_answer() -> None:
    own = replace(points.RELAYED_ANSWER, lambda _: lambda status, body: (200, b'{"status_code": 1000}'))
    for faults, http in (({}, 201), ({"A": [own]}, 200)):
        with node_network(faults=faults) as net:
            cpo = net.platforms["cpo"]
            (node_a,) = cpo.peers.values()
            location = dict(cpo.owned["locations"][0])
            answer = net.run(peer_client(cpo, node_a.token_out).request(
                "PUT", f"{node_a.endpoint('locations', 'RECEIVER')}/NL/RCP/{location['id']}", json_body=location,
                headers=routing(EMSP, CPO)))
            assert answer.status == http
