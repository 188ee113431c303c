"""Flows for a node under test (role NODE) given requests the registry cannot place (docs/network.md)."""

from __future__ import annotations

import uuid

from conformance.core.errors import SetupFailed
from conformance.core.exchange import Exchange
from conformance.ocpi.context import Context
from conformance.ocpi.headers import OCPI_FROM_COUNTRY_CODE, OCPI_FROM_PARTY_ID, OCPI_TO_COUNTRY_CODE, OCPI_TO_PARTY_ID
from conformance.ocpi.v2_2_1.checks import network_errors as checks
from conformance.ocpi.v2_2_1.flows.network import ensure_node_side

__all__ = ["UNLISTED", "to_unlisted_party"]

UNLISTED = ("ZZ", "ZZZ")  # a party no one lists in roamcert's registry


def to_unlisted_party(ctx: Context) -> None:
    """roamcert's CPO, on the node under test, pushes a Location to a party the registry lists nowhere."""
    side = ensure_node_side(ctx)
    cpo = side.cpo
    peer = side.cpo_peer
    url = peer.endpoint("locations", "RECEIVER") if peer is not None else None
    if peer is None or url is None:
        raise SetupFailed("roamcert's CPO is not connected to the node under test, or it lists no Locations Receiver")
    location = dict(cpo.owned["locations"][0])
    own = cpo.identities[0]
    headers = {OCPI_FROM_COUNTRY_CODE: own.country_code, OCPI_FROM_PARTY_ID: own.party_id,
               OCPI_TO_COUNTRY_CODE: UNLISTED[0], OCPI_TO_PARTY_ID: UNLISTED[1]}
    mark = len(ctx.case.log.exchanges)
    sent: Exchange = ctx.harness.runtime.run(ctx.harness.client(peer.token_out).request(
        "PUT", f"{url}/{own.country_code}/{own.party_id}/{location['id']}", json_body=location, headers=headers,
        correlation_id=str(uuid.uuid4())))
    watched = (side.node_r.base_url + "/", side.emsp.base_url + "/", cpo.base_url + "/")
    onward = tuple(x for x in ctx.case.log.exchanges[mark:]
                   if x.direction == "inbound" and x.url.startswith(watched))
    ctx.case.evaluate(checks.unknown_party, checks.Unplaced(sent, onward))
