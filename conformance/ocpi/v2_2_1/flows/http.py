"""The one way a flow sends a request to the SUT: record it, then run the response checks on it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conformance.core.exchange import Exchange
from conformance.ocpi.context import Context
from conformance.ocpi.expect import Expect
from conformance.ocpi.urls import join
from conformance.ocpi.v2_2_1.checks._util import data_of, status_code_of

__all__ = ["data_of", "join", "send", "status_code_of"]


def send(ctx: Context, method: str, url: str, expect: Expect | None = None, *,
         token: str | None = None, auth: str = "token", json_body: Any = None, raw_body: bytes | None = None,
         params: dict[str, str | int] | None = None,
         check_if: Callable[[Exchange], bool] | None = None) -> Exchange:
    """Send a request with ``token``; raises SutUnreachable (recorded) when the SUT does not answer. The response
    checks run on the answer (only when ``check_if`` says so, if given)."""
    client = ctx.harness.client(token)
    exchange = ctx.harness.runtime.run(
        client.request(method, url, json_body=json_body, raw_body=raw_body, params=params, auth=auth)
    )
    if check_if is None or check_if(exchange):
        ctx.case.check_response(exchange, expect or Expect())
    return exchange


