"""Flows for the Tokens module (mod_tokens).

An eMSP under test as Sender: roamcert, as CPO, pulls its Tokens (every page, windows by limit and offset, then
with date filters) and asks for real-time authorization of Tokens it learnt from that list: a valid one (without
and with the place it would charge at), an invalid one, and a uid the eMSP never issued.

A CPO under test as Receiver: roamcert, as eMSP, pushes Tokens of its own seed under uids never pushed before,
invalidates one by PATCH, pushes an APP_USER Token with the uid of an RFID one, and a Token lacking required
fields; after every push it reads the Token back.
"""

from __future__ import annotations

import copy
import secrets
from datetime import UTC, timedelta
from typing import Any
from urllib.parse import quote

from conformance.core.errors import SetupFailed
from conformance.core.exchange import Exchange
from conformance.ocpi.context import Context
from conformance.ocpi.expect import Expect
from conformance.ocpi.types import format_datetime, parse_datetime
from conformance.ocpi.v2_2_1.checks import receivers as rc
from conformance.ocpi.v2_2_1.checks import tokens as tc
from conformance.ocpi.v2_2_1.checks._compare import ReadBack
from conformance.ocpi.v2_2_1.checks._receiver import MismatchedPush, ReadBacks, Refusal, accepted, answer
from conformance.ocpi.v2_2_1.flows.http import join, send
from conformance.ocpi.v2_2_1.flows.pull import SenderPull, sender_url
from simulators.ocpi.v2_2_1.seed.locations import seed_locations
from simulators.ocpi.v2_2_1.seed.tokens import seed_tokens

__all__ = ["authorize_at_location", "authorize_invalid", "authorize_unknown", "authorize_valid", "date_filters",
           "known", "patch_token", "pull_pages", "push_token", "refuse_token", "token_types", "windows"]

_OK = frozenset({1000})
_INVALID = frozenset({2001})
_UNKNOWN = frozenset({2004})


# -- an eMSP as Sender: pulls ------------------------------------------------------------------------------

def _pull(ctx: Context) -> SenderPull:
    return SenderPull(ctx, module="tokens", schema="Token", id_fields=("uid", "type"))


def pull_pages(ctx: Context) -> list[dict[str, Any]]:
    """Pull every Token, following every next Link, and conclude the traversal."""
    pull = _pull(ctx)
    items, pages, complete = pull.traverse()
    pull.conclude_traversal(pages, complete)
    return [i for i in items if isinstance(i, dict)]


def known(ctx: Context) -> list[dict[str, Any]]:
    """The eMSP's Tokens, as a prerequisite: the pull must give some."""
    pull = _pull(ctx)
    items, pages, complete = pull.traverse()
    tokens = [i for i in items if isinstance(i, dict) and isinstance(i.get("uid"), str)]
    if not tokens:
        pull.conclude_traversal(pages, complete)
        raise SetupFailed("roamcert could not learn any Token from the eMSP's Tokens Sender")
    return tokens


def date_filters(ctx: Context, tokens: list[dict[str, Any]]) -> None:
    _pull(ctx).pull_date_windows(tokens, "Tokens")


def windows(ctx: Context, tokens: list[dict[str, Any]], offset: int, limit: int) -> None:
    _pull(ctx).pull_windows(tokens, offset, limit, "Tokens")


# -- an eMSP as Sender: real-time authorization ------------------------------------------------------------

def _authorize(ctx: Context, uid: str, token_type: str, expect: Expect,
               location: dict[str, Any] | None = None) -> Exchange:
    url = join(sender_url(ctx.conn, "tokens"), quote(uid, safe=""), "authorize")
    return send(ctx, "POST", url, expect, token=ctx.conn.token, json_body=location,
                params={"type": token_type})


def _pick(tokens: list[dict[str, Any]], valid: bool) -> dict[str, Any]:
    """A Token the eMSP lists as (in)valid; for a valid one, preferably one that may be authorized in real time
    (whitelist other than ALWAYS)."""
    fitting = [t for t in tokens if t.get("valid") is valid and isinstance(t.get("type"), str)]
    fitting.sort(key=lambda t: t.get("whitelist") == "ALWAYS")
    if not fitting:
        raise SetupFailed(f"the eMSP lists no {'valid' if valid else 'invalid'} Token to ask authorization for")
    return fitting[0]


def authorize_valid(ctx: Context, tokens: list[dict[str, Any]]) -> None:
    token = _pick(tokens, True)
    x = _authorize(ctx, token["uid"], token["type"],
                   Expect(schema="AuthorizationInfo", status_codes=_OK))
    asked = tc.Authorization(token, None, x)
    ctx.case.evaluate(tc.authorize_valid, asked)
    # Only an authorization given carries a reference to judge.
    if accepted(x) and tc.allowed_of(x) == "ALLOWED":
        ctx.case.evaluate(tc.authorize_reference, asked)


def _place(ctx: Context) -> dict[str, Any]:
    """One of roamcert's CPO's seed Locations, with two of its EVSEs: where the driver would charge."""
    cpo = ctx.partner_identity
    location = next(loc for loc in seed_locations(country_code=cpo.country_code, party_id=cpo.party_id)
                    if len(loc.get("evses") or []) >= 2)
    return {"location_id": location["id"], "evse_uids": [e["uid"] for e in location["evses"][:2]]}


def authorize_at_location(ctx: Context, tokens: list[dict[str, Any]]) -> None:
    token = _pick(tokens, True)
    place = _place(ctx)
    x = _authorize(ctx, token["uid"], token["type"],
                   Expect(schema="AuthorizationInfo", status_codes=_OK), place)
    ctx.case.evaluate(tc.authorize_location, tc.Authorization(token, place, x))


