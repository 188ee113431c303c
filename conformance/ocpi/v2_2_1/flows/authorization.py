"""Real-time authorization against the state of a Location (mod_tokens_real-time_authorization): an eMSP under
test answers for the Token and the place, not for the Location's opening hours or its EVSEs' statuses, which it
may know only from stale pushes.

roamcert, as CPO, pushes one of its Locations to the eMSP as open with its EVSEs AVAILABLE and asks for a valid
Token there; then pushes the same Location closed (an exceptional closing now) with every EVSE OUTOFORDER and asks
again for the same Token at the same EVSEs. The two answers must agree.
"""

from __future__ import annotations

import copy
from datetime import UTC, timedelta
from typing import Any
from urllib.parse import quote

from conformance.core.errors import SetupFailed
from conformance.core.exchange import Exchange
from conformance.ocpi.context import Context
from conformance.ocpi.expect import Expect
from conformance.ocpi.types import format_datetime
from conformance.ocpi.v2_2_1.checks import tokens as tc
from conformance.ocpi.v2_2_1.checks._receiver import answer
from conformance.ocpi.v2_2_1.checks._util import short
from conformance.ocpi.v2_2_1.flows.http import join, send, status_code_of
from conformance.ocpi.v2_2_1.flows.pull import sender_url
from simulators.ocpi.v2_2_1.seed.locations import seed_locations

__all__ = ["authorize_at_closed_location"]

_OK = frozenset({1000})


def _location(ctx: Context) -> dict[str, Any]:
    """One of roamcert's CPO's seed Locations with two EVSEs or more, under an id of this scenario."""
    cpo = ctx.partner_identity
    location = copy.deepcopy(next(loc for loc in seed_locations(country_code=cpo.country_code,
                                                                   party_id=cpo.party_id)
                                  if len(loc.get("evses") or []) >= 2))
    location["id"] = f"RC-STATE-{location['id']}"[:36]
    return location


def _push(ctx: Context, location: dict[str, Any]) -> None:
    url = ctx.conn.endpoint("locations", "RECEIVER")
    if url is None:
        raise SetupFailed("the SUT lists no locations RECEIVER endpoint")
    cpo = ctx.partner_identity
    put = send(ctx, "PUT", join(url, cpo.country_code, cpo.party_id, location["id"]),
               Expect(status_codes=_OK), token=ctx.conn.token, json_body=location)
    if put.status is None or put.status >= 300 or status_code_of(put) != 1000:
        raise SetupFailed(f"the eMSP did not accept the Location roamcert pushed (HTTP {put.status})")


def _ask(ctx: Context, token: dict[str, Any], place: dict[str, Any]) -> tuple[Exchange, str | None]:
    url = join(sender_url(ctx.conn, "tokens"), quote(str(token["uid"]), safe=""), "authorize")
    x = send(ctx, "POST", url, Expect(schema="AuthorizationInfo", status_codes=_OK), token=ctx.conn.token,
             json_body=place, params={"type": str(token["type"])})
    return x, tc.allowed_of(x)


def _valid_token(tokens: list[dict[str, Any]]) -> dict[str, Any]:
    fitting = [t for t in tokens if t.get("valid") is True and isinstance(t.get("type"), str)]
    fitting.sort(key=lambda t: t.get("whitelist") == "ALWAYS")  # prefer a Token meant for real-time checks
    if not fitting:
        raise SetupFailed("the eMSP lists no valid Token to ask authorization for")
    return fitting[0]


def authorize_at_closed_location(ctx: Context, tokens: list[dict[str, Any]]) -> None:
    token = _valid_token(tokens)
    location = _location(ctx)
    now = ctx.partner.clock().astimezone(UTC).replace(microsecond=0)
    location["last_updated"] = format_datetime(now - timedelta(minutes=2))
    location["opening_times"] = {"twentyfourseven": True}
    for evse in location["evses"]:
        evse["status"] = "AVAILABLE"
        evse["last_updated"] = location["last_updated"]
    place = {"location_id": location["id"], "evse_uids": [e["uid"] for e in location["evses"][:2]]}
    _push(ctx, location)
    open_x, open_answer = _ask(ctx, token, place)
    if open_answer != "ALLOWED":
        raise SetupFailed(f"the eMSP does not allow its valid Token {token['uid']} at an open Location with free "
                          f"EVSEs ({short(open_answer) if open_answer else answer(open_x)}), so there is nothing "
                          "to compare with")
    closed = copy.deepcopy(location)
    closed["last_updated"] = format_datetime(now - timedelta(minutes=1))
    closed["opening_times"] = {
        "twentyfourseven": False,
        "regular_hours": [{"weekday": day, "period_begin": "08:00", "period_end": "18:00"} for day in range(1, 8)],
        "exceptional_closings": [{"period_begin": format_datetime(now - timedelta(hours=1)),
                                  "period_end": format_datetime(now + timedelta(days=1))}],
    }
    for evse in closed["evses"]:
        evse["status"] = "OUTOFORDER"
        evse["last_updated"] = closed["last_updated"]
    _push(ctx, closed)
    closed_x, _ = _ask(ctx, token, place)
    ctx.case.evaluate(tc.authorize_regardless_of_state, tc.AuthorizationAfterClosing(open_x, closed_x))
