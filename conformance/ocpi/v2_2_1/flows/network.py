"""Flows for a node under test (role NODE) of a decentralised roaming network (docs/network.md).

roamcert's network around the node (conformance/ocpi/node_side.py) joins it: node R and the two parties list
themselves in roamcert's registry, the eMSP registers with node R and the CPO with the node under test. A flow
then sends a request across the two nodes, or a message straight to the node under test, and records what node
R took, what each party received and what each was answered; checks/network.py judges the node from that.
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

from conformance.core.errors import SetupFailed, SutUnreachable
from conformance.core.exchange import Exchange
from conformance.network import registry_messages as m
from conformance.network.message import MESSAGE_PATH, NetworkMessage
from conformance.network.registry_messages import RegistryError
from conformance.ocpi.context import Context
from conformance.ocpi.headers import OCPI_FROM_COUNTRY_CODE, OCPI_FROM_PARTY_ID, OCPI_TO_COUNTRY_CODE, OCPI_TO_PARTY_ID
from conformance.ocpi.node_side import NodeSide
from conformance.ocpi.v2_2_1.checks import network as checks
from conformance.ocpi.v2_2_1.flows.registration import versions_offered_at
from simulators.ocpi.endpoint import OcpiError
from simulators.ocpi.party import Identity, Party, Peer
from simulators.ocpi.v2_2_1.credentials import register_with
from simulators.ocpi.v2_2_1.node.outbound import send_message
from simulators.ocpi.v2_2_1.node.state import node_state

__all__ = ["ensure_node_side", "forged_message", "location_across", "message_for_cpo"]


def ensure_node_side(ctx: Context) -> NodeSide:
    """roamcert's network joined around the node under test (once per run): node R and both parties listed in
    the registry, the eMSP registered with node R, the CPO with the node under test through its token A."""
    side = ctx.harness.node_side(ctx.sut_role)
    if side.join_failed:
        raise SetupFailed(side.join_failed)
    if side.joined:
        return side
    token = ctx.conn.take_token_a()
    if token is None:
        side.join_failed = "a node under test needs a token A (token_a) for roamcert's CPO to register with it"
        raise SetupFailed(side.join_failed)
    ctx.case.log.secrets.add(token)
    try:
        side.list_node_r()
        side.list_party("emsp", side.operator("R"))
        side.list_party("cpo", side.sut_operator())
        node_r = side.node_r
        ctx.harness.runtime.run(register_with(side.emsp, node_r.versions_url(), node_r.issue_token_a()))
        ctx.harness.runtime.run(register_with(side.cpo, side.sut.versions_url, token))
    except (OcpiError, SutUnreachable, RegistryError, KeyError, StopIteration, ValueError) as exc:
        side.join_failed = f"roamcert's network could not join the node under test: {exc}"
        raise SetupFailed(side.join_failed) from exc
    side.joined = True
    peer = side.cpo_peer
    if peer is not None:  # the verdict names the node's connection registered
        ctx.conn.token, ctx.conn.version, ctx.conn.declared = peer.token_out, peer.version, list(peer.endpoints)
        ctx.conn.versions_offered = versions_offered_at(ctx, side.sut.versions_url)
    return side


def _peer(party: Party) -> Peer:
    peer = next(iter(party.peers.values()), None)
    if peer is None:
        raise SetupFailed(f"{party.identities[0].name} is registered with no node")
    return peer


def _routing(sender: Identity, receiver: Identity) -> dict[str, str]:
    return {OCPI_FROM_COUNTRY_CODE: sender.country_code, OCPI_FROM_PARTY_ID: sender.party_id,
            OCPI_TO_COUNTRY_CODE: receiver.country_code, OCPI_TO_PARTY_ID: receiver.party_id}


def _send(ctx: Context, party: Party, module: str, interface: str, method: str, rest: str,
          receiver: Identity, body: Any = None) -> Exchange:
    """``party`` sends one request to the node it is connected to, for ``receiver``."""
    peer = _peer(party)
    url = peer.endpoint(module, interface)
    if url is None:
        raise SetupFailed(f"the node {party.identities[0].name} is connected to lists no {module} {interface}")
    client = ctx.harness.client(peer.token_out)
    exchange: Exchange = ctx.harness.runtime.run(client.request(
        method, f"{url}/{rest}", json_body=body, headers=_routing(party.identities[0], receiver),
        correlation_id=str(uuid.uuid4())))
    return exchange


def _inbound(ctx: Context, mark: int, prefix: str) -> tuple[Exchange, ...]:
    return tuple(x for x in ctx.case.log.exchanges[mark:] if x.direction == "inbound" and x.url.startswith(prefix))


def _location(party: Party) -> dict[str, Any]:
    location: dict[str, Any] = dict(party.owned["locations"][0])
    return location


def location_across(ctx: Context) -> None:
    """roamcert's CPO, on the node under test, pushes a Location to the eMSP on node R."""
    side = ensure_node_side(ctx)
    location = _location(side.cpo)
    rest = f"{location['country_code']}/{location['party_id']}/{location['id']}"
    mark = len(ctx.case.log.exchanges)
    sent = _send(ctx, side.cpo, "locations", "RECEIVER", "PUT", rest, side.emsp.identities[0], location)
    messages = _inbound(ctx, mark, side.node_r.base_url + MESSAGE_PATH)
    emsp = side.emsp
    arrivals = _inbound(ctx, mark, emsp.module_url(emsp.speaks, "locations", "RECEIVER"))
    crossed = checks.Crossed(sent, side.sut_operator(), messages[0] if messages else None,
                             arrivals[0] if arrivals else None)
    for check in (checks.message_signed, checks.message_carried, checks.answer_returned):
        ctx.case.evaluate(check, crossed)


