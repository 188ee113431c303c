"""Behind roamcert's hub (a target's ``topology = "hub"``, conformance/ocpi/via_hub.py): roamcert's platforms join
the hub before the SUT does, and the SUT, once the hub registered with it, is told of the parties behind the hub.
In topology "network" they join node B and are listed there in the registry; the SUT's parties are listed on node
A, and the SUT is told of roamcert's parties by node A."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from conformance.core.errors import SutUnreachable
from conformance.core.exchange import Exchange
from conformance.ocpi.context import Context
from conformance.ocpi.headers import OCPI_TO_COUNTRY_CODE, OCPI_TO_PARTY_ID
from conformance.ocpi.types import ci_equal
from simulators.ocpi.party import Party, Peer
from simulators.ocpi.v2_2_1.credentials import peer_client, register_with
from simulators.ocpi.v2_2_1.hub.clientinfo import PUSH_HEADERS, introduce, sync
from simulators.ocpi.v2_2_1.hub.table import hub_state, parties_of

__all__ = ["ensure_behind_hub", "forwarded_to_partner", "hub_joined"]


def ensure_behind_hub(ctx: Context) -> None:
    """roamcert's platforms register with its hub, each with a token A of the hub, once per run; the hub waits for
    a forwarded request as long as roamcert waits for the SUT (the target's timeout)."""
    link = ctx.harness.via_hub(ctx.sut_role)
    if link is None or link.registered:
        return
    for hub in {id(h): h for h in (link.hub, link.near)}.values():
        hub_state(hub).timeout = ctx.harness.target.timeout
    for party in link.platforms:
        token_a = link.near.issue_token_a()
        link.tokens_a.add(token_a)
        ctx.harness.runtime.run(register_with(party, link.near.versions_url(), token_a))
        if link.listing is not None:
            for identity in party.identities:
                link.listing.list_party(identity.country_code, identity.party_id, identity.role, link.near)
    link.registered = True


def hub_joined(ctx: Context, peer: Peer) -> None:
    """The hub registered with the SUT (``peer``): the SUT's parties are CONNECTED and announced to the others,
    and the SUT is pushed the ClientInfo of the parties already connected (mod_hub_client_info_push_model), since
    it did not register with the hub (when it would GET the list)."""
    link = ctx.harness.via_hub(ctx.sut_role)
    if link is None:
        return

    link.list_sut()

    async def join() -> None:
        await sync(link.hub)
        await introduce(link.hub, peer)
        if link.home is not None:  # across the network: each side is told of the parties on the other node
            await _tell(link.hub, peer, list(hub_state(link.home).clients.values()))
            sut = {party.address.key for party in parties_of(peer)}
            infos = [info for key, info in list(hub_state(link.hub).clients.items()) if key in sut]
            for platform in [p for p in list(link.home.peers.values()) if link.ours(p.versions_url)]:
                await _tell(link.home, platform, infos)

    ctx.harness.runtime.run(join())


async def _tell(node: Party, peer: Peer, infos: list[dict[str, Any]]) -> None:
    """``node`` pushes ``peer`` the ClientInfo ``infos`` of parties connected to the other node: as a node of a
    network tells its parties whom they can reach elsewhere (a hub tells them of its own parties)."""
    url = peer.endpoint("hubclientinfo", "RECEIVER")
    if url is None:
        return
    for info in infos:
        with contextlib.suppress(SutUnreachable):
            await peer_client(node, peer.token_out).request(
                "PUT", f"{url}/{info['country_code']}/{info['party_id']}", json_body=info,
                headers=node.behaviours(PUSH_HEADERS)(node))


def forwarded_to_partner(ctx: Context) -> Callable[[Exchange], bool]:
    """Whether a request the SUT sent roamcert's hub reached the partner (the party acting opposite the SUT): by the
    hub's own record, a hop of the hub addressed (OCPI-to) to the partner with the request's X-Correlation-ID (kept on
    every hop: transport_and_format_unique_messageg_ids), whatever URL the SUT called. Peer to peer every request the
    SUT sent roamcert reached the partner. A request without an X-Correlation-ID cannot be followed: it counts as
    reaching the partner, as before the hub kept its record."""
    link = ctx.harness.via_hub(ctx.sut_role)
    if link is None:
        return lambda x: True
    partner = ctx.partner_identity
    reached = {x.request_header("X-Correlation-ID") for x in list(link.internal.exchanges)
               if x.direction == "callback" and ci_equal(x.request_header(OCPI_TO_COUNTRY_CODE), partner.country_code)
               and ci_equal(x.request_header(OCPI_TO_PARTY_ID), partner.party_id)}

    def reached_partner(x: Exchange) -> bool:
        correlation = x.request_header("X-Correlation-ID")
        return correlation is None or correlation in reached

    return reached_partner
