"""Scenarios on status codes (status_codes): what a server answers to a body that is not JSON."""

from __future__ import annotations

from conformance.core.errors import HarnessError
from conformance.ocpi.context import Context
from conformance.ocpi.expect import Expect
from conformance.ocpi.v2_2_1.checks import status as checks
from conformance.ocpi.v2_2_1.flows.http import join, send

__all__ = ["send_invalid_json"]

# A request body cut off in the middle of an object: not a valid JSON text.
_NOT_JSON = b'{"country_code": "NL", "party_id": "RCT", "id": "ROAMCERT-NOT-JSON", "last_updated": '
_OBJECT_ID = "ROAMCERT-NOT-JSON"
# Receiver interfaces that take a PUT of an object under the pushing party's country code and party id.
_RECEIVERS = ("locations", "tariffs", "sessions", "tokens")


def send_invalid_json(ctx: Context) -> None:
    """PUT a body that is not JSON to a Receiver interface of the SUT (its credentials endpoint when it declares
    none), authenticated with token C."""
    url: str | None = None
    for module in _RECEIVERS:
        endpoint = ctx.conn.endpoint(module, "RECEIVER")
        if endpoint is not None:
            us = ctx.partner_identity
            url = join(endpoint, us.country_code, us.party_id, _OBJECT_ID)
            break
    if url is None:
        url = ctx.conn.endpoint("credentials")
    if url is None:
        raise HarnessError("the SUT's version details declare neither a Receiver interface nor credentials")
    x = send(ctx, "PUT", url, Expect(), token=ctx.conn.token, raw_body=_NOT_JSON)
    ctx.case.evaluate(checks.invalid_json, checks.NotJsonAnswer(x))