def message_for_cpo(ctx: Context) -> None:
    """The eMSP on node R GETs a Location of roamcert's CPO: node R sends it, signed, to the node under test."""
    side = ensure_node_side(ctx)
    cpo = side.cpo
    location = _location(cpo)
    mark = len(ctx.case.log.exchanges)
    sent = _send(ctx, side.emsp, "locations", "SENDER", "GET", str(location["id"]), cpo.identities[0])
    messages = [x for x in ctx.case.log.exchanges[mark:] if x.url.endswith(MESSAGE_PATH)]
    arrivals = _inbound(ctx, mark, cpo.base_url + "/")
    path = f"{cpo.module_url(cpo.speaks, 'locations', 'SENDER')}/{location['id']}"
    ctx.case.evaluate(checks.message_delivered, checks.Received(sent, messages[0] if messages else None,
                                                                arrivals, path))


def forged_message(ctx: Context) -> None:
    """A message from the eMSP on node R for roamcert's CPO, signed by a key that is not node R's operator."""
    side = ensure_node_side(ctx)
    state = node_state(side.node_r)
    if state is None:
        raise SetupFailed("roamcert's node R has no node state")
    emsp, cpo = side.emsp.identities[0], side.cpo.identities[0]
    location = _location(side.cpo)
    message = NetworkMessage(module="locations", interface_role="SENDER", method="GET",
                             sender=(emsp.country_code, emsp.party_id), receiver=(cpo.country_code, cpo.party_id),
                             request_id=str(uuid.uuid4()), correlation_id=str(uuid.uuid4()),
                             url_path=str(location["id"]))
    domain = str(side.registry.node(side.sut_operator())["domain"])
    mark = len(ctx.case.log.exchanges)
    ctx.harness.runtime.run(send_message(side.node_r, dataclasses.replace(state, key=m.new_key()), domain,
                                         message))
    sent = [x for x in ctx.case.log.exchanges[mark:] if x.url.endswith(MESSAGE_PATH)]
    if not sent:
        raise SetupFailed("roamcert's message to the node under test was not sent")
    ctx.case.evaluate(checks.forged_refused, checks.Forged(sent[0], _inbound(ctx, mark, side.cpo.base_url + "/")))
