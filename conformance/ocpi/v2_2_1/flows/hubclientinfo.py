"""Flows for a party connected to a Hub, under test as HubClientInfo Receiver (mod_hub_client_info).

roamcert pushes ClientInfo objects the way a Hub does, each about a party of its own making (so no earlier run's
object is in the way): a new party PLANNED, a party that connects, goes OFFLINE and is SUSPENDED, and a body
that is no ClientInfo; after every push it reads the object back.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Iterator
from datetime import UTC, timedelta
from typing import Any

from conformance.core.errors import SetupFailed
from conformance.core.exchange import Exchange
from conformance.ocpi.context import Context
from conformance.ocpi.expect import Expect
from conformance.ocpi.harness import Connection
from conformance.ocpi.types import format_datetime
from conformance.ocpi.v2_2_1.checks import hubclientinfo as hc
from conformance.ocpi.v2_2_1.checks._compare import ReadBack
from conformance.ocpi.v2_2_1.checks._receiver import ReadBacks, Refusal
from conformance.ocpi.v2_2_1.flows.http import data_of, join, send

__all__ = ["client_info", "push_client_info", "refuse_client_info", "status_changes"]

_OK = frozenset({1000})


def client_info(ctx: Context, status: str, *, seconds_ago: int = 60, party_id: str | None = None) -> dict[str, Any]:
    """A ClientInfo about a party roamcert makes up (party id 'R' and two random letters), last updated
    ``seconds_ago``."""
    now = ctx.partner.clock().astimezone(UTC).replace(microsecond=0)
    ours = {identity.party_id for party in ctx.harness.actors.values() for identity in party.identities}
    made_up = next(pid for pid in _made_up_ids() if pid not in ours)
    return {"party_id": party_id or made_up, "country_code": "NL", "role": "EMSP", "status": status,
            "last_updated": format_datetime(now - timedelta(seconds=seconds_ago))}


def _made_up_ids() -> Iterator[str]:
    while True:
        yield "R" + "".join(secrets.choice(string.ascii_uppercase) for _ in range(2))


def _url(conn: Connection, info: dict[str, Any]) -> str:
    url = conn.endpoint("hubclientinfo", "RECEIVER")
    if url is None:
        raise SetupFailed("the SUT lists no hubclientinfo RECEIVER endpoint")
    return join(url, str(info["country_code"]), str(info["party_id"]))


def _push(ctx: Context, info: dict[str, Any], *, created: bool | None = None) -> tuple[Exchange, Exchange]:
    url = _url(ctx.conn, info)
    put = send(ctx, "PUT", url, Expect(status_codes=_OK, created=created), token=ctx.conn.token, json_body=info)
    back = send(ctx, "GET", url, Expect(schema="ClientInfo", status_codes=_OK), token=ctx.conn.token)
    return put, back


def push_client_info(ctx: Context) -> None:
    info = client_info(ctx, "PLANNED")
    put, back = _push(ctx, info)
    ctx.case.evaluate(hc.stored, ReadBacks((ReadBack("ClientInfo", info, back),), (put.id, back.id)))


def status_changes(ctx: Context) -> None:
    """CONNECTED, then OFFLINE, then SUSPENDED (a Hub's way of removing a party): each replaces the one before."""
    first = client_info(ctx, "CONNECTED", seconds_ago=180)
    put, back = _push(ctx, first)
    ctx.case.evaluate(hc.stored, ReadBacks((ReadBack("ClientInfo", first, back),), (put.id, back.id)))
    reads: list[ReadBack] = []
    evidence: list[str] = [put.id, back.id]
    for status, seconds_ago in (("OFFLINE", 120), ("SUSPENDED", 60)):
        later = client_info(ctx, status, seconds_ago=seconds_ago, party_id=first["party_id"])
        put, back = _push(ctx, later, created=False)
        reads.append(ReadBack(f"ClientInfo after the change to {status}", later, back))
        evidence += [put.id, back.id]
    ctx.case.evaluate(hc.status_updated, ReadBacks(tuple(reads), tuple(evidence)))


def _unknown_party(ctx: Context) -> dict[str, Any]:
    """A ClientInfo about a made-up party the SUT holds nothing about yet: an earlier case, or an earlier run, may
    have pushed one under the same three-letter party id."""
    for _ in range(8):
        info = client_info(ctx, "CONNECTED")
        probe = send(ctx, "GET", _url(ctx.conn, info), Expect(), token=ctx.conn.token)
        if not (probe.status is not None and probe.status < 300 and isinstance(data_of(probe), dict)):
            return info
    raise SetupFailed("the SUT already holds a ClientInfo for every made-up party id roamcert tried")


def refuse_client_info(ctx: Context) -> None:
    info = _unknown_party(ctx)
    broken = {**info, "status": "ONLINE"}
    del broken["role"]
    url = _url(ctx.conn, info)
    put = send(ctx, "PUT", url, Expect(status_codes=frozenset({2001})), token=ctx.conn.token,
               json_body=broken)
    back = send(ctx, "GET", url, Expect(resource_exists=False), token=ctx.conn.token)
    ctx.case.evaluate(hc.invalid_refused, Refusal("ClientInfo", put, back))
