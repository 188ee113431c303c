"""The one way a flow sends a request to the SUT: record it, then run the response checks on it."""

from __future__ import annotations

from typing import Any

from conformance.core.exchange import Exchange
from conformance.ocpi.context import Context
from conformance.ocpi.expect import Expect
from conformance.ocpi.v2_2_1.checks._util import data_of, status_code_of

__all__ = ["data_of", "join", "send", "status_code_of"]


def join(url: str, *segments: str) -> str:
    """``url`` with path segments appended (a published endpoint URL may end with a slash)."""
    return "/".join([url.rstrip("/"), *segments])


def send(ctx: Context, method: str, url: str, expect: Expect | None = None, *,
         token: str | None = None, auth: str = "token", json_body: Any = None, raw_body: bytes | None = None,
         params: dict[str, str | int] | None = None) -> Exchange:
    """Send a request with ``token``; raises SutUnreachable (recorded) when the SUT does not answer."""
    client = ctx.harness.client(token)
    exchange = ctx.harness.runtime.run(
        client.request(method, url, json_body=json_body, raw_body=raw_body, params=params, auth=auth)
    )
    ctx.case.check_response(exchange, expect or Expect())
    return exchange