def authorize_invalid(ctx: Context, tokens: list[dict[str, Any]]) -> None:
    token = _pick(tokens, False)
    x = _authorize(ctx, token["uid"], token["type"],
                   Expect(schema="AuthorizationInfo", status_codes=_OK))
    ctx.case.evaluate(tc.authorize_invalid, tc.Authorization(token, None, x))


def authorize_unknown(ctx: Context) -> None:
    uid = f"RC-NO-SUCH-TOKEN-{secrets.token_hex(4).upper()}"
    x = _authorize(ctx, uid, "RFID",
                   Expect(status_codes=_UNKNOWN, http_statuses=frozenset({404}), resource_exists=False))
    ctx.case.evaluate(tc.authorize_unknown, tc.Authorization({"uid": uid, "type": "RFID"}, None, x))


# -- a CPO as Receiver -------------------------------------------------------------------------------------

def sample_token(ctx: Context, index: int = 2) -> dict[str, Any]:
    """One of roamcert's eMSP's seed Tokens under a uid never pushed before, last updated a minute ago."""
    emsp = ctx.partner_identity
    now = ctx.partner.clock().astimezone(UTC).replace(microsecond=0)
    token = copy.deepcopy(seed_tokens(country_code=emsp.country_code, party_id=emsp.party_id,
                                      base_time=now)[index])
    token["uid"] = f"RC{secrets.token_hex(4).upper()}{token['uid'][:14]}"
    token["last_updated"] = format_datetime(now - timedelta(minutes=1))
    return token


def _url(ctx: Context, uid: str) -> str:
    url = ctx.conn.endpoint("tokens", "RECEIVER")
    if url is None:
        raise SetupFailed("the SUT lists no tokens RECEIVER endpoint")
    emsp = ctx.partner_identity
    return join(url, emsp.country_code, emsp.party_id, quote(uid, safe=""))


def _params(token: dict[str, Any]) -> dict[str, str | int]:
    return {"type": str(token["type"])}


def _get(ctx: Context, url: str, params: dict[str, str | int] | None) -> Exchange:
    return send(ctx, "GET", url, Expect(schema="Token", status_codes=_OK), token=ctx.conn.token,
                params=params)


def push_token(ctx: Context) -> dict[str, Any]:
    """PUT a Token and read it back; returns the Token."""
    token = sample_token(ctx)
    url = _url(ctx, token["uid"])
    put = send(ctx, "PUT", url, Expect(status_codes=_OK, created=True), token=ctx.conn.token, json_body=token,
               params=_params(token))
    back = _get(ctx, url, _params(token))
    ctx.case.evaluate(tc.receiver_stored, ReadBacks((ReadBack("Token", token, back),), (put.id, back.id)))
    if not accepted(put):
        raise SetupFailed(f"the CPO did not accept the Token pushed as a prerequisite ({answer(put)})")
    return token


def patch_token(ctx: Context, token: dict[str, Any]) -> None:
    """Invalidate the Token by PATCH and read it back."""
    url = _url(ctx, token["uid"])
    change = {"valid": False, "last_updated": format_datetime(parse_datetime(token["last_updated"])
                                                              + timedelta(seconds=30))}
    patch = send(ctx, "PATCH", url, Expect(status_codes=_OK), token=ctx.conn.token, json_body=change,
                 params=_params(token))
    back = _get(ctx, url, _params(token))
    ctx.case.evaluate(tc.receiver_patched, ReadBacks((ReadBack("Token after the PATCH", {**token, **change}, back),),
                                                 (patch.id, back.id)))


def token_types(ctx: Context, token: dict[str, Any]) -> None:
    """PUT an APP_USER Token with the uid of the stored RFID Token; read each back, by type and without it."""
    if token["type"] != "RFID":
        raise SetupFailed("scenario bug: the Token pushed first must be an RFID Token")
    app = {**copy.deepcopy(token), "type": "APP_USER", "whitelist": "NEVER",
           "contract_id": f"{token['contract_id']}A", "last_updated": token["last_updated"]}
    app.pop("visual_number", None)
    app.pop("energy_contract", None)
    url = _url(ctx, token["uid"])
    put = send(ctx, "PUT", url, Expect(status_codes=_OK, created=True), token=ctx.conn.token, json_body=app,
               params=_params(app))
    as_app = _get(ctx, url, _params(app))
    plain = _get(ctx, url, None)
    as_rfid = _get(ctx, url, _params(token))
    reads = (ReadBack("APP_USER Token (type=APP_USER)", app, as_app),
             ReadBack("RFID Token (no type parameter)", token, plain),
             ReadBack("RFID Token (type=RFID)", token, as_rfid))
    ctx.case.evaluate(tc.receiver_type, ReadBacks(reads, (put.id, as_app.id, plain.id, as_rfid.id)))


def refuse_token(ctx: Context) -> None:
    token = sample_token(ctx, index=0)
    for field in ("contract_id", "issuer", "whitelist"):
        token.pop(field)
    url = _url(ctx, token["uid"])
    put = send(ctx, "PUT", url, Expect(advised_codes=_INVALID), token=ctx.conn.token, json_body=token,
               params=_params(token))
    back = send(ctx, "GET", url, Expect(resource_exists=False), token=ctx.conn.token, params=_params(token))
    ctx.case.evaluate(tc.receiver_rejected, Refusal("Token", put, back))

    # A valid Token PUT to the URL of another uid: transport_and_format advises 2001.
    other = sample_token(ctx)
    put = send(ctx, "PUT", _url(ctx, f"{other['uid']}X"), Expect(), token=ctx.conn.token, json_body=other,
               params=_params(other))
    ctx.case.evaluate(rc.id_mismatch, MismatchedPush("Token", "uid", put))
