"""The one way a flow sends a request to the SUT: record it, then run the response checks on it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from conformance.core.errors import SetupFailed, SutUnreachable
from conformance.core.exchange import Exchange
from conformance.ocpi.context import Context
from conformance.ocpi.expect import Expect
from conformance.ocpi.harness import partner_role_for
from conformance.ocpi.urls import join
from conformance.ocpi.v2_2_1.checks._util import data_of, status_code_of

__all__ = ["data_of", "forwarded_hop", "join", "send", "status_code_of"]


def send(ctx: Context, method: str, url: str, expect: Expect | None = None, *,
         token: str | None = None, auth: str = "token", json_body: Any = None, raw_body: bytes | None = None,
         params: dict[str, str | int] | None = None,
         check_if: Callable[[Exchange], bool] | None = None) -> Exchange:
    """Send a request with ``token``; raises SutUnreachable (recorded) when the SUT does not answer. The response
    checks run on the answer (only when ``check_if`` says so, if given). Through roamcert's hub, a request to a
    functional module with the connection's token goes from roamcert's acting party to the hub, and the exchange
    returned (and judged) is the hub's hop to the SUT."""
    exchange = _via_hub(ctx, method, url, token, auth, json_body, raw_body, params)
    if exchange is None:
        client = ctx.harness.client(token)
        exchange = ctx.harness.runtime.run(
            client.request(method, url, json_body=json_body, raw_body=raw_body, params=params, auth=auth)
        )
    if check_if is None or check_if(exchange):
        ctx.case.check_response(exchange, expect or Expect())
    return exchange


def _via_hub(ctx: Context, method: str, url: str, token: str | None, auth: str, json_body: Any,
             raw_body: bytes | None, params: dict[str, str | int] | None) -> Exchange | None:
    """Send through roamcert's hub when the SUT is reached through it and the request is the connection's own to a
    functional module (an auth probe, with another token, is the hub's own call: sent as now)."""
    link = ctx.harness.via_hub(ctx.sut_role)
    conn = ctx.conn
    if link is None or auth != "token" or token is None or token != conn.token or conn.peer is None:
        return None
    routed = link.route(conn.peer, ctx.sut_role, conn.endpoints, ctx.partner, partner_role_for(ctx.sut_role), url)
    if routed is None:
        return None
    if raw_body is not None:
        # A body roamcert sends as bytes is one a hub would not pass on (it reads the JSON it forwards): roamcert's
        # hub hands it to the SUT itself, as the hub's hop with the routing headers it would carry.
        direct = ctx.harness.client(token)
        return ctx.harness.runtime.run(direct.request(method, url, raw_body=raw_body, params=params,
                                                      headers=routed.headers))
    client = ctx.harness.client(routed.token, log=link.internal, slack=5.0)
    correlation = str(uuid.uuid4())
    link.driven.add(correlation)
    mark = len(ctx.case.log.exchanges)
    hop = ctx.harness.runtime.run(client.request(method, routed.url, json_body=json_body, raw_body=raw_body,
                                                 params=params, headers=routed.headers, correlation_id=correlation))
    return forwarded_hop(ctx, mark, correlation, method, url, hop)


def forwarded_hop(ctx: Context, mark: int, correlation: str, method: str, url: str, hop: Exchange) -> Exchange:
    """The exchange in which roamcert's hub forwarded to the SUT what roamcert's party sent it (``hop``, with
    X-Correlation-ID ``correlation``): what the SUT answered, the exchange the checks judge."""
    forwarded = [x for x in ctx.case.log.exchanges[mark:]
                 if x.request_header("X-Correlation-ID") == correlation and x.direction != "inbound"]
    if not forwarded:
        raise SetupFailed(f"roamcert's hub did not forward {method} {url} to the SUT: it answered HTTP {hop.status} "
                          f"({status_code_of(hop)})")
    exchange = forwarded[-1]
    if exchange.status is None:
        raise SutUnreachable(f"{method} {url}: no HTTP response through roamcert's hub ({exchange.error})")
    return exchange
